import { InvalidInputError } from '../errors/index.js';
import type { ArtifactKind } from '../contract/index.js';
import { linkFromAnswer, pageFromAnswer, readAnswer, recordingFromAnswer, sessionFromAnswer, type LINK_FIELDS } from './provider-answers.js';
import type { ArtifactAnswer, NotHeld, ProviderClient, ProviderName, ProviderRecording } from './provider-client.js';
import { ProviderError } from './provider-errors.js';
import type { ProviderGet } from './provider-http.js';

const DEFAULT_PER_PAGE = 50;
// A listing that never ends (a provider that ignores page_no) is cut here rather than looping forever.
const MAX_PAGES = 10_000;

/**
 * The ProviderClient both APIs share: RealtimeKit and Dyte v2 have the same resources under different prefixes and
 * credentials, which `get` carries.
 */
export function createProviderApiClient(options: { provider: ProviderName; description: string; get: ProviderGet }): ProviderClient {
  const { provider, get } = options;
  const segment = (id: string, name: string) => {
    if (typeof id !== 'string' || id === '') throw new InvalidInputError('INVALID_ARGUMENT', `${name} must be a non-empty string`);
    return encodeURIComponent(id);
  };
  const iso = (date: Date | undefined) => date?.toISOString();

  // A 404 on an artifact is an answer: the provider does not hold it (any more).
  const notHeld = async <T>(kind: ArtifactKind, ids: { sessionId: string | null; recordingId?: string }, ask: () => Promise<T>): Promise<T | NotHeld> => {
    try {
      return await ask();
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'PROVIDER_NOT_FOUND') {
        return { held: false, kind, ...ids, reason: 'NOT_FOUND', message: error.message };
      }
      throw error;
    }
  };

  const getLink = (kind: keyof typeof LINK_FIELDS, operation: string) => async (sessionId: string): Promise<ArtifactAnswer> => {
    const path = `/sessions/${segment(sessionId, 'sessionId')}/${kind}`;
    return notHeld(kind, { sessionId }, async () => {
      const body = await get({ operation, path });
      return readAnswer(`${provider} ${operation}`, () => linkFromAnswer(kind, body.data, sessionId, `${kind} answer`));
    });
  };

  async function* pages<T>(
    operation: string,
    path: string,
    itemsField: string,
    perPage: number | undefined,
    query: Record<string, string | undefined>,
    read: (item: unknown, where: string) => T,
  ): AsyncGenerator<{ pageNo: number; items: T[]; totalCount: number | null }> {
    const size = perPage ?? DEFAULT_PER_PAGE;
    if (!Number.isInteger(size) || size < 1 || size > 1000) throw new InvalidInputError('INVALID_ARGUMENT', 'perPage must be an integer from 1 to 1000');
    for (let pageNo = 1; ; pageNo++) {
      if (pageNo > MAX_PAGES) throw new ProviderError('PROVIDER_INVALID_ANSWER', `${provider} ${operation} did not end after ${MAX_PAGES} pages`);
      const body = await get({ operation, path, query: { ...query, page_no: String(pageNo), per_page: String(size) } });
      const page = readAnswer(`${provider} ${operation} page ${pageNo}`, () => {
        const { items, totalCount, last } = pageFromAnswer(body, itemsField, pageNo, size, `page ${pageNo}`);
        return { items: items.map((item, i) => read(item, `${itemsField}[${i}]`)), totalCount, last };
      });
      yield { pageNo, items: page.items, totalCount: page.totalCount };
      if (page.last) return;
    }
  }

  return {
    provider,
    description: options.description,
    async *listSessions(options = {}) {
      const query = { start_time: iso(options.since), end_time: iso(options.until), status: options.status };
      for await (const page of pages('listSessions', '/sessions', 'sessions', options.perPage, query, sessionFromAnswer)) {
        yield { pageNo: page.pageNo, sessions: page.items, totalCount: page.totalCount };
      }
    },
    getChat: getLink('chat', 'getChat'),
    getTranscript: getLink('transcript', 'getTranscript'),
    getSummary: getLink('summary', 'getSummary'),
    async *listRecordings(options = {}) {
      const query = { meeting_id: options.meetingId, start_time: iso(options.since), end_time: iso(options.until) };
      for await (const page of pages('listRecordings', '/recordings', 'recordings', options.perPage, query, recordingFromAnswer)) {
        const wanted = options.sessionId === undefined ? page.items : page.items.filter((r) => r.sessionId === options.sessionId);
        if (wanted.length > 0) yield wanted;
      }
    },
    async getRecording(recordingId) {
      const path = `/recordings/${segment(recordingId, 'recordingId')}`;
      return notHeld<ProviderRecording>('recording', { sessionId: null, recordingId }, async () => {
        const body = await get({ operation: 'getRecording', path });
        return readAnswer(`${provider} getRecording`, () => recordingFromAnswer(body.data, 'recording answer'));
      });
    },
  };
}

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signWebhookBody, UnavailableError } from '../../../shared/src/index.js';
import { PartialFailureError, usageError } from '../cli-error.js';
import { stringFlag, type Command } from '../command.js';
import type { CliContext } from '../context.js';
import { withLocalArtifacts } from '../io/local-artifacts.js';
import { repoRoot } from '../io/repo-root.js';
import { findSample, listSamples } from '../io/samples.js';
import { readWebhookFile, type WebhookEntry } from '../io/webhook-file.js';

const DEV_KEY = join('.stack', 'dev-keys', 'webhook-private.pem');
const devKeyPath = () => join(repoRoot() ?? '.', DEV_KEY);
const DEFAULT_SAMPLE_ARTIFACTS = 'http://127.0.0.1:8090';

export const sendCommand: Command = {
  name: 'send',
  summary: 'post sample or recorded webhooks, signed, to an ingress',
  help: `Usage: dyte-bridge send [SAMPLE|FILE]... [options]

Posts each webhook to the ingress, signed the way Dyte signs (RSA-SHA256 over the raw body, base64 in the
dyte-signature header), with a fresh dyte-uuid unless the file records one. Prints one line per webhook: the
HTTP status, the event and the ingress's answer.

  SAMPLE                  a sample by name or event: meeting-started, meeting.chatSynced, recording-uploaded ...
                          (default: meeting-started; see --list)
  FILE                    a .json file: one webhook, a JSON array of them, or JSON lines; an element may be an
                          envelope {"headers": {...}, "body": {...}}

Options:
  --url URL               the ingress (default: $INGRESS_URL or http://127.0.0.1:3000); /webhooks/dyte is added
  --key FILE              PEM private key to sign with (default: the development key ${DEV_KEY})
  --rtk                   use Cloudflare RealtimeKit's header names (rtk-signature, rtk-uuid)
  --local-artifacts       point download links at the local sample artifact server started by 'make run',
                          valid for an hour (the samples' own links are refused or long expired)
  --artifacts-url URL     that server's URL (default ${DEFAULT_SAMPLE_ARTIFACTS})
  --json                  print one JSON object per webhook instead of text
  --list                  list the samples and exit

Exit: 0 every webhook answered 2xx; 1 some did not; 2 bad arguments or file; 69 the ingress cannot be reached.`,
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    rtk: { type: 'boolean' },
    'local-artifacts': { type: 'boolean' },
    'artifacts-url': { type: 'string' },
    json: { type: 'boolean' },
    list: { type: 'boolean' },
  },
  async run(args, context) {
    if (args.values.list) {
      for (const sample of listSamples()) context.out(`${sample.name.padEnd(32)} ${sample.event}`);
      return;
    }
    const artifactsUrl = args.values['local-artifacts'] ? (stringFlag(args, 'artifacts-url') ?? DEFAULT_SAMPLE_ARTIFACTS) : undefined;
    const read = (args.positionals.length > 0 ? args.positionals : ['meeting-started']).map((name) => resolve(name, context));
    const entries = read.flatMap((r) => r.entries);
    const skipped = read.reduce((sum, r) => sum + r.skipped, 0);
    const key = signingKey(stringFlag(args, 'key'));
    const family = args.values.rtk ? 'rtk' : 'dyte';
    const endpoint = `${(stringFlag(args, 'url') ?? context.config.ingressUrl).replace(/\/+$/, '').replace(/\/webhooks\/dyte$/, '')}/webhooks/dyte`;

    let refused = 0;
    for (const entry of entries) {
      const raw = artifactsUrl ? rewrite(entry.raw, artifactsUrl) : entry.raw;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        [`${family}-uuid`]: entry.headers[`${family}-uuid`] ?? entry.headers['dyte-uuid'] ?? entry.headers['rtk-uuid'] ?? randomUUID(),
        [`${family}-signature`]: signWebhookBody(raw, key),
      };
      const event = eventOf(raw);
      let response: Response;
      try {
        response = await fetch(endpoint, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        throw new UnavailableError('INGRESS_UNAVAILABLE', `cannot reach the ingress at ${endpoint} (${cause}): is it running? ('make run' starts it)`);
      }
      const text = await response.text();
      if (response.status < 200 || response.status > 299) refused++;
      if (args.values.json) {
        context.out(JSON.stringify({ origin: entry.origin, event, status: response.status, answer: parseOrText(text) }));
      } else {
        context.out(`${response.status} ${event} ${entry.origin} ${text}`);
      }
    }
    if (refused + skipped > 0) {
      throw new PartialFailureError(`${refused} of ${entries.length} webhooks were not accepted${skipped > 0 ? `; ${skipped} entries were not webhooks` : ''}`);
    }
    context.err(`sent ${entries.length} webhook(s) to ${endpoint}: all accepted`);
  },
};

function resolve(name: string, context: CliContext): { entries: WebhookEntry[]; skipped: number } {
  const sample = existsSync(name) ? undefined : findSample(name);
  const path = sample?.path ?? name;
  if (!existsSync(path)) {
    throw usageError(`no sample or file named ${JSON.stringify(name)} (samples: ${listSamples().map((s) => s.name).join(', ') || 'none in this checkout'})`);
  }
  const { entries, bad } = readWebhookFile(path);
  for (const problem of bad) context.err(`skipped ${problem.origin}: ${problem.problem}`);
  if (bad.length > 0 && entries.length === 0) throw usageError(`${path} holds no webhook`);
  return { entries, skipped: bad.length };
}

function signingKey(flag: string | undefined): Buffer {
  const path = flag ?? (existsSync(devKeyPath()) ? devKeyPath() : undefined);
  if (!path) throw usageError(`no signing key: pass --key FILE, or create the development key with scripts/dev-key.sh (${DEV_KEY})`);
  try {
    return readFileSync(path);
  } catch (error) {
    throw usageError(`cannot read the signing key ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function rewrite(raw: Buffer, artifactsUrl: string): Buffer {
  const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify(withLocalArtifacts(body, artifactsUrl)));
}

function eventOf(raw: Buffer): string {
  try {
    const event = (JSON.parse(raw.toString('utf8')) as { event?: unknown }).event;
    return typeof event === 'string' ? event : '(no event)';
  } catch {
    return '(not JSON)';
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

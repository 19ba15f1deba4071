import { strict as assert } from 'node:assert';
import { loadConfig } from '../../../shared/src/index.js';
import { configSchema } from '../../../services/downloader/src/config.js';
import { streamPublisher, type StreamSettings } from '../../../services/downloader/src/streams/stream-publisher.js';

const publisherWith = (kinds: StreamSettings['kinds']) =>
  streamPublisher({
    producer: {} as never,
    encoder: {} as never,
    topics: {} as never,
    store: {} as never,
    settings: { kinds, summaryMaxBytes: 1024, batchRecords: 10, maxRecordBytes: 1024 },
  });

describe('streams on and off per kind', () => {
  it('when no STREAM_ variable is set, then chats, transcripts and summaries are all published', () => {
    const config = loadConfig(configSchema, {});
    assert.deepEqual([config.streamChat, config.streamTranscript, config.streamSummary], [true, true, true]);
    assert.equal(config.streamSummaryMaxBytes, 256 * 1024);
  });

  it('when STREAM_CHAT=false, then only the chat is off', () => {
    const config = loadConfig(configSchema, { STREAM_CHAT: 'false' });
    const publisher = publisherWith({ chat: config.streamChat, transcript: config.streamTranscript, summary: config.streamSummary });
    assert.deepEqual(['chat', 'transcript', 'summary'].map((kind) => publisher.streams(kind)), [false, true, true]);
  });

  it('when the kind is a recording (or anything else), then it is never published, whatever the settings', () => {
    const publisher = publisherWith({ chat: true, transcript: true, summary: true });
    assert.deepEqual(['recording', 'recording_audio', 'constructor', '__proto__'].map((kind) => publisher.streams(kind)), [false, false, false, false]);
  });

  it('when the summary bound is set above what a record may carry, then the boot fails naming the variable', () => {
    assert.throws(() => loadConfig(configSchema, { STREAM_SUMMARY_MAX_BYTES: String(2 * 1024 * 1024) }), /STREAM_SUMMARY_MAX_BYTES/);
  });
});

import { strict as assert } from 'node:assert';
import { ProviderFields } from '../../../shared/src/index.js';
import { linkFromAnswer, pageFromAnswer, recordingFromAnswer, sessionFromAnswer } from '../../../shared/src/provider/provider-answers.js';

describe('provider answers: fields in either casing', () => {
  it('when a field is written in snake_case, camelCase or another case, then one name reads it', () => {
    for (const key of ['chat_download_url', 'chatDownloadUrl', 'ChatDownloadURL', 'chat-download-url']) {
      const fields = new ProviderFields({ [key]: 'https://r2.example/chat.csv' }, 'chat answer');
      assert.equal(fields.url('chat_download_url'), 'https://r2.example/chat.csv', key);
    }
  });

  it('when both spellings are present and one is empty, then the one with a value is read', () => {
    const fields = new ProviderFields({ summary_download_url: null, summaryDownloadUrl: 'https://r2.example/s.txt' }, 'summary answer');
    assert.equal(fields.url('summary_download_url'), 'https://r2.example/s.txt');
  });

  it('when timestamps come in either of Dyte\'s formats, then both read as the same instant', () => {
    const iso = new ProviderFields({ expiry: '2022-12-13T07:08:39.051Z' }, 'a').timestamp('expiry');
    const spaced = new ProviderFields({ expiry: '2022-12-13 07:08:39.051621Z' }, 'b').timestamp('expiry');
    assert.equal(iso?.toISOString(), '2022-12-13T07:08:39.051Z');
    assert.equal(spaced?.toISOString(), '2022-12-13T07:08:39.051Z');
  });

  it('when a field is absent, null or empty, then it reads as null', () => {
    const fields = new ProviderFields({ a: null, b: '' }, 'x');
    assert.equal(fields.text('a'), null);
    assert.equal(fields.text('b'), null);
    assert.equal(fields.timestamp('c'), null);
    assert.equal(fields.count('d'), null);
  });

  it('when a field has the wrong type or form, then the error names the field and the rule', () => {
    const fields = new ProviderFields({ url: 'not a url', ftp: 'ftp://x/y', when: 'yesterday', size: -3, id: {} }, 'chat answer');
    assert.throws(() => fields.url('url'), /chat answer: url must be a URL/);
    assert.throws(() => fields.url('ftp'), /chat answer: ftp must be an http\(s\) URL/);
    assert.throws(() => fields.timestamp('when'), /chat answer: when must be a timestamp/);
    assert.throws(() => fields.count('size'), /chat answer: size must be a non-negative integer/);
    assert.throws(() => fields.text('id'), /chat answer: id must be a string/);
    assert.throws(() => new ProviderFields([], 'data'), /data must be an object/);
  });

  it('when a size is a number or decimal text, then it reads as a number', () => {
    assert.equal(new ProviderFields({ file_size: '1048576' }, 'r').count('file_size'), 1048576);
    assert.equal(new ProviderFields({ fileSize: 42 }, 'r').count('file_size'), 42);
  });
});

describe('provider answers: normalised shapes', () => {
  it('when the summary answer uses camelCase and the chat answer snake_case, then both give one artifact shape', () => {
    const summary = linkFromAnswer('summary', { sessionId: 's1', summaryDownloadUrl: 'https://r2.example/s.txt', summaryDownloadUrlExpiry: '2026-01-01T00:00:00.000Z' }, 's1', 'summary answer');
    const chat = linkFromAnswer('chat', { chat_download_url: 'https://r2.example/c.csv', chat_download_url_expiry: '2026-01-01 00:00:00.000000Z' }, 's1', 'chat answer');
    assert.deepEqual(summary, { held: true, kind: 'summary', sessionId: 's1', url: 'https://r2.example/s.txt', expiresAt: new Date('2026-01-01T00:00:00.000Z') });
    assert.deepEqual(chat, { held: true, kind: 'chat', sessionId: 's1', url: 'https://r2.example/c.csv', expiresAt: new Date('2026-01-01T00:00:00.000Z') });
  });

  it('when an answer has no link, then it is "not held" with reason NO_LINK; without an expiry the link has expiresAt null', () => {
    const none = linkFromAnswer('transcript', { sessionId: 's1', transcript_download_url: null }, 's1', 'transcript answer');
    assert.equal(none.held, false);
    assert.equal(!none.held && none.reason, 'NO_LINK');
    const noExpiry = linkFromAnswer('chat', { chatDownloadUrl: 'https://r2.example/c.csv' }, 's1', 'chat answer');
    assert.equal(noExpiry.held && noExpiry.expiresAt, null);
  });

  it('when a recording is uploaded with audio, then it gives a video with its size and an audio link; else NO_LINK', () => {
    const uploaded = recordingFromAnswer(
      {
        id: 'r1', session_id: 's1', status: 'UPLOADED', download_url: 'https://r2.example/r1.mp4', audio_download_url: 'https://r2.example/r1.m4a',
        download_url_expiry: '2026-01-01T00:00:00.000Z', file_size: '2048', meeting: { id: 'm1' },
      },
      'recording',
    );
    assert.deepEqual(uploaded.video, {
      held: true, kind: 'recording', sessionId: 's1', recordingId: 'r1', meetingId: 'm1', url: 'https://r2.example/r1.mp4',
      expiresAt: new Date('2026-01-01T00:00:00.000Z'), bytes: 2048,
    });
    assert.equal(uploaded.audio?.kind, 'recording_audio');
    assert.equal(uploaded.audio?.url, 'https://r2.example/r1.m4a');
    const live = recordingFromAnswer({ id: 'r2', sessionId: 's1', status: 'RECORDING', downloadUrl: null }, 'recording');
    assert.equal(live.video.held, false);
    assert.equal(!live.video.held && live.video.reason, 'NO_LINK');
    assert.equal(live.audio, null);
  });

  it('when a session is listed in either casing, then it reads to the same session', () => {
    const snake = sessionFromAnswer({ id: 's1', associated_id: 'm1', status: 'ENDED', started_at: '2026-01-01T00:00:00.000Z', ended_at: '2026-01-01 01:00:00.000000Z' }, 'sessions[0]');
    const camel = sessionFromAnswer({ id: 's1', associatedId: 'm1', status: 'ENDED', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T01:00:00.000Z' }, 'sessions[0]');
    assert.deepEqual(snake, camel);
    assert.equal(snake.meetingId, 'm1');
    assert.throws(() => sessionFromAnswer({ associated_id: 'm1' }, 'sessions[3]'), /sessions\[3\]: id is missing/);
  });

  it('when a page says where it ends, then the last page is known; without paging, a short page is the last', () => {
    const page = (data: unknown, paging?: unknown) => ({ success: true, data, ...(paging ? { paging } : {}) });
    assert.equal(pageFromAnswer(page({ sessions: [1, 2] }, { total_count: 4, start_offset: 1, end_offset: 2 }), 'sessions', 1, 2, 'p').last, false);
    assert.equal(pageFromAnswer(page({ sessions: [3, 4] }, { totalCount: 4, startOffset: 3, endOffset: 4 }), 'sessions', 2, 2, 'p').last, true);
    assert.equal(pageFromAnswer(page([1, 2]), 'recordings', 1, 2, 'p').last, false);
    assert.equal(pageFromAnswer(page([1]), 'recordings', 2, 2, 'p').last, true);
    assert.equal(pageFromAnswer(page({ sessions: [] }, { total_count: 9 }), 'sessions', 5, 2, 'p').last, true);
    assert.throws(() => pageFromAnswer(page({ other: [] }), 'sessions', 1, 2, 'page 1'), /page 1: data.sessions is missing/);
  });
});

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The link fields of Dyte's artifact events, the file each points to on the sample server, and the expiry field. */
const TOP_LEVEL_LINKS = [
  { url: 'chatDownloadUrl', expiry: 'chatDownloadUrlExpiry', file: 'chat.csv' },
  { url: 'transcriptDownloadUrl', expiry: 'transcriptDownloadUrlExpiry', file: 'transcript.csv' },
  { url: 'summaryDownloadUrl', expiry: 'summaryDownloadUrlExpiry', file: 'summary.txt' },
];

/**
 * Points a sample's download links at a local sample artifact server (`make run` starts one), with links valid for an
 * hour from now: the seed's links (sample.com, expired in 2022) would be refused or expired. A recording's size is
 * dropped, as the sample file is not the size the sample claims. Returns a new body; events without links come back
 * unchanged.
 */
export function withLocalArtifacts(body: Obj, baseUrl: string, now = new Date()): Obj {
  const expiry = new Date(now.getTime() + 3600_000).toISOString();
  const base = baseUrl.replace(/\/+$/, '');
  const copy: Obj = { ...body };
  for (const link of TOP_LEVEL_LINKS) {
    if (link.url in copy) {
      // RealtimeKit's chat link names a JSON file: the sample server has that shape too.
      const json = link.file === 'chat.csv' && typeof copy[link.url] === 'string' && /\.json(\?|$)/.test(copy[link.url] as string);
      copy[link.url] = `${base}/${json ? 'chat.json' : link.file}`;
      copy[link.expiry] = expiry;
    }
  }
  if (isObj(copy.recording) && ('downloadUrl' in copy.recording || 'audioDownloadUrl' in copy.recording)) {
    const { fileSize: _size, ...recording } = copy.recording;
    if ('downloadUrl' in recording) recording.downloadUrl = `${base}/recording.mp4`;
    if ('audioDownloadUrl' in recording) recording.audioDownloadUrl = `${base}/recording-audio.m4a`;
    recording.downloadUrlExpiry = expiry;
    copy.recording = recording;
  }
  return copy;
}

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_TOPIC_PREFIX, KAFKA_HEADERS, TOPIC_ROLES, topicNames } from '../../../shared/src/index.js';
import { repoRoot } from '../../helpers/service-configs.js';

// The code that produces or consumes Kafka records, or documents them; tests stay free to spell the wire out.
const SCANNED = ['services', 'cli', 'bench', 'scripts', 'shared/src'];
// The only places a header or topic name may be spelled out.
const OWNERS = ['shared/src/contract', 'shared/src/generated'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'results']);
const SOURCE = /\.(ts|js|mjs|cjs)$/;

// Literals equal to a name that are not about Kafka. Each needs its reason; an entry that matches nothing fails.
const NOT_WIRE = [
  {
    path: 'services/ingress/src/domain/delivery.ts',
    literal: 'webhook-id',
    reason: 'the suffix of the HTTP request header dyte-webhook-id / rtk-webhook-id, not the Kafka header',
  },
];

interface Finding {
  path: string;
  line: number;
  literal: string;
  text: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every quoted literal equal to one of `names`, and every template that builds a fleet topic from a prefix. */
function findWireLiterals(names: string[], roles: readonly string[]): Finding[] {
  const quoted = new RegExp(`(['"\`])(${names.map(escape).join('|')})\\1`, 'g');
  const builtTopic = new RegExp(`(\\$\\{[^}]*\\}(?:${roles.map(escape).join('|')}))\``, 'g');
  const findings: Finding[] = [];
  for (const root of SCANNED) {
    for (const file of sourceFiles(join(repoRoot, root))) {
      const path = relative(repoRoot, file).split('\\').join('/');
      if (OWNERS.some((owner) => path.startsWith(`${owner}/`))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, index) => {
          if (/^\s*(\/\/|\/\*|\*)/.test(text)) return;
          for (const match of text.matchAll(quoted)) findings.push({ path, line: index + 1, literal: match[2] ?? '', text: text.trim() });
          for (const match of text.matchAll(builtTopic)) findings.push({ path, line: index + 1, literal: match[1] ?? '', text: text.trim() });
        });
    }
  }
  return findings;
}

describe('the wire contract (shared/src/contract)', () => {
  const headerNames = Object.values(KAFKA_HEADERS).map((header) => header.name);
  const topics = Object.values(topicNames(DEFAULT_TOPIC_PREFIX));
  const findings = findWireLiterals([...headerNames, ...topics, DEFAULT_TOPIC_PREFIX], TOPIC_ROLES);
  const allowed = (finding: Finding) => NOT_WIRE.some((entry) => entry.path === finding.path && entry.literal === finding.literal);

  it('when the code outside the contract is read, then no header or topic name is spelled out as a literal (use KAFKA_HEADERS, topicNames)', () => {
    const spelled = findings.filter((finding) => !allowed(finding)).map((f) => `  ${f.path}:${f.line}: ${f.literal}   in: ${f.text}`);
    assert.ok(
      spelled.length === 0,
      `${spelled.length} header or topic name(s) spelled out; use KAFKA_HEADERS / topicNames from shared/src/contract (or, for a literal ` +
        `that is not about Kafka, add it to NOT_WIRE with its reason):\n${spelled.join('\n')}`,
    );
  });

  it('when a literal is let through as not about Kafka, then it is still where its reason says', () => {
    const stale = NOT_WIRE.filter((entry) => !findings.some((finding) => entry.path === finding.path && entry.literal === finding.literal));
    assert.deepEqual(stale, [], 'remove the NOT_WIRE entries that match nothing any more');
  });
});

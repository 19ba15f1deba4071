import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The classpath of the stack's Kafka jars (for kafka-producer-perf-test): `.stack/kafka/<version>/libs/*`, the
 * version chosen as scripts/lib.sh chooses it (STACK_KAFKA_VERSION, KAFKA_VERSION, else the pom's default).
 */
export function kafkaLibsClasspath(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const pomVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(join(repoRoot, 'scripts', 'stack', 'pom.xml'), 'utf8'))?.[1];
  const version = env.STACK_KAFKA_VERSION || env.KAFKA_VERSION || pomVersion;
  if (!version) throw new Error('no Kafka version: scripts/stack/pom.xml names none and KAFKA_VERSION is unset');
  return join(repoRoot, '.stack', 'kafka', version, 'libs', '*');
}

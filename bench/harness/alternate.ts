/** One contender of a scenario: the subject or a baseline, run once per repetition. */
export interface Contender<T> {
  name: string;
  run(repetition: number): Promise<T>;
}

/**
 * Runs every contender once as a warm-up (not kept), then `reps` rounds in which each runs once in turn
 * (subject, baseline, subject, baseline ...), so drift of a noisy machine hits all of them alike.
 */
export async function alternate<T>(
  contenders: Contender<T>[],
  reps: number,
  progress: (line: string) => void,
  options: { warmUp?: boolean; describe?: (result: T) => string } = {},
): Promise<Record<string, T[]>> {
  const results: Record<string, T[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
  const describe = options.describe ?? (() => '');
  if (options.warmUp !== false) {
    for (const contender of contenders) {
      const result = await contender.run(0);
      progress(`  warm-up ${contender.name}: ${describe(result)}`);
    }
  }
  for (let rep = 1; rep <= reps; rep++) {
    for (const contender of contenders) {
      const result = await contender.run(rep);
      results[contender.name]?.push(result);
      progress(`  rep ${rep}/${reps} ${contender.name}: ${describe(result)}`);
    }
  }
  return results;
}

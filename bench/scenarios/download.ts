import type { BenchContext } from '../harness/bench-context.js';
import type { ScenarioReport } from '../harness/figure.js';

export async function downloadScenario(_ctx: BenchContext): Promise<ScenarioReport> {
  throw new Error('not yet');
}

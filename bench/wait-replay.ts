/**
 * The waiting section's jobs replayed on a simulated clock (test/harness/wait-replay.ts): the same shapes and end
 * times as `bench/wait.ts`, through the action's own wait loop, in seconds where the real-time section takes
 * minutes. `npm run bench -- --only=replay` prints it.
 */
import { summarize, type WaitBenchOptions, type WaitBenchResult } from '../test/harness/job-shapes.ts'
import { replayJobs } from '../test/harness/wait-replay.ts'

/** The waiting section's figures, from the replay. */
export async function replayWait(options: WaitBenchOptions): Promise<WaitBenchResult> {
  const { today, shapes } = await replayJobs(options)
  return summarize(today, shapes, options.repetitions)
}

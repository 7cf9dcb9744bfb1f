/**
 * The benchmark's waiting jobs (job-shapes.ts) replayed on a simulated clock: the action's own wait loop
 * (`pollUntilDone`) and the fixed pollers, with no network, timer or busy core in between. It runs in seconds,
 * gives the same figures every time, and shows what the schedule itself does. `test/wait.test.ts` holds the
 * schedule to its promise with it; `npm run bench -- --only=replay` prints its figures.
 */
import { pollUntilDone, type StatusSource } from '../../src/wait/loop.js'
import { jobTimePrior } from '../../src/wait/prior.js'
import { INTERVAL_MS, makeJobs, POLLERS, type Job, type JobOutcome, type WaitBenchOptions } from './job-shapes.ts'
import { seededRandom } from './stats.ts'

export interface Replayed {
  /** Unscaled seconds from the job's end to the check that saw it. */
  lagSeconds: number
  /** Status checks, the one that saw the end included. */
  checks: number
}

/** The action's wait loop on one job; the clock moves only when the loop pauses. */
async function replayOurs(job: Job): Promise<Replayed> {
  let clock = 0
  let checks = 0
  const noise = seededRandom(job.seed)
  const source: StatusSource = {
    getStatus: () => {
      checks++
      if (clock >= job.finishMs)
        return Promise.resolve({ state: 'done', providerStatus: 'done', videoUrl: 'https://video.invalid/v.mp4' })
      const progress = job.progressAt(clock, noise)
      // CometAPI's wrapper always carries a progress string, "0%" in the queue.
      const reported = job.comet ? (progress ?? 0) : progress
      return Promise.resolve({ state: 'pending', providerStatus: 'pending', progress: reported })
    },
  }
  await pollUntilDone(source, 'replay', {
    deadline: job.finishMs * 3 + 60_000,
    maxIntervalMs: INTERVAL_MS,
    startedAt: 0,
    justCreated: true,
    timeoutSeconds: 0,
    prior: jobTimePrior({ operation: 'generate', duration: job.durationSeconds }),
    now: () => clock,
    sleep: (ms) => {
      clock += ms
      return Promise.resolve()
    },
  })
  return { lagSeconds: (clock - job.finishMs) / 1000, checks }
}

/** A fixed poller on a job ending at `endMs`: a check right after create, then one every `intervalMs`. */
export function fixedPollerOn(endMs: number, intervalMs: number): Replayed {
  const before = Math.ceil(endMs / intervalMs)
  return { lagSeconds: (before * intervalMs - endMs) / 1000, checks: before + 1 }
}

/** Every job of the waiting section (today's sets and the shapes'), replayed for the three pollers. */
export async function replayJobs(options: WaitBenchOptions): Promise<{ today: JobOutcome[]; shapes: JobOutcome[] }> {
  const { today, shapes } = makeJobs(options)
  const play = async (jobs: readonly Job[]) =>
    (
      await Promise.all(
        jobs.map(async (job): Promise<JobOutcome[]> => {
          const runs = {
            ours: await replayOurs(job),
            fixed1s: fixedPollerOn(job.finishMs, 1_000),
            fixed5s: fixedPollerOn(job.finishMs, INTERVAL_MS),
          }
          return POLLERS.map((poller) => ({
            job,
            poller,
            lagMs: runs[poller].lagSeconds * 1000,
            requests: runs[poller].checks,
          }))
        }),
      )
    ).flat()
  return { today: await play(today), shapes: await play(shapes) }
}

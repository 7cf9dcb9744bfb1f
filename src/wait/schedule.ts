/**
 * When to check next: the server's `Retry-After` when it gives one, otherwise the first step of the best plan
 * (plan.ts) for what the wait believes of the job's end (belief.ts), within the interval and the floor.
 */
import { endBelief } from './belief.js'
import type { ProgressSample } from './forecast.js'
import { planNextCheck } from './plan.js'
import type { JobTimePrior } from './prior.js'

export interface ScheduleInput {
  /** Milliseconds since the wait started (the job's start, right after create). */
  elapsedMs: number
  /** Every progress report so far, 0 % included, oldest first. */
  samples: readonly ProgressSample[]
  /** Status checks made so far in this wait. */
  checks: number
  /** `poll-interval-seconds`: the longest pause allowed, and the fixed poller the budget is counted against. */
  maxIntervalMs: number
  /** The shortest pause, so a wrong estimate cannot turn into a burst of requests (default 1 s). */
  minIntervalMs?: number
  /** The server's `Retry-After`, which wins over everything but the floor. */
  retryAfterMs?: number
  /** The job's expected total time, when it started at the wait's start. */
  prior?: JobTimePrior
  /**
   * How much later than planned a check is answered, on average (the request's own time, a timer's lateness): a
   * fixed poller, which sleeps the interval between checks, has its checks an interval plus that apart.
   */
  overheadMs?: number
}

/** The default shortest pause between two checks. */
export const MIN_POLL_DELAY_MS = 1_000

/** The highest progress a running job reports. */
const PROGRESS_CAP = 99

/**
 * When to check next, in milliseconds from now. `Retry-After` wins over all but the floor; otherwise the first
 * step of the best plan for what the model believes: never longer than the interval, never shorter than the
 * floor, and never more than one check ahead of a fixed poller at the interval.
 */
export function nextPollDelay({
  elapsedMs,
  samples,
  checks,
  maxIntervalMs,
  minIntervalMs = MIN_POLL_DELAY_MS,
  retryAfterMs,
  prior,
  overheadMs = 0,
}: ScheduleInput): number {
  const floor = Math.min(minIntervalMs, maxIntervalMs)
  // The server's word is a lower bound: `Retry-After: 0` means ready, not "check in a loop".
  if (retryAfterMs !== undefined) return Math.max(floor, retryAfterMs)
  // An interval at the floor leaves nothing to choose.
  if (floor >= maxIntervalMs) return maxIntervalMs
  const end = endBelief(samples, elapsedMs, prior)
  if (!end) return maxIntervalMs
  const at = planNextCheck({
    end,
    nowMs: elapsedMs,
    checks,
    intervalMs: maxIntervalMs,
    periodMs: maxIntervalMs + overheadMs,
    floorMs: floor,
    mostAhead: 1,
    mayGainLead: !atProgressCap(samples),
  })
  return Math.round(Math.min(maxIntervalMs, Math.max(floor, at - elapsedMs)))
}

/**
 * Providers report at most 99 % until the job is done, so at the cap progress says the job is finishing, not
 * when: no check that would put the wait further ahead of the fixed poller is bet on it.
 */
const atProgressCap = (samples: readonly ProgressSample[]) =>
  (samples[samples.length - 1]?.progress ?? 0) >= PROGRESS_CAP

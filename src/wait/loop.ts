/**
 * The wait loop: check a job's status until it finishes or the deadline passes, pausing between checks as the
 * schedule says (schedule.ts), and saying what is happening so a ten-minute wait is not silent.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { TimedOutError } from '../errors.js'
import { formatDuration, formatSeconds } from '../format.js'
import type { StatusOptions } from '../grok/client.js'
import type { PollContext, VideoStatus } from '../grok/normalize.js'
import type { ProgressSample } from './forecast.js'
import type { JobTimePrior } from './prior.js'
import { MIN_POLL_DELAY_MS, nextPollDelay } from './schedule.js'

export interface StatusSource {
  getStatus(requestId: string, options: StatusOptions): Promise<VideoStatus>
}

export interface WaitOptions {
  /** Epoch milliseconds after which the loop gives up (`timeout-seconds`). */
  deadline: number
  maxIntervalMs: number
  /** The shortest pause between checks (default 1 s, or the interval when that is shorter). */
  minIntervalMs?: number
  /** When the wait started (epoch ms): right after create, or the run's start for a resumed job. */
  startedAt: number
  /** The job's expected total time (see `jobTimePrior`); only for a job created right before the wait. */
  prior?: JobTimePrior
  /** True right after create: the first check waits a little, and tolerates a 404 while the job becomes visible. */
  justCreated: boolean
  /** Seconds in the timeout, for the message. */
  timeoutSeconds: number
  /** What the job was asked to do, passed to every check. */
  pollContext?: PollContext
  log?: (message: string) => void
  /** A line is printed at least this often while nothing changes. */
  heartbeatMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<unknown>
}

/** Check `requestId` until it is no longer pending. Throws `TimedOutError` at the deadline. */
export async function pollUntilDone(
  source: StatusSource,
  requestId: string,
  options: WaitOptions,
): Promise<VideoStatus> {
  const now = options.now ?? Date.now
  const pause = options.sleep ?? sleep
  const log = options.log ?? (() => {})
  const heartbeatMs = options.heartbeatMs ?? 30_000
  const samples: ProgressSample[] = []
  let lastLine = ''
  let lastLineAt = -Infinity
  let last: VideoStatus | undefined
  let checks = 0
  let delay = options.maxIntervalMs
  let answerDueAt = now()
  let overheadTotal = 0
  let lastOverhead = 0

  const schedule = (elapsedMs: number, retryAfterMs?: number) =>
    nextPollDelay({
      elapsedMs,
      samples,
      checks,
      maxIntervalMs: options.maxIntervalMs,
      // A check answered late (held by the step's shared rate limit, or slow) says the step cannot check this
      // often: the next waits at least as long, so a crowded batch slows each job to its share of the rate
      // instead of queueing checks without end.
      minIntervalMs: Math.max(options.minIntervalMs ?? MIN_POLL_DELAY_MS, lastOverhead),
      retryAfterMs,
      prior: options.prior,
      overheadMs: checks > 0 ? overheadTotal / checks : 0,
    })

  if (options.justCreated) {
    // A job just created is not done yet: the first check waits as the schedule says (the interval, without progress).
    delay = Math.min(schedule(0), options.deadline - now())
    answerDueAt = now() + Math.max(0, delay)
    if (delay > 0) await pause(delay)
  }
  for (;;) {
    let status: VideoStatus
    try {
      status = await source.getStatus(requestId, {
        deadline: options.deadline,
        tolerateNotFound: options.justCreated && checks === 0,
        context: options.pollContext,
        // The pause the schedule chose: how long a shared rate limit may hold this check.
        patienceMs: delay,
      })
    } catch (error) {
      // A check that failed only because time ran out is a timeout, not an API fault.
      if (now() >= options.deadline)
        throw new TimedOutError(requestId, options.timeoutSeconds, last ? describeStatus(last) : 'unknown')
      throw error
    }
    checks++
    lastOverhead = Math.max(0, now() - answerDueAt)
    overheadTotal += lastOverhead
    last = status
    if (status.state !== 'pending') return status

    const elapsedMs = now() - options.startedAt
    if (status.progress !== undefined) samples.push({ atMs: elapsedMs, progress: status.progress })
    const remaining = options.deadline - now()
    if (remaining <= 0) throw new TimedOutError(requestId, options.timeoutSeconds, describeStatus(status))
    delay = Math.min(remaining, schedule(elapsedMs, status.retryAfterMs))

    const line = describeStatus(status)
    if (line !== lastLine || now() - lastLineAt >= heartbeatMs) {
      log(`Job ${requestId}: ${line}, ${formatDuration(elapsedMs)} elapsed; next check in ${formatSeconds(delay)}.`)
      lastLine = line
      lastLineAt = now()
    }
    answerDueAt = now() + delay
    await pause(delay)
  }
}

/** The provider's status, with its progress when it gives one: "pending (40 %)". */
function describeStatus(status: VideoStatus): string {
  return status.progress !== undefined
    ? `${status.providerStatus} (${Math.round(status.progress)} %)`
    : status.providerStatus
}

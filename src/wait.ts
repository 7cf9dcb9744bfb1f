/**
 * The wait loop: check a job's status until it finishes or the deadline passes, choosing when to check next
 * from the progress the provider reports, and saying what is happening so a ten-minute wait is not silent.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { TimedOutError } from './errors.js'
import type { PollContext, VideoStatus } from './grok/normalize.js'

export interface ProgressSample {
  /** Milliseconds since the job started. */
  atMs: number
  progress: number
}

export interface ScheduleInput {
  /** Milliseconds since the job started. */
  elapsedMs: number
  /** Every progress report so far, 0 % included, oldest first. */
  samples: readonly ProgressSample[]
  /** `poll-interval-seconds`: the longest pause allowed. */
  maxIntervalMs: number
  /** The shortest pause, so a wrong estimate cannot turn into a burst of requests (default 1 s). */
  minIntervalMs?: number
  /** The server's `Retry-After`, which wins over everything else. */
  retryAfterMs?: number
}

/** The default shortest pause between two checks. */
export const MIN_POLL_DELAY_MS = 1_000

/** How many recent reports the progress rate is fitted over: enough to smooth the jitter, few enough to follow a curve. */
const RATE_WINDOW = 10
/** Reports without a new high that are taken as jitter before the pause starts doubling. */
const STUCK_GRACE = 2

/**
 * When to check next. While progress rises, aim at the moment it should reach 100 %; without progress, wait the
 * full interval. Never longer than the interval, never shorter than the floor (doubled for each check in a row
 * that found the progress stuck), and `Retry-After` always wins.
 */
export function nextPollDelay({
  elapsedMs,
  samples,
  maxIntervalMs,
  minIntervalMs = MIN_POLL_DELAY_MS,
  retryAfterMs,
}: ScheduleInput): number {
  if (retryAfterMs !== undefined) return retryAfterMs
  const floor = Math.min(minIntervalMs, maxIntervalMs)
  const firstMoving = samples.findIndex((s) => s.progress > 0)
  if (firstMoving < 0) return maxIntervalMs
  const fit = fitProgress(samples, firstMoving)
  if (!fit) return maxIntervalMs
  const remaining = (100 - fit.progressAtLast) / fit.rate - (elapsedMs - fit.lastAtMs)
  const stuck = Math.max(0, stuckChecks(samples.slice(firstMoving)) - STUCK_GRACE)
  const delay = Math.max(remaining, floor * 2 ** stuck)
  return Math.round(Math.min(maxIntervalMs, Math.max(floor, delay)))
}

interface ProgressFit {
  /** Percent per millisecond. */
  rate: number
  /** The fitted progress at the last report (less noisy than the report itself). */
  progressAtLast: number
  lastAtMs: number
}

/**
 * A least-squares line through the last few reports. From a single report, the rate since progress left 0 %
 * (somewhere between the last check that saw 0 %, or the start, and the first that did not).
 */
function fitProgress(samples: readonly ProgressSample[], firstMoving: number): ProgressFit | undefined {
  const moving = samples.slice(firstMoving)
  const last = moving[moving.length - 1]
  const window = moving.slice(-RATE_WINDOW)
  if (window.length >= 2) {
    const n = window.length
    const meanT = window.reduce((a, s) => a + s.atMs, 0) / n
    const meanP = window.reduce((a, s) => a + s.progress, 0) / n
    let num = 0
    let den = 0
    for (const s of window) {
      num += (s.atMs - meanT) * (s.progress - meanP)
      den += (s.atMs - meanT) ** 2
    }
    const rate = den > 0 ? num / den : 0
    if (rate > 0)
      return { rate, progressAtLast: Math.min(100, meanP + rate * (last.atMs - meanT)), lastAtMs: last.atMs }
  }
  const lastZeroAt = firstMoving > 0 ? samples[firstMoving - 1].atMs : 0
  const startedAt = (lastZeroAt + moving[0].atMs) / 2
  if (!(last.atMs > startedAt)) return undefined
  return { rate: last.progress / (last.atMs - startedAt), progressAtLast: last.progress, lastAtMs: last.atMs }
}

/** Checks in a row, at the end, that brought no new highest progress: those after the first report of the high. */
function stuckChecks(moving: readonly ProgressSample[]): number {
  const high = Math.max(...moving.map((s) => s.progress))
  return Math.min(6, moving.length - 1 - moving.findIndex((s) => s.progress === high))
}

export interface StatusSource {
  getStatus(
    requestId: string,
    deadline: number,
    tolerateNotFound?: boolean,
    context?: PollContext,
  ): Promise<VideoStatus>
}

export interface WaitOptions {
  /** Epoch milliseconds after which the loop gives up (`timeout-seconds`). */
  deadline: number
  maxIntervalMs: number
  /** The shortest pause between checks (default 1 s, or the interval when that is shorter). */
  minIntervalMs?: number
  /** When the job started (epoch ms); the run's start for a resumed job. */
  startedAt: number
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

  if (options.justCreated) {
    const first = Math.min(options.maxIntervalMs, options.deadline - now())
    if (first > 0) await pause(first)
  }
  for (;;) {
    let status: VideoStatus
    try {
      status = await source.getStatus(
        requestId,
        options.deadline,
        options.justCreated && checks === 0,
        options.pollContext,
      )
    } catch (error) {
      // A check that failed only because time ran out is a timeout, not an API fault.
      if (now() >= options.deadline)
        throw new TimedOutError(requestId, options.timeoutSeconds, last ? describe(last) : 'unknown')
      throw error
    }
    checks++
    last = status
    if (status.state !== 'pending') return status

    const elapsedMs = now() - options.startedAt
    if (status.progress !== undefined) samples.push({ atMs: elapsedMs, progress: status.progress })
    const remaining = options.deadline - now()
    if (remaining <= 0) throw new TimedOutError(requestId, options.timeoutSeconds, describe(status))
    const delay = Math.min(
      remaining,
      nextPollDelay({
        elapsedMs,
        samples,
        maxIntervalMs: options.maxIntervalMs,
        minIntervalMs: options.minIntervalMs,
        retryAfterMs: status.retryAfterMs,
      }),
    )

    const line = describe(status)
    if (line !== lastLine || now() - lastLineAt >= heartbeatMs) {
      log(
        `Job ${requestId}: ${line}, ${formatDuration(elapsedMs)} elapsed; next check in ${(delay / 1000).toFixed(1)} s.`,
      )
      lastLine = line
      lastLineAt = now()
    }
    await pause(delay)
  }
}

function describe(status: VideoStatus): string {
  return status.progress !== undefined
    ? `${status.providerStatus} (${Math.round(status.progress)} %)`
    : status.providerStatus
}

/** 1_234 → "1.2s"; 75_000 → "1m 15s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`
  const seconds = Math.max(0, Math.round(ms / 1000))
  const m = Math.floor(seconds / 60)
  return m > 0 ? `${m}m ${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`
}

/**
 * The wait loop: check a job's status until it finishes or the deadline passes, choosing when to check next
 * from the progress the provider reports, and saying what is happening so a ten-minute wait is not silent.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { TimedOutError } from './errors.js'
import type { VideoStatus } from './grok/normalize.js'

export interface ProgressSample {
  /** Milliseconds since the job started. */
  atMs: number
  progress: number
}

export interface ScheduleInput {
  /** Milliseconds since the job started. */
  elapsedMs: number
  /** Progress reports so far, oldest first. */
  samples: readonly ProgressSample[]
  /** `poll-interval-seconds`: the longest pause allowed. */
  maxIntervalMs: number
  /** The server's `Retry-After`, which wins over everything else. */
  retryAfterMs?: number
}

/** The shortest pause between two checks, so a wrong estimate cannot turn into a burst of requests. */
export const MIN_POLL_DELAY_MS = 1_000

/**
 * When to check next. With progress rising, aim at the moment the job should reach 100 %; without it, wait the
 * full interval. Never longer than the interval, never shorter than the floor, and `Retry-After` always wins.
 */
export function nextPollDelay({ elapsedMs, samples, maxIntervalMs, retryAfterMs }: ScheduleInput): number {
  if (retryAfterMs !== undefined) return retryAfterMs
  const floor = Math.min(MIN_POLL_DELAY_MS, maxIntervalMs)
  const moving = samples.filter((s) => s.progress > 0)
  if (moving.length < 2) return maxIntervalMs
  const first = moving[0] as ProgressSample
  const last = moving[moving.length - 1] as ProgressSample
  const rate = (last.progress - first.progress) / (last.atMs - first.atMs) // percent per millisecond
  if (!(rate > 0)) return maxIntervalMs
  const eta = (100 - last.progress) / rate - (elapsedMs - last.atMs)
  return Math.round(Math.min(maxIntervalMs, Math.max(floor, eta)))
}

export interface StatusSource {
  getStatus(requestId: string, deadline: number, tolerateNotFound?: boolean): Promise<VideoStatus>
}

export interface WaitOptions {
  /** Epoch milliseconds after which the loop gives up (`timeout-seconds`). */
  deadline: number
  maxIntervalMs: number
  /** When the job started (epoch ms); the run's start for a resumed job. */
  startedAt: number
  /** True right after create: the first check waits a little, and tolerates a 404 while the job becomes visible. */
  justCreated: boolean
  /** Seconds in the timeout, for the message. */
  timeoutSeconds: number
  log?: (message: string) => void
  /** A line is printed at least this often while nothing changes. */
  heartbeatMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<unknown>
}

/** Check `requestId` until it is no longer pending. Throws `TimedOutError` at the deadline. */
export async function pollUntilDone(source: StatusSource, requestId: string, options: WaitOptions): Promise<VideoStatus> {
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
      status = await source.getStatus(requestId, options.deadline, options.justCreated && checks === 0)
    } catch (error) {
      // A check that failed only because time ran out is a timeout, not an API fault.
      if (now() >= options.deadline) throw new TimedOutError(requestId, options.timeoutSeconds, last ? describe(last) : 'unknown')
      throw error
    }
    checks++
    last = status
    if (status.state !== 'pending') return status

    const elapsedMs = now() - options.startedAt
    if (status.progress !== undefined) samples.push({ atMs: elapsedMs, progress: status.progress })
    const remaining = options.deadline - now()
    if (remaining <= 0) throw new TimedOutError(requestId, options.timeoutSeconds, describe(status))
    const delay = Math.min(remaining, nextPollDelay({ elapsedMs, samples, maxIntervalMs: options.maxIntervalMs, retryAfterMs: status.retryAfterMs }))

    const line = describe(status)
    if (line !== lastLine || now() - lastLineAt >= heartbeatMs) {
      log(`Job ${requestId}: ${line}, ${formatDuration(elapsedMs)} elapsed; next check in ${(delay / 1000).toFixed(1)} s.`)
      lastLine = line
      lastLineAt = now()
    }
    await pause(delay)
  }
}

function describe(status: VideoStatus): string {
  return status.progress !== undefined ? `${status.providerStatus} (${Math.round(status.progress)} %)` : status.providerStatus
}

/** 1_234 → "1.2s"; 75_000 → "1m 15s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`
  const seconds = Math.max(0, Math.round(ms / 1000))
  const m = Math.floor(seconds / 60)
  return m > 0 ? `${m}m ${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`
}

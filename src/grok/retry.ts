/**
 * The retry policy, in one place. A create request may start a billed job, so it is retried only when the
 * server says it refused before doing any work (429). Status checks are safe to repeat.
 */

export type Method = 'GET' | 'POST'

/** Statuses worth asking again on a status check (never on create: the job may exist already). */
const TRANSIENT = new Set([408, 409, 500, 502, 503, 504, 524, 529])

/** Failures where no connection was made, so nothing was sent: safe to repeat, even a create. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])

/** Failures after the request may have been sent (reset, no answer in time): safe to repeat only for a GET. */
const CUT_OFF = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'REQUEST_TIMEOUT'])

export interface Failure {
  /** HTTP status when an answer came. */
  httpStatus?: number
  /** Node's error code when none did. */
  networkCode?: string
}

export function isRetryable(method: Method, failure: Failure): boolean {
  if (failure.httpStatus === 429) return true
  if (failure.networkCode !== undefined && NOT_CONNECTED.has(failure.networkCode)) return true
  if (method !== 'GET') return false
  if (failure.httpStatus !== undefined) return TRANSIENT.has(failure.httpStatus)
  return failure.networkCode !== undefined && CUT_OFF.has(failure.networkCode)
}

export const RETRY_AFTER_CAP_MS = 60_000
const BACKOFF_BASE_MS = 1_000
const BACKOFF_CAP_MS = 30_000

/**
 * `Retry-After` as seconds or an HTTP date, capped so one header cannot stall a run; undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value?.trim()) return undefined
  const text = value.trim()
  // An HTTP date always names its day and month; Date.parse alone would read "-5" as a date in 2001, retrying at once.
  const ms = /^\d+(\.\d+)?$/.test(text)
    ? Number(text) * 1000
    : /[a-z]/i.test(text)
      ? Date.parse(text) - now
      : Number.NaN
  if (!Number.isFinite(ms)) return undefined
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, ms))
}

/** Exponential backoff with jitter: attempt 1 waits 0.5–1 s, attempt 2 1–2 s, then 2–4 s… capped at 30 s. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/**
 * The shortest pause before asking again, whatever `Retry-After` says: a `0` or a date already past means "ready",
 * not "ask in a loop".
 */
export const RETRY_FLOOR_MS = BACKOFF_BASE_MS

/**
 * How long to wait before attempt `attempt + 1`: the server's word first (never under the floor, and no longer
 * than it asks: it said when it will be ready), else backoff.
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, random?: () => number): number {
  return retryAfterMs === undefined ? backoffDelay(attempt, random) : Math.max(RETRY_FLOOR_MS, retryAfterMs)
}

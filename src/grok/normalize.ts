/**
 * Every response shape the two providers send, turned into one `VideoStatus`. Nothing here does I/O, so each
 * shape documented in the API contract is one case below and one unit test.
 */
import { ApiError } from '../errors.js'

export type JobState = 'pending' | 'done' | 'failed' | 'moderated' | 'expired'

export interface VideoStatus {
  state: JobState
  /** The provider's own status word (e.g. `IN_PROGRESS`, `queued`, `202`), for logs. */
  providerStatus: string
  /** 0–100 when the provider reports it. */
  progress?: number
  videoUrl?: string
  durationSeconds?: number
  /** `usage.cost_in_usd_ticks`: 1 USD = 10,000,000,000 ticks. */
  costTicks?: number
  model?: string
  /** The provider's words on failure or moderation. */
  message?: string
  /** The server asked us to wait this long before the next check (`Retry-After`). */
  retryAfterMs?: number
  /**
   * The job finished (`done`, not withheld by moderation) but named no video URL. Without `output.upload_url`
   * that is a failure; with it, the video was delivered there: see `GrokClientOptions.uploadUrlSent`.
   */
  withoutVideoUrl?: boolean
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** `45`, `"45"`, `"45%"` → 45; anything else → undefined. */
export function parseProgress(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN
  return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : undefined
}

function parseTicks(usage: unknown): number | undefined {
  if (!isObject(usage)) return undefined
  const ticks = usage.cost_in_usd_ticks
  const n = typeof ticks === 'number' ? ticks : typeof ticks === 'string' ? Number(ticks) : Number.NaN
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

/**
 * A readable message from an error body, in the order the contract gives: `error.message`, `error` as a string,
 * `message`, else the HTTP status text.
 */
export function errorMessage(body: unknown, fallback: string): string {
  if (isObject(body)) {
    if (isObject(body.error) && str(body.error.message)) return body.error.message as string
    if (str(body.error)) return body.error as string
    if (str(body.message)) return body.message as string
    if (str(body.fail_reason)) return body.fail_reason as string
  }
  return fallback
}

/** CometAPI wraps every answer as `{code, message, data}`; `code` other than "success" is the gateway's own error. */
function isGatewayEnvelope(body: Json): boolean {
  return (
    typeof body.code === 'string' && ('data' in body || 'message' in body) && !('status' in body) && !('error' in body)
  )
}

function gatewayError(body: Json, httpStatus: number): ApiError {
  const message = str(body.message) || `gateway error '${String(body.code)}'`
  return new ApiError(`CometAPI answered with error '${String(body.code)}': ${message}`, httpStatus, message)
}

/** The request id from a create answer: `{request_id}` (both providers), or inside CometAPI's envelope. */
export function requestIdFromCreate(body: unknown, httpStatus: number): string | undefined {
  if (!isObject(body)) return undefined
  if (isGatewayEnvelope(body) && body.code !== 'success') throw gatewayError(body, httpStatus)
  const data = isObject(body.data) ? body.data : {}
  const id = body.request_id ?? body.id ?? body.task_id ?? data.request_id ?? data.task_id ?? data.id
  return typeof id === 'string' && id.trim() !== '' ? id : typeof id === 'number' ? String(id) : undefined
}

const DONE = new Set(['done', 'completed', 'complete', 'succeeded', 'success'])
const FAILED = new Set(['failed', 'failure', 'error', 'cancelled', 'canceled'])

/** A moderation verdict, told apart from other failures by the provider's words. */
const MODERATION = /moderat/i

/** xAI's flat shape, also CometAPI's flat form and the inner `data.data` of its task wrapper. */
function normalizeFlat(body: Json, fallbackStatus: string): VideoStatus {
  const progress = parseProgress(body.progress)
  const costTicks = parseTicks(body.usage)
  const model = str(body.model)
  const video = isObject(body.video) ? body.video : undefined
  const rawStatus = str(body.status)
  const status = rawStatus?.toLowerCase()
  const base = { providerStatus: rawStatus ?? fallbackStatus, progress, costTicks, model }

  if (status && DONE.has(status)) {
    const url = str(video?.url)?.trim()
    const durationSeconds = typeof video?.duration === 'number' ? video.duration : undefined
    // Moderation form 1: "done" with an empty URL and respect_moderation false. The job is still billed.
    if (!url || video?.respect_moderation === false) {
      return {
        ...base,
        state: 'moderated',
        durationSeconds,
        message: errorMessage(body, 'The generated video was withheld by content moderation.'),
        ...(!url && video?.respect_moderation !== false ? { withoutVideoUrl: true } : {}),
      }
    }
    return { ...base, state: 'done', videoUrl: url, durationSeconds, progress: progress ?? 100 }
  }
  if (status && FAILED.has(status)) {
    const message = errorMessage(body, 'The provider gave no reason.')
    return { ...base, state: MODERATION.test(message) ? 'moderated' : 'failed', message }
  }
  if (status === 'expired') return { ...base, state: 'expired', message: errorMessage(body, 'The result expired.') }
  // `pending`, `queued`, `processing`, `{request_id}` alone, and any status not invented yet: still running.
  return { ...base, state: 'pending' }
}

const TASK_SUCCESS = new Set(['SUCCESS', 'COMPLETED'])
const TASK_FAILURE = new Set(['FAILURE', 'FAILED', 'CANCELLED', 'TIMEOUT'])

/** CometAPI's task wrapper: `{code, data: {status, progress: "45%", fail_reason, data: {<xAI shape>}}}`. */
function normalizeTask(task: Json): VideoStatus {
  const outer = (str(task.status) ?? 'UNKNOWN').toUpperCase()
  const inner = isObject(task.data) ? task.data : {}
  const progress = parseProgress(task.progress)
  const failReason = str(task.fail_reason)?.trim()
  const innerStatus = Object.keys(inner).length > 0 ? normalizeFlat(inner, outer) : undefined
  const providerStatus = outer

  // The inner provider status decides when it has finished; the gateway's enum only says what the gateway saw.
  if (innerStatus && innerStatus.state !== 'pending') {
    if (innerStatus.state === 'failed' && failReason && !innerStatus.message) innerStatus.message = failReason
    return {
      ...innerStatus,
      providerStatus: `${outer}/${innerStatus.providerStatus}`,
      progress: progress ?? innerStatus.progress,
    }
  }
  if (TASK_SUCCESS.has(outer)) {
    // Quirk: on SUCCESS `fail_reason` holds the video URL.
    const url = failReason && /^https?:\/\//i.test(failReason) ? failReason : undefined
    if (!url) {
      return {
        ...innerStatus,
        state: 'failed',
        providerStatus,
        message: `The gateway reported ${outer} without a video URL.`,
        withoutVideoUrl: true,
      }
    }
    return { ...innerStatus, state: 'done', providerStatus, videoUrl: url, progress: 100 }
  }
  if (TASK_FAILURE.has(outer)) {
    // On FAILURE `fail_reason` holds the error text.
    const message = failReason || innerStatus?.message || `The gateway reported ${outer}.`
    return { ...innerStatus, state: MODERATION.test(message) ? 'moderated' : 'failed', providerStatus, message }
  }
  return { ...innerStatus, state: 'pending', providerStatus, progress: progress ?? innerStatus?.progress }
}

/**
 * Normalise a 2xx answer of `GET {base}/videos/{id}`. `body` is the parsed JSON, or undefined for an empty body
 * (xAI's 202 while running). Throws `ApiError` for a CometAPI gateway error.
 */
export function normalizeStatus(httpStatus: number, body: unknown): VideoStatus {
  if (!isObject(body)) return { state: 'pending', providerStatus: String(httpStatus) }
  if (isGatewayEnvelope(body)) {
    if (body.code !== 'success') throw gatewayError(body, httpStatus)
    if (isObject(body.data)) return normalizeTask(body.data)
    return { state: 'pending', providerStatus: 'success' }
  }
  // Older spec versions: `{status, response: {model, video}}`.
  if (isObject(body.response)) return normalizeFlat({ ...body.response, ...withoutResponse(body) }, String(httpStatus))
  return normalizeFlat(body, String(httpStatus))
}

function withoutResponse(body: Json): Json {
  const { response: _response, ...rest } = body
  return rest
}

/**
 * Moderation form 2: an HTTP 4xx on poll whose message says the video was rejected by moderation (billed).
 * Returns undefined for any other error answer.
 */
export function moderationFromErrorAnswer(httpStatus: number, body: unknown): VideoStatus | undefined {
  if (httpStatus < 400 || httpStatus >= 500) return undefined
  const message = errorMessage(body, '')
  if (!MODERATION.test(message)) return undefined
  return {
    state: 'moderated',
    providerStatus: String(httpStatus),
    message,
    costTicks: isObject(body) ? parseTicks(body.usage) : undefined,
  }
}

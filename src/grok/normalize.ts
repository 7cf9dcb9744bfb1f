/**
 * Every response shape the two providers send, turned into one `VideoStatus`. Nothing here does I/O, so each
 * shape documented in the API contract is one case below and one unit test.
 */
import { ApiError } from '../errors.js'
import { checkUrl } from '../urls.js'

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
  /** The copy kept at a public URL (`storage_options` was sent), or why there is none. */
  stored?: StoredOutput
}

/** `video.file_output`, or its `storage_error`, of a finished job. */
export interface StoredOutput {
  /** An https URL (anything else is left out, and `refusedUrl` says what it was). */
  publicUrl?: string
  fileId?: string
  /** Why the provider could not keep it (the job still succeeded), length-bounded. */
  error?: string
  /** What the provider sent instead of an https URL, in a few words (never the text itself). */
  refusedUrl?: string
}

/** The most of the provider's outside text kept in a stored-output field. */
const STORED_TEXT_LIMIT = 2_000

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

/**
 * What a request id may hold, from the user or the provider alike: it travels into a URL, file and artifact names,
 * the outputs and the log. UUIDs and gateway task ids fit; a '.' or '..' part would move the status URL's path.
 */
export const REQUEST_ID = /^(?!(?:.*\/)?\.{1,2}(?:\/|$))(?!\/|.*\/\/|.*\/$)[A-Za-z0-9._/-]{1,128}$/
export const REQUEST_ID_FORM =
  "letters, digits, '.', '_', '-' and '/' (at most 128 characters; no part between slashes empty, '.' or '..')"

/**
 * The request id from a create answer: `{request_id}` (both providers), or inside CometAPI's envelope. An id of
 * another form is refused, not used: the job may exist, but it is neither polled nor created again.
 */
export function requestIdFromCreate(body: unknown, httpStatus: number): string | undefined {
  if (!isObject(body)) return undefined
  if (isGatewayEnvelope(body) && body.code !== 'success') throw gatewayError(body, httpStatus)
  const data = isObject(body.data) ? body.data : {}
  const raw = body.request_id ?? body.id ?? body.task_id ?? data.request_id ?? data.task_id ?? data.id
  const id = typeof raw === 'string' && raw.trim() !== '' ? raw : typeof raw === 'number' ? String(raw) : undefined
  if (id !== undefined && !REQUEST_ID.test(id)) {
    throw new ApiError(
      `The create answer (HTTP ${httpStatus}) gave a request id of an unexpected form, ${JSON.stringify(id.slice(0, 80))}: ` +
        `an id has ${REQUEST_ID_FORM}. The job may exist at the provider; it is not polled, and not created again.`,
      httpStatus,
    )
  }
  return id
}

const DONE = new Set(['done', 'completed', 'complete', 'succeeded', 'success'])
const FAILED = new Set(['failed', 'failure', 'error', 'cancelled', 'canceled'])

/** A moderation verdict, told apart from other failures by the provider's words (xAI's and peers' phrasings). */
const MODERATION = /moderat|content policy|safety system/i

const NO_REASON = 'The provider gave no reason.'

/** What the caller knows about a job that its status answers alone do not say. */
export interface PollContext {
  /** `output.upload_url` was sent: the provider PUTs the video there, so `done` without a video URL is success. */
  uploadUrlSent?: boolean
}

/** Only an absolute http(s) URL counts as a video URL where a field may also hold prose (`fail_reason`). */
const httpUrl = (value: unknown): string | undefined => {
  const text = str(value)?.trim()
  return text && /^https?:\/\//i.test(text) ? text : undefined
}

/** The provider's words, or undefined when it gave none (so a wrapper can offer its own). */
const reasonIn = (body: Json): string | undefined => errorMessage(body, '') || undefined

/** An error field worth reading: a non-empty string or an object (xAI's `{code, message}`); `error: null` is not. */
const hasError = (body: Json): boolean => (str(body.error) ?? '') !== '' || isObject(body.error)

const bounded = (text: string | undefined): string | undefined =>
  text && text.trim() ? Array.from(text.trim()).slice(0, STORED_TEXT_LIMIT).join('') : undefined

/**
 * `video.file_output: {public_url, file_id}`, or `storage_error` (beside `video` or inside it; a string, or an object
 * with a `message`): undefined when the job carries neither.
 */
export function storedOutputOf(body: Json): StoredOutput | undefined {
  const video = isObject(body.video) ? body.video : {}
  const output = isObject(video.file_output) ? video.file_output : undefined
  const rawError = video.storage_error ?? body.storage_error
  const error = bounded(str(rawError) ?? (isObject(rawError) ? str(rawError.message) : undefined))
  if (!output && !error) return undefined
  const stored: StoredOutput = {}
  const text = str(output?.public_url)?.trim()
  if (text) {
    const { url, problem, scheme } = checkUrl(text, { refuseControlCharacters: true, refuseCredentials: true })
    if (url && text.length <= STORED_TEXT_LIMIT) stored.publicUrl = url.href
    else stored.refusedUrl = scheme && problem === 'scheme' ? `a '${scheme}' URL` : 'not a plain https URL'
  }
  const fileId = bounded(str(output?.file_id))
  if (fileId && /^[A-Za-z0-9._:-]{1,128}$/.test(fileId)) stored.fileId = fileId
  if (error) stored.error = error
  return stored
}

/** A failure, told apart from moderation by its words. */
function failure(base: Omit<VideoStatus, 'state'>, message: string | undefined): VideoStatus {
  return { ...base, state: message && MODERATION.test(message) ? 'moderated' : 'failed', message }
}

/**
 * xAI's flat shape, also CometAPI's flat form and the inner `data.data` of its task wrapper. `fallbackUrl` is a
 * video URL of last resort found outside this body (the wrapper's `fail_reason` on SUCCESS).
 */
function normalizeFlat(body: Json, fallbackStatus: string, context: PollContext, fallbackUrl?: string): VideoStatus {
  const progress = parseProgress(body.progress)
  const costTicks = parseTicks(body.usage)
  const model = str(body.model)
  const video = isObject(body.video) ? body.video : undefined
  const videoUrl = str(video?.url)?.trim() || undefined
  const durationSeconds = typeof video?.duration === 'number' ? video.duration : undefined
  const rawStatus = str(body.status)
  const status = rawStatus?.toLowerCase()
  const base = { providerStatus: rawStatus ?? fallbackStatus, progress, costTicks, model }

  // Seen from gateways: no status at all, but a video URL (done) or an error (failed), never "still running".
  if (status === undefined && videoUrl) {
    const stored = storedOutputOf(body)
    return {
      ...base,
      state: 'done',
      videoUrl,
      durationSeconds,
      progress: progress ?? 100,
      ...(stored ? { stored } : {}),
    }
  }
  if (status === undefined && hasError(body)) return failure(base, reasonIn(body) ?? NO_REASON)

  if (status && DONE.has(status)) {
    // A top-level `url` beside `done` is an old mock shape: used only when `video.url` is missing.
    const url = videoUrl ?? httpUrl(body.url) ?? fallbackUrl
    const reason = reasonIn(body)
    // Moderation form 1 (`respect_moderation: false`, billed), or a provider that says so in words.
    if (video?.respect_moderation === false || (!url && reason && MODERATION.test(reason))) {
      return {
        ...base,
        state: 'moderated',
        durationSeconds,
        message: reason ?? 'The generated video was withheld by content moderation.',
      }
    }
    const stored = storedOutputOf(body)
    if (url) {
      return {
        ...base,
        state: 'done',
        videoUrl: url,
        durationSeconds,
        progress: progress ?? 100,
        ...(stored ? { stored } : {}),
      }
    }
    // No URL and no verdict: delivered to `output.upload_url` when one was sent, else a failure, not moderation.
    if (context.uploadUrlSent) return { ...base, state: 'done', durationSeconds, progress: progress ?? 100 }
    return failure(base, `The job finished without a video URL${reason ? `: ${reason}` : '.'}`)
  }
  if (status && FAILED.has(status)) return failure(base, reasonIn(body))
  if (status === 'expired') return { ...base, state: 'expired', message: errorMessage(body, 'The result expired.') }
  // `pending`, `queued`, `processing`, `{request_id}` alone, and any status not invented yet: still running.
  return { ...base, state: 'pending' }
}

const TASK_SUCCESS = new Set(['SUCCESS', 'COMPLETED'])
const TASK_FAILURE = new Set(['FAILURE', 'FAILED', 'CANCELLED', 'TIMEOUT'])

/** CometAPI's task wrapper: `{code, data: {status, progress: "45%", fail_reason, data: {<xAI shape>}}}`. */
function normalizeTask(task: Json, context: PollContext): VideoStatus {
  const outer = (str(task.status) ?? 'UNKNOWN').toUpperCase()
  const inner = isObject(task.data) ? task.data : {}
  const progress = parseProgress(task.progress)
  const failReason = str(task.fail_reason)?.trim() || undefined
  // Quirk: `fail_reason` holds the video URL on SUCCESS and the error text on FAILURE.
  const successUrl = TASK_SUCCESS.has(outer) ? httpUrl(failReason) : undefined
  const innerStatus = Object.keys(inner).length > 0 ? normalizeFlat(inner, outer, context, successUrl) : undefined
  const providerStatus = outer

  // The inner provider status (and its words) decides when it has finished; the gateway's enum and its often
  // generic `fail_reason` ("upstream returned error") only say what the gateway saw.
  if (innerStatus && innerStatus.state !== 'pending') {
    const finished = {
      ...innerStatus,
      providerStatus: `${outer}/${innerStatus.providerStatus}`,
      progress: progress ?? innerStatus.progress,
    }
    if (finished.state !== 'failed' || finished.message) return finished
    return failure(finished, failReason && !successUrl ? failReason : NO_REASON)
  }
  if (TASK_SUCCESS.has(outer)) {
    if (!successUrl && context.uploadUrlSent) return { ...innerStatus, state: 'done', providerStatus, progress: 100 }
    if (!successUrl) {
      return {
        ...innerStatus,
        state: 'failed',
        providerStatus,
        message: `The gateway reported ${outer} without a video URL.`,
      }
    }
    return { ...innerStatus, state: 'done', providerStatus, videoUrl: successUrl, progress: 100 }
  }
  if (TASK_FAILURE.has(outer)) {
    return failure({ ...innerStatus, providerStatus }, failReason || `The gateway reported ${outer}.`)
  }
  return { ...innerStatus, state: 'pending', providerStatus, progress: progress ?? innerStatus?.progress }
}

/**
 * Normalise a 2xx answer of `GET {base}/videos/{id}`. `body` is the parsed JSON, or undefined for an empty body or
 * a 202 whose body is not JSON (still running). Throws `ApiError` for a CometAPI gateway error.
 */
export function normalizeStatus(httpStatus: number, body: unknown, context: PollContext = {}): VideoStatus {
  if (!isObject(body)) return { state: 'pending', providerStatus: String(httpStatus) }
  if (isGatewayEnvelope(body)) {
    if (body.code !== 'success') throw gatewayError(body, httpStatus)
    if (isObject(body.data)) return normalizeTask(body.data, context)
    return { state: 'pending', providerStatus: 'success' }
  }
  // Older spec versions: `{status, response: {model, video}}`.
  const flat = isObject(body.response) ? { ...body.response, ...withoutResponse(body) } : body
  const status = normalizeFlat(flat, String(httpStatus), context)
  return status.state === 'failed' && !status.message ? { ...status, message: NO_REASON } : status
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

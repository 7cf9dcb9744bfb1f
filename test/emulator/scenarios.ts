/**
 * Named scenarios for the emulator, each reproducing response shapes documented in
 * docs/provider-api.md (quoted in the comment above each), plus the builders they are made of so
 * other tests can compose new scenarios: `{ name: 'mine', poll: [emptyAccepted(), (ctx) => xaiDone(ctx)] }`.
 */
import type { JobContext, Responder, Scenario, ScriptedResponse, VideoHostBehaviour } from './server.ts'
import { fileOutputOf } from './storage-voices.ts'

/** "1 USD = 10,000,000,000 ticks". */
export const TICKS_PER_USD = 10_000_000_000
/** $0.05 ("$0.05 for 1 s at 480p"): what every 'done' costs unless told otherwise, so tests can check cost-usd. */
export const DEFAULT_COST_TICKS = 500_000_000
/** $0.25, the figure of the moderation example ("Both moderation forms are billed"). */
export const MODERATION_COST_TICKS = 2_500_000_000
export const DEFAULT_MODEL = 'grok-imagine-video'
/** xAI's default duration when the request names none. */
export const DEFAULT_DURATION = 8

export const ticksToUsd = (ticks: number): number => ticks / TICKS_PER_USD

// ---------------------------------------------------------------------------------------------------------------
// Bodies

export interface DoneOptions {
  /** Default: the job's video URL on the emulator's video host. */
  url?: string
  /** Default: the requested duration, else 8. */
  duration?: number
  /** Default: the requested model, else grok-imagine-video. */
  model?: string
  /** Default: DEFAULT_COST_TICKS. */
  costTicks?: number
  respectModeration?: boolean
  /** Fields of `video.file_output` to replace (e.g. a `public_url` that is not https). */
  fileOutput?: Record<string, unknown>
  /** "or storage_error when storing failed": carried beside `video` instead of `file_output`. */
  storageError?: string
}

/** The model the job was created with, as the API echoes it. */
export function requestedModel(ctx: JobContext): string {
  const model = ctx.createBody?.['model']
  return typeof model === 'string' && model !== '' ? model : DEFAULT_MODEL
}

/** The duration the job was created with; the API accepts "8" as well as 8. */
export function requestedDuration(ctx: JobContext): number {
  const duration = Number(ctx.createBody?.['duration'])
  return Number.isInteger(duration) && duration > 0 ? duration : DEFAULT_DURATION
}

export const usage = (costTicks: number) => ({ cost_in_usd_ticks: costTicks })

export function videoObject(ctx: JobContext, opts: DoneOptions = {}) {
  // "The finished job carries video.file_output" when storage_options asked for a stored copy (xAI only).
  const fileOutput = opts.storageError === undefined ? fileOutputOf(ctx) : undefined
  return {
    url: opts.url ?? ctx.videoUrl,
    duration: opts.duration ?? requestedDuration(ctx),
    respect_moderation: opts.respectModeration ?? true,
    ...(fileOutput ? { file_output: { ...fileOutput, ...opts.fileOutput } } : {}),
  }
}

/** xAI's finished job, the body every provider wraps in its own way. */
export function xaiDoneBody(ctx: JobContext, opts: DoneOptions = {}) {
  return {
    ...(opts.storageError !== undefined ? { storage_error: opts.storageError } : {}),
    status: 'done',
    video: videoObject(ctx, opts),
    model: opts.model ?? requestedModel(ctx),
    progress: 100,
    usage: usage(opts.costTicks ?? DEFAULT_COST_TICKS),
  }
}

/** `error.code` ∈ invalid_argument, permission_denied, failed_precondition, service_unavailable, internal_error. */
export type XaiErrorCode =
  'invalid_argument' | 'permission_denied' | 'failed_precondition' | 'service_unavailable' | 'internal_error'

export function xaiFailedBody(code: XaiErrorCode, message: string) {
  return { status: 'failed', error: { code, message } }
}

// ---------------------------------------------------------------------------------------------------------------
// Generic responses

/** The create answer: `200 {"request_id": "…"}`. */
export function createAccepted(ctx: JobContext): ScriptedResponse {
  return { status: 200, body: { request_id: ctx.requestId } }
}

export function json(status: number, body: unknown, headers?: Record<string, string>): ScriptedResponse {
  return headers ? { status, body, headers } : { status, body }
}

export function html(status: number, title: string, text: string, headers?: Record<string, string>): ScriptedResponse {
  const raw =
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>` +
    `<body><h1>${title}</h1><p>${text}</p></body></html>\n`
  return { status, raw, contentType: 'text/html; charset=utf-8', ...(headers ? { headers } : {}) }
}

/** `{"error":{"message","type":"comet_api_error","code"}}`: the OpenAI/CometAPI error style. */
export function cometError(status: number, message: string, code = '', headers?: Record<string, string>) {
  return json(status, { error: { message, type: 'comet_api_error', code } }, headers)
}

/** A CometAPI-style request id: a timestamp and random characters, e.g. 20250312083015123k3j9x0a1b2c. */
export function gatewayRequestId(now = new Date()): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 17) + Math.random().toString(36).slice(2, 12)
}

/** CometAPI messages "often carry a request id inside error.message". */
export function withGatewayRequestId(message: string): string {
  return `${message} (request id: ${gatewayRequestId()})`
}

/** xAI's native error: `{"code":"Client specified an invalid argument","error":"…"}`. */
export function xaiError(status: number, code: string, error: string, extra: Record<string, unknown> = {}) {
  return json(status, { code, error, ...extra })
}

export const ZDR_MESSAGE = 'Zero Data Retention teams must provide output.upload_url for video generation.'

/**
 * A Zero Data Retention team's create: accepted with `output.upload_url`, else 400 with `error` a plain string,
 * beside xAI's `code` or alone.
 */
export function zdrTeamCreate(shape: 'with-code' | 'error-only'): Responder {
  return (ctx) => {
    const output = ctx.createBody?.['output'] as { upload_url?: unknown } | undefined
    if (typeof output?.upload_url === 'string') return createAccepted(ctx)
    return json(400, shape === 'with-code' ? { code: 'invalid-argument', error: ZDR_MESSAGE } : { error: ZDR_MESSAGE })
  }
}

/** `body.message` alone. */
export function messageError(status: number, message: string): ScriptedResponse {
  return json(status, { message })
}

// ---------------------------------------------------------------------------------------------------------------
// xAI poll responses

/** "HTTP 202 while running, with an empty body". */
export function emptyAccepted(): ScriptedResponse {
  return { status: 202, raw: '' }
}

/** A running job with a status line: `{"status":"pending","progress":40}` (202 by default, as xAI sends it). */
export function xaiRunning(status = 'pending', opts: { progress?: number; http?: number } = {}): ScriptedResponse {
  const body = opts.progress === undefined ? { status } : { status, progress: opts.progress }
  return json(opts.http ?? 202, body)
}

export function xaiDone(ctx: JobContext, opts: DoneOptions = {}): ScriptedResponse {
  return json(200, xaiDoneBody(ctx, opts))
}

export function xaiFailed(code: XaiErrorCode, message: string): ScriptedResponse {
  return json(200, xaiFailedBody(code, message))
}

export function xaiExpired(): ScriptedResponse {
  return json(200, { status: 'expired' })
}

/**
 * Moderated, form 1: done with an empty URL and respect_moderation false. The documented example has no `usage`;
 * it carries one here because "both moderation forms are billed" and tests check the reported cost.
 */
export function xaiModerated(ctx: JobContext, opts: { costTicks?: number; model?: string } = {}): ScriptedResponse {
  return json(200, {
    status: 'done',
    video: { url: '', duration: 0, respect_moderation: false },
    model: opts.model ?? requestedModel(ctx),
    usage: usage(opts.costTicks ?? MODERATION_COST_TICKS),
  })
}

/** Moderated, form 2: an HTTP 4xx on poll with the native error shape and a `usage`. */
export function xaiModerationRejected(opts: { http?: number; costTicks?: number } = {}): ScriptedResponse {
  return xaiError(
    opts.http ?? 400,
    'Client specified an invalid argument',
    'Generated video rejected by content moderation.',
    { usage: usage(opts.costTicks ?? MODERATION_COST_TICKS) },
  )
}

/**
 * "Older spec versions wrapped the result in {"status":…, "response":{"model", "video"}}". The doc names no place
 * for `usage` there; it sits inside `response` with the rest of the result.
 */
export function xaiLegacyDone(ctx: JobContext, opts: DoneOptions = {}): ScriptedResponse {
  const { status, ...result } = xaiDoneBody(ctx, opts)
  const { progress: _progress, ...response } = result
  return json(200, { status, response })
}

/** "HTTP 404: unknown request id, e.g. {"error":{"message":"No deferred video"}}". */
export function noDeferredVideo(): ScriptedResponse {
  return json(404, { error: { message: 'No deferred video' } })
}

// ---------------------------------------------------------------------------------------------------------------
// CometAPI poll responses

/** "outer data.status follows the gateway's task enum" (and the peers' values). */
export type CometTaskStatus =
  | 'NOT_START'
  | 'SUBMITTED'
  | 'QUEUED'
  | 'IN_PROGRESS'
  | 'SUCCESS'
  | 'FAILURE'
  | 'UNKNOWN'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED'
  | 'TIMEOUT'

const FINISHED_TASK_STATUSES: ReadonlySet<CometTaskStatus> = new Set([
  'SUCCESS',
  'FAILURE',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
])

export interface CometTaskOptions {
  /** A string such as "45%". Default "0%", or "100%" once finished. */
  progress?: string
  /** The video URL on success, the error text on failure, '' otherwise. */
  failReason?: string
  /** The provider's own body (`data.data`); `{}` while running. */
  inner?: Record<string, unknown>
}

const unixSeconds = (ms: number) => Math.floor(ms / 1000)

/** A: the task wrapper `{"code":"success","message":"","data":{task_id, action, status, fail_reason, …, data}}`. */
export function cometTask(ctx: JobContext, status: CometTaskStatus, opts: CometTaskOptions = {}): ScriptedResponse {
  const finished = FINISHED_TASK_STATUSES.has(status)
  return json(200, {
    code: 'success',
    message: '',
    data: {
      task_id: ctx.requestId,
      action: 'VIDEO_GENERATION',
      status,
      fail_reason: opts.failReason ?? '',
      submit_time: unixSeconds(ctx.createdAt),
      start_time: 0, // 0 even on success in the documented capture
      finish_time: finished ? unixSeconds(ctx.createdAt + ctx.elapsedMs) : 0,
      progress: opts.progress ?? (finished ? '100%' : '0%'),
      data: opts.inner ?? {},
    },
  })
}

/** SUCCESS: `fail_reason` holds the video URL; `data.data` is xAI's done body without `progress`. */
export function cometTaskSuccess(
  ctx: JobContext,
  opts: DoneOptions & { status?: 'SUCCESS' | 'COMPLETED' } = {},
): ScriptedResponse {
  const { progress: _progress, ...inner } = xaiDoneBody(ctx, opts)
  return cometTask(ctx, opts.status ?? 'SUCCESS', { failReason: inner.video.url, inner })
}

/** FAILURE: `fail_reason` holds the error text; `data.data` is `{}` unless the provider's failed body is given. */
export function cometTaskFailure(
  ctx: JobContext,
  reason: string,
  opts: { status?: 'FAILURE' | 'FAILED' | 'CANCELLED' | 'TIMEOUT'; inner?: Record<string, unknown> } = {},
): ScriptedResponse {
  return cometTask(ctx, opts.status ?? 'FAILURE', { failReason: reason, inner: opts.inner ?? {} })
}

/**
 * "top-level code other than "success" is a gateway-level error, with message". Sent with HTTP 200 by default:
 * the hardest case, where only `code` tells it apart.
 */
export function cometGatewayError(code: string, message: string, http = 200): ScriptedResponse {
  return json(http, { code, message, data: null })
}

/** B (flat): `{"request_id":"…"}` alone while not ready; "pending may come as 200 or 202". */
export function cometFlatWaiting(ctx: JobContext, http = 200): ScriptedResponse {
  return json(http, { request_id: ctx.requestId })
}

/** B (flat): a running status (`queued`, `processing`). */
export function cometFlatRunning(
  ctx: JobContext,
  status: 'queued' | 'processing',
  opts: { http?: number; progress?: number } = {},
): ScriptedResponse {
  return json(opts.http ?? 200, { status, model: requestedModel(ctx), progress: opts.progress ?? 0 })
}

/**
 * B (flat) done: `{status, video, model, usage, progress, error}`. `error` is present and null, so a client that
 * takes the mere presence of the key for a failure is caught.
 */
export function cometFlatDone(ctx: JobContext, opts: DoneOptions = {}): ScriptedResponse {
  return json(200, { ...xaiDoneBody(ctx, opts), error: null })
}

export function cometFlatFailed(ctx: JobContext, code: XaiErrorCode, message: string): ScriptedResponse {
  return json(200, { ...xaiFailedBody(code, message), model: requestedModel(ctx), progress: 0 })
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes seen elsewhere (the contract's table of peers' live captures, recorded fixtures and gateway code)

/** A 202 whose body is not JSON: cut short or streamed by a proxy that tees it ("still running"). */
export function acceptedNotJson(raw: string, contentType: string): ScriptedResponse {
  return { status: 202, raw, contentType }
}

/** `done` whose video has no URL while `respect_moderation` is not false: a failure, not moderation. */
export function doneWithoutUrl(ctx: JobContext): ScriptedResponse {
  return json(200, xaiDoneBody(ctx, { url: '', duration: 0 }))
}

/** The old mock shape: a top-level `url` beside `status: done`, and no `video` object. */
export function doneTopLevelUrl(ctx: JobContext): ScriptedResponse {
  const { video, ...rest } = xaiDoneBody(ctx)
  return json(200, { ...rest, url: video.url })
}

/** A finished job whose body has no `status` at all, only the video (a provider's live bring-up). */
export function doneWithoutStatus(ctx: JobContext, opts: DoneOptions = {}): ScriptedResponse {
  const done = xaiDoneBody(ctx, opts)
  return json(200, { video: done.video, model: done.model, usage: done.usage })
}

/** An error body without `status` under a 2xx: `{"code":"invalid-argument","error":"…"}`, plus what a gateway adds. */
export function errorWithoutStatus(error: string, extra: Record<string, unknown> = {}): ScriptedResponse {
  return json(200, { code: 'invalid-argument', error, ...extra })
}

/** What gateways' task relays say when they only know that the provider refused. */
export const GENERIC_FAIL_REASON = 'upstream returned error'

// ---------------------------------------------------------------------------------------------------------------
// Edits, extensions, reference images, Zero Data Retention

/**
 * Zero Data Retention: the provider PUTs the video to `output.upload_url`, and the finished job names no video URL
 * ("A finished job may then carry no video.url (null/absent/empty)"): absent here.
 */
export function xaiDoneDelivered(ctx: JobContext, opts: DoneOptions = {}): ScriptedResponse {
  const output = ctx.createBody?.['output'] as { upload_url?: unknown } | undefined
  const { url: _url, ...video } = videoObject(ctx, opts)
  const body = { ...xaiDoneBody(ctx, opts), video }
  return typeof output?.upload_url === 'string' ? { ...json(200, body), deliverTo: output.upload_url } : json(200, body)
}

/** The 3 s fixture every edit and extension scenario sends (test/fixtures/clip-3s.mp4). */
export const INPUT_CLIP = 'clip-3s.mp4'
const INPUT_CLIP_SECONDS = 3
/** The signed URL of the Zero Data Retention scenarios: a bucket path on the video host, with a signature. */
export const UPLOAD_URL_TEMPLATE =
  '{videoOrigin}/uploads/candle.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=5e1f0c0ffee0d15ea5e5ecret'

// ---------------------------------------------------------------------------------------------------------------
// Scripts shared by several scenarios

/** xAI's running sequence: two empty 202s, then `{"status":"pending","progress":40}`. */
const xaiRunningScript: Responder[] = [emptyAccepted(), emptyAccepted(), xaiRunning('pending', { progress: 40 })]
const done: Responder = (ctx) => xaiDone(ctx)

/** A job that finishes at once, for scenarios about the create call or the download. */
const quickDone: Responder[] = [emptyAccepted(), done]

/** A `Retry-After` date long gone: it means "now". */
export const PAST_HTTP_DATE = 'Wed, 01 Jan 2020 00:00:00 GMT'

const doneWithVideo = (video: VideoHostBehaviour) => ({ poll: quickDone, video })

/** A finished job whose video host behaves as `video` says: `{ name, ...doneWithVideoHost({ trickleMs: 1000 }) }`. */
export const doneWithVideoHost = (video: VideoHostBehaviour): Omit<Scenario, 'name'> => doneWithVideo(video)

/**
 * A status answer (or any answer of the API) that never ends: JSON headers, then a large run of blanks every few
 * ms. Only a cap on what an answer may hold stops the client reading it.
 */
export function endlessStatus(): ScriptedResponse {
  return {
    status: 200,
    raw: '',
    contentType: 'application/json',
    endless: { chunk: ' '.repeat(64 * 1024), everyMs: 20 },
  }
}

/**
 * A status answer that trickles: JSON headers, then one blank every `everyMs` ms, never ending. Each byte resets a
 * socket's idle timer, so only a limit on the whole exchange (and an abort when it passes) ends it.
 */
export function tricklingStatus(everyMs = 100): ScriptedResponse {
  return { status: 200, raw: '', contentType: 'application/json', endless: { chunk: ' ', everyMs } }
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios

const definitions = {
  // "HTTP 202 while running, with an empty body or {"status":"pending","progress":40}" then the Done example.
  'xai-done': { poll: [...xaiRunningScript, done] },

  // "HTTP 200 when finished, status one of done, failed, expired (the spec also allows pending)": pending as 200.
  'xai-pending-200': {
    poll: [...[10, 60].map((progress) => xaiRunning('pending', { progress, http: 200 })), done],
  },

  // "A status the client doesn't know (queued, processing, in_progress, anything new) means still running".
  'xai-unknown-statuses': {
    poll: [...['queued', 'processing', 'in_progress', 'something-new'].map((s) => xaiRunning(s, { http: 200 })), done],
  },

  // Failed: {"status":"failed","error":{"code":"invalid_argument","message":"Prompt cannot be empty. …"}}.
  'xai-failed': {
    poll: [emptyAccepted(), xaiFailed('invalid_argument', 'Prompt cannot be empty. Please provide a prompt.')],
  },

  // Expired: {"status":"expired"}.
  'xai-expired': { poll: [emptyAccepted(), xaiExpired()] },

  // Moderated, form 1: {"status":"done","video":{"url":"","duration":0,"respect_moderation":false},"model":…}.
  'xai-moderated': { poll: [emptyAccepted(), (ctx) => xaiModerated(ctx)] },

  // Moderated, form 2: HTTP 400 {"code":"Client specified an invalid argument","error":"Generated video rejected
  // by content moderation.","usage":{"cost_in_usd_ticks":2500000000}}.
  'xai-moderated-400': { poll: [emptyAccepted(), xaiModerationRejected()] },

  // "Older spec versions wrapped the result in {"status":…, "response":{"model", "video"}}; tolerate it."
  'xai-legacy-wrapper': { poll: [emptyAccepted(), (ctx) => xaiLegacyDone(ctx)] },

  // CometAPI A: "data.data may be {} while running", data.progress a string such as "45%", then SUCCESS with
  // "fail_reason holds the video URL" and the provider body in data.data.
  'comet-task-success': {
    poll: [
      (ctx) => cometTask(ctx, 'NOT_START', { progress: '0%' }),
      (ctx) => cometTask(ctx, 'SUBMITTED', { progress: '0%' }),
      (ctx) => cometTask(ctx, 'QUEUED', { progress: '0%' }),
      (ctx) => cometTask(ctx, 'IN_PROGRESS', { progress: '45%' }),
      (ctx) => cometTaskSuccess(ctx),
    ],
  },

  // CometAPI A with the rest of the enum: UNKNOWN while running, and "peers also use COMPLETED" for success.
  'comet-task-peer-statuses': {
    poll: [
      (ctx) => cometTask(ctx, 'UNKNOWN'),
      (ctx) => cometTask(ctx, 'IN_PROGRESS', { progress: '80%' }),
      (ctx) => cometTaskSuccess(ctx, { status: 'COMPLETED' }),
    ],
  },

  // CometAPI A: FAILURE, "fail_reason holds … the error text on FAILURE", data.data {}.
  'comet-task-failure': {
    poll: [
      (ctx) => cometTask(ctx, 'IN_PROGRESS', { progress: '30%' }),
      (ctx) => cometTaskFailure(ctx, 'Prompt cannot be empty. Please provide a prompt.'),
    ],
  },

  // CometAPI A: FAILURE with the provider's failed body inside data.data.
  'comet-task-failure-inner': {
    poll: [
      (ctx) => cometTask(ctx, 'IN_PROGRESS', { progress: '30%' }),
      (ctx) =>
        cometTaskFailure(ctx, 'Video generation failed. Please try again.', {
          inner: xaiFailedBody('internal_error', 'Video generation failed. Please try again.'),
        }),
    ],
  },

  // CometAPI A: "peers also use … CANCELLED": a terminal status that is not success.
  'comet-task-cancelled': {
    poll: [
      (ctx) => cometTask(ctx, 'SUBMITTED'),
      (ctx) => cometTaskFailure(ctx, 'task cancelled', { status: 'CANCELLED' }),
    ],
  },

  // "top-level code other than "success" is a gateway-level error, with message".
  'comet-task-gateway-error': { poll: [cometGatewayError('task_not_exist', 'task_not_exist')] },

  // CometAPI B: "{"request_id":"…"} alone while not ready, then {status, video, model, usage, progress, error}
  // with status ∈ queued, processing, done".
  'comet-flat': {
    poll: [
      ...Array.from({ length: 3 }, (): Responder => (ctx) => cometFlatWaiting(ctx)),
      (ctx) => cometFlatRunning(ctx, 'queued'),
      (ctx) => cometFlatRunning(ctx, 'processing', { progress: 50 }),
      (ctx) => cometFlatDone(ctx),
    ],
  },

  // CometAPI B: "Pending may come as 200 or 202": the same sequence, pending as 202.
  'comet-flat-202': {
    poll: [
      ...Array.from({ length: 3 }, (): Responder => (ctx) => cometFlatWaiting(ctx, 202)),
      (ctx) => cometFlatRunning(ctx, 'queued', { http: 202 }),
      (ctx) => cometFlatRunning(ctx, 'processing', { http: 202, progress: 50 }),
      (ctx) => cometFlatDone(ctx),
    ],
  },

  // CometAPI B: status failed with the xAI-like error object.
  'comet-flat-failed': {
    poll: [
      (ctx) => cometFlatWaiting(ctx),
      (ctx) => cometFlatFailed(ctx, 'service_unavailable', 'Video generation is temporarily unavailable.'),
    ],
  },

  // Shapes seen elsewhere: "202 with a body that is not JSON (teed/streamed): still running": a JSON body cut
  // short, then an event-stream frame, then done.
  'poll-202-not-json': {
    poll: [
      acceptedNotJson('{"status":"pending","progr', 'application/json'),
      acceptedNotJson('data: {"status":"pending","progress":50}\n\n', 'text/event-stream'),
      done,
    ],
  },

  // "200 status: done, video.url empty/absent, respect_moderation not false: failed: finished without a video URL".
  'done-without-url': { poll: [emptyAccepted(), doneWithoutUrl] },

  // "A top-level url beside status: done is a legacy mock shape: at most a fallback" (no video object here).
  'done-top-level-url': { poll: [emptyAccepted(), doneTopLevelUrl] },

  // "200 without status, non-empty video.url: done".
  'done-without-status': { poll: [emptyAccepted(), (ctx) => doneWithoutStatus(ctx)] },

  // "2xx without status, with error (string or {message}) and maybe code, request_id, usage: failed".
  'failed-without-status': {
    poll: [emptyAccepted(), errorWithoutStatus('Duration must be between 2 and 10 seconds')],
  },

  // The same "moderated when the text says so": a gateway's native view of the failed task, request_id added.
  'moderated-without-status': {
    poll: [
      emptyAccepted(),
      (ctx) =>
        errorWithoutStatus('Generated video rejected by content moderation.', {
          request_id: ctx.requestId,
          usage: usage(MODERATION_COST_TICKS),
        }),
    ],
  },

  // "wrapper FAILURE with a generic fail_reason ("upstream returned error") and the provider's body inside
  // data.data: the inner body's verdict and message win".
  'comet-task-failure-generic': {
    poll: [
      (ctx) => cometTask(ctx, 'IN_PROGRESS', { progress: '30%' }),
      (ctx) =>
        cometTaskFailure(ctx, GENERIC_FAIL_REASON, {
          inner: {
            code: 'invalid-argument',
            error: 'Generated video rejected by content moderation.',
            request_id: ctx.requestId,
            usage: usage(MODERATION_COST_TICKS),
          },
        }),
    ],
  },

  // CometAPI A: FAILURE whose data.data says failed with no error object: fail_reason is all there is to show.
  'comet-task-failure-bare-inner': {
    poll: [
      (ctx) => cometTask(ctx, 'IN_PROGRESS', { progress: '30%' }),
      (ctx) =>
        cometTaskFailure(ctx, 'Channel quota exhausted, please try again later.', { inner: { status: 'failed' } }),
    ],
  },

  // "moderation worded "content policy" / "safety system": moderated", in xAI's failed shape and CometAPI's flat one.
  'xai-failed-content-policy': {
    poll: [emptyAccepted(), xaiFailed('invalid_argument', 'The prompt violates our content policy.')],
  },
  'comet-flat-safety-system': {
    poll: [
      (ctx) => cometFlatWaiting(ctx),
      (ctx) => cometFlatFailed(ctx, 'invalid_argument', 'Your request was rejected by our safety system.'),
    ],
  },

  // "video.url on the API's own origin ({base}/v1/videos/{id}/content), 401 without the key".
  'video-on-api-origin': { poll: [emptyAccepted(), (ctx) => xaiDone(ctx, { url: ctx.apiVideoUrl })] },

  // The same URL handing off with a 302 to the storage host, which must not see the key.
  'video-on-api-origin-redirect': {
    poll: [emptyAccepted(), (ctx) => xaiDone(ctx, { url: ctx.apiVideoUrl })],
    apiVideo: 'redirect-to-video-host',
  },

  // "HTTP 404: unknown request id, e.g. {"error":{"message":"No deferred video"}}", on every poll.
  'poll-404': { poll: [noDeferredVideo()] },

  // "404 on poll … no (at most once, right after create)": one 404, then the job is found.
  'poll-404-once': { poll: [noDeferredVideo(), ...quickDone] },

  // "408, 409, 500, 502, 503, 504, 524, 529: transient, poll (GET) only, with backoff": a gateway's JSON 503, a
  // proxy's HTML 502 and a CDN's HTML 524, then done.
  'poll-transient': {
    poll: [
      () => cometError(503, withGatewayRequestId('upstream service temporarily unavailable'), 'service_unavailable'),
      html(502, '502 Bad Gateway', 'The upstream server returned an invalid response.'),
      html(524, 'A timeout occurred', 'The origin web server timed out responding to this request.'),
      done,
    ],
  },

  // "429: rate limited … honour Retry-After (seconds or HTTP date)", on poll.
  'poll-429': {
    poll: [
      () => cometError(429, withGatewayRequestId('Rate limit reached'), 'rate_limit', { 'Retry-After': '1' }),
      done,
    ],
  },

  // 429 with `Retry-After: 0` ("ready now") on a status check, then done: a lower bound, not a licence to hammer.
  'poll-429-retry-after-0': {
    poll: [() => cometError(429, 'Rate limit reached for requests', 'rate_limit', { 'Retry-After': '0' }), done],
  },

  // 429 with a `Retry-After` date already in the past, then done.
  'poll-429-past-date': {
    poll: [
      () => cometError(429, 'Rate limit reached for requests', 'rate_limit', { 'Retry-After': PAST_HTTP_DATE }),
      done,
    ],
  },

  // A running job whose every 202 says `Retry-After: 0`, done on the fourth check.
  'poll-retry-after-0': {
    poll: [...Array.from({ length: 3 }, () => ({ status: 202, raw: '', headers: { 'Retry-After': '0' } })), done],
  },

  // A poll whose connection is reset, then a normal answer: a network failure on a GET is retried.
  'poll-reset-once': { poll: [{ status: 200, fault: 'reset' }, done] },

  // A poll that never answers (until close()), then a normal answer: a per-request timeout on a GET is retried.
  'poll-hang-once': { poll: [{ status: 200, fault: 'hang' }, done] },

  // 401 with the OpenAI/CometAPI body: {"error":{"message":"Invalid token (request id: 2025...)",
  // "type":"comet_api_error","code":""}}.
  'create-401': { create: [() => cometError(401, withGatewayRequestId('Invalid token'))], poll: quickDone },

  // 400 with xAI's native body ("400, 422: invalid body or (xAI) invalid key").
  'create-400-xai': {
    create: [
      xaiError(
        400,
        'Client specified an invalid argument',
        'Incorrect API key provided: xa***ey. You can obtain an API key from https://console.x.ai.',
      ),
    ],
    poll: quickDone,
  },

  // 422 whose only message is `body.message`.
  'create-422-message': {
    create: [messageError(422, 'duration must be an integer between 1 and 15')],
    poll: quickDone,
  },

  // "403: key or team not allowed (or model not enabled)".
  'create-403': {
    create: [
      (ctx) => cometError(403, withGatewayRequestId(`This token is not allowed to use model ${requestedModel(ctx)}`)),
    ],
    poll: quickDone,
  },

  // "404 on create: model/route not available to this key", in xAI's native shape.
  'create-404-model': {
    create: [
      (ctx) =>
        xaiError(
          404,
          'Some requested entity was not found',
          `The model ${requestedModel(ctx)} does not exist or your team does not have access to it.`,
        ),
    ],
    poll: quickDone,
  },

  // "Zero-Data-Retention teams must send it, or create fails with 400 "Zero Data Retention teams must provide
  // output.upload_url for video generation."".
  'create-400-zdr': {
    create: [
      xaiError(
        400,
        'Client specified an invalid argument',
        'Zero Data Retention teams must provide output.upload_url for video generation.',
      ),
    ],
    poll: quickDone,
  },

  // "A wrong path can come back as … an HTML page, not a JSON 404": a 200 HTML page.
  'create-html': {
    create: [html(200, 'Welcome', 'This is the website, not the API. See the documentation for the API address.')],
    poll: quickDone,
  },

  // "A wrong path can come back as a 301": Location points off the API (following it ends on an HTML 404).
  'create-redirect': {
    create: [
      html(301, '301 Moved Permanently', 'The document has moved.', { Location: '/moved/v1/videos/generations' }),
    ],
    poll: quickDone,
  },

  // "429 … yes, also on create (the server refused before any work); honour Retry-After".
  'create-429': {
    create: [cometError(429, 'Rate limit reached for requests', 'rate_limit', { 'Retry-After': '1' }), createAccepted],
    poll: quickDone,
  },

  // 429 on create with `Retry-After: 0`: sent again, but not at once.
  'create-429-retry-after-0': {
    create: [cometError(429, 'Rate limit reached for requests', 'rate_limit', { 'Retry-After': '0' }), createAccepted],
    poll: quickDone,
  },

  // "A create POST must never be re-sent after a timeout or 5xx": a 500, then a create that would succeed, so a
  // re-send shows up as a second create.
  'create-500': {
    create: [() => cometError(500, withGatewayRequestId('upstream error: do request failed')), createAccepted],
    poll: quickDone,
  },

  // The same rule for a create that never answers (the client times out).
  'create-hang': { create: [{ status: 200, fault: 'hang' }, createAccepted], poll: quickDone },

  // The same rule for a create whose connection is reset.
  'create-reset': { create: [{ status: 200, fault: 'reset' }, createAccepted], poll: quickDone },

  // "video.url is temporary … and public": once expired, the storage answers 403 (AccessDenied, Request has
  // expired), as signed URLs do.
  'video-expired': doneWithVideo({ status: 403 }),

  // A download cut short once (full Content-Length announced, fewer bytes sent), then served whole.
  'video-truncated-once': doneWithVideo({ truncateAfter: 1000, failTimes: 1 }),

  // A download whose connection is reset mid-body once, then served whole.
  'video-reset-once': doneWithVideo({ resetAfter: 1000, failTimes: 1 }),

  // The video URL redirects (as CDNs do) before the file.
  'video-redirects': doneWithVideo({ redirects: 2 }),

  // Edits: "POST /v1/videos/edits — {prompt, video: {url}|{file_id}, model?, user?, output?}"; "output keeps the
  // input's length". Collected "with GET /v1/videos/{id} in the same flat shapes as a generation".
  'xai-edit': {
    poll: [
      emptyAccepted(),
      xaiRunning('pending', { progress: 50 }),
      (ctx) => xaiDone(ctx, { duration: INPUT_CLIP_SECONDS }),
    ],
    expect: {
      path: '/v1/videos/edits',
      body: {
        prompt: 'Make it snow on the test pattern.',
        video: { url: `data:video/mp4;base64,{base64:${INPUT_CLIP}}` },
        model: 'grok-imagine-video',
        user: 'release-bot',
      },
    },
    demo: {
      operation: 'edit',
      prompt: 'Make it snow on the test pattern.',
      video: `{fixture:${INPUT_CLIP}}`,
      user: 'release-bot',
    },
  },

  // CometAPI "documents it at /grok/v1/videos/edits"; its answers are the gateway's task wrapper.
  'comet-edit': {
    poll: [
      (ctx) => cometTask(ctx, 'IN_PROGRESS', { progress: '40%' }),
      (ctx) => cometTaskSuccess(ctx, { duration: INPUT_CLIP_SECONDS }),
    ],
    expect: {
      path: '/grok/v1/videos/edits',
      body: {
        prompt: 'Make it snow on the test pattern.',
        video: { url: '{videoOrigin}/videos/source.mp4' },
        model: 'grok-imagine-video',
      },
    },
    demo: { operation: 'edit', prompt: 'Make it snow on the test pattern.', video: '{videoOrigin}/videos/source.mp4' },
  },

  // Extensions: "{prompt, video, duration? (2–10, default 6: the added part), model?, output?}; no user";
  // "extension video.duration = input + extension": 3 s + 6 s.
  'xai-extend': {
    poll: [
      emptyAccepted(),
      xaiRunning('pending', { progress: 60 }),
      (ctx) => xaiDone(ctx, { duration: INPUT_CLIP_SECONDS + 6 }),
    ],
    expect: {
      path: '/v1/videos/extensions',
      body: {
        prompt: 'The camera pulls back to show the whole room.',
        video: { url: `data:video/mp4;base64,{base64:${INPUT_CLIP}}` },
        model: 'grok-imagine-video',
        duration: 6,
      },
    },
    demo: {
      operation: 'extend',
      prompt: 'The camera pulls back to show the whole room.',
      video: `{fixture:${INPUT_CLIP}}`,
    },
  },

  // "CometAPI documents no extensions": its root answers an extension with 404 (the request itself is right).
  'comet-extend-404': {
    poll: quickDone,
    expect: {
      path: '/grok/v1/videos/extensions',
      body: {
        prompt: 'The camera pulls back to show the whole room.',
        video: { url: '{videoOrigin}/videos/source.mp4' },
        model: 'grok-imagine-video',
        duration: 4,
      },
    },
    demo: {
      operation: 'extend',
      prompt: 'The camera pulls back to show the whole room.',
      video: '{videoOrigin}/videos/source.mp4',
      duration: '4',
    },
  },

  // Reference-to-video: "reference_images: [{url}|{file_id}] on generations … the prompt names them <IMAGE_0>…".
  'xai-reference-images': {
    poll: [emptyAccepted(), done],
    expect: {
      path: '/v1/videos/generations',
      body: {
        prompt: 'The mug from <IMAGE_0> sits on the desk from <IMAGE_1>.',
        model: 'grok-imagine-video',
        duration: 2,
        reference_images: [
          { url: 'data:image/png;base64,{base64:frame.png}' },
          { url: 'data:image/jpeg;base64,{base64:frame.jpg}' },
        ],
      },
    },
    demo: {
      prompt: 'The mug from <IMAGE_0> sits on the desk from <IMAGE_1>.',
      duration: '2',
      'reference-images': '{fixture:frame.png}\n{fixture:frame.jpg}',
    },
  },

  // Zero Data Retention: "output: {upload_url}: a signed URL the provider PUTs the MP4 to … A finished job may then
  // carry no video.url". The emulator PUTs the video to the URL before it answers done.
  'xai-zdr': {
    poll: [emptyAccepted(), xaiRunning('pending', { progress: 70 }), (ctx) => xaiDoneDelivered(ctx)],
    expect: {
      path: '/v1/videos/generations',
      body: {
        prompt: 'A candle flickers on a wooden table.',
        model: 'grok-imagine-video',
        duration: 1,
        output: { upload_url: UPLOAD_URL_TEMPLATE },
      },
    },
    demo: { prompt: 'A candle flickers on a wooden table.', 'upload-url': UPLOAD_URL_TEMPLATE },
  },

  // The same for an edit: "output: {upload_url} (generations, edits, extensions)".
  'xai-zdr-edit': {
    poll: [emptyAccepted(), (ctx) => xaiDoneDelivered(ctx, { duration: INPUT_CLIP_SECONDS })],
    expect: {
      path: '/v1/videos/edits',
      body: {
        prompt: 'Make it snow on the test pattern.',
        video: { url: `data:video/mp4;base64,{base64:${INPUT_CLIP}}` },
        model: 'grok-imagine-video',
        output: { upload_url: UPLOAD_URL_TEMPLATE },
      },
    },
    demo: {
      operation: 'edit',
      prompt: 'Make it snow on the test pattern.',
      video: `{fixture:${INPUT_CLIP}}`,
      'upload-url': UPLOAD_URL_TEMPLATE,
    },
  },

  // Stored output: "storage_options … The finished job carries video.file_output: {file_id, public_url, …}" (the
  // default done body adds it whenever the create asked, on the xAI root).
  'xai-public-url': {
    poll: [emptyAccepted(), done],
    demo: { prompt: 'A lighthouse at dusk.', 'public-url': 'true', 'public-url-expires-seconds': '86400' },
  },

  // "or storage_error when storing failed (the job still succeeded; video.url as usual)".
  'xai-storage-error': {
    poll: [
      emptyAccepted(),
      (ctx) => xaiDone(ctx, { storageError: 'Could not store the file: bucket quota exceeded.' }),
    ],
  },

  // A file_output whose public_url is not https: the action reports no URL, and says so.
  'xai-public-url-not-https': {
    poll: [emptyAccepted(), (ctx) => xaiDone(ctx, { fileOutput: { public_url: 'http://files.example.com/a.mp4' } })],
  },

  // Reference voices: "reference_audios: [{voice_id}] … with reference_images only; an unknown id is a 400 listing
  // the valid roster" (the emulator checks every create that carries them, whatever the scenario).
  'xai-reference-voices': {
    poll: [emptyAccepted(), done],
    demo: {
      model: 'grok-imagine-video-1.5',
      prompt: '<AUDIO_0> narrates as the mug from <IMAGE_0> steams.',
      'reference-images': '{fixture:frame.png}',
      'reference-voices': 'Eve',
    },
  },

  // "A Zero Data Retention team without output.upload_url gets 400", with xAI's code and with `error` alone.
  'xai-zdr-team': { create: [zdrTeamCreate('with-code')], poll: [emptyAccepted(), done] },
  'xai-zdr-team-error-only': { create: [zdrTeamCreate('error-only')], poll: [emptyAccepted(), done] },

  // A 200 that is not a video at all (an error page served as 200).
  'video-not-mp4': doneWithVideo({
    bytes: Buffer.from('<!DOCTYPE html><html><body>Access denied</body></html>'),
    contentType: 'text/html',
  }),
} satisfies Record<string, Omit<Scenario, 'name'>>

export type ScenarioName = keyof typeof definitions

export const scenarioNames = Object.keys(definitions) as ScenarioName[]

export const scenarios: Record<ScenarioName, Scenario> = Object.fromEntries(
  scenarioNames.map((name) => [name, { name, ...definitions[name] }]),
) as Record<ScenarioName, Scenario>

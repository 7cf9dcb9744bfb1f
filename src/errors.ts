/**
 * Every error class of the action. Those that end a run carry the value of the `status` output they map to, and a
 * message written for the person reading the failed step: what happened, the provider's words, what to do.
 */

/** The `status` output values for a finished run; `done`, `pending` and `dry-run` are the ones that pass the step. */
export const RUN_STATUSES = [
  'done',
  'pending',
  'dry-run',
  'failed',
  'moderated',
  'expired',
  'timeout',
  'download-failed',
  'upload-failed',
  'error',
  'cancelled',
] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export abstract class GrokVideoError extends Error {
  /** Value of the `status` output; undefined only for what stops a run before any request (bad input, budget). */
  abstract readonly status: RunStatus | undefined
  override name = this.constructor.name
}

/** A bad input value, found before any request is sent. */
export class InputError extends GrokVideoError {
  readonly status = undefined
  readonly input: string
  /** The message without the input's name: what is wrong and what is accepted. */
  readonly detail: string
  constructor(input: string, detail: string) {
    super(`Input '${input}' ${detail}`)
    this.input = input
    this.detail = detail
  }
}

/** The API answered with an error (or something that is not the API at all). */
export class ApiError extends GrokVideoError {
  readonly status = 'error' as const
  readonly httpStatus: number | undefined
  /** The provider's own words, when it gave any. */
  readonly providerMessage: string | undefined
  /** Set when the answer was not JSON or was a redirect: `base-url` most likely points at the wrong place. */
  readonly notTheApi: boolean
  constructor(message: string, httpStatus: number | undefined, providerMessage?: string, notTheApi = false) {
    super(message)
    this.httpStatus = httpStatus
    this.providerMessage = providerMessage
    this.notTheApi = notTheApi
  }
}

/** A request could not complete (refused, reset, timed out) before an HTTP answer arrived. */
export class NetworkError extends GrokVideoError {
  readonly status = 'error' as const
  readonly code: string | undefined
  constructor(message: string, code: string | undefined) {
    super(message)
    this.code = code
  }
}

/** The job reached a final state other than done. */
export class JobEndedError extends GrokVideoError {
  readonly status: 'failed' | 'moderated' | 'expired'
  readonly requestId: string
  readonly providerMessage: string | undefined
  constructor(
    status: 'failed' | 'moderated' | 'expired',
    requestId: string,
    providerMessage: string | undefined,
    advice: string,
  ) {
    const said = providerMessage ? `: ${providerMessage.trim()}` : ''
    // The provider's words end the sentence: their own full stop, if any, stands for ours.
    const stop = /[.!?]$/.test(said) ? '' : '.'
    super(`Video job ${requestId} ended with status '${status}'${said}${stop} ${advice}`)
    this.status = status
    this.requestId = requestId
    this.providerMessage = providerMessage
  }
}

/** The deadline passed while the job was still running; it keeps running at the provider. */
export class TimedOutError extends GrokVideoError {
  readonly status = 'timeout' as const
  readonly requestId: string
  constructor(requestId: string, waitedSeconds: number, lastState: string) {
    super(
      `Video job ${requestId} was still running after ${waitedSeconds} s (last status: ${lastState}). ` +
        `It keeps running at the provider: re-run with 'request-id: ${requestId}' to wait for it again ` +
        `(no new job, no new charge), or raise 'timeout-seconds'.`,
    )
    this.requestId = requestId
  }
}

/** The job finished but its video could not be fetched whole. */
export class DownloadError extends GrokVideoError {
  readonly status = 'download-failed' as const
  readonly requestId: string
  constructor(requestId: string, detail: string) {
    super(
      `Video job ${requestId} finished, but its video could not be downloaded: ${detail}. ` +
        `Re-run with 'request-id: ${requestId}' to fetch it again while the provider's URL is valid (about 24 hours).`,
    )
    this.requestId = requestId
  }
}

/** The job finished, but `timeout-seconds` ran out while its video was downloading; `request-id` fetches it again. */
export class DownloadTimedOutError extends GrokVideoError {
  readonly status = 'timeout' as const
  readonly requestId: string
  constructor(requestId: string, timeoutSeconds: number, detail: string) {
    super(
      `Video job ${requestId} finished, but 'timeout-seconds' (${timeoutSeconds} s) ran out while its video was ` +
        `downloading (${detail}). Re-run with 'request-id: ${requestId}' to download it (no new job, no new ` +
        `charge), or raise 'timeout-seconds'.`,
    )
    this.requestId = requestId
  }
}

/** The estimated cost is above what is left of `max-cost-usd` (or cannot be estimated): nothing was created. */
export class BudgetError extends GrokVideoError {
  readonly status = undefined
}

/** Some jobs of a batch did not end done (each is named in the message). */
export class BatchFailedError extends GrokVideoError {
  readonly status = 'failed' as const
}

/**
 * One try at fetching the video failed; `retryable` says whether another try could help, `retryAfterMs` when the
 * host said when (`Retry-After`).
 */
export class VideoFetchError extends Error {
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  /** The job's deadline (`timeout-seconds`) cut the download off. */
  readonly outOfTime: boolean
  constructor(message: string, retryable: boolean, retryAfterMs?: number, outOfTime = false) {
    super(message)
    this.retryable = retryable
    this.retryAfterMs = retryAfterMs
    this.outOfTime = outOfTime
  }
}

/** The pull-request comment could not be written (a warning only: the video is not affected). */
export class PullRequestCommentError extends Error {
  /** The API's HTTP status, when it answered. */
  readonly httpStatus: number | undefined
  constructor(message: string, httpStatus: number | undefined) {
    super(message)
    this.name = 'PullRequestCommentError'
    this.httpStatus = httpStatus
  }
}

/** A batch job with the same request as an earlier one that did not end done: it shares that job's outcome. */
export class SameRequestError extends GrokVideoError {
  readonly status: RunStatus | undefined
  constructor(message: string, status: RunStatus | undefined) {
    super(message)
    this.status = status
  }
}

/**
 * The job exists, but this run could not see it through: the API refused or could not be reached while waiting,
 * or a local step failed (an `output-dir` that cannot be written). The job may still be collected.
 */
export class JobInterruptedError extends GrokVideoError {
  readonly status = 'error' as const
  readonly requestId: string
  constructor(requestId: string, cause: Error) {
    super(
      `${cause.message.replace(/\.?\s*$/, '.')} Job ${requestId} exists at the provider: re-run with ` +
        `'request-id: ${requestId}' to collect it (no new job, no new charge).`,
    )
    this.requestId = requestId
  }
}

/** The video is on disk (`video-path` set), but the artifact could not be uploaded. */
export class ArtifactUploadError extends GrokVideoError {
  readonly status = 'upload-failed' as const
  /** The run already holds an artifact of this name (the service answered 409). */
  readonly nameTaken: boolean
  constructor(message: string, nameTaken = false) {
    super(message)
    this.nameTaken = nameTaken
  }
}

/** The video is on disk (`video-path` set), but attaching it to the release (`release-tag`) failed. */
export class ReleaseUploadError extends GrokVideoError {
  readonly status = 'upload-failed' as const
}

/**
 * The release exists but refused to take a file (401, 403 or 404 on an upload): the token cannot write it, so a
 * batch starts no further job, each of which would pay for a video the release cannot take.
 */
export class ReleaseWriteRefusedError extends ReleaseUploadError {}

/**
 * A preview (poster and GIF) could not be made, fetched or published. Never fails the step: the message becomes one
 * warning that names the cause and the fix.
 */
export class PreviewError extends Error {
  override name = 'PreviewError'
}

/** The pull request's base could not be read (the contents API refused, failed, or sent too much): no comparison. */
export class BaseFilesError extends Error {
  /** The API's HTTP status, when it answered. */
  readonly httpStatus: number | undefined
  constructor(message: string, httpStatus?: number) {
    super(message)
    this.name = 'BaseFilesError'
    this.httpStatus = httpStatus
  }
}

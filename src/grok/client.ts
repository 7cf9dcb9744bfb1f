/**
 * A small typed client for the calls the action makes: create a video job (generate, edit or extend), upload an
 * input video to xAI's Files API, and read a job's status. It owns the HTTP details (auth header per call, no
 * redirects, per-request timeout, the retry policy) so the stages above it see only `VideoStatus` values and error
 * classes.
 */
import { HttpClient } from '@actions/http-client'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { IncomingHttpHeaders } from 'node:http'
import path from 'node:path'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { ApiError, NetworkError } from '../errors.js'
import { formatSeconds } from '../format.js'
import { readCapped, sendAbortable } from '../http-exchange.js'
import {
  errorMessage,
  moderationFromErrorAnswer,
  normalizeStatus,
  requestIdFromCreate,
  type PollContext,
  type VideoStatus,
} from './normalize.js'
import type { Pacer } from './pacer.js'
import { createUrl, type CreateVideoRequest, type Operation, type VideoSource } from './request.js'
import { isRetryable, parseRetryAfter, retryDelay, type Method } from './retry.js'

export type { CreateVideoRequest } from './request.js'

export interface GrokClientOptions {
  baseUrl: string
  apiKey: string
  /** Longest one request may take; the caller's deadline still wins when it is sooner. */
  requestTimeoutMs?: number
  userAgent?: string
  /** Where retry notices go. */
  log?: (message: string) => void
  /** Shared by the jobs of a batch, so a 429 slows all of them. */
  pacer?: Pacer
  /** Which API base-url speaks, for advice only one of them needs (CometAPI has no extensions). */
  family?: 'CometAPI' | 'xAI'
  /**
   * What refuses `upload-url` in this run, so a Zero Data Retention refusal advises what the run can do: a batch,
   * or `public-url`. Undefined: a single run, which can take `upload-url`.
   */
  noUploadUrl?: 'batch' | 'public-url'
  /** Injected in unit tests. */
  sleep?: (ms: number) => Promise<unknown>
  random?: () => number
}

/** How one status check is made. */
export interface StatusOptions {
  /** Epoch milliseconds past which no retry is made. */
  deadline: number
  /** Right after create: a 404 reads as "pending", since a fresh job can take a moment to become visible. */
  tolerateNotFound?: boolean
  /** What the job was asked to do (see `PollContext`). */
  context?: PollContext
  /** How long a shared pacer may hold the check when the step's requests exceed its rate (the job's own interval). */
  patienceMs?: number
}

/** A JSON text, or bytes with their content type (a multipart upload). */
type Payload = string | { bytes: Buffer; contentType: string }

interface RawAnswer {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
const MIN_REQUEST_TIME_MS = 1_000
/** The most any answer of the API may hold: a status, a create or an upload answer is a small JSON object. */
const MAX_ANSWER_BYTES = 1024 * 1024

export class GrokClient {
  /** Status checks: keep-alive, so a long wait reuses one connection. */
  private readonly http: HttpClient
  /**
   * Creates: a connection of their own each time. A server may close an idle keep-alive socket just as a request
   * goes out on it; Node then reports a reset with no byte of an answer, which for a create would mean "may have
   * been billed" and a failed job for nothing. On a fresh connection that race cannot happen.
   */
  private readonly createHttp: HttpClient
  private readonly baseUrl: string
  private readonly requestTimeoutMs: number
  private readonly log: (message: string) => void
  private readonly sleep: (ms: number) => Promise<unknown>
  private readonly random: () => number
  private readonly apiKey: string
  private readonly pacer: Pacer | undefined
  private readonly family: 'CometAPI' | 'xAI' | undefined
  private readonly noUploadUrl: GrokClientOptions['noUploadUrl']

  constructor(options: GrokClientOptions) {
    this.noUploadUrl = options.noUploadUrl
    this.apiKey = options.apiKey
    this.pacer = options.pacer
    this.family = options.family
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
    this.log = options.log ?? (() => {})
    this.sleep = options.sleep ?? sleep
    this.random = options.random ?? Math.random
    // No redirects: a redirect means base-url is wrong, and following one could carry the key to another host.
    // No built-in retries: the policy in retry.ts decides, per method.
    const httpOptions = { allowRedirects: false, allowRetries: false, socketTimeout: this.requestTimeoutMs }
    const userAgent = options.userAgent ?? 'grok-video-action'
    this.http = new HttpClient(userAgent, [], { ...httpOptions, keepAlive: true })
    this.createHttp = new HttpClient(userAgent, [], { ...httpOptions, keepAlive: false })
  }

  /**
   * Start a job and return its request id. Sent once; re-sent only after a 429 (the server refused before doing
   * any work). After a timeout, a reset or a 5xx the job may exist and be billed, so the caller is told, not retried.
   */
  async create(
    request: CreateVideoRequest,
    deadline: number,
    operation: Operation = 'generate',
    video?: VideoSource,
  ): Promise<string> {
    if (video?.upload) {
      // A large local input video travels through the Files API; the job then names it by its file id.
      const fileId = await this.uploadFile(video.upload.path, 'video/mp4', deadline)
      request = { ...request, video: { file_id: fileId } }
    }
    const url = createUrl(this.baseUrl, operation)
    const answer = await this.withRetries('POST', url, JSON.stringify(request), deadline, 'create the video job')
    if (isRedirect(answer)) throw redirectError(answer, url)
    if (answer.status === 404 && operation === 'extend' && this.family === 'CometAPI') {
      throw new ApiError(
        `Creating the extension failed with HTTP 404 at ${url}: CometAPI does not offer video extensions. ` +
          "Extend through xAI directly: 'base-url: https://api.x.ai/v1' with an xAI key in 'api-key'.",
        404,
        errorMessage(parseJsonOrNothing(answer.text), answer.text.trim().slice(0, 300)),
      )
    }
    const body = parseJson(answer, url)
    if (answer.status < 200 || answer.status >= 300) throw this.errorFor('create', answer, body)
    const requestId = withSubject('Creating the video job', () => requestIdFromCreate(body, answer.status))
    if (!requestId) {
      throw new ApiError(
        `The create answer (HTTP ${answer.status}) held no request id: ${answer.text.slice(0, 200) || '(empty body)'}`,
        answer.status,
      )
    }
    return requestId
  }

  /** Read a job's status. A 404 means the id is unknown, unless `tolerateNotFound` says the job is just made. */
  async getStatus(
    requestId: string,
    { deadline, tolerateNotFound = false, context = {}, patienceMs }: StatusOptions,
  ): Promise<VideoStatus> {
    const url = `${this.baseUrl}/videos/${encodeURIComponent(requestId)}`
    const answer = await this.withRetries('GET', url, undefined, deadline, `check job ${requestId}`, patienceMs)
    if (isRedirect(answer)) throw redirectError(answer, url)
    // A 202 means still running whatever its body: empty, or cut short or streamed by a proxy, it is not read.
    const body = answer.status === 202 ? parseJsonOrNothing(answer.text) : parseJson(answer, url)
    if (answer.status >= 200 && answer.status < 300) {
      const status = withSubject(`Checking video job ${requestId}`, () => normalizeStatus(answer.status, body, context))
      const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], Date.now())
      return retryAfterMs === undefined ? status : { ...status, retryAfterMs }
    }
    const moderated = moderationFromErrorAnswer(answer.status, body)
    if (moderated) return moderated
    if (answer.status === 404 && tolerateNotFound) return { state: 'pending', providerStatus: '404' }
    throw this.errorFor('status', answer, body, requestId)
  }

  /**
   * Uploads a local file to xAI's Files API (`POST {base}/files`, multipart, field `file`) and returns its id, for
   * `video: {file_id}`. Re-sent only after a 429, like a create: an upload is not billed, but it is not small.
   */
  async uploadFile(file: string, contentType: string, deadline: number): Promise<string> {
    const url = `${this.baseUrl}/files`
    const boundary = `----grok-video-${randomBytes(12).toString('hex')}`
    const name = path.basename(file).replace(/["\r\n\\]/g, '_')
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
          `Content-Type: ${contentType}\r\n\r\n`,
      ),
      await readFile(file),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    const upload = { bytes: body, contentType: `multipart/form-data; boundary=${boundary}` }
    const answer = await this.withRetries('POST', url, upload, deadline, `upload ${name} to the Files API`)
    if (isRedirect(answer)) throw redirectError(answer, url)
    const parsed = parseJson(answer, url)
    if (answer.status < 200 || answer.status >= 300) {
      const providerMessage = errorMessage(parsed, answer.text.trim().slice(0, 300) || `HTTP ${answer.status}`)
      throw new ApiError(
        `Uploading the input video to ${url} failed with HTTP ${answer.status}: ${sentence(providerMessage)} ` +
          'Nothing was created. A video of at most 10 MiB is sent inline instead; a larger one can be given as an https URL.',
        answer.status,
        providerMessage,
      )
    }
    const id = (parsed as { id?: unknown } | undefined)?.id
    if (typeof id !== 'string' || id === '') {
      throw new ApiError(
        `The Files API answer (HTTP ${answer.status}) held no file id: ${answer.text.slice(0, 200) || '(empty body)'}`,
        answer.status,
      )
    }
    return id
  }

  /** Closes the keep-alive connections so the process can end. */
  close(): void {
    this.http.dispose()
    this.createHttp.dispose()
  }

  private async withRetries(
    method: Method,
    url: string,
    data: Payload | undefined,
    deadline: number,
    what: string,
    patienceMs?: number,
  ): Promise<RawAnswer> {
    for (let attempt = 1; ; attempt++) {
      let answer: RawAnswer | undefined
      let networkError: NetworkError | undefined
      try {
        await this.pacer?.slot(patienceMs)
        answer = await this.send(method, url, data, deadline)
        if (answer.status !== 429) this.pacer?.answered()
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error
        networkError = error
      }
      const failure = answer ? { httpStatus: answer.status } : { networkCode: networkError?.code }
      if (answer && !isRetryable(method, failure)) return answer
      if (networkError && !isRetryable(method, failure)) {
        if (method === 'GET') throw new NetworkError(`Could not ${what}: ${networkError.message}`, networkError.code)
        // A create that may have reached the provider: the job may exist and be billed, so it is not sent again.
        throw new NetworkError(
          `Could not ${what}: ${networkError.message}. The request may have reached the provider and started a ` +
            `billed job, so it was not sent again. Check the provider's dashboard before re-running.`,
          networkError.code,
        )
      }
      const delay = retryDelay(
        attempt,
        answer ? parseRetryAfter(answer.headers['retry-after'], Date.now()) : undefined,
        this.random,
      )
      if (answer?.status === 429) this.pacer?.hold(delay)
      const reason = answer ? `HTTP ${answer.status}` : networkError?.message
      if (Date.now() + delay >= deadline) {
        // Out of time: report the last answer or error as it is.
        if (answer) return answer
        throw new NetworkError(`Could not ${what}: ${networkError?.message}`, networkError?.code)
      }
      this.log(`Could not ${what} (${reason}); trying again in ${formatSeconds(delay)} (attempt ${attempt + 1}).`)
      await this.sleep(delay)
    }
  }

  /** One HTTP exchange with a hard time limit; the key goes in this call's headers only. */
  private async send(method: Method, url: string, data: Payload | undefined, deadline: number): Promise<RawAnswer> {
    // At least a second even at the deadline, so the last check before giving up can still be answered.
    const limit = Math.min(this.requestTimeoutMs, Math.max(MIN_REQUEST_TIME_MS, deadline - Date.now()))
    const binary = typeof data === 'object' ? data : undefined
    const headers = {
      Authorization: `Bearer ${this.apiKey}`,
      Accept: 'application/json',
      ...(typeof data === 'string' ? { 'Content-Type': 'application/json' } : {}),
      ...(binary ? { 'Content-Type': binary.contentType, 'Content-Length': String(binary.bytes.length) } : {}),
    }
    // Aborted at the limit, so a late or endless answer does not keep its socket (or a retry's) open.
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), limit)
    try {
      // A fresh stream per attempt: a body is read once.
      const payload = binary ? Readable.from([binary.bytes]) : typeof data === 'string' ? data : null
      const http = method === 'POST' ? this.createHttp : this.http
      const response = await sendAbortable(http, method, url, headers, payload, controller.signal)
      const body = await readCapped(response.message, MAX_ANSWER_BYTES)
      if (body === undefined) {
        throw new NetworkError(
          `its answer (HTTP ${response.message.statusCode}) ran past ${MAX_ANSWER_BYTES / 1024 / 1024} MiB, more than ` +
            "any answer of the API holds, so it was cut off: check 'base-url'",
          'ANSWER_TOO_LARGE',
        )
      }
      return { status: response.message.statusCode ?? 0, headers: response.message.headers, text: body.toString() }
    } catch (error) {
      if (error instanceof NetworkError) throw error
      if (controller.signal.aborted) {
        throw new NetworkError(`no answer within ${formatSeconds(limit)}`, 'REQUEST_TIMEOUT')
      }
      const err = error as NodeJS.ErrnoException
      const code = err.code ?? (/timeout/i.test(err.message) ? 'REQUEST_TIMEOUT' : undefined)
      throw new NetworkError(err.message || 'the connection failed', code)
    } finally {
      clearTimeout(timer)
    }
  }

  private errorFor(call: 'create' | 'status', answer: RawAnswer, body: unknown, requestId?: string): ApiError {
    const providerMessage = errorMessage(
      body,
      answer.text.trim() ? answer.text.trim().slice(0, 300) : `HTTP ${answer.status}`,
    )
    const subject = call === 'create' ? 'Creating the video job' : `Checking video job ${requestId}`
    return new ApiError(
      `${subject} failed with HTTP ${answer.status}: ${sentence(providerMessage)} ${adviceFor(call, answer.status, providerMessage, this.noUploadUrl)}`.trim(),
      answer.status,
      providerMessage,
    )
  }
}

/** A Zero Data Retention team's refusal of a create without `output.upload_url`, whichever shape carried it. */
const ZERO_DATA_RETENTION = /zero data retention/i

const ZERO_DATA_RETENTION_FIX: Record<NonNullable<GrokClientOptions['noUploadUrl']> | 'single', string> = {
  single: "set 'upload-url' to a signed https URL it can PUT the MP4 to",
  batch:
    "a batch cannot take 'upload-url' (one signed URL holds one video): run the job as a single step with 'upload-url'",
  'public-url':
    "public URLs are not available to Zero Data Retention teams: set 'public-url: false' and 'upload-url' to a signed https URL the provider can PUT the MP4 to",
}

function adviceFor(
  call: 'create' | 'status',
  status: number,
  providerMessage: string,
  noUploadUrl?: GrokClientOptions['noUploadUrl'],
): string {
  if (status === 400 && call === 'create' && ZERO_DATA_RETENTION.test(providerMessage))
    return (
      "This key's team keeps no data, so the provider cannot hold the video for the action to download: " +
      `${ZERO_DATA_RETENTION_FIX[noUploadUrl ?? 'single']} (docs/zero-data-retention.md in the action's repository).`
    )
  if (status === 401)
    return "Check 'api-key': a CometAPI key for the default base-url, or an xAI key with 'base-url: https://api.x.ai/v1'."
  if (status === 403) return "The key or its team may not use this model or feature: check the provider's console."
  if (status === 404 && call === 'create')
    return "The model or route is not available to this key: check 'model' and 'base-url'."
  if (status === 404)
    return "The provider does not know this request id (wrong id, another provider's id, or it expired)."
  if (status === 429) return 'Rate limited until the deadline: raise timeout-seconds or run fewer jobs at once.'
  if (status === 400 || status === 422) return 'The provider rejected the request: fix the input its message names.'
  if (status >= 500 && call === 'create') {
    return "The job may or may not have been created, so the request was not sent again (it could be billed twice); check the provider's dashboard before re-running."
  }
  return ''
}

/** Runs `read`, prefixing what it throws with what was being done (a gateway error names no job of its own). */
function withSubject<T>(subject: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof ApiError)
      throw new ApiError(`${subject} failed: ${error.message}`, error.httpStatus, error.providerMessage)
    throw error
  }
}

/** The provider's words as a sentence: a full stop added only when they lack one. */
const sentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`)

const isRedirect = (answer: RawAnswer): boolean => answer.status >= 300 && answer.status < 400

/** A redirect means base-url points at a web page or an old path, not at the API root. */
function redirectError(answer: RawAnswer, url: string): ApiError {
  const location = answer.headers.location ? ` to ${String(answer.headers.location)}` : ''
  return new ApiError(
    `${url} answered with a redirect (HTTP ${answer.status}${location}) instead of the API: check 'base-url' ` +
      `(CometAPI: https://api.cometapi.com/grok/v1, xAI: https://api.x.ai/v1).`,
    answer.status,
    undefined,
    true,
  )
}

function parseJsonOrNothing(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** JSON or nothing; anything else (an HTML page, say) means base-url points somewhere other than the API. */
function parseJson(answer: RawAnswer, url: string): unknown {
  const text = answer.text.trim()
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    const type = String(answer.headers['content-type'] ?? 'unknown type')
    throw new ApiError(
      `${url} answered HTTP ${answer.status} with ${type} that is not JSON ("${text.slice(0, 80).replace(/\s+/g, ' ')}…"): ` +
        `check 'base-url' (CometAPI: https://api.cometapi.com/grok/v1, xAI: https://api.x.ai/v1).`,
      answer.status,
      undefined,
      true,
    )
  }
}

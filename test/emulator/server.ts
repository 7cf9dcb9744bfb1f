/**
 * A loopback emulator of the Grok Imagine video API (xAI direct and the CometAPI gateway) and of the public host
 * that serves the finished MP4. It plays scripted scenarios (see scenarios.ts) so tests can drive the real HTTP
 * client through every response shape in docs/provider-api.md, including broken sockets.
 *
 * Two servers on 127.0.0.1, each on a port of its own: the API and the video host are two origins on one host, so a
 * test can prove the API key is never sent to the video host, even by a client that forwards auth "per host".
 * The API also takes edits, extensions (not on the CometAPI root, which documents none) and, on the xAI root, Files
 * API uploads; the video host also takes the PUT of a Zero Data Retention delivery to a signed upload URL.
 * Some gateways serve the video on the API's own origin too (`/v1/videos/{id}/content`, behind the same key): the
 * API server has that route as well.
 */
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { cometError, scenarios, withGatewayRequestId, type ScenarioName } from './scenarios.ts'
import { createRefusal } from './storage-voices.ts'

export type { ScenarioName } from './scenarios.ts'

export interface ScriptedResponse {
  status: number
  /** JSON-encoded when given (content-type application/json). */
  body?: unknown
  /** Sent as-is instead of `body` (e.g. an HTML page, or '' for an empty body). */
  raw?: string
  /** Overrides the content type implied by `body`/`raw`. */
  contentType?: string
  /** E.g. Retry-After or Location. A Location starting with '/' is made absolute against the API origin. */
  headers?: Record<string, string>
  /** Wait this long before answering. */
  delayMs?: number
  /** 'reset': destroy the socket without answering. 'hang': never answer (the socket is ended by close()). */
  fault?: 'reset' | 'hang'
  /**
   * Send the status and headers (no Content-Length), then `chunk` every `everyMs` ms, never ending: a body that
   * trickles (a byte now and then keeps a socket's idle timer from firing) or one that never stops (a big chunk).
   * It stops when the client closes the socket, or at close().
   */
  endless?: { chunk: string; everyMs: number }
  /** Before answering, PUT the job's video to this URL, as the provider delivers to `output.upload_url`. */
  deliverTo?: string
}

export interface JobContext {
  requestId: string
  /** Index of this poll for the job (0 = first poll). For a create responder: index of this create request. */
  pollIndex: number
  /** Date.now() when the job was created. */
  createdAt: number
  /** Milliseconds since the job was created. */
  elapsedMs: number
  /** URL of this job's video on the video host. */
  videoUrl: string
  /** URL of this job's video on the API's own origin (`/v1/videos/{id}/content`), which asks for the key. */
  apiVideoUrl: string
  /** The parsed JSON body of the create request (undefined for a job polled without a create). */
  createBody: Record<string, unknown> | undefined
  /** `generations`, `edits` or `extensions`: the route the job was created on. */
  createRoute: string | undefined
  /** Which API root the job was created on (`/v1`: xAI, `/grok/v1`: CometAPI). */
  createRoot: 'xai' | 'comet' | undefined
}

export type Responder = ScriptedResponse | ((ctx: JobContext) => ScriptedResponse)

export interface VideoHostBehaviour {
  /** Default: the test/fixtures/tiny.mp4 fixture (or startEmulator's `video` option). */
  bytes?: Buffer
  /** E.g. 403/404/410 for an expired signed URL, 429 or 503 for a busy host; default 200. */
  status?: number
  /** `Retry-After` sent with a failing status (e.g. '3' with a 429). */
  retryAfter?: string
  /** Default video/mp4. */
  contentType?: string
  /** Announce the full Content-Length but send only this many body bytes, then close the socket (FIN). */
  truncateAfter?: number
  /** Send this many body bytes, then reset the socket (RST). */
  resetAfter?: number
  /** Send the body one byte every this many ms, as a stalled host does (the headers at once). */
  trickleMs?: number
  /** Apply truncateAfter/resetAfter/trickleMs/status only to the first N file requests, then serve normally. */
  failTimes?: number
  /** Answer with a chain of N 302s on the video host before serving the file. */
  redirects?: number
  /** Honour `Range: bytes=…` with 206 (default true). */
  acceptRanges?: boolean
  /** Send the file without Content-Length (chunked). */
  omitContentLength?: boolean
  /**
   * The file replaced at the same URL once the failing requests are over (new bytes, a new ETag and Last-Modified):
   * a resume that splices the two shows up as a file that is neither.
   */
  changedTo?: Buffer
  /** Which validators the host sends (and matches `If-Range` against); default both. */
  validators?: 'both' | 'etag' | 'last-modified' | 'none'
}

export interface Scenario {
  name: string
  /** The i-th create request is answered by create[i] (the last repeats). Default: 200 {"request_id": <new uuid>}. */
  create?: Responder[]
  /** The i-th poll of a job is answered by poll[i] (the last repeats). */
  poll: Responder[]
  video?: VideoHostBehaviour
  /** Answer polls for ids this emulator never created with the poll script, instead of 404. */
  acceptUnknownIds?: boolean
  /**
   * The create request the scenario is written for, by hand: any other path or body is answered 400 naming the
   * difference. `{videoOrigin}` in a string stands for the video host's origin, `{base64:<fixture>}` for the
   * base64 of a file in test/fixtures, `{fileId:0}` for the id of the first file uploaded to the Files API.
   */
  expect?: { path: string; body: Record<string, unknown> }
  /** The inputs `npm run demo -- <scenario>` runs the action with (same placeholders, `{fixture:<name>}` a path). */
  demo?: Record<string, string>
  /**
   * The server closes idle keep-alive connections, and a create that arrives on one (a connection that already
   * carried a request) loses the race: the socket is reset with no byte of an answer, as Node reports ECONNRESET.
   */
  resetsCreatesOnReusedConnections?: boolean
  /**
   * What the API origin's `/v1/videos/{id}/content` answers a request with the key: the video as `video` says
   * (default), or a 302 to the same file on the video host (a gateway handing off to its storage).
   */
  apiVideo?: 'serve' | 'redirect-to-video-host'
}

export interface RecordedRequest {
  host: 'api' | 'video'
  method: string
  /** Path and query as received. */
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
  /** The body as bytes (a multipart upload, a delivered video). */
  bytes: Buffer
  at: number
  /** Which connection carried it (numbered from 1 in order of arrival) and the how-manieth request on it it was. */
  connection: { id: number; request: number }
  /** When the server saw the connection that carried it close (by either side); undefined while it is open. */
  closedAt?: number
}

/** A file received by the Files API (`POST /v1/files`). */
export interface UploadedFile {
  id: string
  filename: string
  contentType: string
  bytes: Buffer
  /** Form fields other than `file`, e.g. `purpose`. */
  fields: Record<string, string>
}

export interface Emulator {
  /** http://127.0.0.1:PORT/v1 (xAI-style root). */
  xaiBaseUrl: string
  /** http://127.0.0.1:PORT/grok/v1 (CometAPI-style root). */
  cometBaseUrl: string
  /** http://127.0.0.1:PORT, the API's origin (the bases above without their path). */
  apiOrigin: string
  /** http://127.0.0.1:PORT2: the API's host on another port, so another origin. */
  videoOrigin: string
  /** The Bearer key the API accepts; any other gets 401. */
  apiKey: string
  /** Every request to either server since the last setScenario(), in arrival order. */
  requests: RecordedRequest[]
  /** POSTs to <root>/videos/generations (and the edits/extensions create routes). */
  creates(): RecordedRequest[]
  /** GETs of <root>/videos/{id}. */
  polls(): RecordedRequest[]
  videoRequests(): RecordedRequest[]
  /** PUTs the video host received: Zero Data Retention deliveries to an upload URL. */
  deliveries(): RecordedRequest[]
  /** Files received by the Files API since the last setScenario(). */
  files: UploadedFile[]
  /** GETs of the video on the API's own origin (`<root>/videos/{id}/content`), with or without the key. */
  apiVideoRequests(): RecordedRequest[]
  /** Switches scenario; also clears recorded requests, jobs and counters. */
  setScenario(s: Scenario | ScenarioName): void
  /** Connections to either server that the client has not closed yet (keep-alive ones included). */
  openConnections(): number
  /** Closes both servers, destroying open and hanging sockets. */
  close(): Promise<void>
}

export interface EmulatorOptions {
  /** Default: 'xai-done'. */
  scenario?: Scenario | ScenarioName
  /** Default: a fixed test key. */
  apiKey?: string
  /** Default video bytes for every scenario that sets none. Default: the tiny.mp4 fixture. */
  video?: Buffer
}

export const DEFAULT_API_KEY = 'test-key-emulator-0001'
export const FIXTURE_VIDEO_PATH = new URL('../fixtures/tiny.mp4', import.meta.url)

// One address for both servers, told apart by port. Trap: macOS has only 127.0.0.1 on its loopback interface (a
// second address such as 127.0.0.2 needs `ifconfig lo0 alias`), so another loopback host would not bind there.
const LOOPBACK = '127.0.0.1'

// `<root>` is /v1 (xAI) or /grok/v1 (CometAPI). Edits and extensions create jobs just like generations.
const CREATE_PATH = /^\/(?:grok\/)?v1\/videos\/(generations|edits|extensions)$/
const POLL_PATH = /^\/(?:grok\/)?v1\/videos\/([^/]+)$/
/** xAI's Files API; CometAPI has none (files belong to the xAI team that uploaded them). */
const FILES_PATH = /^\/v1\/files$/
const API_VIDEO_PATH = /^\/(?:grok\/)?v1\/videos\/([^/]+)\/content$/
// Any name is served, so composed scenarios may point at a URL of their own on the video host.
const VIDEO_PATH = /^\/videos\/[^/]+\.mp4$/
/** Where the video host takes PUTs, as a bucket behind signed upload URLs does. */
const UPLOAD_PATH = /^\/uploads\/[^/]+$/

interface Job {
  requestId: string
  createdAt: number
  createBody: Record<string, unknown> | undefined
  createRoute: string | undefined
  createRoot?: 'xai' | 'comet'
  polls: number
}

export function loadFixtureVideo(): Buffer {
  try {
    return readFileSync(FIXTURE_VIDEO_PATH)
  } catch (error) {
    throw new Error(`The video fixture ${FIXTURE_VIDEO_PATH.pathname} is missing; pass startEmulator({ video })`, {
      cause: error,
    })
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY
  const defaultVideo = options.video ?? loadFixtureVideo()

  const requests: RecordedRequest[] = []
  const files: UploadedFile[] = []
  const jobs = new Map<string, Job>()
  let scenario = resolveScenario(options.scenario ?? 'xai-done')
  let createCount = 0
  let videoFileCount = 0
  let closed = false

  const sockets = new Set<Socket>()
  /** Per connection: its number and how many requests it has carried. */
  const connections = new WeakMap<Socket, { id: number; requests: number; carried: RecordedRequest[] }>()
  let connectionCount = 0
  /** Pending delays and the intervals of trickling and endless bodies, all cleared by close(). */
  const timers = new Set<NodeJS.Timeout>()

  const apiServer = createServer((req, res) => void handleApi(req, res))
  const videoServer = createServer((req, res) => void handleVideo(req, res))
  for (const server of [apiServer, videoServer]) {
    server.on('connection', (socket) => {
      sockets.add(socket)
      const connection = { id: ++connectionCount, requests: 0, carried: [] as RecordedRequest[] }
      connections.set(socket, connection)
      socket.on('close', () => {
        sockets.delete(socket)
        for (const entry of connection.carried) entry.closedAt ??= Date.now()
      })
    })
  }

  const apiPort = await listen(apiServer, LOOPBACK)
  const videoPort = await listen(videoServer, LOOPBACK)
  const apiOrigin = `http://${LOOPBACK}:${apiPort}`
  const videoOrigin = `http://${LOOPBACK}:${videoPort}`

  const videoUrlFor = (requestId: string) => `${videoOrigin}/videos/${encodeURIComponent(requestId)}.mp4`

  function contextFor(job: Job, pollIndex: number): JobContext {
    const now = Date.now()
    return {
      requestId: job.requestId,
      pollIndex,
      createdAt: job.createdAt,
      elapsedMs: now - job.createdAt,
      videoUrl: videoUrlFor(job.requestId),
      apiVideoUrl: `${apiOrigin}/v1/videos/${encodeURIComponent(job.requestId)}/content`,
      createBody: job.createBody,
      createRoute: job.createRoute,
      createRoot: job.createRoot,
    }
  }

  async function record(host: RecordedRequest['host'], req: IncomingMessage): Promise<RecordedRequest> {
    const connection = connections.get(req.socket) ?? { id: 0, requests: 0, carried: [] }
    connection.requests++
    const entry: RecordedRequest = {
      host,
      method: req.method ?? '',
      path: req.url ?? '',
      headers: { ...req.headers },
      body: '',
      bytes: Buffer.alloc(0),
      at: Date.now(),
      connection: { id: connection.id, request: connection.requests },
    }
    // Recorded before the body arrives so the order matches arrival even when bodies are slow.
    requests.push(entry)
    connection.carried.push(entry)
    if (req.socket.destroyed) entry.closedAt = Date.now()
    entry.bytes = await readBody(req)
    entry.body = entry.bytes.toString('utf8')
    return entry
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry = await record('api', req)
    const path = new URL(entry.path, apiOrigin).pathname
    const createMatch = req.method === 'POST' ? CREATE_PATH.exec(path) : null
    const isCreate = createMatch !== null
    const pollMatch = req.method === 'GET' ? POLL_PATH.exec(path) : null
    const isUpload = req.method === 'POST' && FILES_PATH.test(path)
    const videoMatch = req.method === 'GET' || req.method === 'HEAD' ? API_VIDEO_PATH.exec(path) : null

    if (!isCreate && !pollMatch && !isUpload && !videoMatch) {
      // A wrong base URL lands on the site, not the API: an HTML 404, as real front ends send.
      return send(res, { status: 404, raw: notFoundPage(path), contentType: 'text/html; charset=utf-8' })
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(res, cometError(401, withGatewayRequestId('Invalid token')))
    }
    if (videoMatch) {
      if (scenario.apiVideo !== 'redirect-to-video-host') return serveVideo(req, res)
      return send(res, { status: 302, raw: '', headers: { location: videoUrlFor(safeDecode(videoMatch[1]) ?? '') } })
    }

    if (isUpload) return send(res, receiveFile(entry))

    if (isCreate) {
      if (scenario.resetsCreatesOnReusedConnections && entry.connection.request > 1) {
        res.socket?.resetAndDestroy()
        return
      }
      const mismatch = scenario.expect && differenceFromExpected(scenario.expect, path, entry.body)
      if (mismatch) return send(res, xaiStyleError(400, `Not the scenario's request: ${mismatch}`))
      if (createMatch[1] === 'extensions' && path.startsWith('/grok/')) {
        // CometAPI documents no extensions: its router answers as OpenAI-style gateways do for an unknown route.
        return send(res, cometError(404, withGatewayRequestId(`Invalid URL (POST ${path})`), 'invalid_request_error'))
      }
      const createBody = parseJsonObject(entry.body)
      if (!createBody) {
        // xAI takes JSON bodies only (multipart is rejected).
        return send(res, {
          status: 400,
          body: { code: 'Client specified an invalid argument', error: 'Failed to parse the request body as JSON.' },
        })
      }
      const createRoot = path.startsWith('/grok/') ? 'comet' : 'xai'
      const refusal = createRefusal(createBody, { root: createRoot, route: createMatch[1] })
      if (refusal) return send(res, refusal)
      const job: Job = {
        requestId: randomUUID(),
        createdAt: Date.now(),
        createBody,
        createRoute: createMatch[1],
        createRoot,
        polls: 0,
      }
      const createIndex = createCount++
      const response = evaluate(pick(scenario.create, createIndex) ?? acceptedResponder, contextFor(job, createIndex))
      if (response.status >= 200 && response.status < 300) {
        // Scripted bodies may name their own id; the job is known under it.
        const body = response.body as { request_id?: unknown } | undefined
        if (typeof body?.request_id === 'string') job.requestId = body.request_id
        jobs.set(job.requestId, job)
      }
      return send(res, response)
    }

    const requestId = safeDecode(pollMatch![1])
    let job = requestId === undefined ? undefined : jobs.get(requestId)
    if (!job && requestId !== undefined && scenario.acceptUnknownIds) {
      job = { requestId, createdAt: Date.now(), createBody: undefined, createRoute: undefined, polls: 0 }
      jobs.set(requestId, job)
    }
    if (!job) return send(res, { status: 404, body: { error: { message: 'No deferred video' } } })
    const pollIndex = job.polls++
    return send(res, evaluate(pick(scenario.poll, pollIndex)!, contextFor(job, pollIndex)))
  }

  /** A multipart upload with a `file` part: `{id, object: "file", bytes, …}`, as xAI answers. */
  function receiveFile(entry: RecordedRequest): ScriptedResponse {
    const type = String(entry.headers['content-type'] ?? '')
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type)
    const parts = boundary ? parseMultipart(entry.bytes, boundary[1] ?? boundary[2]) : []
    const file = parts.find((part) => part.name === 'file' && part.filename !== undefined)
    if (!type.startsWith('multipart/form-data') || !file) {
      return xaiStyleError(400, "The request must be multipart/form-data with a 'file' field.")
    }
    const fields = Object.fromEntries(parts.filter((p) => p !== file).map((p) => [p.name, p.data.toString('utf8')]))
    const uploaded = {
      id: `file-${randomUUID()}`,
      filename: file.filename ?? '',
      contentType: file.contentType ?? '',
      bytes: file.data,
      fields,
    }
    files.push(uploaded)
    return {
      status: 200,
      body: {
        id: uploaded.id,
        object: 'file',
        bytes: uploaded.bytes.length,
        created_at: Math.floor(Date.now() / 1000),
        filename: uploaded.filename,
        purpose: fields.purpose ?? '',
      },
    }
  }

  /** The first way the create request differs from the scenario's expected one, or undefined. */
  function differenceFromExpected(
    expect: NonNullable<Scenario['expect']>,
    path: string,
    body: string,
  ): string | undefined {
    const resolve = (value: unknown): unknown => resolvePlaceholders(value, { videoOrigin, files })
    if (path !== resolve(expect.path)) return `expected POST ${String(resolve(expect.path))}, got POST ${path}`
    const expected = JSON.stringify(sortKeys(resolve(expect.body)))
    const actual = JSON.stringify(sortKeys(parseJsonObject(body) ?? body))
    if (expected === actual) return undefined
    const shorten = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text)
    return `expected body ${shorten(expected)}, got ${shorten(actual)}`
  }

  async function handleVideo(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry = await record('video', req)
    const url = new URL(entry.path, videoOrigin)
    if (req.method === 'PUT' && UPLOAD_PATH.test(url.pathname)) {
      // A bucket behind a signed URL: stores what it is given (the test reads it from deliveries()).
      return send(res, { status: 200, raw: '', headers: { etag: `"${entry.bytes.length}"` } })
    }
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !VIDEO_PATH.test(url.pathname)) {
      return send(res, storageError(404, 'NoSuchKey', 'The specified key does not exist.'))
    }
    const behaviour = scenario.video ?? {}

    const hop = Number(url.searchParams.get('hop') ?? 0)
    if (hop < (behaviour.redirects ?? 0)) {
      url.searchParams.set('hop', String(hop + 1))
      return send(res, { status: 302, raw: '', headers: { location: url.href } })
    }
    serveVideo(req, res)
  }

  /** The scenario's video, on whichever origin it was asked for. */
  function serveVideo(req: IncomingMessage, res: ServerResponse): void {
    const behaviour = scenario.video ?? {}
    // failTimes counts requests for the file itself, not the redirect hops in front of it.
    const failing = behaviour.failTimes === undefined || videoFileCount++ < behaviour.failTimes
    const status = behaviour.status ?? 200
    if (failing && status !== 200) {
      const [code, message] = storageErrors[status] ?? expiredUrlError
      const error = storageError(status, code, message)
      if (behaviour.retryAfter !== undefined) error.headers = { 'Retry-After': behaviour.retryAfter }
      return send(res, error)
    }
    const original = behaviour.bytes ?? defaultVideo
    const changed = !failing && behaviour.changedTo !== undefined
    serveFile(req, res, changed ? (behaviour.changedTo as Buffer) : original, behaviour, failing, changed)
  }

  function serveFile(
    req: IncomingMessage,
    res: ServerResponse,
    file: Buffer,
    behaviour: VideoHostBehaviour,
    failing: boolean,
    changed: boolean,
  ): void {
    const acceptRanges = behaviour.acceptRanges ?? true
    const validators = validatorsOf(file, changed, behaviour.validators ?? 'both')
    // If-Range: the range only when the file is still the one the client has part of; else the whole new file.
    const ifRange = req.headers['if-range']
    const sameFile = ifRange === undefined || Object.values(validators).includes(String(ifRange))
    const range = acceptRanges && sameFile ? parseRange(req.headers.range, file.length) : undefined
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${file.length}`, 'content-length': 0 })
      res.end()
      return
    }
    const [start, end] = range ?? [0, file.length - 1]
    const body = file.subarray(start, end + 1)
    res.statusCode = range ? 206 : 200
    res.setHeader('content-type', behaviour.contentType ?? 'video/mp4')
    if (acceptRanges) res.setHeader('accept-ranges', 'bytes')
    for (const [name, value] of Object.entries(validators)) res.setHeader(name, value)
    if (range) res.setHeader('content-range', `bytes ${start}-${end}/${file.length}`)
    if (!behaviour.omitContentLength) res.setHeader('content-length', body.length)

    if (req.method === 'HEAD') {
      res.end()
      return
    }
    if (failing && behaviour.trickleMs !== undefined) return trickle(res, body, behaviour.trickleMs)
    const cut = failing ? (behaviour.resetAfter ?? behaviour.truncateAfter) : undefined
    if (cut === undefined || cut >= body.length) {
      // write() then end(): end(body) alone would add the Content-Length that omitContentLength leaves out.
      res.write(body)
      res.end()
      return
    }
    const reset = behaviour.resetAfter !== undefined
    res.write(body.subarray(0, cut), () => {
      const socket = res.socket
      if (!socket) return
      if (reset) socket.resetAndDestroy()
      else socket.destroy()
    })
  }

  /** Writes `body` a byte at a time, one every `everyMs`, until it is all sent or the socket is gone. */
  function trickle(res: ServerResponse, body: Buffer, everyMs: number): void {
    let sent = 0
    let gone = false
    res.once('close', () => (gone = true))
    const timer = setInterval(() => {
      if (closed || gone || sent >= body.length) {
        clearInterval(timer)
        timers.delete(timer)
        if (!gone && !closed) res.end()
        return
      }
      res.write(body.subarray(sent, ++sent))
    }, everyMs)
    timers.add(timer)
    res.flushHeaders()
  }

  /** Writes `chunk` every `everyMs` until the socket is gone: a body that never ends. */
  function endless(res: ServerResponse, chunk: string, everyMs: number): void {
    let gone = false
    res.once('close', () => (gone = true))
    const timer = setInterval(() => {
      if (closed || gone) {
        clearInterval(timer)
        timers.delete(timer)
        return
      }
      res.write(chunk)
    }, everyMs)
    timers.add(timer)
  }

  /** The provider's side of Zero Data Retention: PUT the finished video to the signed URL, then answer. */
  async function deliver(url: string): Promise<void> {
    const bytes = scenario.video?.bytes ?? defaultVideo
    try {
      const answer = await fetch(url, {
        method: 'PUT',
        body: new Uint8Array(bytes),
        headers: { 'content-type': 'video/mp4' },
      })
      await answer.arrayBuffer()
    } catch (error) {
      console.error('emulator: could not deliver to the upload URL', error)
    }
  }

  function send(res: ServerResponse, response: ScriptedResponse): void {
    if (response.deliverTo) {
      const { deliverTo, ...rest } = response
      void deliver(deliverTo).then(() => send(res, rest))
      return
    }
    const answer = () => {
      if (closed || res.destroyed) return
      if (response.fault === 'reset') {
        res.socket?.resetAndDestroy()
        return
      }
      if (response.fault === 'hang') return // Held open until close() destroys the socket.
      const { payload, contentType } = encode(response)
      const headers: Record<string, string | number> = response.endless
        ? {}
        : { 'content-length': Buffer.byteLength(payload) }
      if (contentType) headers['content-type'] = contentType
      for (const [name, value] of Object.entries(response.headers ?? {})) {
        const key = name.toLowerCase()
        headers[key] = key === 'location' && value.startsWith('/') ? apiOrigin + value : value
      }
      res.writeHead(response.status, headers)
      if (!response.endless) return void res.end(payload)
      res.write(payload)
      endless(res, response.endless.chunk, response.endless.everyMs)
    }
    if (!response.delayMs) return answer()
    const timer = setTimeout(() => {
      timers.delete(timer)
      answer()
    }, response.delayMs)
    timers.add(timer)
  }

  const emulator: Emulator = {
    xaiBaseUrl: `${apiOrigin}/v1`,
    cometBaseUrl: `${apiOrigin}/grok/v1`,
    apiOrigin,
    videoOrigin,
    apiKey,
    requests,
    creates: () => requests.filter((r) => r.host === 'api' && r.method === 'POST' && CREATE_PATH.test(pathOf(r))),
    polls: () => requests.filter((r) => r.host === 'api' && r.method === 'GET' && POLL_PATH.test(pathOf(r))),
    videoRequests: () => requests.filter((r) => r.host === 'video' && r.method !== 'PUT'),
    deliveries: () => requests.filter((r) => r.host === 'video' && r.method === 'PUT'),
    files,
    apiVideoRequests: () => requests.filter((r) => r.host === 'api' && API_VIDEO_PATH.test(pathOf(r))),
    openConnections: () => sockets.size,
    setScenario(s) {
      scenario = resolveScenario(s)
      requests.length = 0 // In place: callers may hold the array.
      files.length = 0
      jobs.clear()
      createCount = 0
      videoFileCount = 0
    },
    async close() {
      if (closed) return
      closed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const socket of sockets) socket.destroy()
      await Promise.all([closeServer(apiServer), closeServer(videoServer)])
    },
  }
  return emulator
}

const acceptedResponder: Responder = (ctx) => ({ status: 200, body: { request_id: ctx.requestId } })

// What S3/GCS-style signed URLs answer once they have expired.
const expiredUrlError = ['AccessDenied', 'Request has expired'] as const
// What object stores answer for a missing key or a busy host.
const storageErrors: Record<number, readonly [string, string]> = {
  404: ['NoSuchKey', 'The specified key does not exist.'],
  429: ['TooManyRequests', 'Please reduce your request rate.'],
  503: ['SlowDown', 'Please reduce your request rate.'],
}

/** A strong ETag from the bytes and a Last-Modified an hour later for a replaced file, as object stores send. */
function validatorsOf(
  file: Buffer,
  changed: boolean,
  which: NonNullable<VideoHostBehaviour['validators']>,
): Record<string, string> {
  const validators: Record<string, string> = {}
  if (which === 'both' || which === 'etag') validators.etag = `"${createHash('md5').update(file).digest('hex')}"`
  if (which === 'both' || which === 'last-modified')
    validators['last-modified'] = changed ? 'Mon, 02 Mar 2026 09:00:00 GMT' : 'Mon, 02 Mar 2026 08:00:00 GMT'
  return validators
}

function resolveScenario(s: Scenario | ScenarioName): Scenario {
  if (typeof s !== 'string') return s
  const found = scenarios[s]
  if (!found) throw new Error(`Unknown emulator scenario '${String(s)}'`)
  return found
}

function pick<T>(list: readonly T[] | undefined, index: number): T | undefined {
  if (!list || list.length === 0) return undefined
  return list[Math.min(index, list.length - 1)]
}

function evaluate(responder: Responder, ctx: JobContext): ScriptedResponse {
  if (typeof responder !== 'function') return responder
  try {
    return responder(ctx)
  } catch (error) {
    // A broken script should fail loudly in the test output, not look like an API answer.
    console.error('emulator: responder threw', error)
    return { status: 500, raw: `emulator responder threw: ${String(error)}`, contentType: 'text/plain' }
  }
}

function encode(response: ScriptedResponse): { payload: string; contentType: string | undefined } {
  if (response.raw !== undefined) {
    const implied = response.raw === '' ? undefined : 'text/plain; charset=utf-8'
    return { payload: response.raw, contentType: response.contentType ?? implied }
  }
  if (response.body !== undefined) {
    return { payload: JSON.stringify(response.body), contentType: response.contentType ?? 'application/json' }
  }
  return { payload: '', contentType: response.contentType }
}

function xaiStyleError(status: number, error: string): ScriptedResponse {
  return { status, body: { code: 'Client specified an invalid argument', error } }
}

export const FIXTURES_DIR = new URL('../fixtures/', import.meta.url)

/**
 * Replaces `{videoOrigin}`, `{base64:<fixture>}`, `{fixture:<name>}` (its absolute path) and `{fileId:<n>}` in
 * every string of `value`.
 */
export function resolvePlaceholders(
  value: unknown,
  context: { videoOrigin: string; files?: readonly UploadedFile[] },
): unknown {
  if (typeof value === 'string') {
    return value
      .replaceAll('{videoOrigin}', context.videoOrigin)
      .replace(/\{base64:([^}]+)\}/g, (_, name: string) => readFileSync(new URL(name, FIXTURES_DIR)).toString('base64'))
      .replace(/\{fixture:([^}]+)\}/g, (_, name: string) => fileURLToPath(new URL(name, FIXTURES_DIR)))
      .replace(/\{fileId:(\d+)\}/g, (_, index: string) => context.files?.[Number(index)]?.id ?? '(no such upload)')
  }
  if (Array.isArray(value)) return value.map((item) => resolvePlaceholders(item, context))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, context)]))
  }
  return value
}

/** Objects with their keys in order, so two bodies compare by content, not by the order of their fields. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    )
  }
  return value
}

interface FormPart {
  name: string
  filename?: string
  contentType?: string
  data: Buffer
}

/** A multipart/form-data body split into its parts (enough of RFC 7578 for what a client sends). */
function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: FormPart[] = []
  let at = body.indexOf(delimiter)
  while (at !== -1) {
    const start = at + delimiter.length
    if (body.subarray(start, start + 2).toString() === '--') break
    const next = body.indexOf(delimiter, start)
    if (next === -1) break
    const part = body.subarray(start + 2, next - 2) // without the CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n')
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8')
      const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? ''
      parts.push({
        name: /\bname="([^"]*)"/.exec(disposition)?.[1] ?? '',
        filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
        contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1],
        data: part.subarray(split + 4),
      })
    }
    at = next
  }
  return parts
}

function storageError(status: number, code: string, message: string): ScriptedResponse {
  return {
    status,
    raw: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    contentType: 'application/xml',
  }
}

function notFoundPage(path: string): string {
  return (
    '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>' +
    `<p>The requested URL ${escapeHtml(path)} was not found on this server.</p></body></html>\n`
  )
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Parses a single `bytes=` range; multi-range requests are served whole, as RFC 9110 allows. */
function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null
  if (!match) return undefined
  const [, from = '', to = ''] = match
  if (from === '' && to === '') return undefined
  if (from === '') {
    const suffix = Number(to)
    return suffix === 0 ? 'unsatisfiable' : [Math.max(0, size - suffix), size - 1]
  }
  const start = Number(from)
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return [start, end]
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

function pathOf(r: RecordedRequest): string {
  return r.path.split('?')[0] ?? r.path
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    // An aborted upload still leaves what arrived on record.
    req.on('error', () => resolve(Buffer.concat(chunks)))
    req.on('close', () => resolve(Buffer.concat(chunks)))
  })
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/**
 * Fetch the finished video from the provider's temporary URL, streamed to disk while hashing, resumed or restarted
 * after a cut, and reported only when the file is whole and is an MP4. The API key rides along only to base-url's
 * own origin (some gateways serve the video there, behind the key), checked again on every redirect.
 */
import { HttpClient, type HttpClientResponse } from '@actions/http-client'
import { createHash, type Hash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { VideoFetchError } from './errors.js'
import { formatSeconds } from './format.js'
import { parseRetryAfter, retryDelay } from './grok/retry.js'
import { sendAbortable } from './http-exchange.js'
import { carriesSecret } from './secrets.js'
import { checkUrl } from './urls.js'

export interface DownloadedVideo {
  path: string
  bytes: number
  sha256: string
}

export interface DownloadOptions {
  /** Tries in all, counting the first. */
  attempts?: number
  /** A connection silent for this long is dropped and tried again. */
  idleTimeoutMs?: number
  /** Epoch ms when the job's time (`timeout-seconds`) runs out: the transfer is cut off then, whatever its pace. */
  deadline?: number
  /** The largest file accepted; a larger one is refused (and what came of it removed). */
  maxBytes?: number
  /** Retry notices. */
  log?: (message: string) => void
  /** What the download does with the API key (sent to base-url's origin, or not sent). */
  info?: (message: string) => void
  /** The API's base-url and key: the key is sent to a URL whose origin is exactly base-url's, and nowhere else. */
  api?: { baseUrl: string; apiKey: string }
  sleep?: (ms: number) => Promise<unknown>
  userAgent?: string
}

const DEFAULT_ATTEMPTS = 4
const DEFAULT_IDLE_TIMEOUT_MS = 60_000
const MiB = 1024 * 1024
/** Far above any video the API makes, yet a bound on what a runaway host can write to the runner's disk. */
const MAX_VIDEO_BYTES = 512 * MiB
/** setTimeout fires at once when asked to wait longer than this. */
const LONGEST_TIMER_MS = 2 ** 31 - 1
/** Statuses of an expired or withdrawn URL: asking again will not help. */
const GONE = new Set([401, 403, 404, 410])
const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 10

/** Download `url` to `destination` (written as `<destination>.part` first, renamed when complete). */
export async function downloadVideo(
  url: string,
  destination: string,
  options: DownloadOptions = {},
): Promise<DownloadedVideo> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS
  const log = options.log ?? (() => {})
  const pause = options.sleep ?? sleep
  const partPath = `${destination}.part`
  const maxBytes = options.maxBytes ?? MAX_VIDEO_BYTES
  // Aborting closes the socket at any stage: waiting for headers, or mid-body at a byte a minute.
  const controller = new AbortController()
  const deadline = options.deadline ?? Infinity
  const timer = Number.isFinite(deadline)
    ? setTimeout(() => controller.abort(), Math.min(LONGEST_TIMER_MS, Math.max(0, deadline - Date.now())))
    : undefined
  // A fresh client with no handlers and no default headers; redirects are followed here, hop by hop, so the key
  // goes only where `keyedGet` allows (the client's own rule compares host names, not origins).
  const http = new HttpClient(options.userAgent ?? 'grok-video-action', [], {
    allowRedirects: false,
    allowRetries: false,
    keepAlive: false,
    socketTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  })
  const state: Progress = {
    hash: createHash('sha256'),
    written: 0,
    total: undefined,
    rangesAllowed: false,
    validator: undefined,
  }
  const get = keyedGet(http, options.api, options.info ?? (() => {}), controller.signal)
  const outOfTime = () => new VideoFetchError(`out of time after ${state.written} bytes`, false, undefined, true)
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await fetchOnce(get, url, partPath, state, maxBytes)
        await rename(partPath, destination)
        return { path: destination, bytes: state.written, sha256: state.hash.digest('hex') }
      } catch (error) {
        if (controller.signal.aborted) throw outOfTime()
        const failure =
          error instanceof VideoFetchError ? error : new VideoFetchError(describeNetworkError(error), true)
        if (!failure.retryable || attempt >= attempts) throw failure
        // The host's Retry-After (capped at 60 s, at least 1 s) counts as one of the attempts, like any failure.
        const delay = retryDelay(attempt, failure.retryAfterMs)
        if (Date.now() + delay >= deadline) throw outOfTime()
        const resume = resumeOffset(state) > 0 ? `resuming at byte ${state.written}` : 'starting over'
        log(
          `Download interrupted (${failure.message}); ${resume} in ${formatSeconds(delay)} (attempt ${attempt + 1} of ${attempts}).`,
        )
        await pause(delay)
      }
    }
  } catch (error) {
    await rm(partPath, { force: true })
    throw error
  } finally {
    clearTimeout(timer)
    http.dispose()
  }
}

interface Progress {
  hash: Hash
  written: number
  /** Full size, from Content-Length or Content-Range. */
  total: number | undefined
  /** The host said `Accept-Ranges: bytes`, so a cut transfer can continue where it stopped. */
  rangesAllowed: boolean
  /** The file's strong ETag, else its Last-Modified: sent as `If-Range`, so a file changed since is sent whole. */
  validator: string | undefined
}

/** Where the next try starts: after the bytes on disk, when the host can resume them safely; else at 0. */
function resumeOffset(state: Progress): number {
  return state.rangesAllowed && state.validator !== undefined ? state.written : 0
}

type Get = (url: string, headers: Record<string, string>) => Promise<HttpClientResponse>

/**
 * A GET that follows redirects itself and sends `Authorization` on each hop whose origin (scheme, host, port) is
 * exactly base-url's, and on no other. Says once, through `info`, which it did.
 */
function keyedGet(
  http: HttpClient,
  api: DownloadOptions['api'],
  info: (message: string) => void,
  signal: AbortSignal,
): Get {
  const apiOrigin = api ? new URL(api.baseUrl).origin : undefined
  const said = new Set<string>()
  const say = (line: string) => {
    if (!said.has(line)) info(line)
    said.add(line)
  }
  return async (url, headers) => {
    let current = httpUrl(url)
    let keyed = false
    for (let hop = 0; ; hop++) {
      const sameOrigin = api !== undefined && current.origin === apiOrigin
      if (sameOrigin) {
        say(`The video is on base-url's origin (${current.origin}): the API key is sent with its download.`)
      } else if (api && (keyed || hop === 0)) {
        const where = keyed ? `Redirected to ${current.origin}` : `Downloading the video from ${current.origin}`
        say(`${where}: not base-url's origin, so the API key is not sent there.`)
      }
      // A URL that carries the key (a provider echoing it) would hand it to another host in its query.
      if (api && !sameOrigin && carriesSecret(current.href, [api.apiKey])) {
        throw new VideoFetchError(
          `the video URL on ${current.origin} carries the API key, and the key goes nowhere but base-url's origin: not fetched`,
          false,
        )
      }
      keyed = sameOrigin
      const auth: Record<string, string> = sameOrigin ? { Authorization: `Bearer ${api.apiKey}` } : {}
      const response = await sendAbortable(http, 'GET', current.href, { ...headers, ...auth }, null, signal)
      const status = response.message.statusCode ?? 0
      const location = response.message.headers.location
      if (!REDIRECTS.has(status) || !location) return response
      response.message.resume()
      if (hop >= MAX_REDIRECTS)
        throw new VideoFetchError(`the video URL redirected more than ${MAX_REDIRECTS} times`, false)
      const next = new URL(location, current)
      if (next.protocol !== 'https:' && (next.protocol !== 'http:' || current.protocol === 'https:')) {
        throw new VideoFetchError(`the video URL redirected from ${current.protocol} to ${next.protocol}`, false)
      }
      current = next
    }
  }
}

/** The provider's video URL, refused (not retried) unless it is an absolute http(s) URL. */
function httpUrl(url: string): URL {
  const checked = checkUrl(url, { http: 'any' })
  if (checked.url) return checked.url
  throw new VideoFetchError(`the video URL is not an absolute http(s) URL: '${url.slice(0, 120)}'`, false)
}

async function fetchOnce(get: Get, url: string, partPath: string, state: Progress, maxBytes: number): Promise<void> {
  const resumeFrom = resumeOffset(state)
  // Opened before the request, so the body is read as soon as the answer arrives: a cut right after the headers
  // must not throw away bytes that already came in.
  const file = await open(partPath, resumeFrom > 0 ? 'a' : 'w')
  try {
    await receive(get, url, file, resumeFrom, state, maxBytes)
  } finally {
    await file.close()
  }
}

async function receive(
  get: Get,
  url: string,
  file: FileHandle,
  resumeFrom: number,
  state: Progress,
  maxBytes: number,
): Promise<void> {
  const response = await get(
    url,
    resumeFrom > 0 ? { Range: `bytes=${resumeFrom}-`, 'If-Range': state.validator as string } : {},
  )
  const message = response.message
  const status = message.statusCode ?? 0
  const resumed = status === 206 && resumeFrom > 0 && contentRangeStart(message.headers['content-range']) === resumeFrom

  if (status !== 200 && !resumed) {
    message.resume()
    if (status === 206) throw new VideoFetchError('the host answered a range request with the wrong range', true)
    if (GONE.has(status))
      throw new VideoFetchError(`the video URL answered HTTP ${status} (it has most likely expired)`, false)
    const retryable = status === 408 || status === 429 || status >= 500
    const retryAfterMs = retryable ? parseRetryAfter(message.headers['retry-after'], Date.now()) : undefined
    throw new VideoFetchError(`the video URL answered HTTP ${status}`, retryable, retryAfterMs)
  }
  if (!resumed) {
    // A fresh start (first try, or a host that ignored Range): drop what an earlier try wrote.
    state.hash = createHash('sha256')
    state.written = 0
    state.total = numberHeader(message.headers['content-length'])
    state.rangesAllowed = String(message.headers['accept-ranges'] ?? '').toLowerCase() === 'bytes'
    state.validator = validatorOf(message.headers)
    if (resumeFrom > 0) await file.truncate(0)
  } else {
    state.total = contentRangeTotal(message.headers['content-range']) ?? state.total
  }

  const tooLarge = () =>
    new VideoFetchError(
      `the file is larger than ${+(maxBytes / MiB).toFixed(2)} MiB, far more than any video the API makes, so it was not kept`,
      false,
    )
  if (state.total !== undefined && state.total > maxBytes) {
    message.destroy()
    throw tooLarge()
  }

  const contentType = String(message.headers['content-type'] ?? '')
  let head = Buffer.alloc(0)
  // Hash and count only what has reached the file, so a cut mid-transfer leaves the count equal to the bytes on
  // disk and a resume appends at exactly the right place.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      // Counted as it arrives, so a host that announces no size (or a wrong one) cannot send more.
      if (state.written + chunk.length > maxBytes) {
        done(tooLarge())
        return
      }
      if (state.written < 8) {
        head = Buffer.concat([head, chunk]).subarray(0, 8)
        if (head.length >= 8 && head.toString('latin1', 4, 8) !== 'ftyp') {
          done(
            new VideoFetchError(
              `the file is not an MP4 (no 'ftyp' box at its start; content type '${contentType || 'none'}')`,
              false,
            ),
          )
          return
        }
      }
      writeAll(file, chunk, state).then(() => done(), done)
    },
  })
  await pipeline(message, sink)

  if (state.total !== undefined && state.written !== state.total) {
    throw new VideoFetchError(`the transfer ended after ${state.written} of ${state.total} bytes`, true)
  }
  if (state.written < 8) throw new VideoFetchError(`the file is not an MP4 (only ${state.written} bytes)`, false)
}

/**
 * Writes `chunk` whole, counting and hashing what each write reports as written: a short write (a size limit, a
 * full disk) is continued, and a failed one leaves the count equal to the bytes on disk.
 */
async function writeAll(file: FileHandle, chunk: Buffer, state: Progress): Promise<void> {
  for (let offset = 0; offset < chunk.length;) {
    let written: number
    try {
      ;({ bytesWritten: written } = await file.write(chunk, offset, chunk.length - offset))
    } catch (error) {
      throw new VideoFetchError(`could not write the file: ${(error as Error).message}`, false)
    }
    if (written <= 0) throw new VideoFetchError('could not write the file: no byte was written', false)
    state.hash.update(chunk.subarray(offset, offset + written))
    state.written += written
    offset += written
  }
}

/** A strong ETag (a weak one cannot be used in If-Range), else Last-Modified; undefined when the host sends neither. */
function validatorOf(headers: IncomingHttpHeaders): string | undefined {
  const etag = headers.etag
  if (etag && !etag.startsWith('W/')) return etag
  return headers['last-modified'] || undefined
}

function numberHeader(value: string | string[] | undefined): number | undefined {
  const n = Number(Array.isArray(value) ? value[0] : value)
  return value !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined
}

/** `bytes 100-199/1000` → 100. */
function contentRangeStart(value: string | undefined): number | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(value ?? '')
  return match ? Number(match[1]) : undefined
}

/** `bytes 100-199/1000` → 1000. */
function contentRangeTotal(value: string | undefined): number | undefined {
  const match = /^bytes \d+-\d+\/(\d+)$/.exec(value ?? '')
  return match ? Number(match[1]) : undefined
}

function describeNetworkError(error: unknown): string {
  const err = error as NodeJS.ErrnoException
  if (err?.code === 'ECONNRESET' || err?.message === 'aborted') return 'the connection was cut'
  return err?.message ?? String(error)
}

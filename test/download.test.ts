// downloadVideo against the emulator's video host (another port of 127.0.0.1) and the API's own origin: the file a user gets is the
// provider's file, byte for byte, or nothing at all; the API key reaches base-url's origin only.

import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { downloadVideo, type DownloadOptions } from '../src/download.js'
import { VideoFetchError } from '../src/errors.js'
import { scenarios } from './emulator/scenarios.ts'
import { recordPauses } from './harness/pauses.ts'
import {
  loadFixtureVideo,
  startEmulator,
  type Emulator,
  type ScenarioName,
  type VideoHostBehaviour,
} from './emulator/server.ts'

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

/** The validators the emulator's video host sends for `file`, as `If-Range` must echo them. */
const validatorsOf = (file: Buffer) => ({
  etag: `"${createHash('md5').update(file).digest('hex')}"`,
  'last-modified': 'Mon, 02 Mar 2026 08:00:00 GMT',
})

const tiny = loadFixtureVideo()
// A video large enough to arrive in many chunks: the fixture's ftyp box, then 3 MiB of noise.
const large = Buffer.concat([tiny.subarray(0, 32), randomBytes(3 * 1024 * 1024)])
const MiB = 1024 * 1024

let emulator: Emulator
let dir: string
let pauses: number[]

beforeAll(async () => {
  emulator = await startEmulator()
})

afterAll(async () => {
  await emulator.close()
})

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grok-video-download-'))
  pauses = []
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Serves `video` from the video host; a named scenario's video behaviour when given a name. */
function serve(video: VideoHostBehaviour | ScenarioName): void {
  if (typeof video === 'string') emulator.setScenario(video)
  else emulator.setScenario({ name: 'download', poll: [{ status: 404 }], video })
}

const destination = () => join(dir, 'grok-video-job.mp4')

function download(options: DownloadOptions = {}, url = `${emulator.videoOrigin}/videos/job.mp4`) {
  return downloadVideo(url, destination(), {
    sleep: recordPauses(pauses),
    ...options,
  })
}

function expectNoCredentials(): void {
  expect(emulator.videoRequests().length).toBeGreaterThan(0)
  for (const request of emulator.videoRequests()) {
    expect(request.headers.authorization).toBeUndefined()
    expect(request.headers['proxy-authorization']).toBeUndefined()
    expect(JSON.stringify(request.headers)).not.toContain(emulator.apiKey)
  }
}

async function expectFile(expected: Buffer): Promise<void> {
  const onDisk = await readFile(destination())
  expect(onDisk.length).toBe(expected.length)
  expect(sha256(onDisk)).toBe(sha256(expected))
  expect(onDisk.equals(expected)).toBe(true)
  // Only the finished file is left: no `.part` beside it.
  expect(await readdir(dir)).toEqual(['grok-video-job.mp4'])
}

describe('downloadVideo: a healthy host', () => {
  it.each<{ name: string; video: VideoHostBehaviour | ScenarioName; expected: Buffer; requests: number }>([
    { name: 'the fixture MP4', video: {}, expected: tiny, requests: 1 },
    { name: 'a 3 MiB file that arrives in many chunks', video: { bytes: large }, expected: large, requests: 1 },
    { name: 'a response without Content-Length', video: { omitContentLength: true }, expected: tiny, requests: 1 },
    {
      name: 'a large response without Content-Length',
      video: { bytes: large, omitContentLength: true },
      expected: large,
      requests: 1,
    },
    { name: 'the video-redirects scenario (2 hops)', video: 'video-redirects', expected: tiny, requests: 3 },
    { name: 'a chain of 5 redirects', video: { redirects: 5 }, expected: tiny, requests: 6 },
  ])('stores $name byte for byte with its sha256 and size', async ({ video, expected, requests }) => {
    serve(video)

    const result = await download()

    expect(result).toEqual({ path: destination(), bytes: expected.length, sha256: sha256(expected) })
    await expectFile(expected)
    expect(emulator.videoRequests()).toHaveLength(requests)
    expect(pauses).toEqual([])
    expectNoCredentials()
  })

  it('follows every hop of a redirect chain to the file', async () => {
    serve({ redirects: 3 })

    await download()

    const hops = emulator.videoRequests().map((r) => new URL(r.path, emulator.videoOrigin).searchParams.get('hop'))
    expect(hops).toEqual([null, '1', '2', '3'])
    // No hop, the file's included, carries the API key or any other credential.
    expectNoCredentials()
  })
})

describe('downloadVideo: a transfer cut short once', () => {
  /** What the second request must carry: a Range from where the file on disk ends, or none (a fresh start). */
  type Second = { resumeAt: number } | { resumeAtMost: number } | 'restart'

  it.each<{ name: string; video: VideoHostBehaviour | ScenarioName; expected: Buffer; second: Second }>([
    // A clean cut (FIN) after one chunk: every byte sent arrived, so the resume starts exactly at the cut.
    {
      name: 'the video-truncated-once scenario',
      video: 'video-truncated-once',
      expected: tiny,
      second: { resumeAt: 1000 },
    },
    // After a reset, how much of the data in flight arrives is up to the network stack.
    {
      name: 'the video-reset-once scenario',
      video: 'video-reset-once',
      expected: tiny,
      second: { resumeAtMost: 1000 },
    },
    // Bytes still queued in the response when the cut came are dropped with it, and fetched again.
    {
      name: 'a truncated large file',
      video: { bytes: large, truncateAfter: MiB, failTimes: 1 },
      expected: large,
      second: { resumeAtMost: MiB },
    },
    {
      name: 'a reset large file',
      video: { bytes: large, resetAfter: MiB, failTimes: 1 },
      expected: large,
      second: { resumeAtMost: MiB },
    },
    {
      name: 'a truncation on a host without ranges',
      video: { truncateAfter: 1000, failTimes: 1, acceptRanges: false },
      expected: tiny,
      second: 'restart',
    },
    {
      name: 'a reset on a host without ranges',
      video: { resetAfter: 1000, failTimes: 1, acceptRanges: false },
      expected: tiny,
      second: 'restart',
    },
    {
      name: 'a truncated large file on a host without ranges',
      video: { bytes: large, truncateAfter: MiB, failTimes: 1, acceptRanges: false },
      expected: large,
      second: 'restart',
    },
  ])('recovers from $name and the file is still byte-identical', async ({ video, expected, second }) => {
    serve(video)

    const result = await download()

    expect(result).toEqual({ path: destination(), bytes: expected.length, sha256: sha256(expected) })
    await expectFile(expected)
    const requests = emulator.videoRequests()
    expect(requests).toHaveLength(2)
    expect(requests[0].headers.range).toBeUndefined()
    const range = requests[1].headers.range
    if (second === 'restart') {
      expect(range).toBeUndefined()
    } else if ('resumeAt' in second) {
      expect(range).toBe(`bytes=${second.resumeAt}-`)
    } else {
      const start = Number(/^bytes=(\d+)-$/.exec(String(range))?.[1])
      expect(start).toBeGreaterThan(0)
      expect(start).toBeLessThanOrEqual(second.resumeAtMost)
    }
    expect(pauses).toHaveLength(1)
    expectNoCredentials()
  })

  it.each([
    { validators: 'both', ifRange: 'etag' },
    { validators: 'etag', ifRange: 'etag' },
    { validators: 'last-modified', ifRange: 'last-modified' },
  ] as const)(
    'resumes with If-Range set to the $ifRange when the host sends $validators',
    async ({ validators, ifRange }) => {
      serve({ truncateAfter: 1000, failTimes: 1, validators })

      await download()

      await expectFile(tiny)
      const [first, second] = emulator.videoRequests()
      expect(first.headers['if-range']).toBeUndefined()
      expect(second.headers.range).toBe('bytes=1000-')
      expect(second.headers['if-range']).toBe(validatorsOf(tiny)[ifRange])
    },
  )

  it('starts over instead of resuming when the host names no validator to resume against', async () => {
    serve({ truncateAfter: 1000, failTimes: 1, validators: 'none' })

    await download()

    await expectFile(tiny)
    expect(emulator.videoRequests().map((r) => r.headers.range)).toEqual([undefined, undefined])
  })

  it.each(['both', 'last-modified'] as const)(
    'a file replaced at the host between tries is fetched whole, never spliced (validators: %s)',
    async (validators) => {
      // Same size, different bytes: only the validator tells the two apart.
      const replacement = Buffer.concat([tiny.subarray(0, 32), randomBytes(tiny.length - 32)])
      serve({ truncateAfter: 1000, failTimes: 1, changedTo: replacement, validators })

      const result = await download()

      expect(result).toEqual({ path: destination(), bytes: replacement.length, sha256: sha256(replacement) })
      await expectFile(replacement)
      const [, second] = emulator.videoRequests()
      expect(second.headers.range).toBe('bytes=1000-')
      expect(second.headers['if-range']).toBe(validatorsOf(tiny)[validators === 'both' ? 'etag' : 'last-modified'])
    },
  )

  it.each([
    { header: '3', pause: 3_000 },
    { header: '0', pause: 1_000 },
    { header: '3600', pause: 60_000 },
  ])(
    "waits a 429's Retry-After: $header from the video host ($pause ms), then gets the file",
    async ({ header, pause }) => {
      serve({ status: 429, retryAfter: header, failTimes: 1 })

      await download()

      await expectFile(tiny)
      expect(emulator.videoRequests()).toHaveLength(2)
      expect(pauses).toEqual([pause])
    },
  )

  it("keeps a 429's Retry-After within the download's attempts", async () => {
    serve({ status: 429, retryAfter: '2' })

    const error = await download({ attempts: 3 }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(VideoFetchError)
    expect((error as Error).message).toMatch(/HTTP 429/)
    expect(emulator.videoRequests()).toHaveLength(3)
    expect(pauses).toEqual([2_000, 2_000])
    expect(await readdir(dir)).toEqual([])
  })

  it('retries a 503 from the video host and gets the whole file', async () => {
    serve({ status: 503, failTimes: 1 })

    await download()

    await expectFile(tiny)
    expect(emulator.videoRequests()).toHaveLength(2)
  })
})

describe('downloadVideo: failures leave nothing behind', () => {
  const html = Buffer.from('<!DOCTYPE html><html><body>Access denied</body></html>')

  it.each<{
    name: string
    video: VideoHostBehaviour | ScenarioName
    options?: DownloadOptions
    message: RegExp
    requests: number
  }>([
    {
      name: 'the video-expired scenario (403)',
      video: 'video-expired',
      message: /HTTP 403.*likely expired/,
      requests: 1,
    },
    { name: 'a 403', video: { status: 403 }, message: /HTTP 403.*likely expired/, requests: 1 },
    { name: 'a 404', video: { status: 404 }, message: /HTTP 404.*likely expired/, requests: 1 },
    { name: 'a 410', video: { status: 410 }, message: /HTTP 410.*likely expired/, requests: 1 },
    { name: 'the video-not-mp4 scenario', video: 'video-not-mp4', message: /not an MP4/, requests: 1 },
    {
      name: 'an HTML page served as video/mp4',
      video: { bytes: html },
      message: /not an MP4/,
      requests: 1,
    },
    {
      name: 'an HTML page without Content-Length',
      video: { bytes: html, contentType: 'text/html', omitContentLength: true },
      message: /not an MP4/,
      requests: 1,
    },
    { name: 'a 4-byte body', video: { bytes: tiny.subarray(0, 4) }, message: /not an MP4/, requests: 1 },
    { name: 'an empty body', video: { bytes: Buffer.alloc(0) }, message: /not an MP4/, requests: 1 },
    {
      name: 'a transfer truncated on every try (3 attempts)',
      video: { truncateAfter: 100 },
      options: { attempts: 3 },
      message: /cut|ended after/,
      requests: 3,
    },
    {
      name: 'a transfer truncated on every try on a host without ranges (2 attempts)',
      video: { truncateAfter: 100, acceptRanges: false },
      options: { attempts: 2 },
      message: /cut|ended after/,
      requests: 2,
    },
    {
      name: 'a connection reset on every try (default attempts)',
      video: { resetAfter: 100, acceptRanges: false },
      message: /cut|reset|ended after/,
      requests: 4,
    },
    {
      name: 'a large file cut on every try',
      video: { bytes: large, truncateAfter: MiB / 4 },
      options: { attempts: 2 },
      message: /cut|ended after/,
      requests: 2,
    },
    {
      name: 'a 503 on every try',
      video: { status: 503 },
      options: { attempts: 3 },
      message: /HTTP 503/,
      requests: 3,
    },
  ])('$name fails with a clear error', async ({ video, options, message, requests }) => {
    serve(video)

    const failure = await download(options).then(
      () => undefined,
      (error: unknown) => error,
    )

    expect(failure).toBeInstanceOf(VideoFetchError)
    expect((failure as Error).message).toMatch(message)
    expect(emulator.videoRequests()).toHaveLength(requests)
    expect(pauses).toHaveLength(requests - 1)
    // Neither the destination nor `<destination>.part` is left for anyone to mistake for the video.
    expect(await readdir(dir)).toEqual([])
    expectNoCredentials()
  })

  it.each(['/v1/videos/job-1/content', 'ftp://127.0.0.1/videos/job.mp4', ''])(
    'refuses the video URL %j at once, without a request or a retry',
    async (url) => {
      serve({})

      await expect(download({}, url)).rejects.toThrow(/not an absolute http\(s\) URL/)
      expect(emulator.requests).toEqual([])
      expect(pauses).toEqual([])
      expect(await readdir(dir)).toEqual([])
    },
  )

  it('does not retry an expired URL even when the host would answer on a later try', async () => {
    serve({ status: 410, failTimes: 1 })

    await expect(download()).rejects.toThrow(/likely expired/)
    expect(emulator.videoRequests()).toHaveLength(1)
    expect(await readdir(dir)).toEqual([])
  })
})

describe('downloadVideo: bounded in bytes and in time', () => {
  it.each<{ name: string; video: VideoHostBehaviour }>([
    { name: 'announced in Content-Length', video: { bytes: large } },
    { name: 'sent without Content-Length', video: { bytes: large, omitContentLength: true } },
  ])('refuses a file over the cap ($name), says so, and leaves no part of it', async ({ video }) => {
    serve(video)

    const error = await download({ maxBytes: MiB }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(VideoFetchError)
    expect((error as VideoFetchError).message).toMatch(/^the file is larger than 1 MiB, .* so it was not kept$/)
    expect(await readdir(dir)).toEqual([])
    // Not asked again: the same URL would send the same file.
    expect(emulator.videoRequests()).toHaveLength(1)
  })

  it('takes a file of exactly the cap', async () => {
    serve({ bytes: large })

    await download({ maxBytes: large.length })

    await expectFile(large)
  })

  it('cuts a trickling transfer off at the deadline, closes its socket and leaves no part of it', async () => {
    // A byte every 100 ms: the socket is never idle, and the whole file would take minutes.
    serve({ trickleMs: 100 })
    const started = Date.now()

    const error = await download({ deadline: started + 600 }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(VideoFetchError)
    expect(error).toMatchObject({ outOfTime: true, retryable: false })
    expect((error as VideoFetchError).message).toMatch(/^out of time after \d+ bytes$/)
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(await readdir(dir)).toEqual([])
    await vi.waitFor(() => expect(emulator.videoRequests()[0].closedAt).toBeDefined(), { timeout: 1_000 })
  }, 10_000)

  it('does not wait out a Retry-After that ends past the deadline', async () => {
    serve({ status: 503, retryAfter: '30' })

    const error = await download({ deadline: Date.now() + 2_000 }).catch((e: unknown) => e)

    expect(error).toMatchObject({ outOfTime: true })
    expect(pauses).toEqual([])
    expect(emulator.videoRequests()).toHaveLength(1)
  })
})

describe('downloadVideo: the API key goes to base-url’s origin and nowhere else', () => {
  /** A job's video on the API's own origin (`/v1/videos/{id}/content`), which answers 401 without the key. */
  const onApi = () => `${emulator.apiOrigin}/v1/videos/job-1/content`
  const api = (baseUrl = emulator.xaiBaseUrl) => ({ baseUrl, apiKey: emulator.apiKey })
  const bearer = () => `Bearer ${emulator.apiKey}`

  function keyedDownload(url: string, options: DownloadOptions = {}) {
    const said: string[] = []
    const run = download({ info: (line) => void said.push(line), ...options }, url)
    return { run, said }
  }

  it.each([
    { root: 'xAI (/v1)', base: () => emulator.xaiBaseUrl },
    { root: 'CometAPI (/grok/v1)', base: () => emulator.cometBaseUrl },
  ])('sends the key to a video URL on base-url’s origin, $root, and says so', async ({ base }) => {
    emulator.setScenario('video-on-api-origin')

    const { run, said } = keyedDownload(onApi(), { api: api(base()) })

    expect(await run).toEqual({ path: destination(), bytes: tiny.length, sha256: sha256(tiny) })
    await expectFile(tiny)
    expect(emulator.apiVideoRequests().map((r) => r.headers.authorization)).toEqual([bearer()])
    expect(emulator.videoRequests()).toEqual([])
    expect(said).toEqual([
      `The video is on base-url's origin (${emulator.apiOrigin}): the API key is sent with its download.`,
    ])
  })

  it('without the key that URL answers 401: the download fails, and is not retried', async () => {
    emulator.setScenario('video-on-api-origin')

    await expect(keyedDownload(onApi()).run).rejects.toThrow(/HTTP 401/)
    expect(emulator.apiVideoRequests().map((r) => r.headers.authorization)).toEqual([undefined])
    expect(await readdir(dir)).toEqual([])
  })

  it('drops the key on a redirect from base-url’s origin to another origin, and says so', async () => {
    emulator.setScenario('video-on-api-origin-redirect')

    const { run, said } = keyedDownload(onApi(), { api: api() })

    await run
    await expectFile(tiny)
    expect(emulator.apiVideoRequests().map((r) => r.headers.authorization)).toEqual([bearer()])
    expect(emulator.videoRequests()).toHaveLength(1)
    expectNoCredentials()
    expect(said).toEqual([
      `The video is on base-url's origin (${emulator.apiOrigin}): the API key is sent with its download.`,
      `Redirected to ${emulator.videoOrigin}: not base-url's origin, so the API key is not sent there.`,
    ])
  })

  it('keeps the key on a resumed request to base-url’s origin', async () => {
    emulator.setScenario({ ...scenarios['video-on-api-origin'], video: { resetAfter: 1000, failTimes: 1 } })

    await keyedDownload(onApi(), { api: api() }).run

    await expectFile(tiny)
    const requests = emulator.apiVideoRequests()
    expect(requests.map((r) => r.headers.authorization)).toEqual([bearer(), bearer()])
    expect(requests[1].headers.range).toMatch(/^bytes=\d+-$/)
  })

  it('never sends the key to another origin, and says so', async () => {
    serve({ redirects: 2 })

    const { run, said } = keyedDownload(`${emulator.videoOrigin}/videos/job.mp4`, { api: api() })

    await run
    expectNoCredentials()
    expect(emulator.apiVideoRequests()).toEqual([])
    expect(said).toEqual([
      `Downloading the video from ${emulator.videoOrigin}: not base-url's origin, so the API key is not sent there.`,
    ])
  })

  it('never sends the key to the same host on another port', async () => {
    const seen: Array<string | undefined> = []
    const other = createServer((req, res) => {
      seen.push(req.headers.authorization)
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': tiny.length }).end(tiny)
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = other.address() as AddressInfo
      expect(`http://127.0.0.1:${port}`).not.toBe(emulator.apiOrigin)

      await keyedDownload(`http://127.0.0.1:${port}/v1/videos/job-1/content`, { api: api() }).run

      await expectFile(tiny)
      expect(seen).toEqual([undefined])
    } finally {
      await new Promise((resolve) => other.close(resolve))
    }
  })

  it('never sends the key over another scheme (base-url https, video URL http on the same host and port)', async () => {
    emulator.setScenario('video-on-api-origin')

    const https = emulator.xaiBaseUrl.replace(/^http:/, 'https:')
    await expect(keyedDownload(onApi(), { api: api(https) }).run).rejects.toThrow(/HTTP 401/)
    expect(emulator.apiVideoRequests().map((r) => r.headers.authorization)).toEqual([undefined])
  })
})

import { describe, expect, it } from 'vitest'
import { InputError } from '../src/errors.js'
import {
  checkPublicUrlTarget,
  cacheablePublicUrl,
  publicUrlFromCache,
  readPublicUrl,
  storageFilename,
  takeStoredOutput,
  withStorageOptions,
} from '../src/public-url.js'
import type { RunResult } from '../src/report.js'

const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? ''
const REQUEST = { prompt: 'A lighthouse at dusk.', model: 'grok-imagine-video', duration: 5 }
const PUBLIC = 'https://files.x.ai/public/lighthouse.mp4'

describe('readPublicUrl', () => {
  it('is off by default, permanent without an expiry, and takes seconds from one hour to thirty days', () => {
    expect(readPublicUrl(inputs({}), 'false')).toBeUndefined()
    expect(readPublicUrl(inputs({ 'public-url': 'true' }), 'false')).toEqual({})
    expect(readPublicUrl(inputs({ 'public-url': 'true', 'public-url-expires-seconds': '3600' }), 'false')).toEqual({
      expiresSeconds: 3600,
    })
    expect(readPublicUrl(inputs({ 'public-url': 'true', 'public-url-expires-seconds': '2592000' }), 'false')).toEqual({
      expiresSeconds: 2_592_000,
    })
  })

  it.each(['3599', '2592001', '1.5', '-3600', '1h'])(
    'refuses an expiry of %s, naming the input and the range',
    (text) => {
      expect(() =>
        readPublicUrl(inputs({ 'public-url': 'true', 'public-url-expires-seconds': text }), 'false'),
      ).toThrow(/^Input 'public-url-expires-seconds' must be a whole number (of seconds )?from 3600 to 2592000/)
    },
  )

  it('refuses an expiry without public-url: true', () => {
    expect(() => readPublicUrl(inputs({ 'public-url-expires-seconds': '3600' }), 'false')).toThrow(
      "Input 'public-url-expires-seconds' is set but 'public-url' is not 'true'",
    )
  })
})

describe('checkPublicUrlTarget', () => {
  it('refuses CometAPI, an edit and upload-url; takes xAI generations and extensions', () => {
    const setting = {}
    const refused = (context: Parameters<typeof checkPublicUrlTarget>[1]) => {
      try {
        checkPublicUrlTarget(setting, context)
      } catch (error) {
        return (error as InputError).input
      }
      return undefined
    }
    expect(refused({ apiFamily: 'CometAPI', operation: 'generate' })).toBe('public-url')
    expect(refused({ apiFamily: 'xAI', operation: 'edit' })).toBe('public-url')
    expect(refused({ apiFamily: 'xAI', operation: 'generate', uploadUrl: 'https://s.example.com/a?sig=1' })).toBe(
      'public-url',
    )
    expect(refused({ apiFamily: 'xAI', operation: 'generate' })).toBeUndefined()
    expect(refused({ apiFamily: 'xAI', operation: 'extend' })).toBeUndefined()
    expect(() => checkPublicUrlTarget(undefined, { apiFamily: 'CometAPI', operation: 'edit' })).not.toThrow()
  })
})

describe('storage_options', () => {
  it('names the file after the artifact name, made safe, ending in .mp4', () => {
    expect(withStorageOptions(REQUEST, { expiresSeconds: 7200 }, 'nightly intro/v2')).toEqual({
      ...REQUEST,
      storage_options: { filename: 'nightly-intro-v2.mp4', public_url: true, expires_after: 7200 },
    })
    expect(storageFilename('..hidden')).toBe('hidden.mp4')
    expect(storageFilename('ünïcode name')).toBe('n-code-name.mp4')
    expect(storageFilename('a'.repeat(300))).toBe(`${'a'.repeat(96)}.mp4`)
  })

  it('names it after a short hash of the request without an artifact name: the same request, the same name', () => {
    const first = withStorageOptions(REQUEST, {}, undefined).storage_options
    expect(first?.filename).toMatch(/^grok-video-[0-9a-f]{12}\.mp4$/)
    expect(first).toEqual({ filename: first?.filename, public_url: true })
    expect(withStorageOptions(REQUEST, {}, undefined).storage_options?.filename).toBe(first?.filename)
    expect(withStorageOptions({ ...REQUEST, prompt: 'Another.' }, {}, undefined).storage_options?.filename).not.toBe(
      first?.filename,
    )
  })
})

describe('takeStoredOutput', () => {
  const result = (expiresAfter?: number): RunResult => ({
    provider: 'xAI',
    baseUrl: 'https://api.x.ai/v1',
    request: withStorageOptions(REQUEST, { expiresSeconds: expiresAfter }, 'intro'),
    timings: { startedAt: new Date(0) },
  })
  const log = () => {
    const lines: string[] = []
    return { lines, events: { info: (m: string) => lines.push(m), warning: (m: string) => lines.push(`W ${m}`) } }
  }

  it('keeps the URL with its expiry counted from the create, or none when permanent', () => {
    const created = Date.parse('2026-12-07T05:00:00Z')
    const expiring = result(3600)
    const { events, lines } = log()
    takeStoredOutput(
      expiring,
      { publicUrl: PUBLIC, fileId: 'file-1' },
      { createdAt: created, requestId: 'r', secrets: [] },
      events,
    )
    expect(expiring.publicUrl).toEqual({ url: PUBLIC, fileId: 'file-1', expiresAt: '2026-12-07T06:00:00.000Z' })
    const permanent = result()
    takeStoredOutput(permanent, { publicUrl: PUBLIC }, { createdAt: created, requestId: 'r', secrets: [] }, events)
    expect(permanent.publicUrl).toEqual({ url: PUBLIC })
    expect(lines).toEqual([])
  })

  it('warns of a storage_error, scrubbed, and reports no URL', () => {
    const run = result()
    const { events, lines } = log()
    takeStoredOutput(
      run,
      { error: 'denied for key sk-secret-1' },
      { createdAt: 0, requestId: 'r-1', secrets: ['sk-secret-1'] },
      events,
    )
    expect(run.publicUrl).toBeUndefined()
    expect(lines).toEqual([
      "W Job r-1: the provider could not keep the video at a public URL (storage_error: denied for key ***); the video was downloaded as usual, so 'public-url' is empty.",
    ])
  })

  it('warns of a URL that is not https, and of one that carries a secret, and reports neither', () => {
    const run = result()
    const { events, lines } = log()
    takeStoredOutput(run, { refusedUrl: "a 'http' URL" }, { createdAt: 0, requestId: 'r-2', secrets: [] }, events)
    takeStoredOutput(
      run,
      { publicUrl: `${PUBLIC}?k=sk-9` },
      { createdAt: 0, requestId: 'r-2', secrets: ['sk-9'] },
      events,
    )
    expect(run.publicUrl).toBeUndefined()
    expect(lines).toEqual([
      "W Job r-2: the provider's public URL is not an https URL (a 'http' URL): it is not reported.",
      "W Job r-2: the provider's public URL carries a secret of this run: it is not reported.",
    ])
  })

  it("a resumed job's expiry is unknown, never permanent, whatever the resuming step asks", () => {
    for (const run of [result(), result(3600)]) {
      const { events } = log()
      takeStoredOutput(run, { publicUrl: PUBLIC }, { createdAt: 0, requestId: 'r', secrets: [], resumed: true }, events)
      expect(run.publicUrl).toEqual({ url: PUBLIC, expiryUnknown: true })
    }
  })

  it('with caching, a URL asked for and not stored says the video is not cached; cacheablePublicUrl agrees', () => {
    const run = result()
    const { events, lines } = log()
    takeStoredOutput(run, undefined, { createdAt: 0, requestId: 'r-3', secrets: [], caching: true }, events)
    expect(lines).toEqual([
      "W Job r-3: the provider answered no public URL, so 'public-url' is empty. The video is not saved to the cache, so the next run asks again.",
    ])
    expect(cacheablePublicUrl({}, run)).toBe(false)
    expect(cacheablePublicUrl(undefined, run)).toBe(true)
    takeStoredOutput(run, { publicUrl: PUBLIC }, { createdAt: 0, requestId: 'r-3', secrets: [] }, events)
    expect(cacheablePublicUrl({}, run)).toBe(true)
  })
})

describe('publicUrlFromCache', () => {
  const now = Date.parse('2026-12-07T05:00:00Z')
  it('reports a permanent URL, and an expiring one while it lasts', () => {
    const said: string[] = []
    expect(
      publicUrlFromCache({ url: PUBLIC }, now, { info: (m) => said.push(m), warning: (m) => said.push(m) }),
    ).toEqual({ url: PUBLIC })
    const later = { url: PUBLIC, expiresAt: '2026-12-07T05:00:01.000Z' }
    expect(publicUrlFromCache(later, now, { info: (m) => said.push(m), warning: (m) => said.push(m) })).toEqual(later)
    expect(said).toEqual([])
  })

  it('leaves out an expired URL and says so', () => {
    const said: string[] = []
    expect(
      publicUrlFromCache({ url: PUBLIC, expiresAt: '2026-12-07T05:00:00.000Z' }, now, {
        info: (m) => said.push(m),
        warning: (m) => said.push(m),
      }),
    ).toBeUndefined()
    expect(said).toEqual(["The cached video's public URL expired at 2026-12-07T05:00:00.000Z: 'public-url' is empty."])
  })

  it.each(['javascript:alert(1)//x', 'http://files.example.com/a.mp4', 'https://user:pw@files.example.com/a.mp4'])(
    'checks a restored URL again: %s is not reported, and a warning says so',
    (url) => {
      const said: string[] = []
      expect(
        publicUrlFromCache({ url }, now, { info: (m) => said.push(m), warning: (m) => said.push(`W ${m}`) }),
      ).toBeUndefined()
      expect(said).toEqual([
        "W The cached video's public URL is not a plain https URL: it is not reported, so 'public-url' is empty.",
      ])
    },
  )
})

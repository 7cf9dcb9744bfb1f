// Drives the real @actions/cache client (cache service v2, with its tar and zstd/gzip steps) against the
// CacheService of the fake results service, so the fake is checked against the client the action will use.

import { restoreCache, saveCache } from '@actions/cache'
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CACHE_SERVICE, startResultsService, type ResultsServiceFake } from './results-service.ts'
import { callTwirp } from './twirp-client.ts'

// Variables the client reads besides the fake's env; cleared so the host's values cannot leak in.
const CLEARED_ENV = [
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_MODE',
  'CACHE_UPLOAD_CONCURRENCY',
  'CACHE_UPLOAD_CHUNK_SIZE',
  'SEGMENT_DOWNLOAD_TIMEOUT_MINS',
  // RUNNER_DEBUG=1 would add a tar listing to every save and restore.
  'RUNNER_DEBUG',
]

// The client compresses with zstd when `zstd --version` runs, and falls back to gzip otherwise.
const zstdPresent = spawnSync('zstd', ['--version']).status === 0
const expectedCompression = zstdPresent ? 'zstd-without-long' : 'gzip'

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex')

function compressionOf(archive: Buffer): string {
  if (archive.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd-without-long'
  if (archive.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))) return 'gzip'
  return 'unknown'
}

let fake: ResultsServiceFake
let root: string
let savedEnv: Map<string, string | undefined>
let log: string[]
const startDir = process.cwd()

beforeEach(async (context) => {
  root = await mkdtemp(join(tmpdir(), 'cache-fake-'))
  await mkdir(join(root, 'runner-temp'))
  fake = await startResultsService()
  const env: Record<string, string | undefined> = {
    ...fake.env,
    // The client keeps its archives under RUNNER_TEMP (else /home/actions/temp), and leaves folders there.
    RUNNER_TEMP: join(root, 'runner-temp'),
    GITHUB_WORKSPACE: undefined,
  }
  for (const name of CLEARED_ENV) env[name] = undefined
  savedEnv = new Map(Object.keys(env).map((name) => [name, process.env[name]]))
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  // @actions/core and @actions/exec write workflow commands and tar's command line to stdout: keep them
  // for assertions, and show them only when a test fails.
  log = []
  const write = process.stdout.write.bind(process.stdout)
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    log.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  })
  context.onTestFailed(() => {
    write(log.join(''))
  })
})

afterEach(async () => {
  vi.restoreAllMocks()
  process.chdir(startDir)
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await fake.close()
  await rm(root, { recursive: true, force: true })
})

/** A fresh workspace, made current as on a runner: the client globs relative paths from the cwd. */
async function enterWorkspace(name: string): Promise<string> {
  const dir = join(root, name)
  await mkdir(dir, { recursive: true })
  process.env.GITHUB_WORKSPACE = dir
  process.chdir(dir)
  return dir
}

const calls = (method: string): number =>
  fake.requests.filter((r) => r.path === `/twirp/${CACHE_SERVICE}/${method}`).length

function blobPuts(comp?: string): number {
  return fake.requests.filter((r) => {
    if (r.method !== 'PUT' || !r.path.startsWith('/blob/')) return false
    return (new URL(r.path, fake.origin).searchParams.get('comp') ?? undefined) === comp
  }).length
}

describe('fake cache service with the real @actions/cache client', () => {
  it('misses on an empty cache: restoreCache returns undefined without touching blob storage', async () => {
    await enterWorkspace('ws')

    expect(await restoreCache(['videos'], 'video-none', ['video-'])).toBeUndefined()

    expect(calls('GetCacheEntryDownloadURL')).toBe(1)
    expect(fake.requests.some((r) => r.path.startsWith('/blob/'))).toBe(false)
    expect(fake.caches).toEqual([])
  })

  it('saves a directory and restores it byte for byte into a fresh workspace', async () => {
    const first = await enterWorkspace('ws-a')
    const clip = randomBytes(1024 * 1024)
    const meta = Buffer.from('{"prompt":"a red fox"}\n')
    await mkdir(join(first, 'videos'))
    await writeFile(join(first, 'videos', 'clip.mp4'), clip)
    await writeFile(join(first, 'videos', 'meta.json'), meta)

    const id = await saveCache(['videos'], 'video-abc')

    expect(fake.caches).toHaveLength(1)
    const entry = fake.caches[0]
    expect(id).toBe(entry.id)
    expect(entry).toMatchObject({ key: 'video-abc', finalized: true, size: entry.bytes.length })
    expect(compressionOf(entry.bytes)).toBe(expectedCompression)
    // The client's version: sha256 of the path patterns, the compression method and a salt, joined by '|'.
    expect(entry.version).toBe(sha256(['videos', expectedCompression, '1.0'].join('|')))
    // v2 uploads up to 128 MiB as one Put Blob.
    expect(blobPuts()).toBe(1)
    expect(blobPuts('block')).toBe(0)

    const second = await enterWorkspace('ws-b')
    expect(await restoreCache(['videos'], 'video-abc')).toBe('video-abc')

    expect((await readFile(join(second, 'videos', 'clip.mp4'))).equals(clip)).toBe(true)
    expect((await readFile(join(second, 'videos', 'meta.json'))).equals(meta)).toBe(true)
    expect(log.join('')).toContain('Cache hit for: video-abc')
  })

  it('falls back to the newest prefix match of the key, then of the restore keys in order', async () => {
    const ws = await enterWorkspace('ws')
    await mkdir(join(ws, 'videos'))
    const save = async (key: string): Promise<void> => {
      await writeFile(join(ws, 'videos', 'which.txt'), key)
      expect(await saveCache(['videos'], key)).toBeGreaterThan(0)
    }
    await save('video-v1-aaa')
    await save('video-v1-aaa-rebuilt')
    await save('video-v1-bbb')
    await save('other-zzz')
    const restore = async (key: string, restoreKeys?: string[]): Promise<[string | undefined, string]> => {
      await rm(join(ws, 'videos'), { recursive: true, force: true })
      const hit = await restoreCache(['videos'], key, restoreKeys)
      const content = await readFile(join(ws, 'videos', 'which.txt'), 'utf8').catch(() => '(none)')
      return [hit, content]
    }

    expect(await restore('video-v2-ccc', ['video-v3-', 'video-v1-', 'other-'])).toEqual([
      'video-v1-bbb',
      'video-v1-bbb',
    ])
    expect(log.join('')).toContain('Cache hit for restore-key: video-v1-bbb')
    // An exact restore key wins over newer entries it is also a prefix of.
    expect(await restore('nothing', ['video-v1-aaa', 'video-'])).toEqual(['video-v1-aaa', 'video-v1-aaa'])
    expect(await restore('video-v1')).toEqual(['video-v1-bbb', 'video-v1-bbb'])
    // Other paths give another version, and entries of another version never match.
    expect(await restoreCache(['elsewhere'], 'video-v1-aaa', ['video-'])).toBeUndefined()
  })

  it('refuses a second save of the same key with 409, which the client logs and reports as -1', async () => {
    const ws = await enterWorkspace('ws')
    await mkdir(join(ws, 'videos'))
    await writeFile(join(ws, 'videos', 'clip.mp4'), 'first')
    const id = await saveCache(['videos'], 'video-dup')
    await writeFile(join(ws, 'videos', 'clip.mp4'), 'second')
    log.length = 0

    await expect(saveCache(['videos'], 'video-dup')).resolves.toBe(-1)

    expect(id).toBeGreaterThan(0)
    expect(fake.caches).toHaveLength(1)
    expect(calls('CreateCacheEntry')).toBe(2)
    expect(calls('FinalizeCacheEntryUpload')).toBe(1)
    expect(blobPuts()).toBe(1)
    const output = log.join('')
    // A plain info line, not a warning: the client takes the conflict for another job saving the same cache.
    expect(output).toContain(
      'Failed to save: Unable to reserve cache with key video-dup, another job may be creating this cache.',
    )
    expect(output).toContain('(409) Conflict: cache entry with the same key, version, and scope already exists')
    expect(output).not.toContain('::warning::')
    expect(output).not.toContain('::error::')
  })

  it('round-trips a 12 MiB file saved by absolute path', async () => {
    await enterWorkspace('ws')
    const dir = join(root, 'out')
    const big = randomBytes(12 * 1024 * 1024)
    await mkdir(dir)
    await writeFile(join(dir, 'big.mp4'), big)

    expect(await saveCache([dir], 'video-big')).toBe(fake.caches[0].id)
    // Random bytes do not compress: the archive is past 12 MiB and still goes up as one Put Blob.
    expect(fake.caches[0].size).toBeGreaterThan(big.length)
    expect(blobPuts()).toBe(1)

    await rm(dir, { recursive: true })
    expect(await restoreCache([dir], 'video-big')).toBe('video-big')
    expect((await readFile(join(dir, 'big.mp4'))).equals(big)).toBe(true)
  })
})

describe('fake cache service wire protocol', () => {
  const cache = (method: string, body: unknown, headers?: Record<string, string>) =>
    callTwirp(fake, CACHE_SERVICE, method, body, headers)
  const version = sha256('videos|gzip|1.0')

  it('refuses to reserve a key and version that is still being written, and does not serve it', async () => {
    const created = await cache('CreateCacheEntry', { key: 'k', version })
    expect(created).toMatchObject({ status: 200, json: { ok: true } })
    expect(new URL(created.json.signed_upload_url as string).origin).toBe(fake.origin)

    expect(await cache('CreateCacheEntry', { key: 'k', version })).toMatchObject({
      status: 409,
      json: { code: 'already_exists' },
    })
    // The same key with another version is another entry.
    expect(await cache('CreateCacheEntry', { key: 'k', version: sha256('other') })).toMatchObject({ status: 200 })
    expect(await cache('GetCacheEntryDownloadURL', { key: 'k', version })).toEqual({
      status: 200,
      json: { ok: false, signed_download_url: '', matched_key: '' },
    })
    expect(fake.caches.map((c) => c.finalized)).toEqual([false, false])
  })

  it('finalizes only an uploaded entry of the declared size, and serves it afterwards', async () => {
    expect(await cache('FinalizeCacheEntryUpload', { key: 'none', version, size_bytes: '1' })).toMatchObject({
      status: 404,
      json: { code: 'not_found' },
    })
    const created = await cache('CreateCacheEntry', { key: 'k', version })
    const uploadUrl = created.json.signed_upload_url as string
    expect(await cache('FinalizeCacheEntryUpload', { key: 'k', version, size_bytes: '5' })).toMatchObject({
      status: 412,
      json: { code: 'failed_precondition' },
    })
    const put = await fetch(uploadUrl, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'hello' })
    expect(put.status).toBe(201)
    expect(await cache('FinalizeCacheEntryUpload', { key: 'k', version, size_bytes: '4' })).toMatchObject({
      status: 400,
      json: { code: 'invalid_argument' },
    })

    const finalized = await cache('FinalizeCacheEntryUpload', { key: 'k', version, size_bytes: '5' })
    expect(finalized).toEqual({ status: 200, json: { ok: true, entry_id: String(fake.caches[0].id), message: '' } })
    expect(await cache('FinalizeCacheEntryUpload', { key: 'k', version, size_bytes: '5' })).toMatchObject({
      status: 409,
    })
    expect(await cache('CreateCacheEntry', { key: 'k', version })).toMatchObject({ status: 409 })

    const found = await cache('GetCacheEntryDownloadURL', { key: 'k', version })
    expect(found).toMatchObject({ status: 200, json: { ok: true, matched_key: 'k' } })
    expect(await (await fetch(found.json.signed_download_url as string)).text()).toBe('hello')
    // A download URL does not grant writes.
    const overwrite = await fetch(found.json.signed_download_url as string, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'evil',
    })
    expect(overwrite.status).toBe(403)
  })

  it('keeps each fake instance to its own cache and checks the runtime token', async () => {
    const created = await cache('CreateCacheEntry', { key: 'mine', version })
    await fetch(created.json.signed_upload_url as string, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    })
    await cache('FinalizeCacheEntryUpload', { key: 'mine', version, size_bytes: '1' })

    const other = await startResultsService()
    try {
      const lookup = await callTwirp(other, CACHE_SERVICE, 'GetCacheEntryDownloadURL', { key: 'mine', version })
      expect(lookup).toMatchObject({ status: 200, json: { ok: false } })
      expect(other.caches).toEqual([])
    } finally {
      await other.close()
    }
    const forged = await cache('GetCacheEntryDownloadURL', { key: 'mine', version }, { authorization: 'Bearer nope' })
    expect(forged).toMatchObject({ status: 401, json: { code: 'unauthenticated' } })
    expect(await cache('CreateCacheEntry', { key: 'no-version' })).toMatchObject({
      status: 400,
      json: { code: 'invalid_argument' },
    })
  })
})

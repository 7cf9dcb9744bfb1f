/**
 * Finding ffmpeg, and fetching the pinned one for `preview: true`: the runner's own `npm pack` against a loopback
 * registry that serves the real tarball of the pinned version (from npm's cache, where `npm ci` put it), the
 * SHA-512 check, the tool cache, and the failures, each a sentence with the fix.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { FFMPEG_PACKAGES, locateFfmpeg } from '../src/ffmpeg.js'
import { integrityOf, startNpmRegistry, type NpmRegistryFake } from './fakes/npm-registry.ts'
import { FFMPEG, FFMPEG_TESTS, tarballFromNpmCache, toolsOnlyPath } from './harness/ffmpeg.ts'
import { ROOT } from './harness/runner.ts'

const PINNED = FFMPEG_PACKAGES['linux-x64']
let tarball: Buffer
let tools: string
const cleanup: (() => Promise<void>)[] = []
beforeAll(async () => {
  tarball = await tarballFromNpmCache(PINNED.integrity)
  tools = await toolsOnlyPath()
})
afterEach(async () => {
  vi.unstubAllEnvs()
  await Promise.all(cleanup.splice(0).map((close) => close()))
})

/** A runner without ffmpeg: its PATH has only npm, tar and gzip; npm's cache and HOME are empty. */
async function bareRunner(registry?: NpmRegistryFake): Promise<{ toolCache: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ffmpeg-fetch-test-'))
  cleanup.push(() => rm(root, { recursive: true, force: true }))
  const toolCache = path.join(root, 'tool-cache')
  await mkdir(path.join(root, 'temp'))
  vi.stubEnv('PATH', tools)
  vi.stubEnv('HOME', root)
  vi.stubEnv('RUNNER_TOOL_CACHE', toolCache)
  vi.stubEnv('RUNNER_TEMP', path.join(root, 'temp'))
  vi.stubEnv('npm_config_cache', path.join(root, 'npm-cache'))
  vi.stubEnv('npm_config_userconfig', path.join(root, 'npmrc'))
  if (registry) vi.stubEnv('npm_config_registry', registry.url)
  return { toolCache }
}

async function registryServing(bytes: Buffer): Promise<NpmRegistryFake> {
  const registry = await startNpmRegistry({ name: PINNED.name, version: PINNED.version, tarball: bytes })
  cleanup.push(() => registry.close())
  return registry
}

const log = () => {
  const lines: string[] = []
  return { lines, log: (m: string) => lines.push(m) }
}

describe.runIf(FFMPEG_TESTS)('locateFfmpeg', () => {
  it("the pin is the registry's own integrity of the version the lockfile installs", async () => {
    const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; integrity?: string }>
    }
    expect(lock.packages[`node_modules/${PINNED.name}`]).toMatchObject({
      version: PINNED.version,
      integrity: PINNED.integrity,
    })
    expect(integrityOf(tarball)).toBe(PINNED.integrity)
  })

  it("'true' without ffmpeg on PATH: npm pack from the configured registry, SHA-512 checked, into the tool cache", async () => {
    const registry = await registryServing(tarball)
    const { toolCache } = await bareRunner(registry)
    const { lines, log: say } = log()
    const found = await locateFfmpeg('true', { log: say })
    expect(found).toEqual({ path: path.join(toolCache, 'ffmpeg-installer', '4.1.0', 'x64', 'ffmpeg'), source: 'npm' })
    // npm reads the package's metadata (it may ask twice), then fetches the tarball once.
    expect(new Set(registry.requests)).toEqual(new Set([`/${PINNED.name}`, `/${PINNED.name}/-/linux-x64-4.1.0.tgz`]))
    expect(registry.requests.filter((request) => request.endsWith('.tgz'))).toHaveLength(1)
    expect(existsSync(path.join(toolCache, 'ffmpeg-installer', '4.1.0', 'x64.complete'))).toBe(true)
    const version = execFileSync((found as { path: string }).path, ['-hide_banner', '-version'], { encoding: 'utf8' })
    expect(version).toMatch(/^ffmpeg version /)
    expect(lines.join('\n')).toContain('SHA-512 verified')

    // The next step (or run, on a self-hosted runner) finds it in the tool cache: nothing is fetched again.
    const asked = registry.requests.length
    const again = await locateFfmpeg('true', { log: say })
    expect(again).toEqual({ ...found, source: 'tool cache' })
    expect(registry.requests).toHaveLength(asked)
  })

  it('a tarball that is not the pinned one is refused, even when the registry vouches for it', async () => {
    // The same files, packed again: a valid tarball whose bytes (and so SHA-512) differ from the published one.
    const repacked = gzipSync(gunzipSync(tarball), { level: 1 })
    const registry = await registryServing(repacked)
    const { toolCache } = await bareRunner(registry)
    const found = await locateFfmpeg('true', { log: () => {} })
    const { missing } = found as { missing: string }
    expect(missing).toContain(`not the pinned ${PINNED.integrity}; it was not used`)
    expect(missing).toMatch(/npm config get registry/)
    expect(existsSync(path.join(toolCache, 'ffmpeg-installer'))).toBe(false)
  })

  it('a registry without the package: the npm failure, and what to do', async () => {
    const registry = await startNpmRegistry({ name: '@someone/else', version: '1.0.0', tarball: Buffer.from('x') })
    cleanup.push(() => registry.close())
    await bareRunner(registry)
    const found = await locateFfmpeg('true', { log: () => {} })
    expect((found as { missing: string }).missing).toMatch(
      /^'npm pack @ffmpeg-installer\/linux-x64@4\.1\.0' failed: .*404.* Check that npm can reach its registry/,
    )
  })

  it("'auto' without ffmpeg on PATH asks no registry and says how to get a preview", async () => {
    const registry = await registryServing(tarball)
    await bareRunner(registry)
    expect(await locateFfmpeg('auto', { log: () => {} })).toEqual({
      missing:
        "no ffmpeg on PATH. Set 'preview: true' to fetch a pinned, checksum-verified ffmpeg, or install ffmpeg in " +
        "an earlier step; 'preview: false' silences this.",
    })
    expect(registry.requests).toEqual([])
  })

  it('an ffmpeg on PATH is used as it is, in either mode, without asking a registry', async () => {
    const registry = await registryServing(tarball)
    await bareRunner(registry)
    vi.stubEnv('PATH', `${tools}${path.delimiter}${path.dirname(FFMPEG)}`)
    for (const mode of ['auto', 'true'] as const)
      expect(await locateFfmpeg(mode, { log: () => {} })).toEqual({ path: FFMPEG, source: 'PATH' })
    expect(registry.requests).toEqual([])
  })
})

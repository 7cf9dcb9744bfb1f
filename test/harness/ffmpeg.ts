/**
 * Real ffmpeg for tests, from the optional dependency @ffmpeg-installer/linux-x64 (so `npm ci` is enough; it stands
 * for an ffmpeg a user put on PATH, and makes the test clips): clips made by it, a reader of GIF structure, the mean
 * brightness of a picture, PATHs with and without ffmpeg, programs that record how they were run, and the pinned
 * packages' own tarballs as npm's cache holds them.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from './runner.ts'

export const FFMPEG = path.join(ROOT, 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg')

/**
 * Trap: npm installs that optional dependency on Linux x64 only, and the fake registry serves its tarball; on
 * Windows and macOS the tests that run ffmpeg are skipped (those of the action without ffmpeg still run).
 */
export const FFMPEG_TESTS = process.platform === 'linux' && process.arch === 'x64'

export interface ClipOptions {
  seconds: number
  size?: string
  /** Full-frame noise: a clip that compresses badly into a GIF. */
  noise?: boolean
}

/** An H.264 (High profile) MP4 of ffmpeg's moving test pattern, fading in from a black first frame. */
export function makeClip(file: string, { seconds, size = '1280x720', noise = false }: ClipOptions): string {
  const source = `testsrc2=size=${size}:rate=24,fade=in:0:6${noise ? ',noise=alls=100:allf=t+u' : ''}`
  execFileSync(FFMPEG, [
    ...['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-t', String(seconds)],
    ...['-c:v', 'libx264', '-profile:v', 'high', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', file],
  ])
  return file
}

/** What ffmpeg says of a file's streams (its stderr when given no output). */
export function describeMedia(file: string): string {
  try {
    execFileSync(FFMPEG, ['-hide_banner', '-nostdin', '-i', file], { stdio: 'pipe' })
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? '')
  }
  return ''
}

/** 0–255: the average luma of a picture's first frame (area-averaged down to one pixel). */
export function meanLuma(file: string): number {
  const pixel = execFileSync(FFMPEG, [
    ...['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-vf', 'scale=1:1:flags=area'],
    ...['-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
  ])
  return pixel[0] ?? 0
}

export interface GifInfo {
  version: string
  width: number
  height: number
  frames: number
  /** The Netscape loop count (0: forever); undefined without the extension. */
  loops?: number
  /** Sum of the frames' delays, in seconds. */
  seconds: number
}

/** Walks a GIF's blocks: header, screen size, each frame (image descriptor) and the loop extension. */
export function readGif(bytes: Buffer): GifInfo {
  const version = bytes.toString('latin1', 0, 6)
  if (version !== 'GIF87a' && version !== 'GIF89a') throw new Error(`not a GIF (starts with '${version}')`)
  const width = bytes.readUInt16LE(6)
  const height = bytes.readUInt16LE(8)
  const tableSize = (packed: number): number => (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0)
  let at = 13 + tableSize(bytes[10])
  let frames = 0
  let loops: number | undefined
  let delay = 0
  const skipSubBlocks = (): void => {
    while (bytes[at] !== 0) at += bytes[at] + 1
    at += 1
  }
  for (;;) {
    const block = bytes[at]
    if (block === 0x3b) break
    if (block === 0x21) {
      const label = bytes[at + 1]
      if (label === 0xff && bytes.toString('latin1', at + 3, at + 14) === 'NETSCAPE2.0')
        loops = bytes.readUInt16LE(at + 16)
      if (label === 0xf9) delay += bytes.readUInt16LE(at + 4)
      at += 2
      skipSubBlocks()
    } else if (block === 0x2c) {
      frames++
      at += 10 + tableSize(bytes[at + 9])
      at += 1 // LZW minimum code size
      skipSubBlocks()
    } else {
      throw new Error(`unexpected GIF block 0x${block?.toString(16)} at byte ${at}`)
    }
  }
  return { version, width, height, frames, loops, seconds: delay / 100 }
}

/**
 * A directory holding only the named tools (found on this PATH; `node` is this Node), for a PATH with no ffmpeg
 * on it whatever this machine has installed.
 */
export async function toolsOnlyPath(tools = ['npm', 'tar', 'gzip']): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tools-'))
  await symlink(process.execPath, path.join(dir, 'node'))
  for (const tool of tools) {
    const found = (process.env.PATH ?? '')
      .split(path.delimiter)
      .map((d) => path.join(d, tool))
      .find((candidate) => existsSync(candidate))
    if (!found) throw new Error(`${tool} is not on PATH; the test needs it`)
    await symlink(found, path.join(dir, tool))
  }
  return dir
}

/**
 * A directory with an `ffmpeg` that appends its arguments to `log` and its environment to `envLog`, then runs the
 * real one: proof of whether (and how) the action ran ffmpeg.
 */
export async function recordingFfmpeg(): Promise<{
  dir: string
  log: string
  calls: () => Promise<string[]>
  environment: () => Promise<string>
}> {
  return recordingProgram('ffmpeg', FFMPEG)
}

/**
 * `name` in a directory of its own: records its arguments and environment, then runs `real`. A Node script, not a
 * shell one: a shell drops variables whose names are not identifiers, such as `INPUT_API-KEY`.
 */
export async function recordingProgram(
  name: string,
  real: string,
): Promise<{ dir: string; log: string; calls: () => Promise<string[]>; environment: () => Promise<string> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${name}-spy-`))
  const log = path.join(dir, 'calls.log')
  const envLog = path.join(dir, 'env.log')
  const script = path.join(dir, name)
  const body = [
    `#!${process.execPath}`,
    "const { appendFileSync } = require('node:fs')",
    "const { spawnSync } = require('node:child_process')",
    `appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).join(' ') + '\\n')`,
    `appendFileSync(${JSON.stringify(envLog)}, Object.entries(process.env).map(([k, v]) => k + '=' + v + '\\n').join(''))`,
    `const run = spawnSync(${JSON.stringify(real)}, process.argv.slice(2), { stdio: 'inherit' })`,
    'process.exit(run.status ?? 1)',
  ]
  await writeFile(script, body.join('\n') + '\n')
  await chmod(script, 0o755)
  const read = async (file: string): Promise<string> => (existsSync(file) ? readFile(file, 'utf8') : '')
  return {
    dir,
    log,
    calls: async () => (await read(log)).split('\n').filter(Boolean),
    environment: () => read(envLog),
  }
}

/** The path of `tool` on this PATH. */
export function which(tool: string): string {
  const found = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((d) => path.join(d, tool))
    .find((candidate) => existsSync(candidate))
  if (!found) throw new Error(`${tool} is not on PATH; the test needs it`)
  return found
}

/**
 * A package's tarball exactly as the registry served it, from npm's content-addressed cache, where `npm ci` put
 * it under its SHA-512 (`integrity`): what a faithful fake registry serves.
 */
export async function tarballFromNpmCache(integrity: string): Promise<Buffer> {
  const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim()
  const hex = Buffer.from(integrity.replace(/^sha512-/, ''), 'base64').toString('hex')
  const file = path.join(cache, '_cacache', 'content-v2', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4))
  if (!existsSync(file)) throw new Error(`no tarball ${integrity} in npm's cache (${file}): run 'npm ci' first`)
  return readFile(file)
}

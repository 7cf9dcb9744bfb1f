/**
 * Preview: what a poster and GIF add to a whole run. The bundle against the emulator, a job of `jobSeconds` whose
 * video is a real 720p H.264 clip made here by the ffmpeg on PATH from its `testsrc2` pattern, run with `preview:
 * auto` (that ffmpeg on PATH) and with `preview: false`, alternately, each with a fresh artifact service fake.
 */
import { execFileSync } from 'node:child_process'
import { constants } from 'node:fs'
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEmulator } from '../test/emulator/server.ts'
import { startResultsService } from '../test/fakes/results-service.ts'
import { runBundle } from '../test/harness/runner.ts'
import { median } from '../test/harness/stats.ts'
import { evenJob } from './batch.ts'

export interface PreviewBenchOptions {
  repetitions: number
  jobSeconds: number
  clipSeconds: number
}

export type PreviewBenchResult =
  | { skipped: string }
  | {
      wallSeconds: { preview: number; none: number }
      /** Of the last run with a preview: what the step logged of its GIF. */
      gif: string
      ffmpeg: string
    }

/** The ffmpeg the action would find in `auto` mode: the first executable `ffmpeg` on PATH. */
export async function ffmpegOnPath(pathText = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of pathText.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'ffmpeg')
    try {
      await access(candidate, constants.X_OK)
      if ((await stat(candidate)).isFile()) return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** A 1280x720, 24 fps H.264 MP4 of ffmpeg's moving test pattern, `seconds` long. */
async function makeClip(ffmpeg: string, file: string, seconds: number): Promise<Buffer> {
  execFileSync(ffmpeg, [
    ...['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=24'],
    ...['-t', String(seconds), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', file],
  ])
  return readFile(file)
}

/** The ffmpeg npm installs for the tests on Linux x64 (an optional dependency), standing in for one on PATH. */
const INSTALLED_FFMPEG = path.join(
  import.meta.dirname,
  '..',
  'node_modules',
  '@ffmpeg-installer',
  'linux-x64',
  'ffmpeg',
)

export async function benchPreview(options: PreviewBenchOptions): Promise<PreviewBenchResult> {
  const ffmpeg = (await ffmpegOnPath()) ?? (await ffmpegOnPath(path.dirname(INSTALLED_FFMPEG)))
  if (!ffmpeg) {
    return {
      skipped:
        "no ffmpeg on PATH nor from npm ci (Linux x64 only): in 'preview: auto' the action then makes no preview, so " +
        'there is nothing to measure (install one, e.g. Debian’s `apt-get install ffmpeg`, to run this section)',
    }
  }
  // The action finds it on PATH, as a runner with ffmpeg installed would.
  const searchPath = `${path.dirname(ffmpeg)}${path.delimiter}${process.env.PATH ?? ''}`
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-preview-'))
  const emulator = await startEmulator({
    video: await makeClip(ffmpeg, path.join(dir, 'clip.mp4'), options.clipSeconds),
    scenario: evenJob(options.jobSeconds * 1000),
  })
  const samples = { preview: [] as number[], none: [] as number[] }
  let gif = ''
  try {
    for (let rep = 0; rep < options.repetitions; rep++) {
      for (const side of rep % 2 ? (['none', 'preview'] as const) : (['preview', 'none'] as const)) {
        const results = await startResultsService()
        try {
          emulator.setScenario(evenJob(options.jobSeconds * 1000))
          const started = performance.now()
          const run = await runBundle({
            inputs: {
              'api-key': emulator.apiKey,
              'base-url': emulator.xaiBaseUrl,
              prompt: 'bench',
              preview: side === 'preview' ? 'auto' : 'false',
              'output-dir': path.join(dir, 'out'),
            },
            env: { ...results.env, PATH: searchPath },
            killAfterMs: 5 * 60_000,
          })
          const seconds = (performance.now() - started) / 1000
          if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.stdout}\n${run.stderr}`)
          // A run that made no preview would measure nothing: each side must be what it claims.
          const gifPath = run.outputs['preview-path'] ?? ''
          if ((side === 'preview') !== (gifPath !== '')) {
            throw new Error(`preview: ${side}, but preview-path is '${gifPath}':\n${run.stdout}`)
          }
          if (side === 'preview') gif = `${(await readFile(gifPath)).length} bytes, ${previewLine(run.stdout)}`
          samples[side].push(seconds)
          await rm(run.dirs.root, { recursive: true, force: true })
          await rm(path.join(dir, 'out'), { recursive: true, force: true })
        } finally {
          await results.close()
        }
      }
    }
  } finally {
    await emulator.close()
    await rm(dir, { recursive: true, force: true })
  }
  return { wallSeconds: { preview: median(samples.preview), none: median(samples.none) }, gif, ffmpeg }
}

/** The step's own line about its preview (width, fps, bytes). */
function previewLine(stdout: string): string {
  return /\((\d+ px wide, \d+ fps)/.exec(stdout)?.[1] ?? 'no preview line'
}

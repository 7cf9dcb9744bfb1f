/**
 * The preview beside the artifact: a poster PNG (a representative frame, not a black first one) and a short
 * animated GIF of the MP4, made with ffmpeg while the MP4 uploads. A preview that cannot be made is a warning (or,
 * in `auto` mode without ffmpeg, one log line) and never changes the run's status.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PreviewError } from './errors.js'
import { lastLines, locateFfmpeg, openFfmpeg, type Ffmpeg, type Located, type PreviewMode } from './ffmpeg.js'
import type { FfmpegSession } from './ffmpeg-wasm.js'

/** GitHub shows larger images, but a PR thread with several multi-megabyte GIFs loads slowly. */
export const GIF_MAX_BYTES = 3 * 1024 * 1024
/** Longer clips are sped up to this length, so the GIF shows the whole video. */
const GIF_MAX_SECONDS = 8
/** Tried in order until the GIF fits in GIF_MAX_BYTES. */
const GIF_STEPS: readonly { width: number; fps: number }[] = [
  { width: 480, fps: 10 },
  { width: 400, fps: 10 },
  { width: 320, fps: 8 },
  { width: 240, fps: 8 },
]
const POSTER_MAX_WIDTH = 1280
const FFMPEG_TIMEOUT_MS = 180_000

export interface PreviewFiles {
  posterPath: string
  /** Undefined when even the smallest GIF was over GIF_MAX_BYTES: the poster stands in. */
  gifPath?: string
  gif?: { width: number; fps: number; bytes: number; speed: number }
}

/** What became of the preview of one video: files, a published URL, or why there is none. */
export interface PreviewOutcome {
  files?: PreviewFiles
  /** The URL of the published GIF (or poster), set by publishing. */
  url?: string
  /** Why no preview was made, as a sentence with the fix. */
  skipped?: string
}

export interface PreviewLog {
  info: (message: string) => void
  warning: (message: string) => void
}

/**
 * One step's previews: finds (or fetches) ffmpeg once, however many videos the step makes, and reports a missing
 * ffmpeg once.
 */
export class Previewer {
  readonly mode: PreviewMode
  private readonly log: PreviewLog
  private located: Promise<Located> | undefined
  /** `auto` fetches the pinned ffmpeg too, as `true` does: the preview has somewhere to be shown. */
  private readonly fetch: boolean
  /**
   * `options.cwd` (the workspace) is not used: its .npmrc is pull-request content and configures nothing.
   * `options.fetch`: in `auto` mode, fetch the pinned ffmpeg when none is on PATH.
   */
  constructor(mode: PreviewMode, log: PreviewLog, options: { cwd?: string; fetch?: boolean } = {}) {
    this.mode = mode
    this.log = log
    this.fetch = mode === 'auto' && options.fetch === true
  }

  /** Makes the poster and GIF of `videoPath` next to it; never rejects. */
  async make(videoPath: string, stem: string, log: PreviewLog = this.log): Promise<PreviewOutcome> {
    if (this.mode === 'false') return {}
    const ffmpeg = await this.ffmpeg(log)
    if ('missing' in ffmpeg) return { skipped: ffmpeg.missing }
    try {
      const files = await makePreviewFiles(ffmpeg, videoPath, path.dirname(videoPath), stem)
      const gif = files.gif
      log.info(
        gif
          ? `Preview: ${files.gifPath} (${gif.width} px wide, ${gif.fps} fps, ${gif.bytes} bytes) and poster ${files.posterPath}.`
          : `Preview: poster ${files.posterPath}; no GIF fits in ${GIF_MAX_BYTES} bytes even at ${GIF_STEPS.at(-1)?.width} px.`,
      )
      return { files }
    } catch (error) {
      const reason = error instanceof PreviewError ? error.message : `ffmpeg failed: ${(error as Error).message}`
      log.warning(`No preview of ${path.basename(videoPath)}: ${reason} The video itself is unaffected.`)
      return { skipped: reason }
    }
  }

  /** Looked for once; what is found (or why nothing is) is told through the first caller's log. */
  private ffmpeg(log: PreviewLog): Promise<Located> {
    this.located ??= (async () => {
      const mode = this.mode === 'true' || this.fetch ? 'true' : 'auto'
      const located = await locateFfmpeg(mode, { log: (m) => log.info(m) })
      if ('missing' in located) {
        // Hosted runners ship no ffmpeg, so in `auto` mode this is the common case: a log line, not an annotation.
        if (mode === 'auto') log.info(`No preview: ${located.missing}`)
        else if (this.fetch)
          log.warning(
            `No preview ('preview: auto', with 'preview-branch' or 'attachment-token' set): ${located.missing}`,
          )
        else log.warning(`No preview ('preview: true'): ${located.missing}`)
      }
      return located
    })()
    return this.located
  }
}

/**
 * The poster and the GIF of one video, written into `dir` as `<stem>.poster.png` and `<stem>.preview.gif`. ffmpeg
 * writes under fixed names of its own; the stem (an artifact name, from outside) is only ever a file name here.
 */
export async function makePreviewFiles(
  ffmpeg: Ffmpeg,
  videoPath: string,
  dir: string,
  stem: string,
): Promise<PreviewFiles> {
  const session = await openFfmpeg(ffmpeg, videoPath, FFMPEG_TIMEOUT_MS)
  try {
    const seconds = await videoSeconds(session)
    await runFfmpeg(session, posterArgs(POSTER), 'the poster')
    const posterPath = path.join(dir, `${stem}.poster.png`)
    await writeFile(posterPath, await session.read(POSTER))
    const speed = seconds > GIF_MAX_SECONDS ? seconds / GIF_MAX_SECONDS : 1
    for (const step of GIF_STEPS) {
      await runFfmpeg(session, gifArgs(GIF, step.width, step.fps, speed), 'the GIF')
      const bytes = await session.read(GIF)
      if (bytes.length <= GIF_MAX_BYTES) {
        const gifPath = path.join(dir, `${stem}.preview.gif`)
        await writeFile(gifPath, bytes)
        return { posterPath, gifPath, gif: { width: step.width, fps: step.fps, bytes: bytes.length, speed } }
      }
    }
    return { posterPath }
  } finally {
    await session.close()
  }
}

const INPUT = 'input.mp4'
const POSTER = 'poster.png'
const GIF = 'preview.gif'

/**
 * The poster: of up to 32 frames sampled at 4 fps from the first 8 s, the one closest to their average colours
 * (ffmpeg's `thumbnail` filter), so a fade-in's black first frame is not chosen.
 */
function posterArgs(posterPath: string): string[] {
  return [
    ...COMMON,
    ...['-t', '8', '-i', INPUT, '-vf', `fps=4,thumbnail=32,scale='min(${POSTER_MAX_WIDTH},iw)':-2`],
    // `-update 1`: one picture under exactly this name, never a numbered sequence.
    ...['-frames:v', '1', '-update', '1', posterPath],
  ]
}

/**
 * The GIF: `speed` times faster, at `fps`, at most `width` px wide, with a palette made from the clip itself. Frames
 * are picked at `fps / speed` from the clip, then stamped `1 / fps` apart (and `-r` keeps the muxer from dropping
 * any to match the picking rate).
 */
function gifArgs(gifPath: string, width: number, fps: number, speed: number): string[] {
  const filter =
    `[0:v]fps=${Number((fps / speed).toFixed(4))},settb=AVTB,setpts=N/${fps}/TB,` +
    `scale='min(${width},iw)':-2:flags=lanczos,split[a][b];` +
    '[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle'
  return [
    ...COMMON,
    ...['-i', INPUT, '-filter_complex', filter, '-an', '-r', String(fps), '-loop', '0', '-f', 'gif', gifPath],
  ]
}

const COMMON = ['-hide_banner', '-nostdin', '-v', 'error', '-y']

/** The video's length from ffmpeg's description of its input; refuses a file with no video stream. */
async function videoSeconds(session: FfmpegSession): Promise<number> {
  // Without an output ffmpeg describes the input on stderr and exits with 1; that is expected here.
  const run = await session.run(['-hide_banner', '-nostdin', '-i', INPUT])
  if (run.error) throw new PreviewError(`${run.error}. Check the ffmpeg on PATH, or set 'preview: false'.`)
  if (!/Stream #.*: Video:/.test(run.stderr)) {
    throw new PreviewError(
      `ffmpeg cannot read it as a video (${lastLines(run.stderr, 1) || 'no video stream'}). ` +
        "Check the MP4, or set 'preview: false'.",
    )
  }
  const match = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(run.stderr)
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : 0
}

async function runFfmpeg(session: FfmpegSession, args: string[], what: string): Promise<void> {
  const run = await session.run(args)
  if (run.code !== 0 || run.error) {
    throw new PreviewError(
      `ffmpeg could not make ${what}: ${run.error ?? (lastLines(run.stderr, 2) || `exit code ${run.code}`)}. ` +
        "Check the MP4 and the ffmpeg on PATH, or set 'preview: false'.",
    )
  }
}

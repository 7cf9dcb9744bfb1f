/**
 * Making the preview with a real ffmpeg (from npm) from real H.264 clips: the poster is a representative frame, the
 * GIF fits the limits (width, frame rate, size) and steps down when it would not; what cannot be made is one
 * warning, and a missing ffmpeg in `auto` mode is one log line.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { childEnv } from '../src/ffmpeg.js'
import { GIF_MAX_BYTES, makePreviewFiles, Previewer } from '../src/preview.js'
import {
  describeMedia,
  FFMPEG,
  FFMPEG_TESTS,
  makeClip,
  meanLuma,
  readGif,
  recordingFfmpeg,
  toolsOnlyPath,
} from './harness/ffmpeg.ts'

let dir: string
const clips: Record<string, string> = {}
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'preview-test-'))
  clips.oneSecond = makeClip(path.join(dir, 'one.mp4'), { seconds: 1 })
  clips.fifteenSeconds = makeClip(path.join(dir, 'fifteen.mp4'), { seconds: 15 })
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
afterEach(() => {
  vi.unstubAllEnvs()
})

const logs = () => {
  const info: string[] = []
  const warning: string[] = []
  return { info, warning, log: { info: (m: string) => info.push(m), warning: (m: string) => warning.push(m) } }
}

describe.runIf(FFMPEG_TESTS)('makePreviewFiles', () => {
  it('the test clips are H.264 High profile, 1280x720, and start on a black frame', () => {
    expect(describeMedia(clips.oneSecond)).toMatch(/Video: h264 \(High\).*1280x720/)
    expect(meanLuma(clips.oneSecond)).toBeLessThan(5)
  })

  it('a 1 s clip: a full-size poster that is not the black first frame, and a 480 px GIF of 10 frames', async () => {
    const files = await makePreviewFiles({ path: FFMPEG }, clips.oneSecond, dir, 'one')
    expect(files.posterPath).toBe(path.join(dir, 'one.poster.png'))
    const poster = await readFile(files.posterPath)
    expect(poster.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(poster.readUInt32BE(16)).toBe(1280) // IHDR width
    expect(meanLuma(files.posterPath)).toBeGreaterThan(60)

    expect(files.gifPath).toBe(path.join(dir, 'one.preview.gif'))
    const bytes = await readFile(files.gifPath as string)
    const gif = readGif(bytes)
    expect(gif).toMatchObject({ version: 'GIF89a', width: 480, height: 270, frames: 10, loops: 0 })
    expect(gif.seconds).toBeCloseTo(1, 1)
    expect(files.gif).toEqual({ width: 480, fps: 10, bytes: bytes.length, speed: 1 })
    expect(bytes.length).toBeLessThanOrEqual(GIF_MAX_BYTES)
    console.log(`GIF of a 1 s 1280x720 clip: ${bytes.length} bytes`)
  })

  it('a 15 s clip is sped up to 8 s: 80 frames at 10 fps, at most 3 MB', async () => {
    const files = await makePreviewFiles({ path: FFMPEG }, clips.fifteenSeconds, dir, 'fifteen')
    const bytes = await readFile(files.gifPath as string)
    const gif = readGif(bytes)
    expect(gif).toMatchObject({ width: 480, loops: 0 })
    expect(gif.frames).toBe(80)
    expect(gif.seconds).toBeCloseTo(8, 1)
    expect(files.gif?.speed).toBeCloseTo(15 / 8, 3)
    expect(bytes.length).toBeLessThanOrEqual(GIF_MAX_BYTES)
    console.log(`GIF of a 15 s 1280x720 clip: ${bytes.length} bytes`)
  })

  it('a clip that compresses badly steps down in width and frame rate until the GIF fits in 3 MB', async () => {
    const noisy = makeClip(path.join(dir, 'noisy.mp4'), { seconds: 3, size: '480x270', noise: true })
    const files = await makePreviewFiles({ path: FFMPEG }, noisy, dir, 'noisy')
    const bytes = await readFile(files.gifPath as string)
    const gif = readGif(bytes)
    expect(gif.width).toBeLessThan(480)
    expect(gif.width).toBe(files.gif?.width)
    expect(bytes.length).toBeLessThanOrEqual(GIF_MAX_BYTES)
    expect(bytes.length).toBe(files.gif?.bytes)
    // No attempt is left behind next to the MP4 (the zip of `archive: true` takes the whole folder's files).
    expect((await readdir(dir)).filter((f) => f.includes('.part'))).toEqual([])
  })

  it('never enlarges a narrow video: a 270x480 portrait clip gives a 270 px GIF', async () => {
    const portrait = makeClip(path.join(dir, 'portrait.mp4'), { seconds: 1, size: '270x480' })
    const files = await makePreviewFiles({ path: FFMPEG }, portrait, dir, 'portrait')
    expect(readGif(await readFile(files.gifPath as string)).width).toBe(270)
  })
})

describe.runIf(FFMPEG_TESTS)('Previewer', () => {
  it("with ffmpeg on PATH ('auto'): makes both files next to the video from one decode of it, and says where", async () => {
    const spy = await recordingFfmpeg()
    vi.stubEnv('PATH', `${spy.dir}${path.delimiter}${await toolsOnlyPath([])}`)
    const { info, warning, log } = logs()
    const outcome = await new Previewer('auto', log).make(clips.oneSecond, 'auto')
    expect(outcome.files?.gifPath).toBe(path.join(dir, 'auto.preview.gif'))
    expect(outcome.skipped).toBeUndefined()
    expect(warning).toEqual([])
    expect(info.some((line) => line.includes('auto.preview.gif'))).toBe(true)
    // One run describes the clip; one decode of it then makes both files.
    const calls = await spy.calls()
    expect(calls).toHaveLength(2)
    expect(calls[1]).toMatch(/-map \[poster\] .*poster\.png -map \[gif\] .*preview\.gif$/)
  })

  it("without ffmpeg on PATH ('auto'): one log line for the whole step, no warning, no npm", async () => {
    vi.stubEnv('PATH', await toolsOnlyPath([]))
    const { info, warning, log } = logs()
    const previewer = new Previewer('auto', log)
    const [a, b] = [await previewer.make(clips.oneSecond, 'a'), await previewer.make(clips.oneSecond, 'b')]
    expect(a.skipped).toMatch(/no ffmpeg on PATH\. Set 'preview: true'/)
    expect(b.skipped).toBe(a.skipped)
    expect(info).toEqual([`No preview: ${a.skipped}`])
    expect(warning).toEqual([])
  })

  it("'false' runs no ffmpeg at all", async () => {
    const spy = await recordingFfmpeg()
    vi.stubEnv('PATH', spy.dir)
    const { info, warning, log } = logs()
    expect(await new Previewer('false', log).make(clips.oneSecond, 'off')).toEqual({})
    expect(await spy.calls()).toEqual([])
    expect([...info, ...warning]).toEqual([])
  })

  it('a file ffmpeg cannot read: one warning naming the file, the cause and the fix; no files', async () => {
    const broken = path.join(dir, 'broken.mp4')
    await writeFile(broken, Buffer.from('ftyp but not really a video'))
    vi.stubEnv('PATH', path.dirname(FFMPEG))
    const { warning, log } = logs()
    const outcome = await new Previewer('auto', log).make(broken, 'broken')
    expect(outcome.files).toBeUndefined()
    expect(warning).toHaveLength(1)
    expect(warning[0]).toMatch(/^No preview of broken\.mp4: ffmpeg cannot read it as a video \(.+\)\. /)
    expect(warning[0]).toContain("set 'preview: false'")
    expect(warning[0]).toContain('The video itself is unaffected.')
  })
})

describe.runIf(FFMPEG_TESTS)('names and environment from outside', () => {
  it("an artifact name with '%' is a file name, not a pattern: the poster and GIF are where the outputs say", async () => {
    const own = await mkdtemp(path.join(os.tmpdir(), 'preview-names-'))
    try {
      const video = path.join(own, 'promo-100%.mp4')
      await writeFile(video, await readFile(clips.oneSecond))
      vi.stubEnv('PATH', path.dirname(FFMPEG))
      const { warning, log } = logs()
      const outcome = await new Previewer('auto', log).make(video, 'promo-100%')
      expect(warning).toEqual([])
      expect(outcome.files?.posterPath).toBe(path.join(own, 'promo-100%.poster.png'))
      expect(outcome.files?.gifPath).toBe(path.join(own, 'promo-100%.preview.gif'))
      expect((await readFile(outcome.files?.posterPath as string)).readUInt32BE(16)).toBe(1280)
      expect(readGif(await readFile(outcome.files?.gifPath as string)).frames).toBe(10)
      expect((await readdir(own)).sort()).toEqual(['promo-100%.mp4', 'promo-100%.poster.png', 'promo-100%.preview.gif'])
    } finally {
      await rm(own, { recursive: true, force: true })
    }
  })

  it('ffmpeg on PATH runs with the path, locale and temporary directories only: no job secret, no input', async () => {
    const spy = await recordingFfmpeg()
    onTestFinished(() => rm(spy.dir, { recursive: true, force: true }))
    const secrets = {
      'INPUT_API-KEY': 'sk-preview-key-0123',
      GH_TOKEN: 'ghs_previewJobToken0123',
      XAI_API_KEY: 'xai-9',
    }
    for (const [name, value] of Object.entries(secrets)) vi.stubEnv(name, value)
    vi.stubEnv('PATH', `${spy.dir}${path.delimiter}${await toolsOnlyPath([])}`)
    vi.stubEnv('LANG', 'C.UTF-8')
    const outcome = await new Previewer('auto', logs().log).make(clips.oneSecond, 'env')
    expect(outcome.files?.gifPath).toBeDefined()
    const names = new Set(
      (await spy.environment())
        .split('\n')
        .map((line) => line.split('=')[0])
        .filter(Boolean),
    )
    for (const name of Object.keys(secrets)) expect(names).not.toContain(name)
    expect(names).toContain('LANG')
    expect([...names].sort()).toEqual(Object.keys(childEnv('ffmpeg')).sort())
  })
})

/**
 * The whole video API through the bundle, against the emulator: an edit, an extension, a reference-to-video
 * generation and a Zero Data Retention job, each with the exact body it must send; a generate → extend chain from
 * `video-path`; a large input video through the Files API; CometAPI's 404 for extensions; and the upload URL kept
 * out of every log, output, summary and file.
 */
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { emptyAccepted, scenarios, xaiDone } from '../emulator/scenarios.ts'
import { resolvePlaceholders, type Scenario } from '../emulator/server.ts'
import { bundleSession } from '../harness/bundle-session.ts'
import { expectNoSecretShown } from '../harness/leaks.ts'
import { textContaining } from '../harness/matchers.ts'
import { makeRunnerDirs, type BundleRun, type RunnerDirs } from '../harness/runner.ts'

const KEY = 'sk-operations-test-4d3c2b1a'
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures')
const clip = await readFile(path.join(FIXTURES, 'clip-3s.mp4'))
const clipDataUrl = `data:video/mp4;base64,${clip.toString('base64')}`
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

const session = bundleSession({ emulator: { apiKey: KEY }, results: true, secrets: [KEY] })

/** Runs the bundle on `scenario` with its own demo inputs (or `inputs`), at the xAI-like root unless told. */
async function play(
  scenario: Scenario | keyof typeof scenarios,
  inputs: Record<string, string> = {},
  options: { dirs?: RunnerDirs; prepare?: (dirs: RunnerDirs) => Promise<void> } = {},
): Promise<BundleRun> {
  session.emulator.setScenario(scenario)
  const named = typeof scenario === 'string' ? scenarios[scenario] : scenario
  const demo = resolvePlaceholders(named.demo ?? {}, { videoOrigin: session.emulator.videoOrigin }) as Record<
    string,
    string
  >
  return session.run({
    inputs: {
      'api-key': KEY,
      'base-url': named.name.startsWith('comet') ? session.emulator.cometBaseUrl : session.emulator.xaiBaseUrl,
      'poll-interval-seconds': '0.05',
      ...demo,
      ...inputs,
    },
    ...options,
  })
}

const sentBody = (): unknown => JSON.parse(session.emulator.creates()[0]?.body ?? 'null')
const errorLines = (run: BundleRun): string[] => run.stdout.split('\n').filter((line) => line.startsWith('::error::'))

describe('each operation through the bundle', () => {
  it('an edit of a local MP4 sends prompt, the video inline, model and user, and ends done', async () => {
    const run = await play('xai-edit')
    expect(run.exitCode, run.stdout).toBe(0)
    expect(session.emulator.creates().map((r) => r.path)).toEqual(['/v1/videos/edits'])
    expect(sentBody()).toEqual({
      prompt: 'Make it snow on the test pattern.',
      video: { url: clipDataUrl },
      model: 'grok-imagine-video',
      user: 'release-bot',
    })
    expect(run.outputs).toMatchObject({ status: 'done', duration: '3', 'cost-usd': '0.05' })
    expect(run.outputs['video-path']).toMatch(/\.mp4$/)
    const metadata = JSON.parse(await readFile(run.outputs['metadata-path'], 'utf8')) as Record<string, unknown>
    expect(metadata).toMatchObject({
      operation: 'edit',
      inputVideo: { label: textContaining(`(${clip.length} bytes)`), sha256: sha256(clip), seconds: 3 },
      request: { video: { url: textContaining(`(${clip.length} bytes)`) } },
    })
    // The data URL is sent, never shown: not in the log, the summary or the metadata.
    expect(run.stdout).not.toContain(clip.toString('base64').slice(0, 200))
    expect(JSON.stringify(metadata)).not.toContain('base64')
    expect(run.summary).toContain('| Operation | edit |')
  })

  it('an edit at CometAPI goes to /grok/v1/videos/edits with the video URL as given', async () => {
    const run = await play('comet-edit')
    expect(run.exitCode, run.stdout).toBe(0)
    expect(session.emulator.creates().map((r) => r.path)).toEqual(['/grok/v1/videos/edits'])
    expect(sentBody()).toEqual({
      prompt: 'Make it snow on the test pattern.',
      video: { url: `${session.emulator.videoOrigin}/videos/source.mp4` },
      model: 'grok-imagine-video',
    })
    expect(run.outputs.status).toBe('done')
  })

  it('an extension sends duration 6 when none is given, and reports input + extension', async () => {
    const run = await play('xai-extend')
    expect(run.exitCode, run.stdout).toBe(0)
    expect(session.emulator.creates().map((r) => r.path)).toEqual(['/v1/videos/extensions'])
    expect(sentBody()).toEqual({
      prompt: 'The camera pulls back to show the whole room.',
      video: { url: clipDataUrl },
      model: 'grok-imagine-video',
      duration: 6,
    })
    expect(run.outputs).toMatchObject({ status: 'done', duration: '9' })
    expect(run.stdout).toContain('Creating a 6 s extension of')
  })

  it('a reference-to-video generation sends reference_images in order, as data URLs of the files', async () => {
    const run = await play('xai-reference-images')
    expect(run.exitCode, run.stdout).toBe(0)
    const png = await readFile(path.join(FIXTURES, 'frame.png'))
    const jpeg = await readFile(path.join(FIXTURES, 'frame.jpg'))
    expect(session.emulator.creates().map((r) => r.path)).toEqual(['/v1/videos/generations'])
    expect(sentBody()).toEqual({
      prompt: 'The mug from <IMAGE_0> sits on the desk from <IMAGE_1>.',
      model: 'grok-imagine-video',
      duration: 2,
      reference_images: [
        { url: `data:image/png;base64,${png.toString('base64')}` },
        { url: `data:image/jpeg;base64,${jpeg.toString('base64')}` },
      ],
    })
    expect(run.outputs.status).toBe('done')
  })

  it('CometAPI answers an extension with 404: the error says so and names the xAI base-url', async () => {
    const run = await play('comet-extend-404')
    expect(run.exitCode).toBe(1)
    expect(session.emulator.creates()).toHaveLength(1)
    expect(session.emulator.polls()).toHaveLength(0)
    expect(errorLines(run)).toHaveLength(1)
    expect(errorLines(run)[0]).toContain('CometAPI does not offer video extensions')
    expect(errorLines(run)[0]).toContain("'base-url: https://api.x.ai/v1'")
    expect(run.outputs['request-id']).toBe('')
  })

  it('a local video over 10 MiB goes through the Files API at xAI, and the job names its file id', async () => {
    const run = await play(
      { name: 'files-api-extend', poll: [emptyAccepted(), (ctx) => xaiDone(ctx, { duration: 9 })] },
      { operation: 'extend', prompt: 'Keep going.', video: 'large.mp4' },
      { prepare: writeLargeClip },
    )
    expect(run.exitCode, run.stdout).toBe(0)
    expect(session.emulator.requests.filter((r) => r.host === 'api' && r.method === 'POST').map((r) => r.path)).toEqual(
      ['/v1/files', '/v1/videos/extensions'],
    )
    const large = largeClip()
    expect(session.emulator.files).toHaveLength(1)
    expect(session.emulator.files[0]).toMatchObject({ filename: 'large.mp4', contentType: 'video/mp4' })
    expect(sha256(session.emulator.files[0].bytes)).toBe(sha256(large))
    expect(sentBody()).toEqual({
      prompt: 'Keep going.',
      video: { file_id: session.emulator.files[0].id },
      model: 'grok-imagine-video',
      duration: 6,
    })
    expect(run.stdout).toContain('through the Files API first')
  })
})

describe('a generate → extend chain', () => {
  it("extends the first step's video-path in a second step of the same job", async () => {
    const dirs = await makeRunnerDirs()
    // The generation serves the 3 s clip, as a real 3 s generation would be long enough to extend.
    const first = await play(
      { name: 'generate-3s', poll: [emptyAccepted(), (ctx) => xaiDone(ctx, { duration: 3 })], video: { bytes: clip } },
      { prompt: 'A test pattern hums on an old television.', duration: '3' },
      { dirs },
    )
    expect(first.exitCode, first.stdout).toBe(0)
    expect(first.outputs['video-sha256']).toBe(sha256(clip))

    // A runner gives each step its own output and summary files; the workspace and RUNNER_TEMP stay.
    const secondDirs = { ...dirs, outputFile: `${dirs.outputFile}-2`, summaryFile: `${dirs.summaryFile}-2` }
    await writeFile(secondDirs.outputFile, '')
    await writeFile(secondDirs.summaryFile, '')
    const second = await play(
      'xai-extend',
      { video: first.outputs['video-path'], 'artifact-name': 'extended' },
      { dirs: secondDirs },
    )
    expect(second.exitCode, second.stdout).toBe(0)
    expect(sentBody()).toEqual({
      prompt: 'The camera pulls back to show the whole room.',
      video: { url: clipDataUrl },
      model: 'grok-imagine-video',
      duration: 6,
    })
    expect(second.outputs).toMatchObject({ status: 'done', duration: '9' })
    expect(second.outputs['video-path']).toBe(path.join(dirs.runnerTemp, 'grok-video', 'extended.mp4'))
  })
})

const UPLOAD_SIGNATURE = '5e1f0c0ffee0d15ea5e5ecret'

describe('Zero Data Retention', () => {
  it('sends output.upload_url, records the delivery, downloads nothing, and ends done', async () => {
    const artifactsBefore = session.results.artifacts.length
    const run = await play('xai-zdr')
    expect(run.exitCode, run.stdout).toBe(0)
    const uploadUrl = `${session.emulator.videoOrigin}/uploads/candle.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${UPLOAD_SIGNATURE}`
    expect(sentBody()).toEqual({
      prompt: 'A candle flickers on a wooden table.',
      model: 'grok-imagine-video',
      duration: 1,
      output: { upload_url: uploadUrl },
    })
    const deliveries = session.emulator.deliveries()
    expect(deliveries).toHaveLength(1)
    expect(deliveries[0].headers['content-type']).toBe('video/mp4')
    expect(session.emulator.videoRequests()).toEqual([]) // nothing downloaded
    expect(session.results.artifacts.length).toBe(artifactsBefore) // nothing uploaded
    expect(run.outputs).toMatchObject({
      status: 'done',
      'video-url': '',
      'video-path': '',
      'video-sha256': '',
      'artifact-id': '',
      'cost-usd': '0.05',
    })
    expect(run.outputs['metadata-path']).toMatch(/\.json$/)
    expect(run.stdout).toMatch(
      /^::notice::Job \S+ is done: the provider delivered the video to 'upload-url' \(not shown\)/m,
    )
    expect(run.summary).toContain("| Delivered to | 'upload-url' (not shown) |")
  })

  it.each(['xai-zdr-team', 'xai-zdr-team-error-only'] as const)(
    "a Zero Data Retention team's refusal without upload-url names the 'upload-url' input (%s)",
    async (scenario) => {
      const run = await play(scenario, { prompt: 'A candle flickers on a wooden table.' })
      expect(run.exitCode).toBe(1)
      expect(session.emulator.creates()).toHaveLength(1) // refused once, never re-sent
      expect(run.outputs).toMatchObject({ status: 'error', 'request-id': '' })
      expect(errorLines(run).join('\n')).toMatch(
        /Zero Data Retention teams must provide output\.upload_url for video generation\..*set 'upload-url' to a signed https URL/,
      )
    },
  )

  it('an edit with upload-url sends it too, and the job done without a URL is a success', async () => {
    const run = await play('xai-zdr-edit')
    expect(run.exitCode, run.stdout).toBe(0)
    expect(session.emulator.creates().map((r) => r.path)).toEqual(['/v1/videos/edits'])
    expect((sentBody() as { output: unknown }).output).toEqual({
      upload_url: `${session.emulator.videoOrigin}/uploads/candle.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${UPLOAD_SIGNATURE}`,
    })
    expect(run.outputs.status).toBe('done')
  })

  it('never shows the upload URL or its signature: not in logs, outputs, summary, metadata or any file', async () => {
    const zdr = (inputs: Record<string, string> = {}) => play('xai-zdr', inputs)
    const echoing: Scenario = {
      name: 'echo-upload-url',
      // A provider that quotes the request back in its error.
      create: [
        (ctx) => ({
          status: 400,
          body: {
            code: 'invalid-argument',
            error: `Cannot write to ${String((ctx.createBody?.output as { upload_url: string }).upload_url)}`,
          },
        }),
      ],
      poll: [emptyAccepted()],
    }
    const checked = [
      await zdr(),
      await zdr({ 'dry-run': 'true' }),
      await zdr({ wait: 'false' }),
      await zdr({ cache: 'true' }), // refused before any request
      await play(echoing, { ...scenarios['xai-zdr'].demo, 'upload-url': zdrUploadUrl() }),
      await play('xai-failed', { prompt: 'x', 'upload-url': zdrUploadUrl(), archive: 'true' }),
    ]
    expect(checked.map((run) => run.exitCode)).toEqual([0, 0, 0, 1, 1, 1])
    const secret = zdrUploadUrl()
    for (const run of checked) {
      await expectNoSecretShown(run, [secret, UPLOAD_SIGNATURE])
      expect(run.stdout).toContain(`::add-mask::${secret}`)
    }
    for (const artifact of session.results.artifacts) expect(JSON.stringify(artifact)).not.toContain(UPLOAD_SIGNATURE)
  })
})

function zdrUploadUrl(): string {
  return `${session.emulator.videoOrigin}/uploads/candle.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${UPLOAD_SIGNATURE}`
}

/** The 3 s clip grown past 10 MiB with a `free` box: still a valid MP4 of 3 s. */
function largeClip(): Buffer {
  const size = 10 * 1024 * 1024 + 4096
  const free = Buffer.alloc(size - clip.length)
  free.writeUInt32BE(free.length)
  free.write('free', 4, 'latin1')
  return Buffer.concat([clip, free])
}

async function writeLargeClip(dirs: RunnerDirs): Promise<void> {
  await writeFile(path.join(dirs.workspace, 'large.mp4'), largeClip())
}

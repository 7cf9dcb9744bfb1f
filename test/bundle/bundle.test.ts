/**
 * dist/index.js run as a runner runs it: a subprocess with INPUT_* variables, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, talking to the emulator and the artifact service fake over loopback.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  cometError,
  createAccepted,
  doneWithVideoHost,
  emptyAccepted,
  json,
  xaiDone,
  xaiFailed,
  xaiRunning,
} from '../emulator/scenarios.ts'
import { loadFixtureVideo, type Emulator } from '../emulator/server.ts'
import { readZip } from '../fakes/zip.ts'
import { bundleSession } from '../harness/bundle-session.ts'
import {
  CANCEL_BY_SIGNAL,
  FILE_SIZE_LIMITS,
  signalOnOutput,
  type BundleOptions,
  type BundleRun,
} from '../harness/runner.ts'

const KEY = 'sk-bundle-test-9f8e7d6c5b4a'
const session = bundleSession({ emulator: { apiKey: KEY }, results: true, secrets: [KEY] })

/** Runs the bundle on `scenario`; every run of this file is checked for the key showing anywhere. */
async function runAction(
  scenario: Parameters<Emulator['setScenario']>[0],
  inputs: Record<string, string> = {},
  options: Partial<BundleOptions> = {},
): Promise<BundleRun> {
  session.emulator.setScenario(scenario)
  return session.run({
    inputs: {
      'api-key': KEY,
      'base-url': session.emulator.cometBaseUrl,
      prompt: 'A red kite over green hills.',
      'poll-interval-seconds': '0.05',
      ...inputs,
    },
    ...options,
  })
}

const errorLines = (run: BundleRun): string[] => run.stdout.split('\n').filter((line) => line.startsWith('::error::'))

describe('dist/index.js', () => {
  it('runs on Node 24, as action.yml says (runs.using: node24)', () => {
    expect(process.version).toMatch(/^v24\./)
  })

  it('creates, waits, downloads and uploads; every output lands in $GITHUB_OUTPUT; the summary is written', async () => {
    const run = await runAction('comet-task-success', {
      'aspect-ratio': '16:9',
      resolution: '720p',
      'retention-days': '7',
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.signal).toBeNull()
    const o = run.outputs
    const fixture = loadFixtureVideo()
    const sha = createHash('sha256').update(fixture).digest('hex')
    expect(o).toMatchObject({
      status: 'done',
      'video-sha256': sha,
      'video-bytes': String(fixture.length),
      duration: '1',
      'cost-usd': '0.05',
    })
    expect(o['video-path']).toBe(path.join(run.dirs.runnerTemp, 'grok-video', `grok-video-${o['request-id']}.mp4`))
    expect((await stat(o['video-path'])).size).toBe(fixture.length)
    const artifact = session.results.artifacts.find((a) => String(a.id) === o['artifact-id'])
    expect(artifact).toMatchObject({ name: `grok-video-${o['request-id']}.mp4`, mimeType: 'video/mp4', sha256: sha })
    expect(artifact?.expiresAt).toBeTruthy()
    expect(o['artifact-url']).toBe(
      `https://github.com/${session.results.env.GITHUB_REPOSITORY}/actions/runs/${session.results.env.GITHUB_RUN_ID}/artifacts/${artifact?.id}`,
    )
    expect(JSON.parse(session.emulator.creates()[0].body)).toEqual({
      prompt: 'A red kite over green hills.',
      model: 'grok-imagine-video',
      duration: 1,
      aspect_ratio: '16:9',
      resolution: '720p',
    })
    expect(run.summary).toContain('Grok video: done')
    expect(run.summary).toContain('A red kite over green hills.')
    expect(run.summary).toContain(sha)
    expect(run.summary).toContain(`(${o['artifact-url']})`)
    expect(run.summary).toContain('$0.05')
  })

  it('a moderated job fails the step with one error naming the request id, and keeps the outputs', async () => {
    const run = await runAction('xai-moderated-400', { 'base-url': session.emulator.xaiBaseUrl })
    expect(run.exitCode).toBe(1)
    const id = run.outputs['request-id']
    expect(id).toMatch(/\S/)
    expect(run.outputs.status).toBe('moderated')
    expect(run.outputs['cost-usd']).toBe('0.25')
    expect(errorLines(run)).toHaveLength(1)
    expect(errorLines(run)[0]).toContain(id)
    expect(errorLines(run)[0]).toContain('moderation')
    expect(run.summary).toContain('Grok video: moderated')
  })

  it('a timeout prints the exact line that resumes the job', async () => {
    const run = await runAction(
      { name: 'slow', poll: [xaiRunning('pending', { progress: 5, http: 202 })] },
      { 'timeout-seconds': '0.5', 'base-url': session.emulator.xaiBaseUrl },
    )
    expect(run.exitCode).toBe(1)
    expect(run.outputs.status).toBe('timeout')
    expect(errorLines(run)[0]).toContain(`request-id: ${run.outputs['request-id']}`)
  })

  it('timeout-seconds bounds the download too: a trickling one ends timeout with the id, which then fetches it', async () => {
    // A byte a second, only for the first request of the file: the next run gets it whole.
    const scenario = { name: 'trickling-video', ...doneWithVideoHost({ trickleMs: 1_000, failTimes: 1 }) }
    const inputs = { 'base-url': session.emulator.xaiBaseUrl, 'timeout-seconds': '2' }
    const first = await runAction(scenario, inputs, { killAfterMs: 20_000 })
    expect(first.signal).toBeNull()
    expect(first.exitCode).toBe(1)
    const id = first.outputs['request-id']
    expect(id).toMatch(/\S/)
    expect(first.outputs.status).toBe('timeout')
    expect(first.outputs['video-path']).toBe('')
    expect(errorLines(first)).toHaveLength(1)
    expect(errorLines(first)[0]).toContain(`'timeout-seconds' (2 s) ran out while its video was downloading`)
    expect(errorLines(first)[0]).toContain(`Re-run with 'request-id: ${id}'`)
    expect(await readdir(path.join(first.dirs.runnerTemp, 'grok-video'))).toEqual([expect.stringMatching(/\.json$/)])

    // Same emulator state: the job is known, and its host now serves the file at once.
    const second = await session.run({
      inputs: { 'api-key': KEY, ...inputs, 'request-id': id, 'poll-interval-seconds': '0.05' },
    })
    expect(second.exitCode).toBe(0)
    expect(second.outputs).toMatchObject({
      status: 'done',
      'request-id': id,
      'video-sha256': createHash('sha256').update(loadFixtureVideo()).digest('hex'),
    })
    expect(session.emulator.creates()).toHaveLength(1)
  })

  it('retries that succeed are plain log lines, not warning annotations', async () => {
    const run = await runAction(
      {
        name: 'bumpy',
        create: [
          cometError(429, 'Rate limit reached for requests', 'rate_limit', { 'Retry-After': '0' }),
          createAccepted,
        ],
        poll: [cometError(503, 'upstream service temporarily unavailable', 'service_unavailable'), xaiDone],
        video: { resetAfter: 1000, failTimes: 1 },
      },
      { 'base-url': session.emulator.xaiBaseUrl },
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('done')
    const lines = run.stdout.split('\n')
    expect(lines.filter((line) => line.startsWith('::warning'))).toEqual([])
    // Each retry is still told, as a plain line.
    for (const retried of [
      /^Could not create the video job \(HTTP 429\); trying again in 1\.0 s/,
      /^Could not check job .+ \(HTTP 503\); trying again in/,
      /^Download interrupted \(the connection was cut\); resuming at byte 1000/,
    ])
      expect(lines.filter((line) => retried.test(line))).toHaveLength(1)
  })

  it('a write cut short by a file-size limit fails the download instead of reporting a short file as whole', async ({
    skip,
  }) => {
    skip(!FILE_SIZE_LIMITS, 'needs util-linux prlimit: Linux only')
    // 8,000 bytes arrive in one chunk; the limit lets the first write store only 6,000 of them.
    const video = Buffer.concat([loadFixtureVideo(), Buffer.alloc(8_000 - loadFixtureVideo().length)])
    const run = await runAction(
      { name: 'big-enough', poll: [emptyAccepted(), xaiDone], video: { bytes: video } },
      { 'base-url': session.emulator.xaiBaseUrl },
      { fileSizeLimitBytes: 6_000 },
    )
    expect(run.exitCode).toBe(1)
    expect(run.outputs.status).toBe('download-failed')
    expect(run.outputs['video-sha256']).toBe('')
    expect(run.outputs['video-bytes']).toBe('')
    expect(errorLines(run)[0]).toMatch(/could not write the file: .*(EFBIG|too large)/i)
    // Not retried: a full disk or a size limit does not go away by asking the host again.
    expect(session.emulator.videoRequests()).toHaveLength(1)
    expect(await readdir(path.join(run.dirs.runnerTemp, 'grok-video'))).not.toContainEqual(
      expect.stringMatching(/\.mp4/),
    )
  })

  it('without GITHUB_STEP_SUMMARY the run still succeeds', async () => {
    const run = await runAction(
      'xai-done',
      { 'base-url': session.emulator.xaiBaseUrl, 'upload-artifact': 'false' },
      { env: { ...session.results.env, GITHUB_STEP_SUMMARY: '' } },
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('done')
  })

  it('SIGTERM while waiting: the request id is already an output, and the resume line is printed', async ({ skip }) => {
    skip(!CANCEL_BY_SIGNAL, 'Windows has no SIGTERM: the process would be ended, not signalled')
    const cancel = signalOnOutput('Job created:')
    const run = await runAction(
      { name: 'forever', poll: [emptyAccepted()] },
      { 'base-url': session.emulator.xaiBaseUrl },
      cancel,
    )
    expect(cancel.sent()).toBe(true)
    expect(run.exitCode).toBe(1)
    const id = run.outputs['request-id']
    expect(id).toMatch(/\S/)
    expect(errorLines(run)[0]).toContain('SIGTERM')
    expect(errorLines(run)[0]).toContain(`Job ${id} keeps running at the provider: re-run with 'request-id: ${id}'`)
    expect(run.outputs.status).toBe('cancelled')
    expect(session.emulator.creates()).toHaveLength(1)
  })

  it('SIGTERM while downloading: the job is done at the provider, and the line says to re-run to download it', async ({
    skip,
  }) => {
    skip(!CANCEL_BY_SIGNAL, 'Windows has no SIGTERM: the process would be ended, not signalled')
    // The video host is busy and asks for 30 s: the step is cancelled while the download waits.
    const cancel = signalOnOutput('Download interrupted')
    const run = await runAction(
      { name: 'busy-video-host', poll: [emptyAccepted(), xaiDone], video: { status: 503, retryAfter: '30' } },
      { 'base-url': session.emulator.xaiBaseUrl },
      cancel,
    )
    expect(cancel.sent()).toBe(true)
    expect(run.exitCode).toBe(1)
    const id = run.outputs['request-id']
    const [line] = errorLines(run)
    expect(line).toContain(
      `Job ${id} is done at the provider, but the video was not saved: re-run with 'request-id: ${id}'`,
    )
    expect(line).not.toContain('keeps running')
  })

  it.each([
    ['as it is', KEY, ''],
    ['percent-encoded', encodeURIComponent(KEY).replace(/-/g, '%2D'), ''],
    // One malformed escape elsewhere made the whole URL undecodable, so the encoded key went unseen.
    ['percent-encoded, a bad escape after it', encodeURIComponent(KEY).replace(/-/g, '%2D'), '&z=%ZZ'],
    ['double-encoded, a truncated escape at the end', encodeURIComponent(KEY.replace(/-/g, '%2d')), '&z=%E0'],
  ])(
    'a provider answer that carries the key (%s) reaches no output, file, artifact or other host',
    async (_form, carried, tail) => {
      const run = await runAction(
        {
          name: 'key-in-answer',
          poll: [
            (ctx) =>
              xaiDone(ctx, {
                url: `${ctx.videoUrl}?api_key=${carried}${tail}`,
                model: `grok-imagine-video ${carried}${tail}`,
              }),
          ],
        },
        { 'base-url': session.emulator.xaiBaseUrl, archive: 'true', 'artifact-name': `key-in-answer-${_form.length}` },
      )
      // The URL would hand the key to the video host in its query: not fetched, and the step says why.
      expect(run.outputs.status).toBe('download-failed')
      expect(errorLines(run)[0]).toContain('carries the API key')
      expect(session.emulator.requests.filter((r) => r.host === 'video' && r.path.includes('api_key'))).toEqual([])
      expect(run.outputs['video-url']).toBe('')
      // A mask command is read by the runner, never shown.
      const log = run.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n')
      const shown = [log, run.summary, JSON.stringify(run.outputs)]
      shown.push(await readFile(run.outputs['metadata-path'], 'utf8'))
      // Every artifact sent to the service, a zip read entry by entry (other tests' MP4s included, as they are).
      for (const artifact of session.results.artifacts) {
        if (artifact.mimeType !== 'application/zip') shown.push(artifact.bytes.toString('latin1'))
        else for (const [, bytes] of readZip(artifact.bytes)) shown.push(bytes.toString('latin1'))
      }
      for (const text of shown) for (const form of [carried, KEY]) expect(text).not.toContain(form)
    },
  )

  it('SIGTERM once the video is saved: video-path is already an output, and the line says only the upload was cut', async ({
    skip,
  }) => {
    skip(!CANCEL_BY_SIGNAL, 'Windows has no SIGTERM: the process would be ended, not signalled')
    const cancel = signalOnOutput('Saved /')
    const run = await runAction('xai-done', { 'base-url': session.emulator.xaiBaseUrl }, cancel)
    expect(cancel.sent()).toBe(true)
    expect(run.outputs.status).toBe('cancelled')
    const videoPath = run.outputs['video-path'] ?? ''
    expect((await stat(videoPath)).size).toBeGreaterThan(0)
    const id = run.outputs['request-id']
    expect(errorLines(run)[0]).toContain(`Job ${id} is done and its video was saved to ${videoPath}`)
    expect(errorLines(run)[0]).not.toContain('was not saved')
  })

  it('a create answer whose request id carries the key: the id is not used, shown or polled', async () => {
    const run = await runAction(
      { name: 'key-as-id', create: [() => json(200, { request_id: `job-${KEY}` })], poll: [xaiDone] },
      { 'base-url': session.emulator.xaiBaseUrl, 'artifact-name': 'key-as-id' },
    )
    expect(run.outputs.status).toBe('error')
    expect(run.outputs['request-id'] ?? '').toBe('')
    expect(errorLines(run)[0]).toContain('request id that carries the API key')
    expect(session.emulator.polls()).toHaveLength(0)
    for (const artifact of session.results.artifacts) expect(artifact.name).not.toContain(KEY)
  })

  it('a provider error of any length reaches the annotation, the summary and the outputs cut short', async () => {
    const words = 'The provider explains at length. '.repeat(6_000)
    const run = await runAction(
      { name: 'long-error', poll: [() => xaiFailed('invalid_argument', words)] },
      { 'base-url': session.emulator.xaiBaseUrl },
    )
    expect(run.outputs.status).toBe('failed')
    expect(errorLines(run)[0]).toContain('The provider explains at length.')
    expect(errorLines(run)[0].length).toBeLessThan(3_000)
    expect(run.summary.length).toBeLessThan(10_000)
  })

  it("SIGTERM once a batch job's video is saved: the line says it is saved, not that it keeps running", async ({
    skip,
  }) => {
    skip(!CANCEL_BY_SIGNAL, 'Windows has no SIGTERM: the process would be ended, not signalled')
    const cancel = signalOnOutput('] Saved /')
    const run = await runAction(
      'xai-done',
      { 'base-url': session.emulator.xaiBaseUrl, prompt: '', 'prompts-file': 'jobs.yml' },
      {
        ...cancel,
        prepare: (dirs) =>
          writeFile(path.join(dirs.workspace, 'jobs.yml'), '- name: only\n  prompt: A kite over a beach.\n'),
      },
    )
    expect(cancel.sent()).toBe(true)
    expect(run.outputs.status).toBe('cancelled')
    const [entry] = JSON.parse(run.outputs.results ?? '[]') as { 'request-id': string }[]
    expect(errorLines(run)[0]).toContain(`Job ${entry['request-id']} is done and its video was saved to`)
    expect(errorLines(run)[0]).not.toContain('keeps running')
  })

  it('SIGTERM while a create is unanswered: status cancelled, and the line says a billed job may exist', async ({
    skip,
  }) => {
    skip(!CANCEL_BY_SIGNAL, 'Windows has no SIGTERM: the process would be ended, not signalled')
    const cancel = signalOnOutput('Creating ')
    const run = await runAction(
      { name: 'slow-create', create: [(ctx) => ({ ...createAccepted(ctx), delayMs: 5_000 })], poll: [xaiDone] },
      { 'base-url': session.emulator.xaiBaseUrl },
      cancel,
    )
    expect(cancel.sent()).toBe(true)
    expect(run.outputs.status).toBe('cancelled')
    expect(run.outputs['request-id'] ?? '').toBe('')
    expect(session.emulator.creates()).toHaveLength(1)
    expect(errorLines(run)[0]).toContain(
      'A create request was under way (sent, or about to be) and unanswered: the provider may have made',
    )
  })

  it('never shows the key: not in logs, outputs, summary, files, or any request but the API requests', async () => {
    const videoRequests: Emulator['requests'] = []
    // A provider that echoes the key back in its error must not get it printed either (runAction checks each run).
    await runAction({
      name: 'echo-key',
      create: [() => cometError(401, `Invalid token ${KEY}`)],
      poll: [emptyAccepted()],
    })
    for (const scenario of [
      'video-expired',
      'xai-failed',
      'xai-expired',
      'create-500',
      'poll-404',
      'xai-legacy-wrapper',
      'video-on-api-origin-redirect',
    ] as const) {
      await runAction(scenario, {
        'base-url': session.emulator.xaiBaseUrl,
        archive: 'true',
        'artifact-name': `leak-check-${scenario}`,
      })
      videoRequests.push(...session.emulator.requests.filter((r) => r.host === 'video'))
    }
    expect(videoRequests.length).toBeGreaterThan(0)
    for (const request of videoRequests) expect(JSON.stringify(request.headers)).not.toContain(KEY)
    for (const request of session.results.requests) expect(JSON.stringify(request)).not.toContain(KEY)
  })
})

/**
 * The whole road in-process, through real HTTP: emulator → client → wait loop → download → the real
 * @actions/artifact client → the results-service fake. Each documented response shape ends in the outputs a user
 * would see, with the number of create requests counted at the emulator.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CreateVideoRequest } from '../src/grok/client.js'
import { readInputs } from '../src/inputs.js'
import { generateVideo } from '../src/pipeline.js'
import type { OutputName, RunResult } from '../src/report.js'
import {
  cometError,
  cometTask,
  cometTaskSuccess,
  emptyAccepted,
  html,
  xaiDone,
  xaiRunning,
} from './emulator/scenarios.ts'
import { loadFixtureVideo, startEmulator, type Emulator, type ScenarioName } from './emulator/server.ts'
import { startResultsService, type ResultsServiceFake } from './fakes/results-service.ts'
import { recordPauses } from './harness/pauses.ts'

const FIXTURE_SHA256 = createHash('sha256').update(loadFixtureVideo()).digest('hex')

let emulator: Emulator
let results: ResultsServiceFake
let workspace: string
let savedEnv: NodeJS.ProcessEnv

beforeAll(async () => {
  emulator = await startEmulator()
  results = await startResultsService()
})
afterAll(async () => {
  await emulator.close()
  await results.close()
})
beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'pipeline-'))
  savedEnv = { ...process.env }
  Object.assign(process.env, results.env)
})
afterEach(async () => {
  process.env = savedEnv
  await rm(workspace, { recursive: true, force: true })
})

interface Run {
  result: RunResult
  outputs: Partial<Record<OutputName, string>>
  /** Outputs in the order they were set (request-id must come first, as soon as it is known). */
  order: OutputName[]
  logs: string[]
  /** The pauses asked for between retries: recorded, not waited, so a retry costs no real time. */
  retryPauses: number[]
}

async function run(
  scenario: ScenarioName | Parameters<Emulator['setScenario']>[0],
  inputs: Record<string, string> = {},
): Promise<Run> {
  emulator.setScenario(scenario)
  const all: Record<string, string> = {
    'api-key': emulator.apiKey,
    'base-url':
      typeof scenario === 'string' && scenario.startsWith('comet') ? emulator.cometBaseUrl : emulator.xaiBaseUrl,
    prompt: 'A candle flickers on a wooden table.',
    'poll-interval-seconds': '0.02',
    'timeout-seconds': '20',
    'output-dir': path.join(workspace, 'out'),
    // Previews have tests of their own (preview.test.ts); whether this machine has an ffmpeg must not matter here.
    preview: 'false',
    ...inputs,
  }
  const config = await readInputs({
    getInput: (name) => all[name] ?? '',
    mask: () => {},
    env: { GITHUB_WORKSPACE: workspace },
  })
  const outputs: Partial<Record<OutputName, string>> = {}
  const order: OutputName[] = []
  const logs: string[] = []
  const retryPauses: number[] = []
  const result = await generateVideo(
    config,
    {
      output: (name, value) => {
        outputs[name] = value
        order.push(name)
      },
      info: (m) => logs.push(m),
      warning: (m) => logs.push(`warning: ${m}`),
    },
    { requestTimeoutMs: 500, retrySleep: recordPauses(retryPauses) },
  )
  return { result, outputs, order, logs, retryPauses }
}

const artifactsBefore = (): number => results.artifacts.length

describe('a job that ends done', () => {
  it.each<ScenarioName>([
    'xai-done',
    'xai-pending-200',
    'xai-unknown-statuses',
    'xai-legacy-wrapper',
    'comet-task-success',
    'comet-task-peer-statuses',
    'comet-flat',
    'comet-flat-202',
    'poll-404-once',
    'poll-reset-once',
    'poll-hang-once',
    'video-truncated-once',
    'video-reset-once',
    'video-redirects',
    'poll-transient',
    'poll-429',
  ])('%s: MP4 saved, hashed, uploaded unzipped; every output set; one create', async (scenario) => {
    const before = artifactsBefore()
    const { result, outputs, order } = await run(scenario)

    expect(result.error).toBeUndefined()
    expect(emulator.creates()).toHaveLength(1)
    const requestId = outputs['request-id'] as string
    expect(requestId).toMatch(/\S/)
    expect(order[0]).toBe('request-id')
    expect(outputs.status).toBe('done')
    expect(outputs['video-url']).toBe(`${emulator.videoOrigin}/videos/${encodeURIComponent(requestId)}.mp4`)
    expect(outputs['video-path']).toBe(path.join(workspace, 'out', `grok-video-${requestId}.mp4`))
    expect(
      createHash('sha256')
        .update(await readFile(outputs['video-path'] as string))
        .digest('hex'),
    ).toBe(FIXTURE_SHA256)
    expect(outputs['video-sha256']).toBe(FIXTURE_SHA256)
    expect(outputs['video-bytes']).toBe(String(loadFixtureVideo().length))
    expect(outputs.duration).toBe('1')
    expect(outputs['cost-usd']).toBe('0.05')

    const metadata: unknown = JSON.parse(await readFile(outputs['metadata-path'] as string, 'utf8'))
    expect(metadata).toMatchObject({ requestId, status: 'done', costUsd: 0.05, video: { sha256: FIXTURE_SHA256 } })

    expect(results.artifacts).toHaveLength(before + 1)
    const artifact = results.artifacts.at(-1)!
    expect(artifact).toMatchObject({
      name: `grok-video-${requestId}.mp4`,
      mimeType: 'video/mp4',
      sha256: FIXTURE_SHA256,
    })
    expect(outputs['artifact-id']).toBe(String(artifact.id))
    expect(outputs['artifact-digest']).toBe(FIXTURE_SHA256)
    expect(outputs['artifact-url']).toBe(
      `https://github.com/${results.env.GITHUB_REPOSITORY}/actions/runs/${results.env.GITHUB_RUN_ID}/artifacts/${artifact.id}`,
    )
    // Nothing but the video host ever saw the video request, and it never saw the key.
    for (const request of emulator.videoRequests()) expect(request.headers.authorization).toBeUndefined()
    // No partial file left behind.
    expect((await readdir(path.join(workspace, 'out'))).sort()).toEqual([
      `grok-video-${requestId}.json`,
      `grok-video-${requestId}.mp4`,
    ])
  })
})

describe('a job that does not end done', () => {
  it.each<[ScenarioName, string, RegExp, string]>([
    ['xai-failed', 'failed', /Prompt cannot be empty/, ''],
    ['comet-flat-failed', 'failed', /ended with status 'failed'/, ''],
    ['comet-task-failure', 'failed', /ended with status 'failed'/, ''],
    ['comet-task-cancelled', 'failed', /ended with status 'failed'/, ''],
    ['xai-expired', 'expired', /expired/, ''],
    ['xai-moderated', 'moderated', /moderation/, '0.25'],
    ['xai-moderated-400', 'moderated', /rejected by content moderation/, '0.25'],
    ['comet-task-failure-inner', 'failed', /ended with status 'failed'/, ''],
    ['video-expired', 'download-failed', /HTTP 403.*expired/, '0.05'],
    ['video-not-mp4', 'download-failed', /not an MP4/, '0.05'],
  ])('%s → status %s, request id kept, the step fails with the reason', async (scenario, status, reason, cost) => {
    const before = artifactsBefore()
    const { result, outputs } = await run(scenario)
    const requestId = outputs['request-id'] as string
    expect(emulator.creates()).toHaveLength(1)
    expect(outputs.status).toBe(status)
    expect(requestId).toMatch(/\S/)
    expect(result.error?.message).toMatch(reason)
    expect(result.error?.message).toContain(requestId)
    expect(outputs['cost-usd']).toBe(cost)
    expect(outputs['video-path']).toBe('')
    expect(outputs['artifact-id']).toBe('')
    expect(results.artifacts).toHaveLength(before)
    // The record of the run exists even so (a moderated job is billed), and no partial MP4 remains.
    expect(await readdir(path.join(workspace, 'out'))).toEqual([`grok-video-${requestId}.json`])
  })

  it.each<[ScenarioName, RegExp]>([
    ['create-401', /HTTP 401: Invalid token.*api-key/],
    ['create-400-xai', /HTTP 400/],
    ['create-422-message', /HTTP 422/],
    ['create-403', /HTTP 403/],
    ['create-404-model', /HTTP 404.*'model' and 'base-url'/],
    ['create-400-zdr', /Zero Data Retention/],
    ['create-html', /not JSON.*base-url/],
    ['create-redirect', /redirect.*base-url/],
    ['create-500', /not sent again/],
    ['create-reset', /not sent again/],
    ['create-hang', /not sent again/],
  ])('%s: one create, no request id, no poll, status error, a clear message', async (scenario, message) => {
    const { result, outputs } = await run(scenario)
    expect(emulator.creates()).toHaveLength(1)
    expect(emulator.polls()).toHaveLength(0)
    expect(outputs['request-id']).toBe('')
    expect(outputs.status).toBe('error')
    expect(result.error?.message).toMatch(message)
  })

  it('a request-id the provider answers 404 for: status error, and no advice to resume what just failed', async () => {
    const { result, outputs } = await run('poll-404', { 'request-id': '4b2cd27e-0b0d-3dec-c31c-7572daf74bb3' })
    expect(emulator.creates()).toHaveLength(0)
    expect(outputs.status).toBe('error')
    expect(result.error?.message).toMatch(/HTTP 404: No deferred video/)
    expect(result.error?.message).not.toContain("re-run with 'request-id")
  })

  it('create-429 is sent again after Retry-After, and the job completes', async () => {
    const { outputs, logs, retryPauses } = await run('create-429')
    expect(emulator.creates()).toHaveLength(2)
    expect(retryPauses).toEqual([1000])
    expect(outputs.status).toBe('done')
    expect(logs.some((l) => /HTTP 429.*trying again/.test(l))).toBe(true)
  })

  it.each<[string, Parameters<Emulator['setScenario']>[0], RegExp]>([
    ['poll-404', 'poll-404', /Checking video job \S+ failed with HTTP 404: No deferred video/],
    ['comet-task-gateway-error', 'comet-task-gateway-error', /CometAPI answered with error 'task_not_exist'/],
    [
      'an HTML page on poll',
      { name: 'poll-html', poll: [html(200, 'Welcome', 'A landing page')] },
      /not JSON.*base-url/,
    ],
    ['a 401 on poll', { name: 'poll-401', poll: [cometError(401, 'Token expired')] }, /HTTP 401: Token expired/],
  ])(
    '%s: the job exists, so request-id is kept; status error with the reason and the resume line; one create',
    async (_name, scenario, message) => {
      const { result, outputs } = await run(scenario)
      expect(emulator.creates()).toHaveLength(1)
      expect(outputs['request-id']).toMatch(/\S/)
      expect(outputs.status).toBe('error')
      expect(result.error?.message).toContain(`re-run with 'request-id: ${outputs['request-id']}' to collect it`)
      expect(outputs['video-path']).toBe('')
      expect(result.error?.message).toMatch(message)
      expect(result.error?.message).toContain(outputs['request-id'] as string)
    },
  )

  it('a video host that keeps cutting the transfer: download-failed after the retries, no partial file', async () => {
    const { result, outputs, retryPauses } = await run({
      name: 'always-cut',
      poll: [emptyAccepted(), (ctx) => xaiDone(ctx)],
      video: { truncateAfter: 10 },
    })
    expect(emulator.creates()).toHaveLength(1)
    expect(emulator.videoRequests().length).toBe(4)
    expect(retryPauses).toHaveLength(3)
    expect(outputs.status).toBe('download-failed')
    expect(result.error?.message).toContain(`request-id: ${outputs['request-id']}`)
    expect(await readdir(path.join(workspace, 'out'))).toEqual([`grok-video-${outputs['request-id']}.json`])
  })

  it('a job still running at the deadline ends with status timeout and the exact resume line', async () => {
    const { result, outputs, logs } = await run(
      { name: 'never-done', poll: [xaiRunning('pending', { progress: 10, http: 202 })] },
      { 'timeout-seconds': '0.3' },
    )
    expect(emulator.creates()).toHaveLength(1)
    expect(outputs.status).toBe('timeout')
    expect(result.error?.message).toContain(`request-id: ${outputs['request-id']}`)
    expect(logs.some((l) => l.includes('pending (10 %)'))).toBe(true)
  })
})

describe('modes', () => {
  it('wait: false creates, sets request-id and status pending, and never polls', async () => {
    const { result, outputs } = await run('xai-done', { wait: 'false' })
    expect(result.error).toBeUndefined()
    expect(outputs.status).toBe('pending')
    expect(outputs['request-id']).toMatch(/\S/)
    expect(emulator.creates()).toHaveLength(1)
    expect(emulator.polls()).toHaveLength(0)
  })

  it('request-id resumes an existing job without creating one', async () => {
    const { outputs } = await run(
      {
        name: 'resume',
        acceptUnknownIds: true,
        poll: [(ctx) => cometTask(ctx, 'IN_PROGRESS', { progress: '80%' }), (ctx) => cometTaskSuccess(ctx)],
      },
      { 'request-id': 'task-from-yesterday', prompt: '', 'base-url': emulator.cometBaseUrl },
    )
    expect(emulator.creates()).toHaveLength(0)
    expect(emulator.polls()[0]?.path).toBe('/grok/v1/videos/task-from-yesterday')
    expect(outputs['request-id']).toBe('task-from-yesterday')
    expect(outputs.status).toBe('done')
  })

  it('archive: true uploads a zip of the MP4 and its metadata JSON, under artifact-name', async () => {
    const { outputs } = await run('xai-done', { archive: 'true', 'artifact-name': 'candle-take-1' })
    const artifact = results.artifacts.at(-1)!
    expect(artifact.name).toBe('candle-take-1')
    expect(artifact.bytes.subarray(0, 2).toString()).toBe('PK')
    expect(outputs['video-path']).toBe(path.join(workspace, 'out', 'candle-take-1.mp4'))
    expect(outputs['artifact-digest']).toBe(artifact.sha256)
  })

  it('upload-artifact: false keeps the file and never talks to the artifact service', async () => {
    const requestsBefore = results.requests.length
    const { outputs } = await run('xai-done', { 'upload-artifact': 'false' })
    expect(outputs.status).toBe('done')
    expect(outputs['artifact-id']).toBe('')
    expect(outputs['artifact-url']).toBe('')
    expect(results.requests.length).toBe(requestsBefore)
  })

  it('image from a local file is sent as a data URL; the record shows its name, not its bytes', async () => {
    const { copyFile } = await import('node:fs/promises')
    await copyFile(path.join(import.meta.dirname, 'fixtures', 'frame.jpg'), path.join(workspace, 'first.jpg'))
    const { outputs } = await run('xai-done', { image: 'first.jpg' })
    const sent = JSON.parse(emulator.creates()[0].body) as CreateVideoRequest
    const jpeg = await readFile(path.join(workspace, 'first.jpg'))
    expect(sent.image).toEqual({ url: `data:image/jpeg;base64,${jpeg.toString('base64')}` })
    const metadata = await readFile(outputs['metadata-path'] as string, 'utf8')
    expect(metadata).toContain('first.jpg (image/jpeg')
    expect(metadata).not.toContain('base64')
  })

  it('prompt-file is read from the workspace and sent as the prompt', async () => {
    const { writeFile } = await import('node:fs/promises')
    await writeFile(path.join(workspace, 'scene.txt'), 'Waves fold over black sand at dusk.\n')
    await run('xai-done', { prompt: '', 'prompt-file': 'scene.txt', duration: '5', 'aspect-ratio': '9:16' })
    expect(JSON.parse(emulator.creates()[0].body)).toEqual({
      prompt: 'Waves fold over black sand at dusk.',
      model: 'grok-imagine-video',
      duration: 5,
      aspect_ratio: '9:16',
    })
  })

  it('a request id cannot steer files out of output-dir', async () => {
    const { outputs } = await run(
      { name: 'odd-id', acceptUnknownIds: true, poll: [(ctx) => xaiDone(ctx)] },
      // An id with '..' parts is refused as input; one with slashes is accepted, and still names no folder.
      { 'request-id': 'escape/to/me', prompt: '' },
    )
    expect(outputs.status).toBe('done')
    expect(path.dirname(outputs['video-path'] as string)).toBe(path.join(workspace, 'out'))
    expect(path.dirname(outputs['metadata-path'] as string)).toBe(path.join(workspace, 'out'))
  })

  it('leaves no connection open once it returns', async () => {
    await run('xai-done')
    // The server sees a closed socket a moment after the client closes it; give that moment, boundedly.
    for (let i = 0; i < 50 && emulator.openConnections() > 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(emulator.openConnections()).toBe(0)
  })

  it('logs what happens while it waits', async () => {
    const { logs } = await run(
      {
        name: 'slow',
        poll: [
          emptyAccepted(),
          (ctx) => cometTask(ctx, 'IN_PROGRESS', { progress: '45%' }),
          (ctx) => cometTaskSuccess(ctx),
        ],
      },
      { 'base-url': emulator.cometBaseUrl },
    )
    expect(logs.some((l) => /^Job \S+: IN_PROGRESS \(45 %\), [\d.]+s elapsed; next check in [\d.]+ s\.$/.test(l))).toBe(
      true,
    )
  })
})

import {
  Agent,
  get as httpGet,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cometTask,
  emptyAccepted,
  endlessStatus,
  scenarioNames,
  scenarios,
  tricklingStatus,
  xaiDone,
  ZDR_MESSAGE,
  type ScenarioName,
} from './scenarios.ts'
import { FIXTURE_VIDEO_PATH, startEmulator, type Emulator, type Scenario } from './server.ts'
import { anyNumber, textMatching } from '../harness/matchers.ts'

const fixture = readFileSync(FIXTURE_VIDEO_PATH)

let emu: Emulator
beforeAll(async () => {
  emu = await startEmulator()
})
afterAll(async () => {
  await emu?.close()
})

const auth = () => ({ authorization: `Bearer ${emu.apiKey}` })
const createBody = { prompt: 'a red fox in the snow', model: 'grok-imagine-video-1.5', duration: '5' }

type Outcome = { kind: 'response'; status: number; headers: Headers; text: string } | { kind: 'failed'; error: unknown }

async function attempt(url: string, init: RequestInit = {}, timeoutMs = 5000): Promise<Outcome> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), ...init })
    return { kind: 'response', status: res.status, headers: res.headers, text: await res.text() }
  } catch (error) {
    return { kind: 'failed', error }
  }
}

function post(
  base: string,
  body: unknown = createBody,
  timeoutMs?: number,
  headers: Record<string, string> = auth(),
): Promise<Outcome> {
  return attempt(
    `${base}/videos/generations`,
    { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
    timeoutMs,
  )
}

/** POSTs a scenario's own request: `path` is from the server's root, as the scenario's `expect` gives it. */
function postTo(base: string, request: { path: string; body: unknown }, timeoutMs?: number): Promise<Outcome> {
  return attempt(
    new URL(request.path, base).href,
    { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(request.body) },
    timeoutMs,
  )
}

function poll(
  base: string,
  id: string,
  timeoutMs?: number,
  headers: Record<string, string> = auth(),
): Promise<Outcome> {
  return attempt(`${base}/videos/${encodeURIComponent(id)}`, { headers }, timeoutMs)
}

function answered(outcome: Outcome): Extract<Outcome, { kind: 'response' }> {
  if (outcome.kind !== 'response') throw new Error(`request failed: ${String(outcome.error)}`)
  return outcome
}

const jsonOf = (outcome: Outcome): unknown => JSON.parse(answered(outcome).text)

// ----------------------------------------------------------------------------------------------------------------
// The expected wire sequence of every named scenario, written out literally (not with the builders) so the test
// checks the documented shapes rather than restating the implementation.

type Step =
  | {
      status: number
      body?: unknown
      text?: string | RegExp
      contentType?: RegExp
      headers?: Record<string, string | RegExp>
    }
  | { fault: 'reset' | 'hang' }

interface Expectation {
  base?: 'xai' | 'comet'
  /** The request to create with, when the scenario expects its own (its `expect`). */
  request?: { path: string; body: unknown }
  /** Default: one 200 {"request_id"}. */
  create?: Step[]
  /** Omitted when no job gets created. */
  poll?: Step[]
}

interface JobRef {
  id: string
  videoUrl: string
  /** The same video on the API's own origin. */
  apiVideoUrl: string
}

const EMPTY_202: Step = { status: 202, text: '' }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// Every accepted create makes a new job, so its id is only checked for form.
const ACCEPTED: Step = { status: 200, body: { request_id: textMatching(UUID) } }
const withRequestId = (message: string) => textMatching(new RegExp(`^${message} \\(request id: \\d{17}\\w+\\)$`))
const htmlPage: Step = { status: 200, contentType: /^text\/html/, text: /<!DOCTYPE html>/ }

function table(j: JobRef): Record<ScenarioName, Expectation> {
  const video = { url: j.videoUrl, duration: 5, respect_moderation: true }
  const usage = { cost_in_usd_ticks: 500_000_000 }
  const model = 'grok-imagine-video-1.5'
  const done = { status: 'done', video, model, progress: 100, usage }
  const doneStep: Step = { status: 200, body: done, contentType: /^application\/json/ }
  const quick = [EMPTY_202, doneStep]
  const task = (status: string, progress: string, rest: { fail_reason?: string; data?: unknown } = {}) => ({
    status: 200,
    body: {
      code: 'success',
      message: '',
      data: {
        task_id: j.id,
        action: 'VIDEO_GENERATION',
        status,
        fail_reason: rest.fail_reason ?? '',
        submit_time: anyNumber(),
        start_time: 0,
        finish_time: progress === '100%' ? anyNumber() : 0,
        progress,
        data: rest.data ?? {},
      },
    },
  })
  const innerDone = { model, usage, video, status: 'done' }
  const notCreated = (step: Step): Expectation => ({ create: [step] })
  /** CometAPI's 429 with the `Retry-After` it names. */
  const rateLimited = (retryAfter: string): Step => ({
    status: 429,
    headers: { 'retry-after': retryAfter },
    body: { error: { message: 'Rate limit reached for requests', type: 'comet_api_error', code: 'rate_limit' } },
  })
  const xaiNative = (status: number, error: string) => ({
    status,
    body: { code: 'Client specified an invalid argument', error },
  })

  return {
    'xai-done': { poll: [EMPTY_202, EMPTY_202, { status: 202, body: { status: 'pending', progress: 40 } }, doneStep] },
    'xai-pending-200': {
      poll: [
        { status: 200, body: { status: 'pending', progress: 10 } },
        { status: 200, body: { status: 'pending', progress: 60 } },
        doneStep,
      ],
    },
    'xai-unknown-statuses': {
      poll: [
        ...['queued', 'processing', 'in_progress', 'something-new'].map((s) => ({ status: 200, body: { status: s } })),
        doneStep,
      ],
    },
    'xai-failed': {
      poll: [
        EMPTY_202,
        {
          status: 200,
          body: {
            status: 'failed',
            error: { code: 'invalid_argument', message: 'Prompt cannot be empty. Please provide a prompt.' },
          },
        },
      ],
    },
    'xai-expired': { poll: [EMPTY_202, { status: 200, body: { status: 'expired' } }] },
    'xai-moderated': {
      poll: [
        EMPTY_202,
        {
          status: 200,
          body: {
            status: 'done',
            video: { url: '', duration: 0, respect_moderation: false },
            model,
            usage: { cost_in_usd_ticks: 2_500_000_000 },
          },
        },
      ],
    },
    'xai-moderated-400': {
      poll: [
        EMPTY_202,
        {
          status: 400,
          body: {
            code: 'Client specified an invalid argument',
            error: 'Generated video rejected by content moderation.',
            usage: { cost_in_usd_ticks: 2_500_000_000 },
          },
        },
      ],
    },
    'xai-legacy-wrapper': {
      poll: [EMPTY_202, { status: 200, body: { status: 'done', response: { model, video, usage } } }],
    },
    'comet-task-success': {
      base: 'comet',
      poll: [
        task('NOT_START', '0%'),
        task('SUBMITTED', '0%'),
        task('QUEUED', '0%'),
        task('IN_PROGRESS', '45%'),
        task('SUCCESS', '100%', { fail_reason: j.videoUrl, data: innerDone }),
      ],
    },
    'comet-task-peer-statuses': {
      base: 'comet',
      poll: [
        task('UNKNOWN', '0%'),
        task('IN_PROGRESS', '80%'),
        task('COMPLETED', '100%', { fail_reason: j.videoUrl, data: innerDone }),
      ],
    },
    'comet-task-failure': {
      base: 'comet',
      poll: [
        task('IN_PROGRESS', '30%'),
        task('FAILURE', '100%', { fail_reason: 'Prompt cannot be empty. Please provide a prompt.' }),
      ],
    },
    'comet-task-failure-inner': {
      base: 'comet',
      poll: [
        task('IN_PROGRESS', '30%'),
        task('FAILURE', '100%', {
          fail_reason: 'Video generation failed. Please try again.',
          data: {
            status: 'failed',
            error: { code: 'internal_error', message: 'Video generation failed. Please try again.' },
          },
        }),
      ],
    },
    'comet-task-cancelled': {
      base: 'comet',
      poll: [task('SUBMITTED', '0%'), task('CANCELLED', '100%', { fail_reason: 'task cancelled' })],
    },
    'comet-task-gateway-error': {
      base: 'comet',
      poll: [{ status: 200, body: { code: 'task_not_exist', message: 'task_not_exist', data: null } }],
    },
    'comet-flat': {
      base: 'comet',
      poll: [
        ...Array.from({ length: 3 }, () => ACCEPTED),
        { status: 200, body: { status: 'queued', model, progress: 0 } },
        { status: 200, body: { status: 'processing', model, progress: 50 } },
        { status: 200, body: { ...done, error: null } },
      ],
    },
    'comet-flat-202': {
      base: 'comet',
      poll: [
        ...Array.from({ length: 3 }, () => ({ status: 202, body: { request_id: j.id } })),
        { status: 202, body: { status: 'queued', model, progress: 0 } },
        { status: 202, body: { status: 'processing', model, progress: 50 } },
        { status: 200, body: { ...done, error: null } },
      ],
    },
    'comet-flat-failed': {
      base: 'comet',
      poll: [
        ACCEPTED,
        {
          status: 200,
          body: {
            status: 'failed',
            error: { code: 'service_unavailable', message: 'Video generation is temporarily unavailable.' },
            model,
            progress: 0,
          },
        },
      ],
    },
    'poll-202-not-json': {
      poll: [
        { status: 202, text: '{"status":"pending","progr', contentType: /^application\/json/ },
        { status: 202, text: 'data: {"status":"pending","progress":50}\n\n', contentType: /^text\/event-stream/ },
        doneStep,
      ],
    },
    'done-without-url': {
      poll: [
        EMPTY_202,
        {
          status: 200,
          body: {
            status: 'done',
            video: { url: '', duration: 0, respect_moderation: true },
            model,
            progress: 100,
            usage,
          },
        },
      ],
    },
    'done-top-level-url': {
      poll: [EMPTY_202, { status: 200, body: { status: 'done', model, progress: 100, usage, url: j.videoUrl } }],
    },
    'done-without-status': { poll: [EMPTY_202, { status: 200, body: { video, model, usage } }] },
    'failed-without-status': {
      poll: [
        EMPTY_202,
        { status: 200, body: { code: 'invalid-argument', error: 'Duration must be between 2 and 10 seconds' } },
      ],
    },
    'moderated-without-status': {
      poll: [
        EMPTY_202,
        {
          status: 200,
          body: {
            code: 'invalid-argument',
            error: 'Generated video rejected by content moderation.',
            request_id: j.id,
            usage: { cost_in_usd_ticks: 2_500_000_000 },
          },
        },
      ],
    },
    'comet-task-failure-generic': {
      base: 'comet',
      poll: [
        task('IN_PROGRESS', '30%'),
        task('FAILURE', '100%', {
          fail_reason: 'upstream returned error',
          data: {
            code: 'invalid-argument',
            error: 'Generated video rejected by content moderation.',
            request_id: j.id,
            usage: { cost_in_usd_ticks: 2_500_000_000 },
          },
        }),
      ],
    },
    'comet-task-failure-bare-inner': {
      base: 'comet',
      poll: [
        task('IN_PROGRESS', '30%'),
        task('FAILURE', '100%', {
          fail_reason: 'Channel quota exhausted, please try again later.',
          data: { status: 'failed' },
        }),
      ],
    },
    'xai-failed-content-policy': {
      poll: [
        EMPTY_202,
        {
          status: 200,
          body: {
            status: 'failed',
            error: { code: 'invalid_argument', message: 'The prompt violates our content policy.' },
          },
        },
      ],
    },
    'comet-flat-safety-system': {
      base: 'comet',
      poll: [
        ACCEPTED,
        {
          status: 200,
          body: {
            status: 'failed',
            error: { code: 'invalid_argument', message: 'Your request was rejected by our safety system.' },
            model,
            progress: 0,
          },
        },
      ],
    },
    'video-on-api-origin': {
      poll: [EMPTY_202, { status: 200, body: { ...done, video: { ...video, url: j.apiVideoUrl } } }],
    },
    'video-on-api-origin-redirect': {
      poll: [EMPTY_202, { status: 200, body: { ...done, video: { ...video, url: j.apiVideoUrl } } }],
    },
    'poll-404': { poll: [{ status: 404, body: { error: { message: 'No deferred video' } } }] },
    'poll-404-once': { poll: [{ status: 404, body: { error: { message: 'No deferred video' } } }, ...quick] },
    'poll-transient': {
      poll: [
        {
          status: 503,
          body: {
            error: {
              message: withRequestId('upstream service temporarily unavailable'),
              type: 'comet_api_error',
              code: 'service_unavailable',
            },
          },
        },
        { status: 502, contentType: /^text\/html/, text: /502 Bad Gateway/ },
        { status: 524, contentType: /^text\/html/, text: /A timeout occurred/ },
        doneStep,
      ],
    },
    'poll-429': {
      poll: [
        {
          status: 429,
          headers: { 'retry-after': '1' },
          body: {
            error: { message: withRequestId('Rate limit reached'), type: 'comet_api_error', code: 'rate_limit' },
          },
        },
        doneStep,
      ],
    },
    'poll-429-retry-after-0': { poll: [rateLimited('0'), doneStep] },
    'poll-429-past-date': { poll: [rateLimited('Wed, 01 Jan 2020 00:00:00 GMT'), doneStep] },
    'poll-retry-after-0': {
      poll: [
        ...Array.from({ length: 3 }, () => ({ status: 202, text: '', headers: { 'retry-after': '0' } })),
        doneStep,
      ],
    },
    'poll-reset-once': { poll: [{ fault: 'reset' }, doneStep] },
    'poll-hang-once': { poll: [{ fault: 'hang' }, doneStep] },
    'create-401': notCreated({
      status: 401,
      body: { error: { message: withRequestId('Invalid token'), type: 'comet_api_error', code: '' } },
    }),
    'create-400-xai': notCreated(
      xaiNative(400, 'Incorrect API key provided: xa***ey. You can obtain an API key from https://console.x.ai.'),
    ),
    'create-422-message': notCreated({
      status: 422,
      body: { message: 'duration must be an integer between 1 and 15' },
    }),
    'create-403': notCreated({
      status: 403,
      body: {
        error: {
          message: withRequestId(`This token is not allowed to use model ${model}`),
          type: 'comet_api_error',
          code: '',
        },
      },
    }),
    'create-404-model': notCreated({
      status: 404,
      body: {
        code: 'Some requested entity was not found',
        error: `The model ${model} does not exist or your team does not have access to it.`,
      },
    }),
    'create-400-zdr': notCreated(
      xaiNative(400, 'Zero Data Retention teams must provide output.upload_url for video generation.'),
    ),
    'create-html': notCreated(htmlPage),
    'create-redirect': notCreated({
      status: 301,
      headers: { location: `${emu.xaiBaseUrl.replace(/\/v1$/, '')}/moved/v1/videos/generations` },
      text: /301 Moved Permanently/,
    }),
    'create-429': {
      create: [
        {
          status: 429,
          headers: { 'retry-after': '1' },
          body: { error: { message: 'Rate limit reached for requests', type: 'comet_api_error', code: 'rate_limit' } },
        },
        ACCEPTED,
      ],
      poll: quick,
    },
    'create-429-retry-after-0': { create: [rateLimited('0'), ACCEPTED], poll: quick },
    'create-500': {
      create: [
        {
          status: 500,
          body: {
            error: { message: withRequestId('upstream error: do request failed'), type: 'comet_api_error', code: '' },
          },
        },
        ACCEPTED,
      ],
      poll: quick,
    },
    'create-hang': { create: [{ fault: 'hang' }, ACCEPTED], poll: quick },
    'create-reset': { create: [{ fault: 'reset' }, ACCEPTED], poll: quick },
    'video-expired': { poll: quick },
    'video-truncated-once': { poll: quick },
    'video-reset-once': { poll: quick },
    'video-redirects': { poll: quick },
    'video-not-mp4': { poll: quick },
    // Created here without storage_options or voices: a plain done (what they change is tested below).
    'xai-public-url': { poll: quick },
    'xai-storage-error': {
      poll: [
        EMPTY_202,
        { status: 200, body: { ...done, storage_error: 'Could not store the file: bucket quota exceeded.' } },
      ],
    },
    'xai-public-url-not-https': { poll: quick },
    'xai-reference-voices': { poll: quick },
    'xai-zdr-team': notCreated({ status: 400, body: { code: 'invalid-argument', error: ZDR_MESSAGE } }),
    'xai-zdr-team-error-only': notCreated({ status: 400, body: { error: ZDR_MESSAGE } }),
    ...operationScenarios(j, task),
  }
}

/** The scenarios of edits, extensions, reference images and Zero Data Retention, sent the bodies they expect. */
function operationScenarios(j: JobRef, task: (status: string, progress: string, rest?: object) => Step) {
  const clip = readFileSync(new URL('../fixtures/clip-3s.mp4', import.meta.url)).toString('base64')
  const png = readFileSync(new URL('../fixtures/frame.png', import.meta.url)).toString('base64')
  const jpeg = readFileSync(new URL('../fixtures/frame.jpg', import.meta.url)).toString('base64')
  const source = `${emu.videoOrigin}/videos/source.mp4`
  const uploadUrl = `${emu.videoOrigin}/uploads/candle.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=5e1f0c0ffee0d15ea5e5ecret`
  const snow = 'Make it snow on the test pattern.'
  const pullBack = 'The camera pulls back to show the whole room.'
  const usage = { cost_in_usd_ticks: 500_000_000 }
  const base = 'grok-imagine-video'
  const done = (duration: number, url: string | null = j.videoUrl) => ({
    status: 200,
    body: {
      status: 'done',
      video: { ...(url === null ? {} : { url }), duration, respect_moderation: true },
      model: base,
      progress: 100,
      usage,
    },
  })
  const edit = { prompt: snow, video: { url: `data:video/mp4;base64,${clip}` }, model: base }
  return {
    'xai-edit': {
      request: { path: '/v1/videos/edits', body: { ...edit, user: 'release-bot' } },
      poll: [EMPTY_202, { status: 202, body: { status: 'pending', progress: 50 } }, done(3)],
    },
    'comet-edit': {
      base: 'comet',
      request: { path: '/grok/v1/videos/edits', body: { prompt: snow, video: { url: source }, model: base } },
      poll: [
        task('IN_PROGRESS', '40%'),
        task('SUCCESS', '100%', {
          fail_reason: j.videoUrl,
          data: {
            model: base,
            usage,
            video: { url: j.videoUrl, duration: 3, respect_moderation: true },
            status: 'done',
          },
        }),
      ],
    },
    'xai-extend': {
      request: {
        path: '/v1/videos/extensions',
        body: { prompt: pullBack, video: { url: `data:video/mp4;base64,${clip}` }, model: base, duration: 6 },
      },
      poll: [EMPTY_202, { status: 202, body: { status: 'pending', progress: 60 } }, done(9)],
    },
    'comet-extend-404': {
      base: 'comet',
      request: {
        path: '/grok/v1/videos/extensions',
        body: { prompt: pullBack, video: { url: source }, model: base, duration: 4 },
      },
      create: [
        {
          status: 404,
          body: {
            error: {
              message: withRequestId('Invalid URL \\(POST /grok/v1/videos/extensions\\)'),
              type: 'comet_api_error',
              code: 'invalid_request_error',
            },
          },
        },
      ],
    },
    'xai-reference-images': {
      request: {
        path: '/v1/videos/generations',
        body: {
          prompt: 'The mug from <IMAGE_0> sits on the desk from <IMAGE_1>.',
          model: base,
          duration: 2,
          reference_images: [{ url: `data:image/png;base64,${png}` }, { url: `data:image/jpeg;base64,${jpeg}` }],
        },
      },
      poll: [EMPTY_202, done(2)],
    },
    'xai-zdr': {
      request: {
        path: '/v1/videos/generations',
        body: {
          prompt: 'A candle flickers on a wooden table.',
          model: base,
          duration: 1,
          output: { upload_url: uploadUrl },
        },
      },
      poll: [EMPTY_202, { status: 202, body: { status: 'pending', progress: 70 } }, done(1, null)],
    },
    'xai-zdr-edit': {
      request: { path: '/v1/videos/edits', body: { ...edit, output: { upload_url: uploadUrl } } },
      poll: [EMPTY_202, done(3, null)],
    },
  } satisfies Partial<Record<ScenarioName, Expectation>>
}

function expectStep(outcome: Outcome, step: Step, label: string): void {
  if ('fault' in step) {
    expect(outcome.kind, label).toBe('failed')
    return
  }
  const res = answered(outcome)
  expect(res.status, label).toBe(step.status)
  if (step.text !== undefined) {
    if (typeof step.text === 'string') expect(res.text, label).toBe(step.text)
    else expect(res.text, label).toMatch(step.text)
  }
  if (step.body !== undefined) {
    expect(res.headers.get('content-type'), label).toMatch(/^application\/json/)
    expect(JSON.parse(res.text), label).toEqual(step.body)
  }
  if (step.contentType) expect(res.headers.get('content-type'), label).toMatch(step.contentType)
  for (const [name, value] of Object.entries(step.headers ?? {})) {
    if (typeof value === 'string') expect(res.headers.get(name), label).toBe(value)
    else expect(res.headers.get(name), label).toMatch(value)
  }
}

/** Plays `steps` and one more request, which must repeat the last step ("the last repeats"). */
async function playSteps(steps: Step[], send: (timeoutMs: number) => Promise<Outcome>): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  for (const step of [...steps, steps.at(-1)!]) {
    outcomes.push(await send('fault' in step && step.fault === 'hang' ? 300 : 5000))
  }
  return outcomes
}

describe('named scenarios play their documented sequence', () => {
  it.each(scenarioNames)('%s', async (name) => {
    emu.setScenario(name)
    // The create steps come first; their expected bodies need the job id, so compare once it is known.
    const probe = table({ id: '', videoUrl: '', apiVideoUrl: '' })[name]
    const base = probe.base === 'comet' ? emu.cometBaseUrl : emu.xaiBaseUrl
    const createSteps = probe.create ?? [{ status: 200 }]
    const creates = await playSteps(createSteps, (t) =>
      probe.request ? postTo(base, probe.request, t) : post(base, createBody, t),
    )

    const accepted = creates.find((o) => o.kind === 'response' && o.status === 200 && o.text.startsWith('{'))
    const id = accepted ? (JSON.parse(answered(accepted).text) as { request_id?: string }).request_id : undefined
    const j: JobRef = {
      id: id ?? '',
      videoUrl: id ? `${emu.videoOrigin}/videos/${encodeURIComponent(id)}.mp4` : '',
      apiVideoUrl: id ? `${emu.apiOrigin}/v1/videos/${encodeURIComponent(id)}/content` : '',
    }
    const expected = table(j)[name]
    const expectedCreates = expected.create ?? [ACCEPTED]
    creates.forEach((o, i) => expectStep(o, expectedCreates[Math.min(i, expectedCreates.length - 1)], `create #${i}`))
    expect(emu.creates()).toHaveLength(creates.length)

    if (!expected.poll) {
      expect(id).toBeUndefined()
      return
    }
    expect(id).toMatch(UUID)
    const polls = await playSteps(expected.poll, (t) => poll(base, j.id, t))
    polls.forEach((o, i) => expectStep(o, expected.poll![Math.min(i, expected.poll!.length - 1)], `poll #${i}`))
    expect(emu.polls()).toHaveLength(polls.length)
  })
})

// ----------------------------------------------------------------------------------------------------------------

describe('API routes and auth', () => {
  it('answers on both roots and records the create body', async () => {
    emu.setScenario('xai-done')
    for (const base of [emu.xaiBaseUrl, emu.cometBaseUrl]) {
      const { request_id } = jsonOf(await post(base)) as { request_id: string }
      expect(answered(await poll(base, request_id)).status).toBe(202)
    }
    expect(emu.xaiBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
    expect(emu.cometBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/grok\/v1$/)
    expect(emu.creates().map((r) => r.path)).toEqual(['/v1/videos/generations', '/grok/v1/videos/generations'])
    expect(JSON.parse(emu.creates()[0].body)).toEqual(createBody)
    expect(emu.creates()[0].headers.authorization).toBe(`Bearer ${emu.apiKey}`)
    expect(emu.polls()).toHaveLength(2)
  })

  it('treats edits and extensions as job creation', async () => {
    emu.setScenario('xai-done')
    for (const route of ['edits', 'extensions']) {
      const res = await fetch(`${emu.xaiBaseUrl}/videos/${route}`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'make it night', video: { url: 'https://example.com/in.mp4' } }),
      })
      const { request_id } = (await res.json()) as { request_id: string }
      expect(answered(await poll(emu.xaiBaseUrl, request_id)).status).toBe(202)
    }
    expect(emu.creates()).toHaveLength(2)
  })

  it('answers 401 with a CometAPI error body for a wrong or missing key, on create and poll', async () => {
    emu.setScenario('xai-done')
    const { request_id } = jsonOf(await post(emu.xaiBaseUrl)) as { request_id: string }
    const outcomes = [
      await post(emu.xaiBaseUrl, createBody, undefined, { authorization: 'Bearer wrong' }),
      await post(emu.cometBaseUrl, createBody, undefined, {}),
      await poll(emu.xaiBaseUrl, request_id, undefined, { authorization: `Bearer ${emu.apiKey}x` }),
    ]
    for (const outcome of outcomes) {
      expect(answered(outcome).status).toBe(401)
      expect(jsonOf(outcome)).toEqual({
        error: { message: withRequestId('Invalid token'), type: 'comet_api_error', code: '' },
      })
    }
    // The rejected poll did not consume a step of the script.
    expect(answered(await poll(emu.xaiBaseUrl, request_id)).text).toBe('')
  })

  it('rejects a body that is not a JSON object with xAI’s 400', async () => {
    emu.setScenario('xai-done')
    const outcome = await attempt(`${emu.xaiBaseUrl}/videos/generations`, {
      method: 'POST',
      headers: auth(),
      body: new URLSearchParams({ prompt: 'x' }),
    })
    expect(answered(outcome).status).toBe(400)
    expect(jsonOf(outcome)).toMatchObject({ code: 'Client specified an invalid argument' })
  })

  it('answers 404 "No deferred video" for an id it never created, unless acceptUnknownIds', async () => {
    emu.setScenario('xai-done')
    const outcome = await poll(emu.xaiBaseUrl, 'never-created')
    expect(answered(outcome).status).toBe(404)
    expect(jsonOf(outcome)).toEqual({ error: { message: 'No deferred video' } })

    emu.setScenario({ ...scenarios['xai-done'], acceptUnknownIds: true })
    expect(answered(await poll(emu.xaiBaseUrl, 'resumed id/1')).status).toBe(202)
    expect(emu.polls()[0].path).toBe('/v1/videos/resumed%20id%2F1')
  })

  it('answers anything else with an HTML 404 page', async () => {
    emu.setScenario('xai-done')
    for (const path of ['/', '/v1', '/v1/chat/completions', '/v2/videos/generations', '/grok/v1/videos/a/b']) {
      const outcome = await attempt(`${emu.xaiBaseUrl.replace(/\/v1$/, '')}${path}`, { headers: auth() })
      expect(answered(outcome).status).toBe(404)
      expect(answered(outcome).headers.get('content-type')).toMatch(/^text\/html/)
    }
  })

  it('gives responders the job context and honours delayMs', async () => {
    const seen: Array<{ pollIndex: number; elapsedMs: number; model: unknown; videoUrl: string }> = []
    emu.setScenario({
      name: 'context',
      poll: [
        (ctx) => {
          const { pollIndex, elapsedMs, videoUrl } = ctx
          seen.push({ pollIndex, elapsedMs, videoUrl, model: ctx.createBody?.['model'] })
          return { ...emptyAccepted(), delayMs: ctx.pollIndex === 1 ? 150 : 0 }
        },
      ],
    })
    const { request_id } = jsonOf(await post(emu.xaiBaseUrl)) as { request_id: string }
    await poll(emu.xaiBaseUrl, request_id)
    const started = Date.now()
    await poll(emu.xaiBaseUrl, request_id)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(seen.map((s) => s.pollIndex)).toEqual([0, 1])
    expect(seen[1].elapsedMs).toBeGreaterThanOrEqual(seen[0].elapsedMs)
    expect(seen[0].model).toBe('grok-imagine-video-1.5')
    expect(seen[0].videoUrl).toBe(`${emu.videoOrigin}/videos/${request_id}.mp4`)
  })

  it('knows a job under the request_id a scripted create answers with', async () => {
    emu.setScenario({
      name: 'own-id',
      create: [{ status: 200, body: { request_id: 'req 1/ä' } }],
      poll: [(ctx) => xaiDone(ctx)],
    })
    await post(emu.xaiBaseUrl)
    const outcome = await poll(emu.xaiBaseUrl, 'req 1/ä')
    expect(jsonOf(outcome)).toMatchObject({ video: { url: `${emu.videoOrigin}/videos/req%201%2F%C3%A4.mp4` } })
  })

  it('lets builders compose new scenarios', async () => {
    emu.setScenario({ name: 'composed', poll: [(ctx) => cometTask(ctx, 'QUEUED', { progress: '5%' })] })
    const { request_id } = jsonOf(await post(emu.cometBaseUrl)) as { request_id: string }
    expect(jsonOf(await poll(emu.cometBaseUrl, request_id))).toMatchObject({
      code: 'success',
      data: { task_id: request_id, status: 'QUEUED', progress: '5%', data: {} },
    })
  })

  it('records which connection carried each request, and how-manieth on it', async () => {
    emu.setScenario('xai-done')
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const { request_id } = JSON.parse((await exchange(emu.xaiBaseUrl, 'POST', agent)).text) as { request_id: string }
      await exchange(`${emu.xaiBaseUrl}/videos/${request_id}`, 'GET', agent)
      await exchange(`${emu.xaiBaseUrl}/videos/${request_id}`, 'GET', false)
    } finally {
      agent.destroy()
    }
    const [create, reused, fresh] = emu.requests.map((r) => r.connection)
    expect(create.request).toBe(1)
    expect(reused).toEqual({ id: create.id, request: 2 })
    expect(fresh.request).toBe(1)
    expect(fresh.id).not.toBe(create.id)
  })

  it('resetsCreatesOnReusedConnections: a create on a connection that carried a request is reset unanswered', async () => {
    emu.setScenario({ ...scenarios['xai-done'], resetsCreatesOnReusedConnections: true })
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const first = await exchange(emu.xaiBaseUrl, 'POST', agent)
      expect(first.status).toBe(200)
      const { request_id } = JSON.parse(first.text) as { request_id: string }
      // Status checks are answered on the reused connection as usual.
      expect((await exchange(`${emu.xaiBaseUrl}/videos/${request_id}`, 'GET', agent)).status).toBe(202)
      await expect(exchange(emu.xaiBaseUrl, 'POST', agent)).rejects.toMatchObject({ code: 'ECONNRESET' })
      // A create on a connection of its own is answered.
      expect((await exchange(emu.xaiBaseUrl, 'POST', false)).status).toBe(200)
    } finally {
      agent.destroy()
    }
    expect(emu.creates().map((r) => r.connection.request)).toEqual([1, 3, 1])
  })

  it('setScenario clears recorded requests (in place) and jobs', async () => {
    emu.setScenario('xai-done')
    const held = emu.requests
    const { request_id } = jsonOf(await post(emu.xaiBaseUrl)) as { request_id: string }
    expect(held).toHaveLength(1)
    emu.setScenario('xai-done')
    expect(held).toHaveLength(0)
    expect(answered(await poll(emu.xaiBaseUrl, request_id)).status).toBe(404)
  })
})

// ----------------------------------------------------------------------------------------------------------------

/** One request through `agent` (false: a connection of its own); a create when POST. Rejects on a reset. */
function exchange(
  url: string,
  method: 'GET' | 'POST',
  agent: Agent | false,
): Promise<{ status: number; text: string }> {
  const target = method === 'POST' ? `${url}/videos/generations` : url
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      target,
      { method, agent, headers: { ...auth(), 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(method === 'POST' ? JSON.stringify(createBody) : undefined)
  })
}

interface RawResult {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  error: Error | undefined
}

/** node:http GET that reports how many body bytes arrived before the connection broke. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let response: IncomingMessage | undefined
    let error: Error | undefined
    const finish = () =>
      resolve({
        status: response?.statusCode ?? 0,
        headers: response?.headers ?? {},
        body: Buffer.concat(chunks),
        error: error ?? (response?.complete ? undefined : new Error('incomplete body')),
      })
    const req = httpGet(url, { headers, agent: false }, (res) => {
      response = res
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (e) => (error = e))
      res.on('close', finish)
    })
    // A reset can surface on the request rather than the response; before any response it is a plain failure.
    req.on('error', (e) => {
      if (!response) return reject(e)
      error = e
    })
  })
}

describe('video host', () => {
  async function videoUrl(scenario: ScenarioName | Scenario = 'xai-done'): Promise<string> {
    emu.setScenario(scenario)
    const { request_id } = jsonOf(await post(emu.xaiBaseUrl)) as { request_id: string }
    return `${emu.videoOrigin}/videos/${encodeURIComponent(request_id)}.mp4`
  }
  const withVideo = (video: Scenario['video']): Scenario => ({ name: 'video', poll: [emptyAccepted()], video })

  it('serves the exact fixture bytes without asking for auth, on another origin than the API (same host, other port)', async () => {
    const url = await videoUrl()
    expect(new URL(emu.videoOrigin).hostname).toBe(new URL(emu.apiOrigin).hostname)
    expect(emu.videoOrigin).not.toBe(emu.apiOrigin)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('video/mp4')
    expect(res.headers.get('content-length')).toBe(String(fixture.length))
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(Buffer.from(await res.arrayBuffer()).equals(fixture)).toBe(true)
    expect(fixture.subarray(4, 8).toString('latin1')).toBe('ftyp')
    expect(emu.videoRequests()).toHaveLength(1)
    expect(emu.videoRequests()[0].headers.authorization).toBeUndefined()
  })

  it('records an Authorization header when one arrives, and still serves', async () => {
    const url = await videoUrl()
    const res = await fetch(url, { headers: auth() })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(emu.videoRequests()[0].headers.authorization).toBe(`Bearer ${emu.apiKey}`)
  })

  it('honours Range with 206 and rejects unsatisfiable ranges with 416', async () => {
    const url = await videoUrl()
    const cases: Array<[string, number, number]> = [
      ['bytes=100-', 100, fixture.length - 1],
      ['bytes=0-9', 0, 9],
      ['bytes=-10', fixture.length - 10, fixture.length - 1],
    ]
    for (const [range, start, end] of cases) {
      const res = await fetch(url, { headers: { range } })
      expect(res.status, range).toBe(206)
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${fixture.length}`)
      expect(Buffer.from(await res.arrayBuffer()).equals(fixture.subarray(start, end + 1)), range).toBe(true)
    }
    const res = await fetch(url, { headers: { range: `bytes=${fixture.length}-` } })
    expect(res.status).toBe(416)
    expect(res.headers.get('content-range')).toBe(`bytes */${fixture.length}`)
  })

  it('ignores Range when acceptRanges is false', async () => {
    const url = await videoUrl(withVideo({ acceptRanges: false }))
    const res = await fetch(url, { headers: { range: 'bytes=100-' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('accept-ranges')).toBeNull()
    expect(Buffer.from(await res.arrayBuffer()).equals(fixture)).toBe(true)
  })

  it('truncates once: full Content-Length, fewer bytes, closed connection; then serves whole', async () => {
    const url = await videoUrl('video-truncated-once')
    const first = await rawGet(url)
    expect(first.status).toBe(200)
    expect(first.headers['content-length']).toBe(String(fixture.length))
    expect(first.body.length).toBe(1000)
    expect(first.error).toBeDefined()
    await expect(fetch(url).then((r) => r.arrayBuffer())).resolves.toHaveProperty('byteLength', fixture.length)
  })

  it('resets once mid-body, then serves whole; a resumed Range request gets the rest', async () => {
    const url = await videoUrl('video-reset-once')
    const first = await rawGet(url)
    expect(first.body.length).toBe(1000)
    expect(first.error).toBeDefined()
    const rest = await rawGet(url, { range: `bytes=${first.body.length}-` })
    expect(rest.status).toBe(206)
    expect(Buffer.concat([first.body, rest.body]).equals(fixture)).toBe(true)
  })

  it('sends a strong ETag and Last-Modified, and honours If-Range: the range while they match, else the whole file', async () => {
    const url = await videoUrl()
    const first = await fetch(url)
    await first.arrayBuffer()
    const etag = first.headers.get('etag') as string
    expect(etag).toBe(`"${createHash('md5').update(fixture).digest('hex')}"`)
    expect(first.headers.get('last-modified')).toBe('Mon, 02 Mar 2026 08:00:00 GMT')
    for (const validator of [etag, 'Mon, 02 Mar 2026 08:00:00 GMT']) {
      const same = await rawGet(url, { range: 'bytes=100-', 'if-range': validator })
      expect(same.status, validator).toBe(206)
      expect(same.body.equals(fixture.subarray(100)), validator).toBe(true)
    }
    const stale = await rawGet(url, { range: 'bytes=100-', 'if-range': '"an-older-version"' })
    expect(stale.status).toBe(200)
    expect(stale.body.equals(fixture)).toBe(true)
  })

  it('changedTo: after the failing requests, new bytes under new validators at the same URL', async () => {
    const replacement = Buffer.concat([fixture.subarray(0, 8), Buffer.alloc(fixture.length - 8, 7)])
    const url = await videoUrl(withVideo({ truncateAfter: 1000, failTimes: 1, changedTo: replacement }))
    const first = await rawGet(url)
    expect(first.body.equals(fixture.subarray(0, 1000))).toBe(true)
    const stale = await rawGet(url, { range: 'bytes=1000-', 'if-range': String(first.headers.etag) })
    expect(stale.status).toBe(200)
    expect(stale.body.equals(replacement)).toBe(true)
    expect(stale.headers.etag).toBe(`"${createHash('md5').update(replacement).digest('hex')}"`)
    expect(stale.headers['last-modified']).toBe('Mon, 02 Mar 2026 09:00:00 GMT')
  })

  it('validators: none sends neither ETag nor Last-Modified', async () => {
    const url = await videoUrl(withVideo({ validators: 'none' }))
    const res = await rawGet(url)
    expect(res.headers.etag).toBeUndefined()
    expect(res.headers['last-modified']).toBeUndefined()
  })

  it('answers a busy host with a storage 429 and its Retry-After', async () => {
    const url = await videoUrl(withVideo({ status: 429, retryAfter: '3', failTimes: 1 }))
    const busy = await fetch(url)
    expect(busy.status).toBe(429)
    expect(busy.headers.get('retry-after')).toBe('3')
    expect(await busy.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>TooManyRequests</Code><Message>Please reduce your request rate.</Message></Error>',
    )
    expect((await fetch(url)).status).toBe(200)
  })

  it('with no failTimes, fails every request', async () => {
    const url = await videoUrl(withVideo({ truncateAfter: 10 }))
    for (let i = 0; i < 2; i++) expect((await rawGet(url)).body.length).toBe(10)
    await expect(fetch(url).then((r) => r.arrayBuffer())).rejects.toThrow()
  })

  it('answers a chain of 302s before the file', async () => {
    const url = await videoUrl('video-redirects')
    const first = await fetch(url, { redirect: 'manual' })
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe(`${url}?hop=1`)
    const followed = await fetch(url)
    expect(Buffer.from(await followed.arrayBuffer()).equals(fixture)).toBe(true)
    // One manual request, then 302, 302, 200 when followed.
    expect(emu.videoRequests().map((r) => r.path.replace(/^.*\.mp4/, ''))).toEqual(['', '', '?hop=1', '?hop=2'])
  })

  it('answers an expired URL with a storage 403', async () => {
    const url = await videoUrl('video-expired')
    const res = await fetch(url)
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toBe('application/xml')
    expect(await res.text()).toContain('<Code>AccessDenied</Code>')
  })

  it('applies a status only to the first failTimes requests', async () => {
    const url = await videoUrl(withVideo({ status: 410, failTimes: 1 }))
    expect((await fetch(url)).status).toBe(410)
    expect((await fetch(url)).status).toBe(200)
  })

  it('serves custom bytes and content type, and can omit Content-Length', async () => {
    const bytes = Buffer.from('not really a video')
    const url = await videoUrl(withVideo({ bytes, contentType: 'text/plain', omitContentLength: true }))
    const res = await rawGet(url)
    expect(res.headers['content-length']).toBeUndefined()
    expect(res.headers['transfer-encoding']).toBe('chunked')
    expect(res.headers['content-type']).toBe('text/plain')
    expect(res.body.equals(bytes)).toBe(true)
  })

  it('serves the video on the API origin too, only with the key (401 without), for either root', async () => {
    const url = (await videoUrl('video-on-api-origin')).replace(emu.videoOrigin, emu.apiOrigin)
    const id = /\/videos\/([^/]+)\.mp4$/.exec(url)![1]
    const onApi = `${emu.apiOrigin}/v1/videos/${id}/content`
    const without = await attempt(onApi)
    expect(answered(without).status).toBe(401)
    expect(jsonOf(without)).toMatchObject({ error: { type: 'comet_api_error' } })
    expect(answered(without).text).toMatch(/"message":"Invalid token \(request id: \d{17}\w+\)"/)
    expect(answered(await attempt(onApi, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
    for (const route of [onApi, `${emu.apiOrigin}/grok/v1/videos/${id}/content`]) {
      const res = await fetch(route, { headers: auth() })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('video/mp4')
      expect(Buffer.from(await res.arrayBuffer()).equals(fixture)).toBe(true)
    }
    expect(emu.apiVideoRequests().map((r) => r.headers.authorization)).toEqual([
      undefined,
      'Bearer wrong',
      `Bearer ${emu.apiKey}`,
      `Bearer ${emu.apiKey}`,
    ])
    expect(emu.videoRequests()).toHaveLength(0)
    expect(emu.polls()).toHaveLength(0)
  })

  it('can hand the API-origin video off to the video host with a 302 (after checking the key)', async () => {
    const url = await videoUrl('video-on-api-origin-redirect')
    const id = /\/videos\/([^/]+)\.mp4$/.exec(url)![1]
    const onApi = `${emu.apiOrigin}/v1/videos/${id}/content`
    expect(answered(await attempt(onApi)).status).toBe(401)
    const res = answered(await attempt(onApi, { headers: auth() }))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(url)
  })

  it('answers an unknown path with a storage 404', async () => {
    emu.setScenario('xai-done')
    expect((await fetch(`${emu.videoOrigin}/other/file.mp4`)).status).toBe(404)
  })
})

// ----------------------------------------------------------------------------------------------------------------

describe('bodies that never end, and the connections that carried them', () => {
  /** Creates a job and GETs its status with `signal`, as a client that may give up. */
  async function pollOnce(scenario: Scenario, signal: AbortSignal): Promise<Response> {
    emu.setScenario(scenario)
    const { request_id } = jsonOf(await post(emu.xaiBaseUrl)) as { request_id: string }
    return fetch(`${emu.xaiBaseUrl}/videos/${request_id}`, { headers: auth(), signal })
  }

  it('endlessStatus: JSON headers, then blanks without end; it stops when the client hangs up', async () => {
    const controller = new AbortController()
    const res = await pollOnce({ name: 'endless', poll: [endlessStatus()] }, controller.signal)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('content-length')).toBeNull()
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    let received = 0
    while (received < 512 * 1024) received += ((await reader.read()).value as Uint8Array).length
    expect(emu.polls()[0].closedAt).toBeUndefined()

    controller.abort()

    await expect.poll(() => emu.polls()[0].closedAt).toBeDefined()
  })

  it('tricklingStatus: a blank every few ms, never an end', async () => {
    const controller = new AbortController()
    const res = await pollOnce({ name: 'trickle', poll: [tricklingStatus(10)] }, controller.signal)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const chunks = [await reader.read(), await reader.read(), await reader.read()]
    expect(chunks.map((chunk) => Buffer.from(chunk.value as Uint8Array).toString())).toEqual([' ', ' ', ' '])
    controller.abort()
    await expect.poll(() => emu.polls()[0].closedAt).toBeDefined()
  })

  it('trickleMs: the video host sends the file a byte at a time, whole in the end; failTimes then serves it at once', async () => {
    const bytes = Buffer.from('0123456789')
    emu.setScenario({ name: 'trickle-video', poll: [emptyAccepted()], video: { bytes, trickleMs: 10, failTimes: 1 } })
    const url = `${emu.videoOrigin}/videos/job.mp4`

    const started = Date.now()
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(bytes)
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(bytes)
    expect(emu.videoRequests()).toHaveLength(2)
  })
})

describe('close()', () => {
  it('ends hanging and delayed requests so the test finishes by itself', async () => {
    const own = await startEmulator({
      scenario: {
        name: 'hang',
        create: [
          { status: 200, fault: 'hang' },
          { status: 200, body: { request_id: 'x' }, delayMs: 60_000 },
        ],
        poll: [emptyAccepted()],
      },
      apiKey: 'other-key',
      video: Buffer.from('tiny'),
    })
    const headers = { authorization: 'Bearer other-key' }
    const hanging = post(own.xaiBaseUrl, createBody, 30_000, headers)
    const delayed = post(own.xaiBaseUrl, createBody, 30_000, headers)
    await expect.poll(() => own.creates().length).toBe(2)

    const started = Date.now()
    await own.close()
    const outcomes = await Promise.all([hanging, delayed])
    expect(outcomes.map((o) => o.kind)).toEqual(['failed', 'failed'])
    expect(Date.now() - started).toBeLessThan(5000)
    await own.close() // idempotent
  })

  it('serves the video option when given', async () => {
    const own = await startEmulator({ video: Buffer.from('tiny') })
    try {
      const res = await fetch(`${own.videoOrigin}/videos/any.mp4`)
      expect(await res.text()).toBe('tiny')
    } finally {
      await own.close()
    }
  })
})

describe('edits, extensions, the Files API and Zero Data Retention', () => {
  const clip = readFileSync(new URL('../fixtures/clip-3s.mp4', import.meta.url))

  it("answers 400 naming the difference when a create is not the scenario's expected request", async () => {
    emu.setScenario('xai-extend')
    const wrong = answered(
      await postTo(emu.xaiBaseUrl, {
        path: '/v1/videos/extensions',
        body: {
          prompt: 'The camera pulls back to show the whole room.',
          video: { url: 'https://x/a.mp4' },
          model: 'm',
        },
      }),
    )
    expect(wrong.status).toBe(400)
    expect(JSON.parse(wrong.text)).toMatchObject({
      error: textMatching(/^Not the scenario's request: expected body/),
    })
    const elsewhere = answered(await postTo(emu.xaiBaseUrl, { path: '/v1/videos/edits', body: {} }))
    expect(JSON.parse(elsewhere.text)).toMatchObject({
      error: "Not the scenario's request: expected POST /v1/videos/extensions, got POST /v1/videos/edits",
    })
  })

  it('delivers a Zero Data Retention video with a PUT to the upload URL before it answers done', async () => {
    emu.setScenario('xai-zdr')
    const uploadUrl = `${emu.videoOrigin}/uploads/candle.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=5e1f0c0ffee0d15ea5e5ecret`
    const body = {
      prompt: 'A candle flickers on a wooden table.',
      model: 'grok-imagine-video',
      duration: 1,
      output: { upload_url: uploadUrl },
    }
    const id = (
      jsonOf(await postTo(emu.xaiBaseUrl, { path: '/v1/videos/generations', body })) as { request_id: string }
    ).request_id
    await poll(emu.xaiBaseUrl, id)
    await poll(emu.xaiBaseUrl, id)
    expect(emu.deliveries()).toEqual([]) // not before the job is done
    const done = jsonOf(await poll(emu.xaiBaseUrl, id)) as { status: string; video: Record<string, unknown> }
    expect(done.status).toBe('done')
    expect(done.video).not.toHaveProperty('url')
    const [delivery] = emu.deliveries()
    expect(emu.deliveries()).toHaveLength(1)
    expect(delivery.path).toBe(new URL(uploadUrl).pathname + new URL(uploadUrl).search)
    expect(delivery.headers['content-type']).toBe('video/mp4')
    expect(delivery.headers.authorization).toBeUndefined()
    expect(delivery.bytes.equals(fixture)).toBe(true)
  })

  it('takes a multipart upload on the xAI root only, and answers with the file id', async () => {
    emu.setScenario('xai-done')
    const form = new FormData()
    form.append('purpose', 'video')
    form.append('file', new Blob([new Uint8Array(clip)], { type: 'video/mp4' }), 'clip.mp4')
    const xai = answered(await attempt(`${emu.xaiBaseUrl}/files`, { method: 'POST', headers: auth(), body: form }))
    expect(xai.status).toBe(200)
    expect(JSON.parse(xai.text)).toEqual({
      id: textMatching(/^file-/),
      object: 'file',
      bytes: clip.length,
      created_at: anyNumber(),
      filename: 'clip.mp4',
      purpose: 'video',
    })
    expect(emu.files).toHaveLength(1)
    expect(emu.files[0]).toMatchObject({ filename: 'clip.mp4', contentType: 'video/mp4', fields: { purpose: 'video' } })
    expect(emu.files[0].bytes.equals(clip)).toBe(true)

    const comet = answered(await attempt(`${emu.cometBaseUrl}/files`, { method: 'POST', headers: auth(), body: form }))
    expect(comet.status).toBe(404)
    expect(comet.headers.get('content-type')).toMatch(/^text\/html/)
    const notMultipart = answered(
      await attempt(`${emu.xaiBaseUrl}/files`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: '{}',
      }),
    )
    expect(notMultipart.status).toBe(400)
  })
})

describe('stored output, reference voices and a Zero Data Retention team', () => {
  const generations = '/v1/videos/generations'
  const references = { reference_images: [{ url: 'https://cdn.example.com/mug.png' }] }
  const body = (extra: Record<string, unknown>) => ({ prompt: 'A mug.', model: 'grok-imagine-video', ...extra })
  /** Creates on `base` and polls until done; returns the done body. */
  async function finished(base: string, path: string, extra: Record<string, unknown>) {
    const created = answered(await postTo(base, { path, body: body(extra) }))
    expect(created.status, created.text).toBe(200)
    const { request_id: id } = JSON.parse(created.text) as { request_id: string }
    await poll(base, id)
    return { id, done: jsonOf(await poll(base, id)) as Record<string, Record<string, unknown>> }
  }

  it('answers storage_options with video.file_output on the xAI root, and records the body it received', async () => {
    emu.setScenario('xai-public-url')
    const storage = { filename: 'intro.mp4', public_url: true, expires_after: 86400 }
    const { id, done } = await finished(emu.xaiBaseUrl, generations, { storage_options: storage })
    expect(done.video.file_output).toEqual({
      file_id: `file-${id}`,
      public_url: `https://files.example.com/file-${id}/intro.mp4`,
      size_bytes: 0,
    })
    expect(JSON.parse(emu.creates()[0].body)).toMatchObject({ storage_options: storage })
  })

  it('keeps nothing on the CometAPI root, nor for an edit', async () => {
    emu.setScenario('xai-public-url')
    const storage = { storage_options: { filename: 'a.mp4', public_url: true } }
    expect((await finished(emu.cometBaseUrl, '/grok/v1/videos/generations', storage)).done.video).not.toHaveProperty(
      'file_output',
    )
    const edit = { ...storage, video: { url: `${emu.videoOrigin}/videos/source.mp4` } }
    expect((await finished(emu.xaiBaseUrl, '/v1/videos/edits', edit)).done.video).not.toHaveProperty('file_output')
  })

  it.each([
    [{ filename: 'a.mp4', public_url: true, expires_after: 3599 }, /expires_after must be between 3600 and 2592000/],
    [{ public_url: true }, /storage_options\.filename is required/],
  ])('refuses storage_options %j with a 400', async (storage, words) => {
    emu.setScenario('xai-public-url')
    const answer = answered(
      await postTo(emu.xaiBaseUrl, { path: generations, body: body({ storage_options: storage }) }),
    )
    expect(answer.status).toBe(400)
    expect(answer.text).toMatch(words)
  })

  it('carries storage_error instead of file_output when storing failed', async () => {
    emu.setScenario('xai-storage-error')
    const { done } = await finished(emu.xaiBaseUrl, generations, {
      storage_options: { filename: 'a.mp4', public_url: true },
    })
    expect(done.storage_error).toBe('Could not store the file: bucket quota exceeded.')
    expect(done.video).not.toHaveProperty('file_output')
    expect(done.video.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/videos\//)
  })

  it('takes known voice ids in any case beside reference images, and lists the roster for an unknown one', async () => {
    emu.setScenario('xai-reference-voices')
    const voices = [{ voice_id: 'Eve' }, { voice_id: 'REX' }]
    await finished(emu.xaiBaseUrl, generations, { ...references, reference_audios: voices })
    expect(JSON.parse(emu.creates()[0].body)).toMatchObject({ reference_audios: voices })

    const unknown = answered(
      await postTo(emu.xaiBaseUrl, {
        path: generations,
        body: body({ ...references, reference_audios: [{ voice_id: 'zed' }] }),
      }),
    )
    expect(unknown.status).toBe(400)
    expect(JSON.parse(unknown.text)).toEqual({
      code: 'Client specified an invalid argument',
      error: "Invalid voice_id 'zed'. Valid voice ids: eve, ara, rex, sal, leo.",
    })
    const alone = answered(
      await postTo(emu.xaiBaseUrl, { path: generations, body: body({ reference_audios: [{ voice_id: 'eve' }] }) }),
    )
    expect(alone.status).toBe(400)
    expect(alone.text).toMatch(/reference_audios requires reference_images/)
  })

  it('a Zero Data Retention team: refused without output.upload_url, taken with one', async () => {
    emu.setScenario('xai-zdr-team-error-only')
    const refused = answered(await postTo(emu.xaiBaseUrl, { path: generations, body: body({}) }))
    expect(refused.status).toBe(400)
    expect(JSON.parse(refused.text)).toEqual({ error: ZDR_MESSAGE })
    const taken = answered(
      await postTo(emu.xaiBaseUrl, {
        path: generations,
        body: body({ output: { upload_url: `${emu.videoOrigin}/uploads/a.mp4?sig=1` } }),
      }),
    )
    expect(taken.status).toBe(200)
  })
})

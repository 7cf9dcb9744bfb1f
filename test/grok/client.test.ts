/**
 * `GrokClient` against the loopback emulator: real sockets, real HTTP, every scenario of the API contract.
 * Retry pauses go through an injected `sleep` that records the delay and returns at once.
 */
import { describe, expect, it, vi } from 'vitest'
import { ApiError, NetworkError } from '../../src/errors.js'
import { GrokClient, type CreateVideoRequest, type GrokClientOptions } from '../../src/grok/client.js'
import type { VideoStatus } from '../../src/grok/normalize.js'
import { RETRY_FLOOR_MS } from '../../src/grok/retry.js'
import {
  DEFAULT_COST_TICKS,
  MODERATION_COST_TICKS,
  emptyAccepted,
  endlessStatus,
  scenarios,
  tricklingStatus,
  xaiDone,
  type ScenarioName,
} from '../emulator/scenarios.ts'
import { emulatorSession } from '../harness/emulator-session.ts'
import { textMatching } from '../harness/matchers.ts'
import { recordPauses } from '../harness/pauses.ts'
import { expectStatus } from './expect-status.ts'

const session = emulatorSession()

/** A client on the xAI root with recorded (not waited) retry pauses and the lowest backoff draw. */
function connect(options: Partial<GrokClientOptions> = {}) {
  const delays: number[] = []
  const logs: string[] = []
  const client = new GrokClient({
    baseUrl: session.emulator.xaiBaseUrl,
    apiKey: session.emulator.apiKey,
    sleep: recordPauses(delays),
    random: () => 0,
    log: (line) => void logs.push(line),
    ...options,
  })
  session.track(client)
  return { client, delays, logs }
}

const inAMinute = () => Date.now() + 60_000

const request: CreateVideoRequest = {
  prompt: 'A candle flickers on a wooden table.',
  model: 'grok-imagine-video-1.5',
  duration: 5,
}

const videoUrlOf = (id: string) => `${session.emulator.videoOrigin}/videos/${encodeURIComponent(id)}.mp4`
const apiVideoUrlOf = (id: string) => `${session.emulator.apiOrigin}/v1/videos/${encodeURIComponent(id)}/content`
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Resolves to the error a promise rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`)
  expect(outcome.error).toBeInstanceOf(Error)
  return outcome.error as Error
}

const roots = [
  { provider: 'xAI', base: () => session.emulator.xaiBaseUrl, root: '/v1' },
  { provider: 'CometAPI', base: () => session.emulator.cometBaseUrl, root: '/grok/v1' },
]

describe('create', () => {
  it.each(roots)(
    'POSTs exactly the given JSON with the key to $root/videos/generations ($provider)',
    async ({ base, root }) => {
      session.emulator.setScenario('xai-done')
      const { client } = connect({ baseUrl: base() })

      const id = await client.create(request, inAMinute())

      expect(id).toMatch(UUID)
      expect(session.emulator.requests).toHaveLength(1)
      const [sent] = session.emulator.creates()
      expect(sent).toMatchObject({ method: 'POST', path: `${root}/videos/generations` })
      expect(sent?.headers.authorization).toBe(`Bearer ${session.emulator.apiKey}`)
      expect(sent?.headers['content-type']).toMatch(/^application\/json/)
      expect(JSON.parse(sent?.body ?? '')).toEqual(request)
    },
  )

  it('sends every optional field as given, and nothing else', async () => {
    session.emulator.setScenario('xai-done')
    const { client } = connect()
    const full: CreateVideoRequest = {
      ...request,
      aspect_ratio: '16:9',
      resolution: '720p',
      image: { url: 'https://example.com/first-frame.png' },
      user: 'octocat',
    }

    await client.create(full, inAMinute())

    expect(JSON.parse(session.emulator.creates()[0]?.body ?? '')).toEqual(full)
  })

  it('does not double the slash when base-url ends with one', async () => {
    session.emulator.setScenario('xai-done')
    const { client } = connect({ baseUrl: `${session.emulator.xaiBaseUrl}/` })

    await client.create(request, inAMinute())

    expect(session.emulator.creates()[0]?.path).toBe('/v1/videos/generations')
  })

  it('reports a 200 answer without a request id', async () => {
    session.emulator.setScenario({
      name: 'no-id',
      create: [{ status: 200, body: { ok: true } }],
      poll: [emptyAccepted()],
    })
    const { client } = connect()

    const error = await rejection(client.create(request, inAMinute()))

    expect(error).toBeInstanceOf(ApiError)
    expect(error.message).toMatch(/held no request id: \{"ok":true\}/)
  })
})

describe('getStatus', () => {
  it.each(roots)('GETs $root/videos/{id} with the key ($provider)', async ({ base, root }) => {
    session.emulator.setScenario('xai-done')
    const { client } = connect({ baseUrl: base() })
    const id = await client.create(request, inAMinute())

    await client.getStatus(id, { deadline: inAMinute() })

    const [poll] = session.emulator.polls()
    expect(poll).toMatchObject({ method: 'GET', path: `${root}/videos/${id}`, body: '' })
    expect(poll?.headers.authorization).toBe(`Bearer ${session.emulator.apiKey}`)
  })

  it('URL-encodes the request id', async () => {
    // The widest id accepted (see REQUEST_ID): a '/' must not become a path segment.
    const oddId = 'job/1.a_b-c'
    session.emulator.setScenario({
      name: 'odd-id',
      create: [{ status: 200, body: { request_id: oddId } }],
      poll: [(ctx) => xaiDone(ctx)],
    })
    const { client } = connect()

    const id = await client.create(request, inAMinute())
    const status = await client.getStatus(id, { deadline: inAMinute() })

    expect(id).toBe(oddId)
    expect(session.emulator.polls()[0]?.path).toBe('/v1/videos/job%2F1.a_b-c')
    expect(status).toMatchObject({ state: 'done', videoUrl: videoUrlOf(oddId) })
  })
})

// -----------------------------------------------------------------------------------------------------------------
// Every named scenario's poll sequence, as the action sees it. The first check tolerates a 404 (as the wait loop
// asks right after create); `create` scripts are left out here, since the create errors have tests of their own.

/** A function step gets the scenario's usual done status and the job id, and returns the status expected. */
type Step =
  | Partial<VideoStatus>
  | 'done'
  | { throws: RegExp }
  | ((done: Partial<VideoStatus>, id: string) => Partial<VideoStatus>)

const pending = (providerStatus: string, progress?: number): Partial<VideoStatus> =>
  progress === undefined ? { state: 'pending', providerStatus } : { state: 'pending', providerStatus, progress }
const failed = (message: string): Partial<VideoStatus> => ({ state: 'failed', message, videoUrl: undefined })
const moderated: Partial<VideoStatus> = {
  state: 'moderated',
  costTicks: MODERATION_COST_TICKS,
  videoUrl: undefined,
  message: textMatching(/moderation/i),
}
const quickDone: Step[] = [pending('202'), 'done']
const cometFlatSteps = (http: string): Step[] => [
  pending(http),
  pending(http),
  pending(http),
  pending('queued', 0),
  pending('processing', 50),
  'done',
]

const pollSequences = {
  'xai-done': [pending('202'), pending('202'), pending('pending', 40), 'done'],
  'xai-pending-200': [pending('pending', 10), pending('pending', 60), 'done'],
  'xai-unknown-statuses': [
    pending('queued'),
    pending('processing'),
    pending('in_progress'),
    pending('something-new'),
    'done',
  ],
  'xai-failed': [pending('202'), failed('Prompt cannot be empty. Please provide a prompt.')],
  'xai-expired': [pending('202'), { state: 'expired', videoUrl: undefined }],
  'xai-moderated': [pending('202'), moderated],
  'xai-moderated-400': [pending('202'), { ...moderated, message: 'Generated video rejected by content moderation.' }],
  'xai-legacy-wrapper': quickDone,
  'comet-task-success': [
    pending('NOT_START', 0),
    pending('SUBMITTED', 0),
    pending('QUEUED', 0),
    pending('IN_PROGRESS', 45),
    'done',
  ],
  'comet-task-peer-statuses': [pending('UNKNOWN', 0), pending('IN_PROGRESS', 80), 'done'],
  'comet-task-failure': [pending('IN_PROGRESS', 30), failed('Prompt cannot be empty. Please provide a prompt.')],
  'comet-task-failure-inner': [pending('IN_PROGRESS', 30), failed('Video generation failed. Please try again.')],
  'comet-task-cancelled': [pending('SUBMITTED', 0), failed('task cancelled')],
  'comet-task-gateway-error': [{ throws: /CometAPI answered with error 'task_not_exist'/ }],
  'comet-flat': cometFlatSteps('200'),
  'comet-flat-202': cometFlatSteps('202'),
  'comet-flat-failed': [pending('200'), failed('Video generation is temporarily unavailable.')],
  'poll-202-not-json': [pending('202'), pending('202'), 'done'],
  'done-without-url': [
    pending('202'),
    { ...failed('The job finished without a video URL.'), costTicks: DEFAULT_COST_TICKS },
  ],
  'done-top-level-url': [pending('202'), (done) => ({ ...done, durationSeconds: undefined })],
  'done-without-status': quickDone,
  'failed-without-status': [pending('202'), failed('Duration must be between 2 and 10 seconds')],
  'moderated-without-status': [pending('202'), moderated],
  'comet-task-failure-generic': [pending('IN_PROGRESS', 30), moderated],
  'comet-task-failure-bare-inner': [
    pending('IN_PROGRESS', 30),
    failed('Channel quota exhausted, please try again later.'),
  ],
  'xai-failed-content-policy': [
    pending('202'),
    { state: 'moderated', message: 'The prompt violates our content policy.', videoUrl: undefined },
  ],
  'comet-flat-safety-system': [
    pending('200'),
    { state: 'moderated', message: 'Your request was rejected by our safety system.', videoUrl: undefined },
  ],
  'video-on-api-origin': [pending('202'), (done, id) => ({ ...done, videoUrl: apiVideoUrlOf(id) })],
  'video-on-api-origin-redirect': [pending('202'), (done, id) => ({ ...done, videoUrl: apiVideoUrlOf(id) })],
  'poll-404': [pending('404'), { throws: /HTTP 404: No deferred video\. The provider does not know this request id/ }],
  'poll-404-once': [pending('404'), ...quickDone],
  // The retries happen inside one getStatus call.
  'poll-transient': ['done'],
  'poll-429': ['done'],
  'poll-429-retry-after-0': ['done'],
  'poll-429-past-date': ['done'],
  'poll-retry-after-0': [...Array.from({ length: 3 }, () => ({ ...pending('202'), retryAfterMs: 0 })), 'done'],
  'poll-reset-once': ['done'],
  'poll-hang-once': ['done'],
  'create-401': quickDone,
  'create-400-xai': quickDone,
  'create-422-message': quickDone,
  'create-403': quickDone,
  'create-404-model': quickDone,
  'create-400-zdr': quickDone,
  'create-html': quickDone,
  'create-redirect': quickDone,
  'create-429': quickDone,
  'create-429-retry-after-0': quickDone,
  'create-500': quickDone,
  'create-hang': quickDone,
  'create-reset': quickDone,
  'video-expired': quickDone,
  'video-truncated-once': quickDone,
  'video-reset-once': quickDone,
  'video-redirects': quickDone,
  'video-not-mp4': quickDone,
  // Edits and extensions are collected like generations; the video keeps (edit) or adds to (extend) the input's 3 s.
  'xai-edit': [pending('202'), pending('pending', 50), { state: 'done', durationSeconds: 3, progress: 100 }],
  'comet-edit': [pending('IN_PROGRESS', 40), { state: 'done', durationSeconds: 3, progress: 100 }],
  'xai-extend': [pending('202'), pending('pending', 60), { state: 'done', durationSeconds: 9, progress: 100 }],
  'comet-extend-404': quickDone,
  'xai-reference-images': quickDone,
  // Done without a URL: delivered to the upload URL (the client is told one was sent), nothing to download.
  'xai-zdr': [pending('202'), pending('pending', 70), { state: 'done', videoUrl: undefined, message: undefined }],
  'xai-zdr-edit': [pending('202'), { state: 'done', videoUrl: undefined, durationSeconds: 3 }],
  // Created here without storage_options: no file_output; the storing failure is read all the same.
  'xai-public-url': quickDone,
  'xai-storage-error': [
    pending('202'),
    { state: 'done', stored: { error: 'Could not store the file: bucket quota exceeded.' } },
  ],
  'xai-public-url-not-https': quickDone,
  'xai-reference-voices': quickDone,
  'xai-zdr-team': quickDone,
  'xai-zdr-team-error-only': quickDone,
} satisfies Record<ScenarioName, Step[]>

describe('each scenario normalises to the expected states', () => {
  it.each(Object.entries(pollSequences) as Array<[ScenarioName, Step[]]>)('%s', async (name, steps) => {
    // Any create is accepted here: the scenarios' own requests are checked through the bundle.
    session.emulator.setScenario({ ...scenarios[name], create: undefined, expect: undefined })
    const base = name.startsWith('comet-') ? session.emulator.cometBaseUrl : session.emulator.xaiBaseUrl
    // A hanging poll is cut off by the per-request time limit, then asked again.
    const { client } = connect({
      baseUrl: base,
      ...(name === 'poll-hang-once' ? { requestTimeoutMs: 300 } : {}),
    })
    const id = await client.create(request, inAMinute())
    const done: Partial<VideoStatus> = {
      state: 'done',
      videoUrl: videoUrlOf(id),
      durationSeconds: request.duration,
      costTicks: DEFAULT_COST_TICKS,
      model: request.model,
      progress: 100,
    }

    for (const [index, step] of steps.entries()) {
      const check = client.getStatus(id, {
        deadline: inAMinute(),
        tolerateNotFound: index === 0,
        context: { uploadUrlSent: name.includes('zdr') },
      })
      if (typeof step === 'object' && 'throws' in step) {
        const error = await rejection(check)
        expect(error).toBeInstanceOf(ApiError)
        expect(error.message).toMatch(step.throws)
      } else {
        expectStatus(await check, step === 'done' ? done : typeof step === 'function' ? step(done, id) : step)
      }
    }
  })
})

// -----------------------------------------------------------------------------------------------------------------

describe('create errors are reported once, with the provider words and what to do', () => {
  const baseUrlAdvice =
    /check 'base-url' \(CometAPI: https:\/\/api\.cometapi\.com\/grok\/v1, xAI: https:\/\/api\.x\.ai\/v1\)/
  const rejected = /The provider rejected the request: fix the input its message names\./
  const namesUploadUrl = /set 'upload-url' to a signed https URL it can PUT the MP4 to/

  const cases: Array<{ scenario: ScenarioName; http: number; words: RegExp; advice: RegExp; notTheApi?: boolean }> = [
    {
      scenario: 'create-401',
      http: 401,
      words: /Invalid token \(request id: \w+\)/,
      advice:
        /Check 'api-key': a CometAPI key for the default base-url, or an xAI key with 'base-url: https:\/\/api\.x\.ai\/v1'/,
    },
    { scenario: 'create-400-xai', http: 400, words: /Incorrect API key provided: xa\*\*\*ey/, advice: rejected },
    {
      scenario: 'create-422-message',
      http: 422,
      words: /duration must be an integer between 1 and 15/,
      advice: rejected,
    },
    {
      scenario: 'create-403',
      http: 403,
      words: /This token is not allowed to use model grok-imagine-video-1\.5/,
      advice: /may not use this model or feature/,
    },
    {
      scenario: 'create-404-model',
      http: 404,
      words: /The model grok-imagine-video-1\.5 does not exist or your team does not have access to it/,
      advice: /check 'model' and 'base-url'/,
    },
    {
      scenario: 'create-400-zdr',
      http: 400,
      words: /Zero Data Retention teams must provide output\.upload_url for video generation/,
      advice: namesUploadUrl,
    },
    {
      scenario: 'xai-zdr-team-error-only',
      http: 400,
      words: /Zero Data Retention teams must provide output\.upload_url for video generation/,
      advice: namesUploadUrl,
    },
    {
      scenario: 'create-html',
      http: 200,
      words: /text\/html.*not JSON.*Welcome/,
      advice: baseUrlAdvice,
      notTheApi: true,
    },
    {
      scenario: 'create-redirect',
      http: 301,
      words: /redirect \(HTTP 301 to http:\/\/127\.0\.0\.1:\d+\/moved\/v1\/videos\/generations\)/,
      advice: baseUrlAdvice,
      notTheApi: true,
    },
  ]

  it.each(cases)('$scenario', async ({ scenario, http, words, advice, notTheApi = false }) => {
    session.emulator.setScenario(scenario)
    const { client, delays } = connect()

    const error = await rejection(client.create(request, inAMinute()))

    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ httpStatus: http, notTheApi })
    expect(error.message).toMatch(words)
    expect(error.message).toMatch(advice)
    // Nothing else reached the API: no second create, and no redirect followed.
    expect(session.emulator.creates()).toHaveLength(1)
    expect(session.emulator.requests).toHaveLength(1)
    expect(delays).toEqual([])
  })

  it.each([
    [
      'batch',
      /a batch cannot take 'upload-url' \(one signed URL holds one video\): run the job as a single step with 'upload-url'/,
    ],
    [
      'public-url',
      /public URLs are not available to Zero Data Retention teams: set 'public-url: false' and 'upload-url'/,
    ],
  ] as const)(
    'a Zero Data Retention refusal in a run that refuses upload-url (%s) advises what it can do',
    async (run, advice) => {
      session.emulator.setScenario('create-400-zdr')
      const { client } = connect({ noUploadUrl: run })

      const error = await rejection(client.create(request, inAMinute()))

      expect(error.message).toMatch(advice)
      expect(error.message).not.toMatch(namesUploadUrl)
    },
  )

  it("keeps the provider's words apart from the advice", async () => {
    session.emulator.setScenario('create-422-message')
    const { client } = connect()

    const error = await rejection(client.create(request, inAMinute()))

    expect(error).toMatchObject({ providerMessage: 'duration must be an integer between 1 and 15' })
  })

  it('names the api-key when the key is wrong', async () => {
    session.emulator.setScenario('xai-done')
    const { client } = connect({ apiKey: 'not-the-key' })

    const error = await rejection(client.create(request, inAMinute()))

    expect(error).toMatchObject({ httpStatus: 401 })
    expect(error.message).toMatch(/Invalid token.*Check 'api-key'/)
    expect(error.message).not.toContain('not-the-key')
  })
})

describe('create retries', () => {
  it('sends the create again after a 429, honouring Retry-After', async () => {
    session.emulator.setScenario('create-429')
    const { client, delays, logs } = connect()

    const id = await client.create(request, inAMinute())

    expect(id).toMatch(UUID)
    expect(session.emulator.creates()).toHaveLength(2)
    expect(session.emulator.creates().map((r) => JSON.parse(r.body) as unknown)).toEqual([request, request])
    expect(delays).toEqual([1_000])
    expect(logs).toEqual([expect.stringMatching(/Could not create the video job \(HTTP 429\); trying again in 1\.0 s/)])
  })

  it('after a 429 with Retry-After: 0, waits the one-second floor before the second create, not zero', async () => {
    session.emulator.setScenario('create-429-retry-after-0')
    const { client, delays } = connect()

    await client.create(request, inAMinute())

    expect(session.emulator.creates()).toHaveLength(2)
    expect(delays).toEqual([RETRY_FLOOR_MS])
  })

  it.each([
    { scenario: 'create-500', kind: ApiError, words: /HTTP 500: upstream error: do request failed/ },
    { scenario: 'create-reset', kind: NetworkError, words: /Could not create the video job/ },
    { scenario: 'create-hang', kind: NetworkError, words: /Could not create the video job: no answer within 0\.3 s/ },
  ] as const)(
    'never sends the create again after $scenario (it may have started a billed job)',
    async ({ scenario, kind, words }) => {
      session.emulator.setScenario(scenario)
      const { client, delays } = connect({ requestTimeoutMs: 300 })

      const error = await rejection(client.create(request, inAMinute()))

      expect(error).toBeInstanceOf(kind)
      expect(error.message).toMatch(words)
      expect(error.message).toMatch(/not sent again/)
      expect(session.emulator.creates()).toHaveLength(1)
      expect(delays).toEqual([])
    },
  )
})

describe('connections', () => {
  it('sends every create on a connection of its own, while status checks share a keep-alive one', async () => {
    // The server resets any create that arrives on a connection that already carried a request.
    session.emulator.setScenario({ ...scenarios['xai-done'], resetsCreatesOnReusedConnections: true })
    const { client } = connect()

    const first = await client.create(request, inAMinute())
    await client.getStatus(first, { deadline: inAMinute(), tolerateNotFound: true })
    await client.getStatus(first, { deadline: inAMinute() })
    const second = await client.create(request, inAMinute())
    await client.getStatus(second, { deadline: inAMinute(), tolerateNotFound: true })

    expect(second).not.toBe(first)
    const creates = session.emulator.creates().map((r) => r.connection)
    expect(creates.map((c) => c.request)).toEqual([1, 1])
    expect(new Set(creates.map((c) => c.id)).size).toBe(2)
    const polls = session.emulator.polls().map((r) => r.connection)
    expect(polls.map((c) => c.request)).toEqual([1, 2, 3])
    expect(new Set(polls.map((c) => c.id)).size).toBe(1)
  })

  it('a create reset on a connection of its own is still not sent again', async () => {
    session.emulator.setScenario('create-reset')
    const { client } = connect()

    await expect(client.create(request, inAMinute())).rejects.toThrow(/not sent again/)

    expect(session.emulator.creates()).toHaveLength(1)
    expect(session.emulator.creates()[0].connection.request).toBe(1)
  })
})

describe('status check retries', () => {
  it.each([
    // A JSON 503, an HTML 502 and an HTML 524, each followed by exponential backoff.
    { scenario: 'poll-transient', polls: 4, delays: [500, 1_000, 2_000], requestTimeoutMs: undefined },
    { scenario: 'poll-429', polls: 2, delays: [1_000], requestTimeoutMs: undefined },
    // "Ready now" is a lower bound: the floor, not zero, and not the 0.5 s backoff draw either.
    { scenario: 'poll-429-retry-after-0', polls: 2, delays: [1_000], requestTimeoutMs: undefined },
    { scenario: 'poll-429-past-date', polls: 2, delays: [1_000], requestTimeoutMs: undefined },

    { scenario: 'poll-reset-once', polls: 2, delays: [500], requestTimeoutMs: undefined },
    { scenario: 'poll-hang-once', polls: 2, delays: [500], requestTimeoutMs: 300 },
  ] as const)('recovers from $scenario on GET', async ({ scenario, polls, delays: expected, requestTimeoutMs }) => {
    session.emulator.setScenario(scenario)
    const { client, delays, logs } = connect(requestTimeoutMs ? { requestTimeoutMs } : {})
    const id = await client.create(request, inAMinute())

    const status = await client.getStatus(id, { deadline: inAMinute() })

    expect(status).toMatchObject({ state: 'done', videoUrl: videoUrlOf(id) })
    expect(session.emulator.polls()).toHaveLength(polls)
    expect(delays).toEqual(expected)
    expect(logs).toHaveLength(expected.length)
    expect(logs[0]).toMatch(new RegExp(`^Could not check job ${id} \\(.+\\); trying again in`))
  })
})

describe('every answer is bounded', () => {
  it('a status answer that never ends is cut off at the cap, the error says so, and it is not asked again', async () => {
    session.emulator.setScenario({ name: 'endless-status', poll: [endlessStatus()] })
    const { client, delays } = connect({ requestTimeoutMs: 1_000 })
    const id = await client.create(request, inAMinute())

    const error = await rejection(client.getStatus(id, { deadline: Date.now() + 3_000 }))

    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toMatch(
      new RegExp(`^Could not check job ${id}: its answer \\(HTTP 200\\) ran past 1 MiB, .* check 'base-url'$`),
    )
    expect(session.emulator.polls()).toHaveLength(1)
    expect(delays).toEqual([])
    // The client hung up: the emulator stops sending only when the socket is gone.
    await vi.waitFor(() => expect(session.emulator.polls()[0].closedAt).toBeDefined(), { timeout: 1_000 })
  })

  it('a create answer that never ends is cut off at the cap too, and the create is not sent again', async () => {
    session.emulator.setScenario({ name: 'endless-create', create: [endlessStatus()], poll: [emptyAccepted()] })
    const { client, delays } = connect({ requestTimeoutMs: 1_000 })

    const error = await rejection(client.create(request, Date.now() + 3_000))

    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toMatch(
      /^Could not create the video job: its answer \(HTTP 200\) ran past 1 MiB, .*not sent again/,
    )
    expect(session.emulator.creates()).toHaveLength(1)
    expect(delays).toEqual([])
  })

  it('a status answer that trickles past the time limit is aborted: each try closes its socket, none piles up', async () => {
    // A blank every 50 ms: the socket is never idle, so only the limit on the whole exchange can end it.
    session.emulator.setScenario({ name: 'trickling-status', poll: [tricklingStatus(50)] })
    const { client, delays } = connect({ requestTimeoutMs: 300 })
    const id = await client.create(request, inAMinute())

    const error = await rejection(client.getStatus(id, { deadline: Date.now() + 2_000 }))

    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toBe(`Could not check job ${id}: no answer within 0.3 s`)
    // Tried again while time was left (pauses recorded, not waited), then given up.
    expect(delays).toEqual([500, 1_000])
    const polls = session.emulator.polls()
    expect(polls).toHaveLength(3)
    expect(new Set(polls.map((poll) => poll.connection.id)).size).toBe(3)
    // The client is still open (its keep-alive agent too), yet the server sees every one of those sockets closed.
    await vi.waitFor(() => expect(polls.map((poll) => poll.closedAt !== undefined)).toEqual([true, true, true]), {
      timeout: 1_000,
    })
    expect(session.emulator.openConnections()).toBe(0)
  })
})

describe('unknown request id (HTTP 404)', () => {
  it('throws with the provider words and advice', async () => {
    session.emulator.setScenario('poll-404')
    const { client } = connect()

    const error = await rejection(client.getStatus('4b2cd27e-0b0d-3dec-c31c-7572daf74bb3', { deadline: inAMinute() }))

    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ httpStatus: 404, providerMessage: 'No deferred video' })
    expect(error.message).toMatch(/Checking video job 4b2cd27e-0b0d-3dec-c31c-7572daf74bb3 failed with HTTP 404/)
    expect(error.message).toMatch(/does not know this request id \(wrong id, another provider's id, or it expired\)/)
    expect(session.emulator.polls()).toHaveLength(1)
  })

  it('is read as "pending" when tolerated (right after create), and not on the next check', async () => {
    session.emulator.setScenario('poll-404')
    const { client } = connect()
    const id = await client.create(request, inAMinute())

    expect(await client.getStatus(id, { deadline: inAMinute(), tolerateNotFound: true })).toEqual({
      state: 'pending',
      providerStatus: '404',
    })
    await expect(client.getStatus(id, { deadline: inAMinute() })).rejects.toThrow(/HTTP 404: No deferred video/)
  })
})

describe('the deadline stops retries', () => {
  it('returns the last transient answer as an error instead of waiting past the deadline', async () => {
    session.emulator.setScenario('poll-transient')
    const { client, delays } = connect()
    const id = await client.create(request, inAMinute())

    const error = await rejection(client.getStatus(id, { deadline: Date.now() + 100 }))

    expect(error).toMatchObject({ httpStatus: 503 })
    expect(error.message).toMatch(/HTTP 503: upstream service temporarily unavailable/)
    expect(session.emulator.polls()).toHaveLength(1)
    expect(delays).toEqual([])
  })

  it('does not wait out a Retry-After that ends after the deadline', async () => {
    session.emulator.setScenario('create-429')
    const { client, delays } = connect()

    const error = await rejection(client.create(request, Date.now() + 500))

    expect(error).toMatchObject({ httpStatus: 429 })
    expect(error.message).toMatch(/Rate limit reached for requests.*Rate limited until the deadline/)
    expect(session.emulator.creates()).toHaveLength(1)
    expect(delays).toEqual([])
  })

  it('still makes one check when the deadline has already passed, but no retry', async () => {
    session.emulator.setScenario('poll-reset-once')
    const { client, delays } = connect()
    const id = await client.create(request, inAMinute())

    const error = await rejection(client.getStatus(id, { deadline: Date.now() - 1_000 }))

    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toMatch(new RegExp(`^Could not check job ${id}: `))
    expect(session.emulator.polls()).toHaveLength(1)
    expect(delays).toEqual([])
  })
})

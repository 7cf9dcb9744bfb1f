/**
 * Every response shape of docs/provider-api.md, written out literally, and the `VideoStatus` it
 * must become. The bodies are copied from the contract rather than built with the emulator's helpers, so these
 * tests check the documented wire format and not a restatement of the code.
 */
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src/errors.js'
import {
  errorMessage,
  moderationFromErrorAnswer,
  normalizeStatus,
  parseProgress,
  requestIdFromCreate,
  type VideoStatus,
} from '../../src/grok/normalize.js'
import { textContaining } from '../harness/matchers.ts'
import { expectStatus } from './expect-status.ts'

const ID = '4b2cd27e-0b0d-3dec-c31c-7572daf74bb3'
const URL_1 = 'https://vidgen.x.ai/xai-vidgen-bucket/xai-video-req_1.mp4'
const URL_2 = 'https://vidgen.x.ai/xai-vidgen-bucket/xai-video-72924fdc-0000.mp4'
const PROMPT_EMPTY = 'Prompt cannot be empty. Please provide a prompt.'
const REJECTED = 'Generated video rejected by content moderation.'

/** CometAPI's task wrapper (shape A) as the contract's capture shows it, with the given outer status and body. */
function cometTask(status: string, progress: string, failReason = '', inner: Record<string, unknown> = {}) {
  return {
    code: 'success',
    message: '',
    data: {
      task_id: ID,
      action: 'VIDEO_GENERATION',
      status,
      fail_reason: failReason,
      submit_time: 1773297002,
      start_time: 0,
      finish_time: status === 'IN_PROGRESS' || status === 'NOT_START' ? 0 : 1773297014,
      progress,
      data: inner,
    },
  }
}

/** The documented capture's `data.data` on SUCCESS. */
const cometInnerDone = {
  model: 'grok-imagine-video',
  usage: { cost_in_usd_ticks: 500000000 },
  video: { url: URL_2, duration: 1, respect_moderation: true },
  status: 'done',
}

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

interface ShapeCase {
  name: string
  http: number
  /** `undefined` stands for an empty body. */
  body: unknown
  expected: Partial<VideoStatus>
}

describe('normalizeStatus: xAI shapes', () => {
  const cases: ShapeCase[] = [
    {
      name: 'empty 202 while running',
      http: 202,
      body: undefined,
      expected: { state: 'pending', providerStatus: '202' },
    },
    {
      name: '202 pending with progress',
      http: 202,
      body: { status: 'pending', progress: 40 },
      expected: { state: 'pending', providerStatus: 'pending', progress: 40 },
    },
    {
      name: '200 pending (the spec allows it)',
      http: 200,
      body: { status: 'pending' },
      expected: { state: 'pending', providerStatus: 'pending' },
    },
    {
      name: '200 done with url, duration, cost and model',
      http: 200,
      body: {
        status: 'done',
        video: { url: URL_1, duration: 8, respect_moderation: true },
        model: 'grok-imagine-video-1.5',
        progress: 100,
        usage: { cost_in_usd_ticks: 6400000000 },
      },
      expected: {
        state: 'done',
        providerStatus: 'done',
        videoUrl: URL_1,
        durationSeconds: 8,
        costTicks: 6400000000,
        model: 'grok-imagine-video-1.5',
        progress: 100,
      },
    },
    {
      name: 'failed with error.code and error.message',
      http: 200,
      body: { status: 'failed', error: { code: 'invalid_argument', message: PROMPT_EMPTY } },
      expected: { state: 'failed', providerStatus: 'failed', message: PROMPT_EMPTY },
    },
    {
      name: 'expired',
      http: 200,
      body: { status: 'expired' },
      expected: { state: 'expired', providerStatus: 'expired' },
    },
    {
      name: 'moderated, form 1: done with an empty url and respect_moderation false',
      http: 200,
      body: { status: 'done', video: { url: '', duration: 0, respect_moderation: false }, model: 'grok-imagine-video' },
      expected: { state: 'moderated', model: 'grok-imagine-video', videoUrl: undefined },
    },
    {
      name: 'legacy `response` wrapper',
      http: 200,
      body: {
        status: 'done',
        response: {
          model: 'grok-imagine-video',
          video: { url: URL_1, duration: 6, respect_moderation: true },
          usage: { cost_in_usd_ticks: 3000000000 },
        },
      },
      expected: {
        state: 'done',
        videoUrl: URL_1,
        durationSeconds: 6,
        model: 'grok-imagine-video',
        costTicks: 3000000000,
      },
    },
    ...['queued', 'processing', 'in_progress', 'rendering-v2'].map((status): ShapeCase => ({
      name: `unknown status '${status}' means still running`,
      http: 200,
      body: { status, progress: 12 },
      expected: { state: 'pending', providerStatus: status, progress: 12 },
    })),
  ]

  it.each(cases)('$name', ({ http, body, expected }) => {
    expectStatus(normalizeStatus(http, body), expected)
  })

  it('gives the moderation form 1 a readable message, not an empty one', () => {
    const status = normalizeStatus(200, {
      status: 'done',
      video: { url: '', duration: 0, respect_moderation: false },
      model: 'grok-imagine-video',
    })
    expect(status.message).toMatch(/moderation/i)
  })

  it('reports a done job without cost as having no cost, not zero', () => {
    const status = normalizeStatus(200, { status: 'done', video: { url: URL_1, duration: 8 } })
    expect(status.state).toBe('done')
    expect(status.costTicks).toBeUndefined()
  })
})

describe('normalizeStatus: CometAPI task wrapper (shape A)', () => {
  const cases: ShapeCase[] = [
    {
      name: 'NOT_START with data.data {}',
      http: 200,
      body: cometTask('NOT_START', '0%'),
      expected: { state: 'pending', providerStatus: 'NOT_START', progress: 0 },
    },
    ...['SUBMITTED', 'QUEUED', 'UNKNOWN'].map((status): ShapeCase => ({
      name: `${status} is still running`,
      http: 200,
      body: cometTask(status, '0%'),
      expected: { state: 'pending', providerStatus: status },
    })),
    {
      name: 'IN_PROGRESS with progress "45%"',
      http: 200,
      body: cometTask('IN_PROGRESS', '45%'),
      expected: { state: 'pending', providerStatus: 'IN_PROGRESS', progress: 45 },
    },
    {
      name: 'SUCCESS as captured: fail_reason holds the URL, data.data the provider body',
      http: 200,
      body: cometTask('SUCCESS', '100%', URL_2, cometInnerDone),
      expected: {
        state: 'done',
        videoUrl: URL_2,
        durationSeconds: 1,
        costTicks: 500000000,
        model: 'grok-imagine-video',
        progress: 100,
      },
    },
    {
      name: 'SUCCESS with data.data {}: the URL comes from fail_reason alone',
      http: 200,
      body: cometTask('SUCCESS', '100%', URL_2),
      expected: { state: 'done', videoUrl: URL_2, providerStatus: 'SUCCESS', progress: 100 },
    },
    {
      name: 'SUCCESS with no URL anywhere is a failure, not a video',
      http: 200,
      body: cometTask('SUCCESS', '100%'),
      expected: { state: 'failed', message: textContaining('without a video URL'), videoUrl: undefined },
    },
    {
      name: 'peer status COMPLETED is success too',
      http: 200,
      body: cometTask('COMPLETED', '100%', URL_2),
      expected: { state: 'done', videoUrl: URL_2 },
    },
    {
      name: 'FAILURE: fail_reason holds the error text',
      http: 200,
      body: cometTask('FAILURE', '100%', PROMPT_EMPTY),
      expected: { state: 'failed', providerStatus: 'FAILURE', message: PROMPT_EMPTY, videoUrl: undefined },
    },
    ...['FAILED', 'CANCELLED', 'TIMEOUT'].map((status): ShapeCase => ({
      name: `peer status ${status} is a failure with the gateway's words`,
      http: 200,
      body: cometTask(status, '100%', `task ${status.toLowerCase()}`),
      expected: { state: 'failed', message: `task ${status.toLowerCase()}` },
    })),
    {
      name: 'FAILURE with the provider failed body inside data.data',
      http: 200,
      body: cometTask('FAILURE', '100%', 'Video generation failed.', {
        status: 'failed',
        error: { code: 'internal_error', message: 'Video generation failed.' },
      }),
      expected: { state: 'failed', message: 'Video generation failed.' },
    },
    {
      name: 'FAILURE whose text says moderation is reported as moderated',
      http: 200,
      body: cometTask('FAILURE', '100%', REJECTED),
      expected: { state: 'moderated', message: REJECTED },
    },
    {
      name: 'SUCCESS carrying moderation form 1 inside data.data',
      http: 200,
      body: cometTask('SUCCESS', '100%', '', {
        status: 'done',
        video: { url: '', duration: 0, respect_moderation: false },
        model: 'grok-imagine-video',
        usage: { cost_in_usd_ticks: 2500000000 },
      }),
      expected: { state: 'moderated', costTicks: 2500000000, videoUrl: undefined },
    },
  ]

  it.each(cases)('$name', ({ http, body, expected }) => {
    expectStatus(normalizeStatus(http, body), expected)
  })

  it('throws the gateway-level error (code other than "success") with its message, even under HTTP 200', () => {
    const error = thrown(() =>
      normalizeStatus(200, { code: 'task_not_exist', message: 'task does not exist', data: null }),
    )
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ httpStatus: 200, providerMessage: 'task does not exist' })
    expect((error as Error).message).toContain('task does not exist')
  })
})

describe('normalizeStatus: CometAPI flat shape (B)', () => {
  const cases: ShapeCase[] = [
    { name: '{request_id} alone', http: 200, body: { request_id: ID }, expected: { state: 'pending' } },
    { name: '{request_id} alone as 202', http: 202, body: { request_id: ID }, expected: { state: 'pending' } },
    ...(['queued', 'processing'] as const).map((status): ShapeCase => ({
      name: status,
      http: 200,
      body: { status, model: 'grok-imagine-video', progress: 50 },
      expected: { state: 'pending', providerStatus: status, progress: 50 },
    })),
    {
      name: 'done with error: null',
      http: 200,
      body: {
        status: 'done',
        video: { url: URL_2, duration: 1, respect_moderation: true },
        model: 'grok-imagine-video',
        usage: { cost_in_usd_ticks: 500000000 },
        progress: 100,
        error: null,
      },
      expected: { state: 'done', videoUrl: URL_2, durationSeconds: 1, costTicks: 500000000 },
    },
    {
      name: 'failed',
      http: 200,
      body: {
        status: 'failed',
        error: { code: 'service_unavailable', message: 'Video generation is temporarily unavailable.' },
        model: 'grok-imagine-video',
        progress: 0,
      },
      expected: { state: 'failed', message: 'Video generation is temporarily unavailable.' },
    },
    { name: 'expired', http: 200, body: { status: 'expired', error: null }, expected: { state: 'expired' } },
  ]

  it.each(cases)('$name', ({ http, body, expected }) => {
    expectStatus(normalizeStatus(http, body), expected)
  })
})

describe("normalizeStatus: shapes seen elsewhere (peers' captures, fixtures, gateways)", () => {
  const GENERIC = 'upstream returned error'
  const cases: ShapeCase[] = [
    {
      name: 'done, video.url empty, respect_moderation true: failed, not moderated',
      http: 200,
      body: {
        status: 'done',
        video: { url: '', duration: 0, respect_moderation: true },
        model: 'grok-imagine-video',
        usage: { cost_in_usd_ticks: 500000000 },
      },
      expected: {
        state: 'failed',
        message: 'The job finished without a video URL.',
        videoUrl: undefined,
        costTicks: 500000000,
      },
    },
    {
      name: 'done without a video object: failed, not moderated',
      http: 200,
      body: { status: 'done', model: 'grok-imagine-video' },
      expected: { state: 'failed', message: 'The job finished without a video URL.' },
    },
    {
      name: 'done without a video URL whose message says moderation: moderated, with those words',
      http: 200,
      body: { status: 'done', video: { url: '' }, error: { message: 'Video blocked by our safety system.' } },
      expected: { state: 'moderated', message: 'Video blocked by our safety system.' },
    },
    {
      name: 'done with a top-level url only (old mock shape): the url is a fallback',
      http: 200,
      body: { status: 'done', url: URL_1 },
      expected: { state: 'done', videoUrl: URL_1 },
    },
    {
      name: 'done with both: video.url wins over the top-level url',
      http: 200,
      body: { status: 'done', url: URL_2, video: { url: URL_1, duration: 8, respect_moderation: true } },
      expected: { state: 'done', videoUrl: URL_1, durationSeconds: 8 },
    },
    {
      name: 'done, respect_moderation false, even beside a top-level url: moderated',
      http: 200,
      body: { status: 'done', url: URL_2, video: { url: '', respect_moderation: false } },
      expected: { state: 'moderated', videoUrl: undefined },
    },
    {
      name: 'no status, non-empty video.url: done',
      http: 200,
      body: {
        video: { url: URL_1, duration: 8 },
        model: 'grok-imagine-video',
        usage: { cost_in_usd_ticks: 6400000000 },
      },
      expected: { state: 'done', videoUrl: URL_1, durationSeconds: 8, costTicks: 6400000000, progress: 100 },
    },
    {
      name: 'no status, empty video.url: still running',
      http: 200,
      body: { request_id: ID, video: { url: '' } },
      expected: { state: 'pending' },
    },
    {
      name: "no status, native error string and code under a 200: failed with the provider's words",
      http: 200,
      body: { code: 'invalid-argument', error: 'Duration must be between 2 and 10 seconds' },
      expected: { state: 'failed', message: 'Duration must be between 2 and 10 seconds' },
    },
    {
      name: "no status, request_id and an error object with usage (a gateway's native view): failed, billed",
      http: 200,
      body: {
        request_id: ID,
        error: { code: 'internal_error', message: 'Video generation failed.' },
        usage: { cost_in_usd_ticks: 0 },
      },
      expected: { state: 'failed', message: 'Video generation failed.', costTicks: 0 },
    },
    {
      name: 'no status, an error that says moderation: moderated',
      http: 200,
      body: { code: 'invalid-argument', error: REJECTED, usage: { cost_in_usd_ticks: 2500000000 } },
      expected: { state: 'moderated', message: REJECTED, costTicks: 2500000000 },
    },
    {
      name: "no status, error: null (CometAPI's flat form): still running",
      http: 200,
      body: { request_id: ID, error: null },
      expected: { state: 'pending' },
    },
    {
      name: "wrapper FAILURE with a generic fail_reason: the inner body's moderation verdict and words win",
      http: 200,
      body: cometTask('FAILURE', '100%', GENERIC, {
        code: 'invalid-argument',
        error: REJECTED,
        request_id: ID,
        usage: { cost_in_usd_ticks: 2500000000 },
      }),
      expected: { state: 'moderated', message: REJECTED, costTicks: 2500000000 },
    },
    {
      name: "wrapper FAILURE with a generic fail_reason: the inner failure's words win",
      http: 200,
      body: cometTask('FAILURE', '100%', GENERIC, { error: { message: 'Prompt is too long.' } }),
      expected: { state: 'failed', message: 'Prompt is too long.' },
    },
    {
      name: 'wrapper FAILURE, inner status failed without an error object: fail_reason is shown',
      http: 200,
      body: cometTask('FAILURE', '100%', 'quota exhausted for this channel', { status: 'failed' }),
      expected: { state: 'failed', message: 'quota exhausted for this channel' },
    },
    {
      name: 'wrapper FAILURE, inner status failed without words, fail_reason saying moderation: moderated',
      http: 200,
      body: cometTask('FAILURE', '100%', REJECTED, { status: 'failed' }),
      expected: { state: 'moderated', message: REJECTED },
    },
    {
      name: "wrapper SUCCESS whose inner body has no video URL: fail_reason's URL still counts",
      http: 200,
      body: cometTask('SUCCESS', '100%', URL_2, { status: 'done', video: { url: '', respect_moderation: true } }),
      expected: { state: 'done', videoUrl: URL_2 },
    },
    ...[
      'The prompt violates our content policy.',
      'Your request was rejected by our safety system.',
      'Content Policy violation',
    ].map((message): ShapeCase => ({
      name: `moderation worded "${message}"`,
      http: 200,
      body: { status: 'failed', error: { code: 'invalid_argument', message } },
      expected: { state: 'moderated', message },
    })),
  ]

  it.each(cases)('$name', ({ http, body, expected }) => {
    expectStatus(normalizeStatus(http, body), expected)
  })

  it('a failed job without words says the provider gave none', () => {
    expectStatus(normalizeStatus(200, { status: 'failed' }), {
      state: 'failed',
      message: 'The provider gave no reason.',
    })
  })

  describe('when output.upload_url was sent', () => {
    const uploaded = { uploadUrlSent: true }

    it('done without a video URL is success, with nothing to download', () => {
      const body = {
        status: 'done',
        video: { url: '', duration: 6, respect_moderation: true },
        model: 'grok-imagine-video',
      }
      expectStatus(normalizeStatus(200, body, uploaded), { state: 'done', videoUrl: undefined, durationSeconds: 6 })
      expectStatus(normalizeStatus(200, { status: 'done', video: null }, uploaded), {
        state: 'done',
        videoUrl: undefined,
      })
    })

    it('moderation is still moderation', () => {
      const body = { status: 'done', video: { url: '', duration: 0, respect_moderation: false } }
      expectStatus(normalizeStatus(200, body, uploaded), { state: 'moderated' })
    })

    it('inside the CometAPI wrapper too', () => {
      const body = cometTask('SUCCESS', '100%', '', { status: 'done', video: { url: '', respect_moderation: true } })
      expectStatus(normalizeStatus(200, body, uploaded), { state: 'done', videoUrl: undefined })
      expectStatus(normalizeStatus(200, cometTask('SUCCESS', '100%'), uploaded), { state: 'done', videoUrl: undefined })
    })
  })
})

describe("moderationFromErrorAnswer: the peers' moderation wording", () => {
  it.each(['The prompt violates our content policy.', 'Rejected by our safety system.'])('%s', (message) => {
    expect(moderationFromErrorAnswer(400, { code: 'invalid-argument', error: message })).toMatchObject({
      state: 'moderated',
      message,
    })
  })
})

describe('moderationFromErrorAnswer (moderation form 2)', () => {
  const rejected = {
    code: 'Client specified an invalid argument',
    error: REJECTED,
    usage: { cost_in_usd_ticks: 2500000000 },
  }

  it('turns the HTTP 400 moderation body into a billed moderated status', () => {
    expect(moderationFromErrorAnswer(400, rejected)).toEqual({
      state: 'moderated',
      providerStatus: '400',
      message: REJECTED,
      costTicks: 2500000000,
    })
  })

  it.each([
    { name: 'a 404 for an unknown id', http: 404, body: { error: { message: 'No deferred video' } } },
    { name: 'a 400 about something else', http: 400, body: { code: 'x', error: 'Prompt is too long.' } },
    { name: 'a 5xx, even with moderation words', http: 500, body: rejected },
    { name: 'a non-JSON body', http: 400, body: undefined },
  ])('leaves $name alone', ({ http, body }) => {
    expect(moderationFromErrorAnswer(http, body)).toBeUndefined()
  })
})

describe('errorMessage', () => {
  it.each([
    {
      shape: 'OpenAI/CometAPI error.message',
      body: { error: { message: 'Invalid token (request id: 2025031208301512)', type: 'comet_api_error', code: '' } },
      expected: 'Invalid token (request id: 2025031208301512)',
    },
    {
      shape: 'xAI native error string',
      body: { code: 'Client specified an invalid argument', error: 'Incorrect API key provided.' },
      expected: 'Incorrect API key provided.',
    },
    {
      shape: 'bare message',
      body: { message: 'duration must be an integer' },
      expected: 'duration must be an integer',
    },
    {
      shape: 'error.message ahead of message',
      body: { error: { message: 'first' }, message: 'second' },
      expected: 'first',
    },
    { shape: 'no readable field', body: { error: { code: 7 } }, expected: 'Bad Request' },
    { shape: 'an empty body', body: undefined, expected: 'Bad Request' },
    { shape: 'a JSON array', body: ['nope'], expected: 'Bad Request' },
  ])('reads $shape', ({ body, expected }) => {
    expect(errorMessage(body, 'Bad Request')).toBe(expected)
  })
})

describe('requestIdFromCreate', () => {
  it.each([
    { shape: '{request_id}', body: { request_id: ID }, expected: ID },
    { shape: 'CometAPI envelope', body: { code: 'success', message: '', data: { task_id: ID } }, expected: ID },
    { shape: 'a numeric id', body: { request_id: 42 }, expected: '42' },
    { shape: 'no id', body: { status: 'ok' }, expected: undefined },
    { shape: 'a blank id', body: { request_id: '  ' }, expected: undefined },
    { shape: 'an empty body', body: undefined, expected: undefined },
  ])('reads $shape', ({ body, expected }) => {
    expect(requestIdFromCreate(body, 200)).toBe(expected)
  })

  it.each([
    { shape: 'a line break', id: 'req-1\n::add-mask::x' },
    { shape: 'Markdown and a mention', id: 'req [x](https://phish.example) @octocat' },
    { shape: 'more than 128 characters', id: 'a'.repeat(129) },
    { shape: "only '..' (the status URL's parent)", id: '..' },
    { shape: "only '.'", id: '.' },
    { shape: "a '..' part", id: 'task/../admin' },
    { shape: 'an empty part', id: 'task//1' },
    { shape: 'a leading slash', id: '/task' },
  ])('refuses an id with $shape: it is never polled or shown', ({ id }) => {
    expect(() => requestIdFromCreate({ request_id: id }, 200)).toThrow(/request id of an unexpected form/)
  })

  it('throws the gateway-level error with its message', () => {
    expect(() =>
      requestIdFromCreate({ code: 'quota_exceeded', message: 'insufficient quota', data: null }, 200),
    ).toThrow(/insufficient quota/)
  })
})

describe('parseProgress', () => {
  it.each([
    { value: 40, expected: 40 },
    { value: '45', expected: 45 },
    { value: '45%', expected: 45 },
    { value: '12.5%', expected: 12.5 },
    { value: 150, expected: 100 },
    { value: -3, expected: 0 },
    { value: '', expected: undefined },
    { value: 'soon', expected: undefined },
    { value: null, expected: undefined },
    { value: undefined, expected: undefined },
  ])('$value → $expected', ({ value, expected }) => {
    expect(parseProgress(value)).toBe(expected)
  })
})

describe('normalizeStatus: the stored copy of storage_options (file_output, storage_error)', () => {
  const PUBLIC = 'https://files.x.ai/public/4b2cd27e/nightly-intro.mp4'
  const done = (video: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    normalizeStatus(200, { status: 'done', video: { url: URL_1, duration: 5, ...video }, ...extra })

  it('reads video.file_output: its https public_url and file_id', () => {
    expect(done({ file_output: { file_id: 'file-9a8b', public_url: PUBLIC, size_bytes: 2748 } })).toMatchObject({
      state: 'done',
      videoUrl: URL_1,
      stored: { publicUrl: PUBLIC, fileId: 'file-9a8b' },
    })
  })

  it('leaves out a public_url that is not https, saying what it was without quoting it', () => {
    const status = done({ file_output: { file_id: 'file-9a8b', public_url: 'http://files.x.ai/a.mp4' } })
    expect(status.stored).toEqual({ fileId: 'file-9a8b', refusedUrl: "a 'http' URL" })
    expect(done({ file_output: { public_url: 'javascript:alert(1)' } }).stored).toEqual({
      refusedUrl: "a 'javascript' URL",
    })
    expect(done({ file_output: { public_url: 'https://user:pw@files.x.ai/a.mp4' } }).stored).toEqual({
      refusedUrl: 'not a plain https URL',
    })
    expect(done({ file_output: { public_url: 'not a url' } }).stored?.publicUrl).toBeUndefined()
  })

  it('reads storage_error beside video or inside it, as a string or an object with a message; the job is still done', () => {
    expect(done({}, { storage_error: 'bucket quota exceeded' })).toMatchObject({
      state: 'done',
      videoUrl: URL_1,
      stored: { error: 'bucket quota exceeded' },
    })
    expect(done({ storage_error: { code: 'internal', message: 'store failed' } }).stored).toEqual({
      error: 'store failed',
    })
  })

  it('bounds the length of a storage_error', () => {
    const stored = done({}, { storage_error: 'x'.repeat(10_000) }).stored
    expect(Array.from(stored?.error ?? '').length).toBe(2_000)
  })

  it('carries no stored copy when the job names none, and ignores a file_id of another form', () => {
    expect(done({}).stored).toBeUndefined()
    expect(done({ file_output: { file_id: 'a b/../c', public_url: PUBLIC } }).stored).toEqual({ publicUrl: PUBLIC })
  })
})

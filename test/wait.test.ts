import { describe, expect, it } from 'vitest'
import { ApiError, TimedOutError } from '../src/errors.js'
import { GrokClient } from '../src/grok/client.js'
import { formatDuration, MIN_POLL_DELAY_MS, nextPollDelay, pollUntilDone, type WaitOptions } from '../src/wait.js'
import { DEFAULT_COST_TICKS, emptyAccepted, xaiDone, xaiRunning, type ScenarioName } from './emulator/scenarios.ts'
import type { Scenario } from './emulator/server.ts'
import { emulatorSession } from './harness/emulator-session.ts'
import { recordPauses } from './harness/pauses.ts'

describe('nextPollDelay', () => {
  const MAX = 10_000
  // 10 % at 2 s, 20 % at 3 s, 30 % at 4 s: 1 % every 100 ms, so 100 % is due 7 s after the last report.
  const rising = [
    { atMs: 2_000, progress: 10 },
    { atMs: 3_000, progress: 20 },
    { atMs: 4_000, progress: 30 },
  ]
  const at = (progress: number[], stepMs = 1_000) => progress.map((p, i) => ({ atMs: (i + 1) * stepMs, progress: p }))

  it.each([
    { name: 'no progress reported', samples: [] },
    { name: 'progress stuck at 0', samples: at([0, 0, 0]) },
  ])('waits the full interval with $name', ({ samples }) => {
    expect(nextPollDelay({ elapsedMs: 5_000, samples, maxIntervalMs: MAX })).toBe(MAX)
  })

  it('aims at the moment progress should reach 100 %', () => {
    expect(nextPollDelay({ elapsedMs: 4_000, samples: rising, maxIntervalMs: MAX })).toBe(7_000)
    // Half a second after the last report, the same moment is half a second closer.
    expect(nextPollDelay({ elapsedMs: 4_500, samples: rising, maxIntervalMs: MAX })).toBe(6_500)
  })

  it('fits a line through the jitter instead of trusting the last report', () => {
    // 10 % per second, on the line until the last report, which is 8 points high (88 instead of 80).
    const jittered = [...at([10, 20, 30, 40, 50, 60, 70]), { atMs: 8_000, progress: 88 }]
    const delay = nextPollDelay({ elapsedMs: 8_000, samples: jittered, maxIntervalMs: MAX })
    // The truth is 2 s; the last report alone would say 1.2 s. The line lands closer to the truth.
    expect(Math.abs(delay - 2_000)).toBeLessThan(Math.abs(1_200 - 2_000))
  })

  it('estimates from a single report, counting from when progress left 0 %', () => {
    // 0 % at 5 s, 20 % at 6 s: it left 0 % around 5.5 s, so 40 % per second and 2 s to go.
    expect(nextPollDelay({ elapsedMs: 6_000, samples: at([0, 0, 0, 0, 0, 20]), maxIntervalMs: MAX })).toBe(2_000)
  })

  it('never waits longer than the interval', () => {
    expect(nextPollDelay({ elapsedMs: 4_000, samples: rising, maxIntervalMs: 5_000 })).toBe(5_000)
  })

  it.each([
    { name: 'the estimated end is close', elapsedMs: 10_600 },
    { name: 'the estimated end has passed', elapsedMs: 60_000 },
  ])('never checks sooner than the floor when $name', ({ elapsedMs }) => {
    expect(nextPollDelay({ elapsedMs, samples: rising, maxIntervalMs: MAX })).toBe(MIN_POLL_DELAY_MS)
    expect(nextPollDelay({ elapsedMs, samples: rising, maxIntervalMs: MAX, minIntervalMs: 2_500 })).toBe(2_500)
  })

  it('doubles the pause while progress is stuck, after two reports of grace, up to the interval', () => {
    const stuck = (extra: number) =>
      nextPollDelay({ elapsedMs: 20_000, samples: at([50, 90, ...Array<number>(extra).fill(90)]), maxIntervalMs: MAX })
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(stuck)).toEqual([1_000, 1_000, 1_000, 2_000, 4_000, 8_000, MAX, MAX])
  })

  it('keeps the floor at or below a short interval', () => {
    expect(nextPollDelay({ elapsedMs: 60_000, samples: rising, maxIntervalMs: 300 })).toBe(300)
    expect(nextPollDelay({ elapsedMs: 0, samples: [], maxIntervalMs: 300 })).toBe(300)
  })

  it.each([
    { name: 'longer than the interval', retryAfterMs: 15_000 },
    { name: 'shorter than the ETA', retryAfterMs: 2_000 },
    { name: 'zero', retryAfterMs: 0 },
  ])("follows the server's Retry-After when it is $name", ({ retryAfterMs }) => {
    expect(nextPollDelay({ elapsedMs: 4_000, samples: rising, maxIntervalMs: MAX, retryAfterMs })).toBe(retryAfterMs)
  })
})

describe('formatDuration', () => {
  it.each([
    { ms: 0, text: '0.0s' },
    { ms: 1_234, text: '1.2s' },
    { ms: 42_000, text: '42s' },
    { ms: 75_000, text: '1m 15s' },
    { ms: 605_000, text: '10m 05s' },
  ])('$ms ms → $text', ({ ms, text }) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

// -----------------------------------------------------------------------------------------------------------------
// The loop against the emulator, with intervals of a few milliseconds.

const session = emulatorSession()

const request = { prompt: 'A candle flickers on a wooden table.', model: 'grok-imagine-video', duration: 5 }

/** Creates a job in `scenario` (unless `requestId` is given, as when resuming) and waits for it. */
async function waitFor(
  scenario: Scenario | ScenarioName,
  options: Partial<WaitOptions> & { requestId?: string; requestTimeoutMs?: number } = {},
) {
  const { requestId, requestTimeoutMs, ...overrides } = options
  session.emulator.setScenario(scenario)
  const client = new GrokClient({
    baseUrl: session.emulator.xaiBaseUrl,
    apiKey: session.emulator.apiKey,
    requestTimeoutMs,
  })
  session.track(client)
  const id = requestId ?? (await client.create(request, Date.now() + 30_000))
  const logs: string[] = []
  const startedAt = Date.now()
  const result = pollUntilDone(client, id, {
    deadline: startedAt + 30_000,
    maxIntervalMs: 20,
    startedAt,
    justCreated: requestId === undefined,
    timeoutSeconds: 30,
    log: (line) => void logs.push(line),
    ...overrides,
  })
  return { id, logs, result }
}

/** A job that keeps running: xAI's empty 202, then `pending` at 40 % for ever. */
const neverDone: Scenario = { name: 'never-done', poll: [emptyAccepted(), xaiRunning('pending', { progress: 40 })] }

describe('pollUntilDone', () => {
  it.each([
    { scenario: 'xai-done', state: 'done', polls: 4 },
    { scenario: 'comet-task-success', state: 'done', polls: 5 },
    { scenario: 'comet-flat', state: 'done', polls: 6 },
    { scenario: 'xai-failed', state: 'failed', polls: 2, message: 'Prompt cannot be empty. Please provide a prompt.' },
    {
      scenario: 'comet-task-failure',
      state: 'failed',
      polls: 2,
      message: 'Prompt cannot be empty. Please provide a prompt.',
    },
    { scenario: 'xai-expired', state: 'expired', polls: 2 },
    { scenario: 'xai-moderated', state: 'moderated', polls: 2 },
    {
      scenario: 'xai-moderated-400',
      state: 'moderated',
      polls: 2,
      message: 'Generated video rejected by content moderation.',
    },
  ] as const)('returns the final $state status of $scenario', async ({ scenario, state, polls, ...rest }) => {
    const { id, result } = await waitFor(scenario)

    const status = await result

    expect(status.state).toBe(state)
    if ('message' in rest) expect(status.message).toBe(rest.message)
    if (state === 'done') {
      expect(status).toMatchObject({
        videoUrl: `${session.emulator.videoOrigin}/videos/${id}.mp4`,
        durationSeconds: 5,
        costTicks: DEFAULT_COST_TICKS,
      })
    }
    expect(session.emulator.polls()).toHaveLength(polls)
  })

  it('tolerates a 404 on the first check right after create', async () => {
    const { result } = await waitFor('poll-404-once')

    await expect(result).resolves.toMatchObject({ state: 'done' })
    expect(session.emulator.polls()).toHaveLength(3)
  })

  it('does not tolerate a 404 when resuming an existing request id', async () => {
    const { result } = await waitFor('poll-404', { requestId: '4b2cd27e-0b0d-3dec-c31c-7572daf74bb3' })

    const error = await result.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ httpStatus: 404, providerMessage: 'No deferred video' })
    expect(session.emulator.polls()).toHaveLength(1)
  })

  it('logs each new status with its percentage and the time elapsed, once per change', async () => {
    const { id, logs, result } = await waitFor('comet-task-success')
    await result

    const line = (status: string) =>
      new RegExp(`^Job ${id}: ${status}, \\d+\\.\\ds elapsed; next check in \\d+\\.\\d s\\.$`)
    expect(logs).toEqual([
      expect.stringMatching(line('NOT_START \\(0 %\\)')),
      expect.stringMatching(line('SUBMITTED \\(0 %\\)')),
      expect.stringMatching(line('QUEUED \\(0 %\\)')),
      expect.stringMatching(line('IN_PROGRESS \\(45 %\\)')),
    ])
  })

  it('stays quiet while nothing changes, unless a heartbeat is due', async () => {
    const quiet = await waitFor('xai-done')
    await quiet.result
    expect(quiet.logs).toEqual([expect.stringMatching(/: 202, /), expect.stringMatching(/: pending \(40 %\), /)])

    const chatty = await waitFor('xai-done', { heartbeatMs: 0 })
    await chatty.result
    expect(chatty.logs).toEqual([
      expect.stringMatching(/: 202, /),
      expect.stringMatching(/: 202, /),
      expect.stringMatching(/: pending \(40 %\), /),
    ])
  })

  it("waits as long as the server's Retry-After asks", async () => {
    const pauses: number[] = []
    const { logs, result } = await waitFor(
      { name: 'retry-after', poll: [{ status: 202, raw: '', headers: { 'Retry-After': '2' } }, (ctx) => xaiDone(ctx)] },
      { sleep: recordPauses(pauses) },
    )

    await expect(result).resolves.toMatchObject({ state: 'done' })
    // The short first pause after create, then the server's two seconds instead of the 20 ms interval.
    expect(pauses).toEqual([20, 2_000])
    expect(logs).toEqual([expect.stringMatching(/next check in 2\.0 s\.$/)])
  })

  it('gives up at the deadline with the exact request-id resume hint', async () => {
    const { id, result } = await waitFor(neverDone, { deadline: Date.now() + 150, timeoutSeconds: 1 })

    const error = await result.then(
      () => undefined,
      (e: unknown) => e,
    )

    expect(error).toBeInstanceOf(TimedOutError)
    expect(error).toMatchObject({ status: 'timeout', requestId: id })
    const message = (error as Error).message
    expect(message).toContain(`request-id: ${id}`)
    expect(message).toContain(`Video job ${id} was still running after 1 s (last status: pending (40 %))`)
    expect(message).toMatch(/no new job, no new charge/)
  })

  it('reports a check cut off by the deadline as a timeout, not a network fault', async () => {
    const hanging: Scenario = { name: 'hanging', poll: [{ status: 200, fault: 'hang' }] }
    const { id, result } = await waitFor(hanging, { deadline: Date.now() + 100, requestTimeoutMs: 300 })

    const error = await result.then(
      () => undefined,
      (e: unknown) => e,
    )

    expect(error).toBeInstanceOf(TimedOutError)
    expect((error as Error).message).toContain('(last status: unknown)')
    expect((error as Error).message).toContain(`request-id: ${id}`)
  })
})

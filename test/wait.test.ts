import { describe, expect, it } from 'vitest'
import { ApiError, TimedOutError } from '../src/errors.js'
import { GrokClient } from '../src/grok/client.js'
import type { ProgressSample } from '../src/wait/forecast.js'
import { pollUntilDone, type StatusSource, type WaitOptions } from '../src/wait/loop.js'
import { jobTimePrior } from '../src/wait/prior.js'
import { MIN_POLL_DELAY_MS, nextPollDelay, type ScheduleInput } from '../src/wait/schedule.js'
import { DEFAULT_COST_TICKS, emptyAccepted, xaiDone, xaiRunning, type ScenarioName } from './emulator/scenarios.ts'
import type { Scenario } from './emulator/server.ts'
import { emulatorSession } from './harness/emulator-session.ts'
import { summarize } from './harness/job-shapes.ts'
import { recordPauses } from './harness/pauses.ts'
import { replayJobs } from './harness/wait-replay.ts'

describe('nextPollDelay', () => {
  const INTERVAL = 5_000
  /** Rises 10 % a second from 1 s on: due at 11 s. */
  const linear = (t: number) => Math.min(99, Math.max(0, Math.round((t - 1_000) / 100)))

  interface Played {
    /** Check times, ms since the wait started. */
    checks: number[]
    delays: number[]
  }

  /**
   * Plays the schedule against a job that reports `progressAt(t)` (undefined: no progress field) and ends at
   * `endMs`, checking first as a fresh job does (after the schedule's first pause), until it is seen done.
   */
  function play(
    progressAt: (t: number) => number | undefined,
    endMs: number,
    extra: Partial<ScheduleInput> = {},
  ): Played {
    const samples: ProgressSample[] = []
    const checks: number[] = []
    const delays: number[] = []
    const next = (t: number) =>
      nextPollDelay({ elapsedMs: t, samples, checks: checks.length, maxIntervalMs: INTERVAL, ...extra })
    let t = next(0)
    delays.push(t)
    for (;;) {
      checks.push(t)
      if (t >= endMs) return { checks, delays }
      const progress = progressAt(t)
      if (progress !== undefined) samples.push({ atMs: t, progress })
      const delay = next(t)
      delays.push(delay)
      t += delay
    }
  }

  /** Checks a fixed poller makes by `t`: one right after create, then one every interval. */
  const fixedChecksBy = (t: number) => 1 + Math.floor(t / INTERVAL)

  const shapes: { name: string; progressAt: (t: number) => number | undefined; endMs: number }[] = [
    { name: 'an even run', progressAt: linear, endMs: 11_000 },
    { name: 'a stall at 99 %', progressAt: linear, endMs: 31_000 },
    { name: 'a stall at 60 %', progressAt: (t) => Math.min(60, linear(t)), endMs: 90_000 },
    { name: 'no progress', progressAt: () => undefined, endMs: 47_000 },
    { name: 'an end at 70 %', progressAt: linear, endMs: 8_000 },
    { name: 'a slow start', progressAt: (t) => Math.round(100 * (t / 40_000) ** 3), endMs: 40_000 },
    { name: 'a rise that never ends', progressAt: linear, endMs: 600_000 },
    { name: 'stages that each rise to 99 %', progressAt: (t) => linear(t % 8_000), endMs: 60_000 },
  ]
  const priors = [undefined, jobTimePrior({ duration: 1 }), jobTimePrior({ duration: 15 })]

  describe.each(shapes)('on $name', ({ progressAt, endMs }) => {
    it.each(priors.map((prior) => ({ prior, label: prior ? `a ${prior.medianMs} ms prior` : 'no prior' })))(
      'is never more than one check ahead of a fixed poller at the interval, with $label',
      ({ prior }) => {
        const { checks } = play(progressAt, endMs, { prior })
        checks.forEach((t, i) => expect(i + 1).toBeLessThanOrEqual(fixedChecksBy(t) + 1))
        // So it sees the end with no more checks than the fixed poller needs, give or take one.
        expect(checks.length).toBeLessThanOrEqual(fixedChecksBy(Math.ceil(endMs / INTERVAL) * INTERVAL) + 1)
      },
    )

    it('waits no longer than the interval and no shorter than the floor', () => {
      const { delays } = play(progressAt, endMs, { prior: priors[1] })
      for (const delay of delays) {
        expect(delay).toBeLessThanOrEqual(INTERVAL)
        expect(delay).toBeGreaterThanOrEqual(MIN_POLL_DELAY_MS)
      }
    })
  })

  it('aims the check at the moment progress should reach 100 %, when that is within the interval', () => {
    const samples = [5_000, 10_000].map((atMs) => ({ atMs, progress: linear(atMs) }))
    const delay = nextPollDelay({ elapsedMs: 10_000, samples, checks: 2, maxIntervalMs: INTERVAL })
    // Due at 11 s: the check comes after that moment, and sooner than the interval.
    expect(10_000 + delay).toBeGreaterThanOrEqual(11_000)
    expect(delay).toBeLessThan(INTERVAL)
  })

  it.each([
    { checks: 2, ahead: 'behind the fixed poller' },
    { checks: 3, ahead: 'level with it' },
    { checks: 4, ahead: 'a check ahead of it' },
  ])('when $ahead, never checks so soon that it would be two ahead', ({ checks }) => {
    // Rising fast and steadily: due at 11 s, and sure of it.
    const samples = [6_000, 7_000, 8_000, 9_000, 10_000].map((atMs) => ({ atMs, progress: linear(atMs) }))
    const at = 10_000 + nextPollDelay({ elapsedMs: 10_000, samples, checks, maxIntervalMs: INTERVAL })
    expect(checks + 1).toBeLessThanOrEqual(fixedChecksBy(at) + 1)
    if (checks < 4) expect(at).toBeLessThan(15_000)
  })

  it('waits the interval while the end is further away than that', () => {
    const samples = [{ atMs: 5_000, progress: 2 }]
    expect(nextPollDelay({ elapsedMs: 5_000, samples, checks: 1, maxIntervalMs: INTERVAL })).toBe(INTERVAL)
  })

  it('checks no sooner for a jittery job than for a clean one with the same trend', () => {
    const clean = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ atMs: i * 1_000, progress: i * 10 }))
    // Jitter that leaves the least-squares line where it was: only the scatter differs.
    const jitter = [4, -4, -4, 4, 4, -4, -4, 4]
    const jittery = clean.map((s, i) => ({ ...s, progress: s.progress + jitter[i] }))
    const delay = (samples: ProgressSample[]) =>
      nextPollDelay({ elapsedMs: 8_000, samples, checks: 1, maxIntervalMs: INTERVAL })
    expect(delay(jittery)).toBeGreaterThanOrEqual(delay(clean))
  })

  it.each([
    { level: 60, prior: undefined },
    { level: 95, prior: undefined },
    { level: 99, prior: undefined },
    { level: 99, prior: jobTimePrior({ duration: 1 }) },
  ])(
    'during a stall at $level %, checks sooner than the interval a bounded number of times, however long it lasts',
    ({ level, prior }) => {
      // `linear` reaches the level here, then stays.
      const stallFrom = 1_000 + level * 100
      const shortened = (stallMs: number) => {
        const { checks, delays } = play((t) => Math.min(level, linear(t)), stallFrom + stallMs, { prior })
        return delays.filter((d, i) => d < INTERVAL && checks[i] > stallFrom).length
      }
      // At most: the check that finds progress stuck, one ahead of the budget before the stall is plain, and one
      // to fall back in step with the fixed poller.
      const bound = shortened(20_000)
      expect(bound).toBeLessThanOrEqual(3)
      expect(shortened(200_000)).toBe(bound)
      expect(shortened(2_000_000)).toBe(bound)
    },
  )

  it('brings the check forward for a rate that keeps rising, which a line through the same reports would not', () => {
    // Progress ∝ t³, done at 28 s; reported every 5 s.
    const cubic = (t: number) => Math.round(100 * (t / 28_000) ** 3)
    const accelerating = [10_000, 15_000, 20_000, 25_000].map((atMs) => ({ atMs, progress: cubic(atMs) }))
    // A steady rise through the same first and last reports.
    const [first, last] = [accelerating[0], accelerating[3]]
    const steady = accelerating.map(({ atMs }) => ({
      atMs,
      progress: Math.round(first.progress + ((last.progress - first.progress) * (atMs - first.atMs)) / 15_000),
    }))
    const delay = (samples: ProgressSample[]) =>
      nextPollDelay({ elapsedMs: 25_000, samples, checks: 5, maxIntervalMs: INTERVAL })

    expect(delay(steady)).toBe(INTERVAL)
    expect(delay(accelerating)).toBeLessThan(INTERVAL)
    expect(25_000 + delay(accelerating)).toBeGreaterThanOrEqual(27_000)
  })

  it.each([
    { name: 'no progress field', samples: [] },
    { name: 'progress stuck at 0', samples: [1_000, 2_000, 3_000].map((atMs) => ({ atMs, progress: 0 })) },
    {
      name: 'progress stalled',
      samples: [2_000, 3_000, 4_000, 5_000, 6_000].map((atMs) => ({ atMs, progress: Math.min(30, linear(atMs)) })),
    },
  ])('falls back to the prior with $name', ({ samples }) => {
    const prior = jobTimePrior({ duration: 1 })
    const input = { elapsedMs: 10_000, samples, checks: 2, maxIntervalMs: INTERVAL }
    // Without a prior it waits the interval; with one, it checks where the prior says the job has likely ended.
    expect(nextPollDelay(input)).toBe(INTERVAL)
    expect(nextPollDelay({ ...input, prior })).toBe(nextPollDelay({ ...input, samples: [], prior }))
    expect(nextPollDelay({ ...input, prior })).toBeLessThan(INTERVAL)
  })

  it("gives a resumed job's first report no rate, its start being unknown, until a 0 % report bounds it", () => {
    // No prior: the job was created before this run, so 50 % at 0.3 s says nothing of how fast it moves.
    const resumed = { checks: 1, maxIntervalMs: INTERVAL }
    expect(nextPollDelay({ ...resumed, elapsedMs: 300, samples: [{ atMs: 300, progress: 50 }] })).toBe(INTERVAL)
    // Seen at 0 % first, it started between the two reports: the rate is known well enough to check sooner.
    const bounded = [
      { atMs: 300, progress: 0 },
      { atMs: 5_300, progress: 50 },
    ]
    expect(nextPollDelay({ ...resumed, checks: 2, elapsedMs: 5_300, samples: bounded })).toBeLessThan(INTERVAL)
  })

  it('keeps the floor at or below a short interval', () => {
    const samples = [2_000, 3_000, 4_000].map((atMs) => ({ atMs, progress: linear(atMs) }))
    expect(nextPollDelay({ elapsedMs: 60_000, samples, checks: 3, maxIntervalMs: 300 })).toBe(300)
    expect(nextPollDelay({ elapsedMs: 0, samples: [], checks: 0, maxIntervalMs: 300 })).toBe(300)
  })

  it.each([
    { name: 'longer than the interval', retryAfterMs: 15_000 },
    { name: 'shorter than the estimate', retryAfterMs: 2_000 },
  ])("follows the server's Retry-After when it is $name", ({ retryAfterMs }) => {
    const samples = [2_000, 3_000, 4_000].map((atMs) => ({ atMs, progress: linear(atMs) }))
    const prior = jobTimePrior({ duration: 1 })
    expect(nextPollDelay({ elapsedMs: 4_000, samples, checks: 3, maxIntervalMs: INTERVAL, retryAfterMs, prior })).toBe(
      retryAfterMs,
    )
  })

  it.each([
    { name: 'zero', retryAfterMs: 0, maxIntervalMs: INTERVAL, expected: MIN_POLL_DELAY_MS },
    { name: 'under the floor', retryAfterMs: 300, maxIntervalMs: INTERVAL, expected: MIN_POLL_DELAY_MS },
    { name: 'zero, with an interval under the floor', retryAfterMs: 0, maxIntervalMs: 300, expected: 300 },
  ])("takes the server's Retry-After as a lower bound: $name waits the floor", ({ expected, ...input }) => {
    const samples = [2_000, 3_000, 4_000].map((atMs) => ({ atMs, progress: linear(atMs) }))
    expect(nextPollDelay({ elapsedMs: 4_000, samples, checks: 3, ...input })).toBe(expected)
  })
})

describe("on the benchmark's job shapes, replayed on a simulated clock", () => {
  // The jobs of `npm run bench`'s waiting section: 18 per shape (three lengths, two draws, three phases).
  const replayed = replayJobs({
    scale: 1,
    repetitions: 0,
    shapeRepetitions: 2,
    phases: 3,
    finishSeconds: [12, 24, 200],
  })
  const shapes = replayed.then(({ shapes: outcomes }) => summarize([], outcomes, 0).shapes)
  /** Shapes whose progress says when they will end; on the others (stalls, no field, jumps, early ends) it cannot. */
  const foretelling = new Set(['smooth', 'queue-then-run', 'string-percent', 'slow-start'])

  it('covers every shape the benchmark plays', async () => {
    expect((await shapes).map((shape) => shape.name)).toEqual([
      'smooth',
      'queue-then-run',
      'stall-99',
      'no-progress',
      'uneven-jumps',
      'string-percent',
      'ends-early',
      'slow-start',
    ])
  })

  it('never makes more checks than a fixed 5 s poller on a job, give or take one, nor on average', async () => {
    const { shapes: outcomes } = await replayed
    const fixed = new Map(outcomes.filter((o) => o.poller === 'fixed5s').map((o) => [o.job, o.requests]))
    for (const { job, requests } of outcomes.filter((o) => o.poller === 'ours')) {
      expect(requests, `${job.shape} job ending at ${job.finishMs} ms`).toBeLessThanOrEqual(fixed.get(job)! + 1)
    }
    for (const { name, pollers } of await shapes) {
      expect(pollers.ours.requests, name).toBeLessThanOrEqual(pollers.fixed5s.requests)
    }
  })

  it('on every shape, notices the end on average no more than half a second after the 5 s poller', async () => {
    for (const { name, pollers } of await shapes) {
      expect(pollers.ours.lagSeconds, name).toBeLessThanOrEqual(pollers.fixed5s.lagSeconds + 0.5)
    }
  })

  it('where progress foretells the end, notices it over a second sooner than the 5 s poller on average', async () => {
    for (const { name, pollers } of (await shapes).filter((shape) => foretelling.has(shape.name))) {
      expect(pollers.ours.lagSeconds, name).toBeLessThan(pollers.fixed5s.lagSeconds - 1)
    }
  })
})

describe('jobTimePrior', () => {
  it('expects the generation times the API reference reports at 480p', () => {
    expect(jobTimePrior({ duration: 1 }).medianMs).toBeCloseTo(12_000, -2)
    expect(jobTimePrior({ duration: 15 }).medianMs).toBeCloseTo(200_000, -3)
    const five = jobTimePrior({ duration: 5 }).medianMs
    expect(five).toBeGreaterThanOrEqual(17_000)
    expect(five).toBeLessThanOrEqual(24_000)
  })

  it('expects longer videos and higher resolutions to take longer', () => {
    const medians = [1, 2, 4, 6, 8, 10, 12, 15].map((d) => jobTimePrior({ duration: d }).medianMs)
    expect(medians).toEqual([...medians].sort((a, b) => a - b))
    const at = (resolution: string) => jobTimePrior({ duration: 6, resolution }).medianMs
    expect(at('720p')).toBeGreaterThan(at('480p'))
    expect(at('1080p')).toBeGreaterThan(at('720p'))
  })

  it("expects an edit to take as long as its input's length does, and is surer when it knows that length", () => {
    const known = (inputSeconds: number) => jobTimePrior({ operation: 'edit', inputSeconds })
    expect(known(8).medianMs).toBeGreaterThan(known(2).medianMs)
    expect(known(3).medianMs).toBeCloseTo(jobTimePrior({ duration: 3 }).medianMs, -2)
    expect(known(3).spread).toBeLessThan(jobTimePrior({ operation: 'edit' }).spread)
    // Not knowing the length, it guesses one between the shortest and the longest input.
    expect(jobTimePrior({ operation: 'edit' }).medianMs).toBeGreaterThan(known(2).medianMs)
    expect(jobTimePrior({ operation: 'edit' }).medianMs).toBeLessThan(known(8).medianMs)
  })

  it('defaults to a generation and is less sure of what it has not measured', () => {
    expect(jobTimePrior({ duration: 6 })).toEqual(jobTimePrior({ duration: 6, operation: 'generate' }))
    const generate = jobTimePrior({ duration: 6 }).spread
    expect(jobTimePrior({ duration: 6, resolution: '720p' }).spread).toBeGreaterThan(generate)
    expect(jobTimePrior({ operation: 'edit' }).spread).toBeGreaterThan(generate)
    expect(jobTimePrior({ operation: 'extend', duration: 6 }).spread).toBeGreaterThan(generate)
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

  it('checks no sooner than the floor when every answer says Retry-After: 0', async () => {
    const pauses: number[] = []
    const { result } = await waitFor('poll-retry-after-0', {
      maxIntervalMs: 5_000,
      sleep: (ms) => Promise.resolve(void pauses.push(ms)),
    })

    await expect(result).resolves.toMatchObject({ state: 'done' })
    expect(session.emulator.polls()).toHaveLength(4)
    // The first pause after create, then one floor per "ready now" instead of a burst of checks.
    expect(pauses).toEqual([5_000, MIN_POLL_DELAY_MS, MIN_POLL_DELAY_MS, MIN_POLL_DELAY_MS])
  })

  it('after a check the step held back (a crowded rate limit), waits at least as long before the next', async () => {
    const HELD_MS = 3_000
    let t = 0
    let held = false
    const pausesAfterHold: number[] = []
    const source: StatusSource = {
      getStatus: () => {
        if (!held && t >= 15_000) {
          held = true
          t += HELD_MS // this check waited that long for its turn
        }
        // Rising 5 % a second, due at 20 s: near the end the schedule wants pauses shorter than the hold.
        const running = { state: 'pending', providerStatus: 'pending', progress: Math.floor(t / 200) } as const
        return Promise.resolve(t >= 20_000 ? ({ state: 'done', providerStatus: 'done' } as const) : running)
      },
    }
    await pollUntilDone(source, 'held', {
      deadline: 60_000,
      maxIntervalMs: 5_000,
      startedAt: 0,
      justCreated: true,
      timeoutSeconds: 60,
      now: () => t,
      sleep: (ms) => {
        if (held) pausesAfterHold.push(ms)
        t += ms
        return Promise.resolve()
      },
    })

    expect(held).toBe(true)
    expect(pausesAfterHold[0]).toBeGreaterThanOrEqual(HELD_MS)
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

/**
 * The pacer shared by a step's requests, on a fake clock: the order and spacing of the starts it allows.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_REQUESTS_PER_SECOND, Pacer } from '../../src/grok/pacer.js'

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 })
})
afterEach(() => {
  vi.useRealTimers()
})

/** Takes a slot per entry (its patience), all at once; resolves to the start times in the order they started. */
async function startsOf(pacer: Pacer, patience: number[], runMs = 60_000) {
  const starts: { index: number; at: number }[] = []
  patience.forEach((ms, index) => void pacer.slot(ms).then(() => starts.push({ index, at: Date.now() })))
  await vi.advanceTimersByTimeAsync(runMs)
  return starts
}

describe('Pacer', () => {
  it('starts requests no closer together than its rate allows, 2 per second by default', async () => {
    const starts = await startsOf(new Pacer(), Array<number>(7).fill(5_000))

    expect(starts).toHaveLength(7)
    const gaps = starts.slice(1).map((s, i) => s.at - starts[i].at)
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000 / DEFAULT_REQUESTS_PER_SECOND)
    // The first goes at once.
    expect(starts[0].at).toBe(1_000_000)
  })

  it('lets the request that can least afford to wait go first, a create before any check', async () => {
    const pacer = new Pacer()
    const starts: string[] = []
    const take = (name: string, patienceMs?: number) => void pacer.slot(patienceMs).then(() => starts.push(name))
    take('first', 5_000)
    take('check every 5 s', 5_000)
    take('check every 1 s', 1_000)
    take('create')
    take('check every 2 s', 2_000)
    await vi.advanceTimersByTimeAsync(10_000)

    // The first leaves at once (nobody else was waiting yet); then the least patient, equals in arrival order.
    expect(starts).toEqual(['first', 'create', 'check every 1 s', 'check every 2 s', 'check every 5 s'])
  })

  it('holds everything through a 429, slows down once per hold, and climbs back as answers come clean', async () => {
    const pacer = new Pacer()
    pacer.hold(3_000)
    pacer.hold(1_000) // a second 429 from the same burst: the longer hold stands, the rate drops once
    const slowed = pacer.requestsPerSecond
    expect(slowed).toBeLessThan(DEFAULT_REQUESTS_PER_SECOND)

    const starts = await startsOf(pacer, [5_000, 5_000])
    expect(starts[0].at).toBe(1_003_000)
    expect(starts[1].at - starts[0].at).toBeGreaterThanOrEqual(1000 / slowed)

    for (let i = 0; i < 100; i++) pacer.answered()
    expect(pacer.requestsPerSecond).toBe(DEFAULT_REQUESTS_PER_SECOND)
  })

  // More checks than 2 a second, yet few enough that each can go within its interval: 20 jobs every 5 s
  // (4 a second wanted), or jobs near their end checking every second among others every 5 s.
  it.each([
    { name: '10 jobs every 5 s', intervals: Array<number>(10).fill(5_000) },
    { name: '20 jobs every 5 s', intervals: Array<number>(20).fill(5_000) },
    { name: '8 jobs every 5 s and 1 every second', intervals: [...Array<number>(8).fill(5_000), 1_000] },
  ])('holds no check longer than its own interval with $name', async ({ intervals }) => {
    const pacer = new Pacer()
    const overdue: number[] = []
    let running = true
    const job = async (intervalMs: number) => {
      await pacer.slot() // the create
      while (running) {
        await new Promise((resolve) => setTimeout(resolve, intervalMs))
        const wanted = Date.now()
        await pacer.slot(intervalMs)
        overdue.push(Date.now() - wanted - intervalMs)
      }
    }
    const all = intervals.map(job)
    await vi.advanceTimersByTimeAsync(120_000)
    running = false
    await vi.advanceTimersByTimeAsync(60_000)
    await Promise.all(all)

    expect(overdue.length).toBeGreaterThan(intervals.length * 5)
    expect(Math.max(...overdue)).toBeLessThanOrEqual(0)
  })
})

import { describe, expect, it } from 'vitest'
import { planNextCheck, type EndDistribution, type PlanInput } from '../src/wait/plan.js'

const INTERVAL = 5_000
const FLOOR = 1_000

/** A belief that the job ends at about `meanMs`, give or take about `sdMs` (a logistic curve). */
function around(meanMs: number, sdMs: number): EndDistribution {
  return (t) => 0.5 * (1 + Math.tanh(((t - meanMs) / sdMs) * 0.8))
}

function plan(more: Partial<PlanInput> & Pick<PlanInput, 'end' | 'nowMs' | 'checks'>): number {
  return planNextCheck({
    intervalMs: INTERVAL,
    periodMs: INTERVAL,
    floorMs: FLOOR,
    mostAhead: 1,
    mayGainLead: true,
    ...more,
  })
}

/** Checks a fixed poller has made by `t`: one right after create, then one every interval. */
const fixedChecksBy = (t: number) => 1 + Math.floor(t / INTERVAL)

describe('planNextCheck', () => {
  it('waits the whole interval while the job has surely not ended by then', () => {
    expect(plan({ end: around(60_000, 2_000), nowMs: 10_000, checks: 2 })).toBe(15_000)
  })

  it('checks right after the moment the job has almost surely ended by, when that is within the interval', () => {
    const at = plan({ end: around(12_000, 100), nowMs: 10_000, checks: 2 })
    expect(at).toBeGreaterThanOrEqual(12_000)
    expect(at).toBeLessThan(13_000)
  })

  it.each([
    { name: 'a sure end soon', end: around(11_500, 200) },
    { name: 'a likely end soon', end: around(12_000, 1_500) },
    { name: 'an unsure end', end: around(20_000, 15_000) },
    { name: 'an end already overdue', end: around(8_000, 1_000) },
  ])('with $name, pauses between the floor and the interval', ({ end }) => {
    for (const checks of [1, 2, 3, 4]) {
      const at = plan({ end, nowMs: 10_000, checks })
      expect(at - 10_000).toBeGreaterThanOrEqual(FLOOR)
      expect(at - 10_000).toBeLessThanOrEqual(INTERVAL)
    }
  })

  it.each([0, 1])('is never more than %i check(s) ahead of the fixed poller, however sure the end', (mostAhead) => {
    // At 11 s the fixed poller has made three checks: from behind it, level with it, or as far ahead as allowed.
    for (let checks = 2; checks <= 3 + mostAhead; checks++) {
      const at = plan({ end: around(12_000, 100), nowMs: 11_000, checks, mostAhead })
      expect(checks + 1 - fixedChecksBy(at)).toBeLessThanOrEqual(mostAhead)
    }
  })

  it.each([10_000, 11_000, 13_500])(
    'when already further ahead than allowed (at %i ms), waits the whole interval to fall back',
    (nowMs) => {
      // Two and three ahead of a fixed poller that has made 1 + floor(now / 5 s) checks.
      for (const extra of [2, 3]) {
        const checks = fixedChecksBy(nowMs) + extra
        expect(plan({ end: around(nowMs + 500, 100), nowMs, checks })).toBe(nowMs + INTERVAL)
      }
    },
  )

  it('while progress sits at its cap, keeps the lead it has but never adds to it', () => {
    const end = around(11_500, 100)
    // Level with the fixed poller at 11 s: no check before its next, at 15 s.
    expect(plan({ end, nowMs: 11_000, checks: 3, mayGainLead: false })).toBeGreaterThanOrEqual(15_000)
    // One ahead: a check is still allowed as soon as the fixed poller checks too (15 s), keeping the lead at one.
    const kept = plan({ end, nowMs: 11_000, checks: 4, mayGainLead: false })
    expect(kept).toBeLessThan(11_000 + INTERVAL)
    expect(4 + 1 - fixedChecksBy(kept)).toBe(1)
    // Free to gain a lead, it checks right after the sure end.
    expect(plan({ end, nowMs: 11_000, checks: 3 })).toBeLessThan(12_500)
  })

  it('spends a check where the end is likely rather than where it is not', () => {
    // The same belief, but the job has been seen running until later: what is left is closer, so sooner.
    const end = around(14_000, 1_500)
    const early = plan({ end, nowMs: 5_000, checks: 1 }) - 5_000
    const late = plan({ end, nowMs: 12_000, checks: 2 }) - 12_000
    expect(early).toBe(INTERVAL)
    expect(late).toBeLessThan(INTERVAL)
  })
})

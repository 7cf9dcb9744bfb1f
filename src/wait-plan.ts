/**
 * Where the next status check goes, given a belief about when the job ends: the first step of the best plan of
 * all the checks to come. The wait (wait.ts) builds the belief from the job's progress and the request; this
 * module only weighs lag against checks.
 *
 * A plan is scored by its expected lag (from the job's end to the check that sees it) plus a price for each
 * check, charged only if the job is still running when the check is made: so checks where the job has likely
 * ended are cheap, and checks where it has surely not are wasted. The price is the one the interval itself
 * implies: checking every I on a job of median length M balances the expected lag I / 2 against the checks
 * over its average time left (M / 2) at a price of I² / M of lag per check. Every plan pauses at most the
 * interval and at least the floor, and is never more than `mostAhead` checks ahead of a fixed poller at the
 * interval (which checks right after create, then every period), so on any job it makes no more checks than
 * that poller, give or take one. The best plan is found by dynamic programming on a grid of the interval.
 */

/** The share of jobs like this one that have ended by a moment (ms since the wait started). */
export type EndDistribution = (atMs: number) => number

export interface PlanInput {
  /** What is believed of the job's end. */
  end: EndDistribution
  /** Milliseconds since the wait started; the job is running now. */
  nowMs: number
  /** Status checks made so far in this wait. */
  checks: number
  /** The longest pause (`poll-interval-seconds`). */
  intervalMs: number
  /** The fixed poller's time between checks: the interval, plus what each check takes. */
  periodMs: number
  /** The shortest pause. */
  floorMs: number
  /** How many checks ahead of the fixed poller the plan may ever be (1: give or take one). */
  mostAhead: number
}

/** Steps each interval is cut into. */
const STEPS_PER_INTERVAL = 20
/** Intervals planned ahead at most; the plan stops sooner once the job has almost surely ended. */
const HORIZON_INTERVALS = 60
/** The share of jobs still running at which the plan stops looking further. */
const HORIZON_ALIVE = 1e-3
/** How far behind the fixed poller the plan keeps count: further behind frees no more checks. */
const LEAST_AHEAD = -2

/** The moment of the next check, in ms since the wait started. */
export function planNextCheck({ end, nowMs, checks, intervalMs, periodMs, floorMs, mostAhead }: PlanInput): number {
  const n = STEPS_PER_INTERVAL
  const step = intervalMs / n
  const endedNow = end(nowMs)
  const alive = 1 - endedNow
  if (!(alive > 1e-9)) return nowMs + intervalMs

  // ended[i]: the share of the jobs running now that have ended by step i; lagTo[i]: the integral of ended[],
  // so that the expected lag of the ends between checks at steps a and b is a difference of two entries.
  const ended: number[] = [0]
  let last = n * HORIZON_INTERVALS
  for (let i = 1; i <= last; i++) {
    ended.push(Math.min(1, Math.max(0, (end(nowMs + i * step) - endedNow) / alive)))
    if (i >= 2 * n && i % n === 0 && 1 - ended[i] < HORIZON_ALIVE) last = i
  }
  const lagTo = new Float64Array(last + 1)
  for (let i = 1; i <= last; i++) lagTo[i] = lagTo[i - 1] + ((ended[i] + ended[i - 1]) / 2) * step
  const lag = (a: number, b: number) => lagTo[b] - lagTo[a] - (b - a) * step * ended[a]

  const price = intervalMs ** 2 / Math.max(intervalMs, medianOf(end))
  const fixedChecksBy = (i: number) => 1 + Math.floor((nowMs + i * step) / periodMs)
  const minSteps = Math.max(1, Math.ceil(floorMs / step))
  const states = mostAhead - LEAST_AHEAD + 1
  const stateOf = (ahead: number) => Math.min(mostAhead, Math.max(LEAST_AHEAD, ahead)) - LEAST_AHEAD

  // cost[i·states + s]: the least expected lag and price from a check at step i, `s` ahead after it, onwards.
  // Past the horizon, a job still running is taken to be seen half an interval late.
  const cost = new Float64Array((last + 1) * states)
  const next = new Int32Array((last + 1) * states)
  for (let s = 0; s < states; s++) cost[last * states + s] = (1 - ended[last]) * (intervalMs / 2)
  for (let i = last - 1; i >= 0; i--) {
    const charge = price * (1 - ended[i])
    for (let s = 0; s < states; s++) {
      const ahead = s + LEAST_AHEAD
      let best = Infinity
      let bestStep = Math.min(last, i + n)
      for (let k = Math.min(last, i + n); k >= i + minSteps; k--) {
        const after = ahead + 1 - (fixedChecksBy(k) - fixedChecksBy(i))
        if (after > mostAhead) continue
        const total = lag(i, k) + charge + cost[k * states + stateOf(after)]
        if (total < best) {
          best = total
          bestStep = k
        }
      }
      // When even the interval would take the plan too far ahead (the fixed poller's checks were slower than
      // planned), the interval still bounds the pause.
      if (best === Infinity) best = lag(i, bestStep) + charge + cost[bestStep * states + stateOf(mostAhead)]
      cost[i * states + s] = best
      next[i * states + s] = bestStep
    }
  }
  return nowMs + next[stateOf(checks - fixedChecksBy(0))] * step
}

/** The moment by which half the jobs like this one have ended. */
function medianOf(end: EndDistribution): number {
  let low = 0
  let high = 1_000
  while (end(high) < 0.5 && high < 1e10) high *= 2
  while (high - low > 1) {
    const mid = (low + high) / 2
    if (end(mid) >= 0.5) high = mid
    else low = mid
  }
  return high
}

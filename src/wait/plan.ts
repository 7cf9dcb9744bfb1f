/**
 * Where the next status check goes, given a belief about when the job ends: the first step of the best plan of
 * all the checks to come. belief.ts builds the belief from the job's progress and the request; this module only
 * weighs lag against checks.
 *
 * A plan is scored by its expected lag (from the job's end to the check that sees it) plus a price for each
 * check, charged only if the job is still running when the check is made: so checks where the job has likely
 * ended are cheap, and checks where it has surely not are wasted. The price follows from the interval: checking
 * every I over a job of length M costs a lag of I / 2 and M / I checks, which is least for that I at a price of
 * I² / 2M of lag per check. The plan pays twice that, I² / M: at I² / 2M itself, plans for jobs that report no
 * progress made more checks than the fixed poller (docs/performance.md keeps the replay's figures).
 * Every plan pauses at most the interval and at least the floor, and is never more than `mostAhead` checks ahead
 * of a fixed poller at the interval (which checks right after create, then every period), so on any job it makes
 * no more checks than that poller, give or take one; while progress sits at its cap, no check adds to the lead.
 * The best plan is found by dynamic programming on a grid of the interval.
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
  /**
   * False while progress sits at its cap (the job is finishing, but not saying when): no check then takes the plan
   * further ahead of the fixed poller than it already is.
   */
  mayGainLead: boolean
}

/** Steps each interval is cut into. */
const STEPS_PER_INTERVAL = 20
/** Intervals planned ahead at most; the plan stops sooner once the job has almost surely ended. */
const HORIZON_INTERVALS = 60
/** The share of jobs still running at which the plan stops looking further. */
const HORIZON_ALIVE = 1e-3
/**
 * How far behind the fixed poller the plan keeps count. Further behind is counted as this far: a cautious cut-off
 * that lets a job that fell behind (a held check, a slow answer) catch up by two quick checks at most.
 */
const LEAST_AHEAD = -2

/** The moment of the next check, in ms since the wait started. */
export function planNextCheck(input: PlanInput): number {
  const { end, nowMs, checks, intervalMs, periodMs, floorMs } = input
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

  const fixedChecksBy = (i: number) => 1 + Math.floor((nowMs + i * step) / periodMs)
  const aheadNow = checks - fixedChecksBy(0)
  const mostAhead = input.mayGainLead ? input.mostAhead : Math.min(input.mostAhead, Math.max(0, aheadNow))
  // Already further ahead than allowed (the fixed poller's checks turned out slower than planned): only the
  // longest pause lets it fall back.
  if (aheadNow > mostAhead) return nowMs + intervalMs
  const price = intervalMs ** 2 / Math.max(intervalMs, medianOf(end))
  const minSteps = Math.max(1, Math.ceil(floorMs / step))
  const states = mostAhead - LEAST_AHEAD + 1
  const stateOf = (ahead: number) => Math.min(mostAhead, Math.max(LEAST_AHEAD, ahead)) - LEAST_AHEAD

  // cost[i·states + s]: the least expected lag and price from a check at step i, `s` ahead after it, onwards.
  // Every plan ends with a check at the horizon; what is left there (a job still running, seen half an interval
  // late on average) costs all plans alike and only keeps the sum finite.
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
      // From a state the plan only reaches at the limit, when even the interval would take it further ahead,
      // the interval still bounds the pause.
      if (best === Infinity) best = lag(i, bestStep) + charge + cost[bestStep * states + stateOf(mostAhead)]
      cost[i * states + s] = best
      next[i * states + s] = bestStep
    }
  }
  return nowMs + next[stateOf(aheadNow)] * step
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

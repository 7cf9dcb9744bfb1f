/**
 * How well any schedule could do on three shapes whose progress does not say when they end, if it knew how the
 * benchmark draws their ends (which the action cannot know): within ±10 % of the nominal time plus a phase
 * (no-progress); a stall of 10–20 s after a run whose length progress shows (stall-99); an end at 70–95 % of the
 * time the shown rate would take to 100 % (ends-early). The schedule keeps the action's rules: pauses of 1–5 s,
 * never more than one check ahead of a fixed 5 s poller at any moment, and over a shape's jobs no more checks on
 * average than that poller. The best such schedule is found by dynamic programming with a price on each check,
 * the price raised until the shape's checks fit. A last row plays no-progress for a schedule told only what the
 * action knows (its prior), for comparison with the wait's own figure. `npm run bench -- --only=bound` (about 25 s).
 * Unlike src/wait/plan.ts, which plans online from one belief at the price the interval implies, this plans a whole
 * schedule offline and prices checks to the fixed poller's count.
 */
import { jobTimePrior, priorEstimate } from '../src/wait/prior.ts'
import { INTERVAL_MS } from '../test/harness/job-shapes.ts'
import { mean } from '../test/harness/stats.ts'
import { fixedPollerOn } from '../test/harness/wait-replay.ts'

/** The grid the schedule's checks are placed on. */
const STEP_MS = 100
const STEPS = INTERVAL_MS / STEP_MS
const FLOOR_STEPS = 1_000 / STEP_MS
/** Checks ahead of the fixed poller allowed at any moment, and the most behind it that is tracked. */
const MOST_AHEAD = 1
const LEAST_AHEAD = -2
const NOMINAL_MS = [12_000, 24_000, 200_000]
const PHASES = 3
/** Points per drawn quantity the schedule is told (a run's length, a rate), evenly spread over its range. */
const DRAWS = 8

interface Outcome {
  lagSeconds: number
  checks: number
}

/** Ends a schedule cannot tell apart: equally likely uniform ranges [from, to] (ms after create). */
type Case = readonly (readonly [from: number, to: number])[]

/** The share of the case's ends at or before `t`. */
const shareBy = (ends: Case) => (t: number) =>
  mean(ends.map(([from, to]) => Math.min(1, Math.max(0, (t - from) / (to - from)))))

/** Ends spread evenly over the case, to play a schedule through. */
const samplesOf = (ends: Case) => ends.flatMap(([from, to]) => spread(from, to, 200))

/** The checks a fixed poller makes (right after create, then every interval) and its lag, over the case. */
function fixedPoller(ends: Case): Outcome {
  const played = samplesOf(ends).map((end) => fixedPollerOn(end, INTERVAL_MS))
  return { lagSeconds: mean(played.map((p) => p.lagSeconds)), checks: mean(played.map((p) => p.checks)) }
}

/**
 * The best schedule for ends believed to fall as `belief` says (the share ended by a moment), with `price` (ms of
 * lag) charged per check made, played over the case's ends.
 */
function bestSchedule(belief: (atMs: number) => number, ends: Case, price: number): Outcome {
  // Beyond three times the latest end, the belief's tail no longer moves an earlier check.
  const last = Math.ceil((3 * Math.max(...ends.map(([, to]) => to))) / STEP_MS) + STEPS
  // alive[i]: the share of ends after step i; endSum[i]: the sum of the ends up to step i, as a share.
  const alive = new Float64Array(last + STEPS + 1)
  const endSum = new Float64Array(last + STEPS + 1)
  for (let i = 0; i <= last + STEPS; i++) {
    alive[i] = 1 - belief(i * STEP_MS)
    endSum[i] = i === 0 ? 0 : endSum[i - 1] + (alive[i - 1] - alive[i]) * (i - 0.5) * STEP_MS
  }
  // The lag, over all ends, of the ends between a check at step a and the next at step b.
  const lag = (a: number, b: number) => (alive[a] - alive[b]) * b * STEP_MS - (endSum[b] - endSum[a])
  const fixedBy = (i: number) => 1 + Math.floor(i / STEPS)
  const states = MOST_AHEAD - LEAST_AHEAD + 1
  const cost = new Float64Array((last + STEPS + 1) * states)
  const next = new Int32Array((last + STEPS + 1) * states)
  for (let i = last - 1; i >= 0; i--) {
    for (let s = 0; s < states; s++) {
      let best = Infinity
      let bestK = i + STEPS
      for (let k = i + FLOOR_STEPS; k <= i + STEPS; k++) {
        const ahead = Math.max(LEAST_AHEAD, s + LEAST_AHEAD + 1 - (fixedBy(k) - fixedBy(i)))
        if (ahead > MOST_AHEAD) continue
        const total = lag(i, k) + price * alive[i] + cost[k * states + ahead - LEAST_AHEAD]
        if (total < best) {
          best = total
          bestK = k
        }
      }
      cost[i * states + s] = best
      next[i * states + s] = bestK
    }
  }
  const played = samplesOf(ends).map((end) => {
    let step = 0
    let ahead = -1
    let checks = 0
    while (step * STEP_MS < end) {
      const k = next[step * states + ahead - LEAST_AHEAD]
      ahead = Math.max(LEAST_AHEAD, ahead + 1 - (fixedBy(k) - fixedBy(step)))
      step = k
      checks++
    }
    return { lag: step * STEP_MS - end, checks }
  })
  return { lagSeconds: mean(played.map((p) => p.lag)) / 1000, checks: mean(played.map((p) => p.checks)) }
}

/** Evenly spread points of [from, to]. */
const spread = (from: number, to: number, count = DRAWS) =>
  Array.from({ length: count }, (_, i) => from + ((to - from) * (i + 0.5)) / count)
const phaseShifts = Array.from({ length: PHASES }, (_, p) => (p * INTERVAL_MS) / PHASES)

/** A case the schedule tells apart: the ends it is played over, and what it believes of them. */
interface Known {
  ends: Case
  belief: (atMs: number) => number
}
const knowing = (ends: Case): Known => ({ ends, belief: shareBy(ends) })
/** The video lengths the nominal times stand for (as in test/harness/job-shapes.ts). */
const DURATION_FOR_NOMINAL: Record<number, number> = { 12_000: 1, 24_000: 5, 200_000: 15 }

/** Ends drawn as the no-progress shape draws them for one nominal time: ±10 %, then the phase. */
const noProgressEnds = (nominal: number): Case => phaseShifts.map((p) => [0.9 * nominal + p, 1.1 * nominal + p])

/**
 * Each row: a shape's jobs as the cases a schedule tells apart (each case the ends it cannot tell apart), and
 * what it believes of them: the benchmark's own draws, or (the last row) only what the action knows.
 */
const ROWS: Record<string, () => Known[]> = {
  // Nothing to tell apart but the video's length.
  'no-progress': () => NOMINAL_MS.map((nominal) => knowing(noProgressEnds(nominal))),
  // The run's length shows in the rate of progress; the stall after it does not.
  'stall-99': () =>
    NOMINAL_MS.flatMap((nominal) =>
      spread(0.9 * nominal, 1.1 * nominal).flatMap((run) =>
        phaseShifts.map((p) => knowing([[run + p + 10_000, run + p + 20_000]])),
      ),
    ),
  // The rate shows when progress would reach 100 %; where before that the job ends does not.
  'ends-early': () =>
    NOMINAL_MS.flatMap((nominal) =>
      spread(0.9 * nominal, 1.1 * nominal).flatMap((end) =>
        phaseShifts.flatMap((p) =>
          spread(70, 95, 4).map((last) => {
            const toHundred = ((end + p) * 100) / last
            return knowing([[0.7 * toHundred, 0.95 * toHundred]])
          }),
        ),
      ),
    ),
  // The same no-progress jobs, for a schedule that believes only the action's prior (the API reference's times).
  'no-progress, believing the prior': () =>
    NOMINAL_MS.map((nominal) => ({
      ends: noProgressEnds(nominal),
      belief: priorEstimate(jobTimePrior({ duration: DURATION_FOR_NOMINAL[nominal] })),
    })),
}

export interface BoundFigures {
  name: string
  best: Outcome
  fixed5s: Outcome
}

/** The best schedule's lag and checks per row, against the fixed 5 s poller's over the same ends. */
export function boundShapes(): BoundFigures[] {
  return Object.entries(ROWS).map(([name, cases]) => {
    const all = cases()
    const fixed = all.map(({ ends }) => fixedPoller(ends))
    const fixed5s = { lagSeconds: mean(fixed.map((f) => f.lagSeconds)), checks: mean(fixed.map((f) => f.checks)) }
    const at = (price: number) => {
      const outcomes = all.map(({ belief, ends }) => bestSchedule(belief, ends, price))
      return { lagSeconds: mean(outcomes.map((o) => o.lagSeconds)), checks: mean(outcomes.map((o) => o.checks)) }
    }
    // The lowest price (ms of lag per check) at which the row's checks are within the fixed poller's.
    let low = 0
    let high = 4 * INTERVAL_MS
    let best = at(high)
    for (let i = 0; i < 12; i++) {
      const price = (low + high) / 2
      const tried = at(price)
      if (tried.checks <= fixed5s.checks) {
        best = tried
        high = price
      } else low = price
    }

    return { name, best, fixed5s }
  })
}

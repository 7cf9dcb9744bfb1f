/**
 * What the request says of a job's total time before any progress is seen: a log-normal belief from the video's
 * length, resolution and operation, with a broad tail for the jobs that take far longer than any of that says.
 */
import type { EndDistribution } from './plan.js'
import { normalCdf, normalDensity } from './statistics.js'

export type Operation = 'generate' | 'edit' | 'extend'

/** What the request says about the job's size. */
export interface JobHint {
  operation?: Operation
  /** The request's `duration`: seconds of video (for `extend`: the seconds added). */
  duration?: number
  resolution?: string
  /** The input video's length, when known: an edit remakes that many seconds (an extension only reads it). */
  inputSeconds?: number
}

/** A log-normal belief about a job's total time. */
export interface JobTimePrior {
  medianMs: number
  /** Standard deviation of the time's natural logarithm. */
  spread: number
}

/**
 * Generation times observed at 480p (docs/provider-api.md, Timing and price): 1 s of video ≈ 12 s, 5 s ≈ 17–24 s,
 * 15 s ≈ 195–201 s.
 * Between them the time is interpolated on a log-log scale.
 */
const OBSERVED_GENERATION_MS: readonly (readonly [videoSeconds: number, jobMs: number])[] = [
  [1, 12_000],
  [5, 20_000],
  [15, 200_000],
]
/** How far one job strays from the observed times: 5 s took 17–24 s, about ±20 %. */
const GENERATION_SPREAD = 0.2
/**
 * Unmeasured, so assumed: more pixels take longer, though less than in proportion; the spread widens to say so.
 * Factor on the time, and the spread added.
 */
const RESOLUTION_EFFECT: Record<string, readonly [factor: number, spread: number]> = {
  '480p': [1, 0],
  '720p': [1.5, 0.3],
  '1080p': [2.2, 0.4],
}
/**
 * An edit remakes its input at the input's length (up to 8.7 s). Unmeasured, so wider than a generation; wider
 * still when the length is unknown (an input by URL): then a mid-length guess.
 */
const EDIT_SPREAD = 0.4
const EDIT_GUESS_SECONDS = 5
const EDIT_UNKNOWN_LENGTH_SPREAD = 0.6
/**
 * An extension generates the added seconds (default 6) and reads its input first: a little longer, wider. Its
 * input is read, not generated, so the input's length is taken to change little.
 */
const EXTEND_DEFAULT_SECONDS = 6
const EXTEND_FACTOR = 1.2
const EXTEND_SPREAD = 0.4
/** The video length assumed when the request gives none (the action's default). */
const DEFAULT_VIDEO_SECONDS = 1

/** The prior on a job's total time, from what its request says. */
export function jobTimePrior(hint: JobHint = {}): JobTimePrior {
  const operation = hint.operation ?? 'generate'
  const [factor, resolutionSpread] = RESOLUTION_EFFECT[hint.resolution ?? '480p'] ?? RESOLUTION_EFFECT['720p']
  let seconds = hint.duration ?? DEFAULT_VIDEO_SECONDS
  let extraFactor = 1
  let operationSpread = 0
  if (operation === 'edit') {
    seconds = hint.inputSeconds ?? EDIT_GUESS_SECONDS
    operationSpread = hint.inputSeconds === undefined ? EDIT_UNKNOWN_LENGTH_SPREAD : EDIT_SPREAD
  } else if (operation === 'extend') {
    seconds = hint.duration ?? EXTEND_DEFAULT_SECONDS
    extraFactor = EXTEND_FACTOR
    operationSpread = EXTEND_SPREAD
  }
  return {
    medianMs: generationMs(seconds) * factor * extraFactor,
    spread: Math.hypot(GENERATION_SPREAD, resolutionSpread, operationSpread),
  }
}

/** Log-log interpolation through the observed times, extended along the end segments. */
function generationMs(videoSeconds: number): number {
  const points = OBSERVED_GENERATION_MS
  const x = Math.log(Math.min(15, Math.max(1, videoSeconds)))
  let i = 0
  while (i < points.length - 2 && x > Math.log(points[i + 1][0])) i++
  const [[x0, y0], [x1, y1]] = [points[i], points[i + 1]].map(([s, ms]) => [Math.log(s), Math.log(ms)])
  return Math.exp(y0 + ((x - x0) * (y1 - y0)) / (x1 - x0))
}

/**
 * Some jobs take far longer than any prior says (a long queue, a slow encode, an outage). This share of belief
 * goes to a broad component, so a job that has outlived its prior is not expected to end at every next moment.
 */
const PRIOR_TAIL_WEIGHT = 0.1
const PRIOR_TAIL_SPREAD = 1
const PRIOR_TAIL_FACTOR = 2

/** The share of jobs with this prior that have ended by a moment (ms after create). */
export function priorEstimate(prior: JobTimePrior): EndDistribution {
  const parts = priorParts(prior)
  return (t) => (t <= 0 ? 0 : parts.reduce((sum, [weight, z]) => sum + weight * normalCdf(z(t)), 0))
}

/** The prior's density (per ms). */
export function priorDensity(prior: JobTimePrior): (atMs: number) => number {
  const parts = priorParts(prior)
  return (t) =>
    t <= 0 ? 0 : parts.reduce((sum, [weight, z, spread]) => sum + (weight * normalDensity(z(t))) / (t * spread), 0)
}

/** The prior as log-normal parts: weight, the standard score of a moment, and the spread. */
function priorParts(prior: JobTimePrior): [weight: number, z: (t: number) => number, spread: number][] {
  const tailMedian = prior.medianMs * PRIOR_TAIL_FACTOR
  return [
    [1 - PRIOR_TAIL_WEIGHT, (t) => Math.log(t / prior.medianMs) / prior.spread, prior.spread],
    [PRIOR_TAIL_WEIGHT, (t) => Math.log(t / tailMedian) / PRIOR_TAIL_SPREAD, PRIOR_TAIL_SPREAD],
  ]
}

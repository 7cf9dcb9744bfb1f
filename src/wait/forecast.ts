/**
 * What the job's own progress reports say of its end: a line fitted through the recent reports (a parabola, once
 * the rate keeps rising beyond doubt) says when progress should reach 100 %, with an uncertainty from the reports'
 * scatter and the rate's own error and drift. Where progress says nothing (no report above 0 %, a stall the line
 * did not foresee, an estimate long past) there is no forecast, and the prior speaks alone.
 */
import { leastSquaresLine, leastSquaresParabola, type Point } from './statistics.js'

export interface ProgressSample {
  /** Milliseconds since the job started. */
  atMs: number
  progress: number
}

export interface Forecast {
  /** When progress reaches 100 %, ms since the wait started, and its standard deviation. */
  mean: number
  sd: number
}

/** Recent reports the progress rate is fitted over: enough to smooth the jitter, few enough to follow a curve. */
const RATE_WINDOW = 10
/** Progress moves in whole percent: a rise smaller than this may not show. */
const PROGRESS_STEP = 1
/**
 * Rounded to whole percent, a report is off by up to half a percent (a variance of 1/12) even when the
 * provider's own figure is exact. Before the reports' scatter says more, a report is taken to carry the noise of
 * a percent, with the weight of this many reports.
 */
const ROUNDING_VARIANCE = 1 / 12
const PROGRESS_NOISE_GUESS = 1
const NOISE_GUESS_WEIGHT = 2
/**
 * A rate that keeps rising (a slow start) is extrapolated along a parabola, once the curvature stands out from
 * the noise by this many standard deviations over at least this many reports.
 */
const CURVATURE_SIGMAS = 2
const CURVATURE_MIN_REPORTS = 4
/** A stall is a shortfall of the expected rise beyond this many standard deviations of the reports' noise. */
const STALL_SIGMAS = 3
/** An estimate whose end passed this many standard deviations ago, with the job still running, is refuted. */
const REFUTED_SIGMAS = 3

/**
 * When progress should reach 100 %, as a normal distribution, or undefined when progress says nothing: it has
 * not left 0 %, it does not rise, it stalled where the fitted rate expected a rise, or its estimate has passed.
 */
export function progressForecast(
  samples: readonly ProgressSample[],
  nowMs: number,
  startKnown: boolean,
): Forecast | undefined {
  const firstMoving = samples.findIndex((s) => s.progress > 0)
  if (firstMoving < 0) return undefined
  const moving = samples.slice(firstMoving)
  const highest = Math.max(...moving.map((m) => m.progress))
  const highAt = moving.findIndex((s) => s.progress === highest)
  const lastZeroAt = firstMoving > 0 ? samples[firstMoving - 1].atMs : 0

  // The rate is fitted up to the first report of the highest progress, so a stall does not flatten it.
  const rising = moving.slice(0, highAt + 1)
  const window = rising.slice(-RATE_WINDOW)
  // One report gives a rate only from when the job started: the wait's start, or a report of 0 % seen since.
  if (window.length === 1 && firstMoving === 0 && !startKnown) return undefined
  const fit = fitProgressLine(window, lastZeroAt)
  if (!fit) return undefined
  const last = moving[moving.length - 1]
  const expectedRise = fit.rate * (last.atMs - rising[rising.length - 1].atMs)
  if (expectedRise > STALL_SIGMAS * fit.noise + PROGRESS_STEP) return undefined

  const forecast = acceleratingForecast(window) ?? lineForecast(fit)
  return nowMs > forecast.mean + REFUTED_SIGMAS * forecast.sd ? undefined : forecast
}

interface ProgressLine {
  /** Percent per millisecond, and its variance. */
  rate: number
  rateVariance: number
  /** The fitted progress at the last report (less noisy than the report itself), and its variance. */
  progressAtLast: number
  progressVariance: number
  lastAtMs: number
  /** Standard deviation of one report around the line. */
  noise: number
}

/** Where the fitted line reaches 100 %, its uncertainty from the line's level and rate. */
function lineForecast(fit: ProgressLine): Forecast {
  const remaining = (100 - fit.progressAtLast) / fit.rate
  const variance = (fit.progressVariance + remaining ** 2 * fit.rateVariance) / fit.rate ** 2
  return { mean: fit.lastAtMs + remaining, sd: Math.max(1, Math.sqrt(variance)) }
}

/**
 * Where a parabola through the reports reaches 100 %, when the rate has been rising beyond doubt: a line through
 * a rate that keeps rising comes late. A rate that falls is left to the line, which then comes early: a check
 * too soon is one the budget allows, a late one is lag.
 */
function acceleratingForecast(window: readonly ProgressSample[]): Forecast | undefined {
  const n = window.length
  if (n < CURVATURE_MIN_REPORTS) return undefined
  const last = window[n - 1]
  // Seconds before the last report, so the sums stay well scaled.
  const points = window.map((s) => ({ x: (s.atMs - last.atMs) / 1000, y: s.progress }))
  const fit = leastSquaresParabola(points)
  if (!fit) return undefined
  const [c0, c1, c2] = fit.coefficients
  const noiseVariance = pooledNoiseVariance(fit.residualSquares, n - 3)
  const curvatureSd = Math.sqrt(fit.inverse[2][2] * noiseVariance)
  if (!(c2 > CURVATURE_SIGMAS * curvatureSd)) return undefined
  // Seconds after the last report at which c0 + c1 u + c2 u² = 100 (with c2 > 0, the one root past it).
  const toGo = (-c1 + Math.sqrt(c1 ** 2 - 4 * c2 * (c0 - 100))) / (2 * c2)
  if (!(toGo > 0)) return undefined
  // The time's sensitivity to each coefficient, through the covariance of the fit.
  const slopeThen = c1 + 2 * c2 * toGo
  const gradient = [1, toGo, toGo ** 2].map((x) => -x / slopeThen)
  let variance = 0
  for (const [i, gi] of gradient.entries()) {
    for (const [j, gj] of gradient.entries()) variance += gi * fit.inverse[i][j] * gj * noiseVariance
  }
  return { mean: last.atMs + toGo * 1000, sd: Math.max(1, Math.sqrt(variance) * 1000) }
}

/**
 * The noise of one report: the reports' own scatter (`residualSquares` over `degreesOfFreedom`) pooled with the
 * prior guess of a percent, never below the rounding to whole percent.
 */
function pooledNoiseVariance(residualSquares: number, degreesOfFreedom: number): number {
  const pooled =
    (NOISE_GUESS_WEIGHT * PROGRESS_NOISE_GUESS ** 2 + residualSquares) /
    (NOISE_GUESS_WEIGHT + Math.max(0, degreesOfFreedom))
  return Math.max(ROUNDING_VARIANCE, pooled)
}

/** Reports as points of time (x, ms) and progress (y). */
const asPoints = (samples: readonly ProgressSample[]): Point[] => samples.map((s) => ({ x: s.atMs, y: s.progress }))

/**
 * A least-squares line through the reports, its uncertainty from their scatter (pooled with the reporting noise)
 * and, with three reports or more, from how much the rate moved between the older and the newer half. From a
 * single report: the rate since progress left 0 %, somewhere between the last report of 0 % and this one.
 */
function fitProgressLine(window: readonly ProgressSample[], lastZeroAt: number): ProgressLine | undefined {
  const last = window[window.length - 1]
  const n = window.length
  if (n === 1) {
    const startedAt = (lastZeroAt + last.atMs) / 2
    const elapsed = last.atMs - startedAt
    if (!(elapsed > 0)) return undefined
    const rate = last.progress / elapsed
    // The start is anywhere in [lastZeroAt, atMs]: a uniform spread of width 2 × elapsed.
    const startVariance = (2 * elapsed) ** 2 / 12
    return {
      rate,
      rateVariance: (rate / elapsed) ** 2 * startVariance,
      progressAtLast: last.progress,
      progressVariance: PROGRESS_NOISE_GUESS ** 2,
      lastAtMs: last.atMs,
      noise: PROGRESS_NOISE_GUESS,
    }
  }
  const line = leastSquaresLine(asPoints(window))
  if (!line) return undefined
  const { slope: rate, meanX: meanT, meanY: meanP, sxx } = line
  if (!(rate > 0)) return undefined
  const residuals = window.map((s) => s.progress - (meanP + rate * (s.atMs - meanT)))
  const noiseVariance = pooledNoiseVariance(
    residuals.reduce((a, r) => a + r * r, 0),
    n - 2,
  )
  let rateVariance = noiseVariance / sxx
  if (n >= 3) {
    // A curve, not jitter: the rate over the newer reports differs from the rate over the older ones.
    const half = Math.floor(n / 2)
    const older = leastSquaresLine(asPoints(window.slice(0, half + 1)))?.slope
    const newer = leastSquaresLine(asPoints(window.slice(half)))?.slope
    if (older !== undefined && newer !== undefined) rateVariance += ((newer - older) / 2) ** 2
  }
  return {
    rate,
    rateVariance,
    progressAtLast: Math.min(100, meanP + rate * (last.atMs - meanT)),
    progressVariance: noiseVariance * (1 / n + (last.atMs - meanT) ** 2 / sxx),
    lastAtMs: last.atMs,
    noise: Math.sqrt(noiseVariance),
  }
}

/**
 * The wait loop: check a job's status until it finishes or the deadline passes, choosing when to check next
 * from a model of the job, and saying what is happening so a ten-minute wait is not silent.
 *
 * The model: the job ends at an unknown moment. While progress moves, a line fitted through its recent reports
 * (a parabola, once the rate keeps rising beyond doubt) says when it should reach 100 %, with an uncertainty from
 * the reports' scatter and the rate's own error and drift. A prior on the job's total time from the video's
 * length, resolution and operation says how long such a job takes; the two are weighed together, and where
 * progress says nothing (no field, a queue at 0 %, a stall the line did not foresee) the prior speaks alone. From
 * that belief wait-plan.ts places the next check: where the job has likely ended, never more than one check ahead
 * of a fixed poller at `poll-interval-seconds` (which checks right after create, then every interval).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { TimedOutError } from './errors.js'
import { planNextCheck, type EndDistribution } from './wait-plan.js'
import type { PollContext, VideoStatus } from './grok/normalize.js'

export interface ProgressSample {
  /** Milliseconds since the job started. */
  atMs: number
  progress: number
}

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

export interface ScheduleInput {
  /** Milliseconds since the wait started (the job's start, right after create). */
  elapsedMs: number
  /** Every progress report so far, 0 % included, oldest first. */
  samples: readonly ProgressSample[]
  /** Status checks made so far in this wait. */
  checks: number
  /** `poll-interval-seconds`: the longest pause allowed, and the fixed poller the budget is counted against. */
  maxIntervalMs: number
  /** The shortest pause, so a wrong estimate cannot turn into a burst of requests (default 1 s). */
  minIntervalMs?: number
  /** The server's `Retry-After`, which wins over everything but the floor. */
  retryAfterMs?: number
  /** The job's expected total time, when it started at the wait's start. */
  prior?: JobTimePrior
  /**
   * How much later than planned a check is answered, on average (the request's own time, a timer's lateness): a
   * fixed poller, which sleeps the interval between checks, has its checks an interval plus that apart.
   */
  overheadMs?: number
}

/** The default shortest pause between two checks. */
export const MIN_POLL_DELAY_MS = 1_000

/**
 * Generation times the API reference reports at 480p: 1 s of video ≈ 12 s, 5 s ≈ 17–24 s, 15 s ≈ 195–201 s.
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
/** The highest progress a running job reports. */
const PROGRESS_CAP = 99
/** A stall is a shortfall of the expected rise beyond this many standard deviations of the reports' noise. */
const STALL_SIGMAS = 3
/** An estimate whose end passed this many standard deviations ago, with the job still running, is refuted. */
const REFUTED_SIGMAS = 3
/**
 * When to check next, in milliseconds from now. `Retry-After` wins over all but the floor; otherwise the first
 * step of the best plan for what the model believes (wait-plan.ts): never longer than the interval, never shorter
 * than the floor, and never more than one check ahead of a fixed poller at the interval.
 */
export function nextPollDelay({
  elapsedMs,
  samples,
  checks,
  maxIntervalMs,
  minIntervalMs = MIN_POLL_DELAY_MS,
  retryAfterMs,
  prior,
  overheadMs = 0,
}: ScheduleInput): number {
  const floor = Math.min(minIntervalMs, maxIntervalMs)
  // The server's word is a lower bound: `Retry-After: 0` means ready, not "check in a loop".
  if (retryAfterMs !== undefined) return Math.max(floor, retryAfterMs)
  // An interval at the floor leaves nothing to choose.
  if (floor >= maxIntervalMs) return maxIntervalMs
  // Without a prior the job's start is unknown (a resumed job), so a single report gives no rate.
  const forecast = progressForecast(samples, elapsedMs, prior !== undefined)
  const end = forecast
    ? prior
      ? posteriorEstimate(prior, forecast)
      : forecastEstimate(forecast)
    : prior && priorEstimate(prior)
  if (!end) return maxIntervalMs
  const at = planNextCheck({
    end,
    nowMs: elapsedMs,
    checks,
    intervalMs: maxIntervalMs,
    periodMs: maxIntervalMs + overheadMs,
    floorMs: floor,
    mostAhead: 1,
    mayGainLead: !atProgressCap(samples),
  })
  return Math.round(Math.min(maxIntervalMs, Math.max(floor, at - elapsedMs)))
}

/**
 * Providers report at most 99 % until the job is done, so at the cap progress says the job is finishing, not
 * when: no check that would put the wait further ahead of the fixed poller is bet on it.
 */
const atProgressCap = (samples: readonly ProgressSample[]) =>
  (samples[samples.length - 1]?.progress ?? 0) >= PROGRESS_CAP

/** The share of jobs with this prior that have ended by a moment (ms after create). */
export function priorEstimate(prior: JobTimePrior): EndDistribution {
  const parts = priorParts(prior)
  return (t) => (t <= 0 ? 0 : parts.reduce((sum, [weight, z]) => sum + weight * normalCdf(z(t)), 0))
}

/** The prior's density (per ms). */
function priorDensity(prior: JobTimePrior): (atMs: number) => number {
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

/** What progress alone says: the forecast as a normal distribution of the end. */
function forecastEstimate({ mean, sd }: Forecast): EndDistribution {
  return (t) => (t <= 0 ? 0 : normalCdf((t - mean) / sd))
}

/** Points the belief from progress and prior together is tabulated at. */
const POSTERIOR_POINTS = 400
/** How many standard deviations of the forecast either side of its mean the belief is tabulated over. */
const POSTERIOR_SIGMAS = 6

/**
 * What progress and the prior say together (Bayes' rule: the prior's density times the forecast's, taken as the
 * likelihood of each end time): a forecast from a few reports is wide, and the prior then narrows it.
 */
function posteriorEstimate(prior: JobTimePrior, forecast: Forecast): EndDistribution {
  const { mean, sd } = forecast
  const from = Math.max(0, mean - POSTERIOR_SIGMAS * sd)
  const step = (mean + POSTERIOR_SIGMAS * sd - from) / POSTERIOR_POINTS
  const priorAt = priorDensity(prior)
  const density = (t: number) => priorAt(t) * normalDensity((t - mean) / sd)
  const sums = new Float64Array(POSTERIOR_POINTS + 1)
  let previous = density(from)
  for (let i = 1; i <= POSTERIOR_POINTS; i++) {
    const current = density(from + i * step)
    sums[i] = sums[i - 1] + ((previous + current) / 2) * step
    previous = current
  }
  const total = sums[POSTERIOR_POINTS]
  // A forecast far out in the prior's tail leaves nothing to weigh: the forecast alone.
  if (!(total > 0)) return forecastEstimate(forecast)
  return (t) => {
    const x = (t - from) / step
    if (x <= 0) return 0
    if (x >= POSTERIOR_POINTS) return 1
    const i = Math.floor(x)
    return (sums[i] + (sums[i + 1] - sums[i]) * (x - i)) / total
  }
}

/**
 * When progress should reach 100 %, as a normal distribution, or undefined when progress says nothing: it has
 * not left 0 %, it does not rise, it stalled where the fitted rate expected a rise, or its estimate has passed.
 */
function progressForecast(
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
  const fit = fitLine(window, lastZeroAt)
  if (!fit) return undefined
  const last = moving[moving.length - 1]
  const expectedRise = fit.rate * (last.atMs - rising[rising.length - 1].atMs)
  if (expectedRise > STALL_SIGMAS * fit.noise + PROGRESS_STEP) return undefined

  const forecast = acceleratingForecast(window) ?? lineForecast(fit)
  return nowMs > forecast.mean + REFUTED_SIGMAS * forecast.sd ? undefined : forecast
}

interface Forecast {
  /** When progress reaches 100 %, ms since the wait started, and its standard deviation. */
  mean: number
  sd: number
}

/** Where the fitted line reaches 100 %, its uncertainty from the line's level and rate. */
function lineForecast(fit: LineFit): Forecast {
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
  const points = window.map((s) => ({ u: (s.atMs - last.atMs) / 1000, p: s.progress }))
  const fit = fitParabola(points)
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
 * Least squares p = c0 + c1 u + c2 u², with the inverse of the normal matrix (the coefficients' covariance over
 * the noise).
 */
function fitParabola(
  points: readonly { u: number; p: number }[],
): { coefficients: number[]; inverse: number[][]; residualSquares: number } | undefined {
  const moment = (k: number) => points.reduce((a, { u }) => a + u ** k, 0)
  const weighted = (k: number) => points.reduce((a, { u, p }) => a + p * u ** k, 0)
  const inverse = invert3([
    [moment(0), moment(1), moment(2)],
    [moment(1), moment(2), moment(3)],
    [moment(2), moment(3), moment(4)],
  ])
  if (!inverse) return undefined
  const rhs = [weighted(0), weighted(1), weighted(2)]
  const coefficients = inverse.map((row) => row.reduce((a, x, j) => a + x * rhs[j], 0))
  const [c0, c1, c2] = coefficients
  const residualSquares = points.reduce((a, { u, p }) => a + (p - (c0 + c1 * u + c2 * u * u)) ** 2, 0)
  return { coefficients, inverse, residualSquares }
}

/** The inverse of a 3 × 3 matrix, or undefined when it is (nearly) singular. */
function invert3(m: readonly (readonly number[])[]): number[][] | undefined {
  const [[a, b, c], [d, e, f], [g, h, i]] = m
  const cofactors = [
    [e * i - f * h, -(d * i - f * g), d * h - e * g],
    [-(b * i - c * h), a * i - c * g, -(a * h - b * g)],
    [b * f - c * e, -(a * f - c * d), a * e - b * d],
  ]
  const determinant = a * cofactors[0][0] + b * cofactors[0][1] + c * cofactors[0][2]
  if (!(Math.abs(determinant) > 1e-12)) return undefined
  // The inverse is the transposed cofactor matrix over the determinant.
  return [0, 1, 2].map((row) => [0, 1, 2].map((col) => cofactors[col][row] / determinant))
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

interface LineFit {
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

/**
 * A least-squares line through the reports, its uncertainty from their scatter (pooled with the reporting noise)
 * and, with three reports or more, from how much the rate moved between the older and the newer half. From a
 * single report: the rate since progress left 0 %, somewhere between the last report of 0 % and this one.
 */
function fitLine(window: readonly ProgressSample[], lastZeroAt: number): LineFit | undefined {
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
  const meanT = window.reduce((a, s) => a + s.atMs, 0) / n
  const meanP = window.reduce((a, s) => a + s.progress, 0) / n
  let sxx = 0
  let sxy = 0
  for (const s of window) {
    sxx += (s.atMs - meanT) ** 2
    sxy += (s.atMs - meanT) * (s.progress - meanP)
  }
  if (!(sxx > 0)) return undefined
  const rate = sxy / sxx
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
    const older = slope(window.slice(0, half + 1))
    const newer = slope(window.slice(half))
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

/** The least-squares slope through two reports or more. */
function slope(points: readonly ProgressSample[]): number | undefined {
  const n = points.length
  const meanT = points.reduce((a, s) => a + s.atMs, 0) / n
  const meanP = points.reduce((a, s) => a + s.progress, 0) / n
  let sxx = 0
  let sxy = 0
  for (const s of points) {
    sxx += (s.atMs - meanT) ** 2
    sxy += (s.atMs - meanT) * (s.progress - meanP)
  }
  return sxx > 0 ? sxy / sxx : undefined
}

/** The standard normal density. */
const normalDensity = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)

/** The standard normal distribution function (Abramowitz and Stegun 7.1.26; error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-x * x)
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}

export interface StatusSource {
  /**
   * `context`: what the job was asked to do; `patienceMs`: how long the check may be held by a shared rate limit
   * (the pause the schedule chose).
   */
  getStatus(
    requestId: string,
    deadline: number,
    tolerateNotFound?: boolean,
    context?: PollContext,
    patienceMs?: number,
  ): Promise<VideoStatus>
}

export interface WaitOptions {
  /** Epoch milliseconds after which the loop gives up (`timeout-seconds`). */
  deadline: number
  maxIntervalMs: number
  /** The shortest pause between checks (default 1 s, or the interval when that is shorter). */
  minIntervalMs?: number
  /** When the wait started (epoch ms): right after create, or the run's start for a resumed job. */
  startedAt: number
  /** The job's expected total time (see `jobTimePrior`); only for a job created right before the wait. */
  prior?: JobTimePrior
  /** True right after create: the first check waits a little, and tolerates a 404 while the job becomes visible. */
  justCreated: boolean
  /** Seconds in the timeout, for the message. */
  timeoutSeconds: number
  /** What the job was asked to do, passed to every check. */
  pollContext?: PollContext
  log?: (message: string) => void
  /** A line is printed at least this often while nothing changes. */
  heartbeatMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<unknown>
}

/** Check `requestId` until it is no longer pending. Throws `TimedOutError` at the deadline. */
export async function pollUntilDone(
  source: StatusSource,
  requestId: string,
  options: WaitOptions,
): Promise<VideoStatus> {
  const now = options.now ?? Date.now
  const pause = options.sleep ?? sleep
  const log = options.log ?? (() => {})
  const heartbeatMs = options.heartbeatMs ?? 30_000
  const samples: ProgressSample[] = []
  let lastLine = ''
  let lastLineAt = -Infinity
  let last: VideoStatus | undefined
  let checks = 0
  let delay = options.maxIntervalMs
  let answerDueAt = now()
  let overheadTotal = 0
  let lastOverhead = 0

  const schedule = (elapsedMs: number, retryAfterMs?: number) =>
    nextPollDelay({
      elapsedMs,
      samples,
      checks,
      maxIntervalMs: options.maxIntervalMs,
      // A check answered late (held by the step's shared rate limit, or slow) says the step cannot check this
      // often: the next waits at least as long, so a crowded batch slows each job to its share of the rate
      // instead of queueing checks without end.
      minIntervalMs: Math.max(options.minIntervalMs ?? MIN_POLL_DELAY_MS, lastOverhead),
      retryAfterMs,
      prior: options.prior,
      overheadMs: checks > 0 ? overheadTotal / checks : 0,
    })

  if (options.justCreated) {
    // A job just created is not done yet: the first check waits as the schedule says (the interval, without progress).
    delay = Math.min(schedule(0), options.deadline - now())
    answerDueAt = now() + Math.max(0, delay)
    if (delay > 0) await pause(delay)
  }
  for (;;) {
    let status: VideoStatus
    try {
      status = await source.getStatus(
        requestId,
        options.deadline,
        options.justCreated && checks === 0,
        options.pollContext,
        delay,
      )
    } catch (error) {
      // A check that failed only because time ran out is a timeout, not an API fault.
      if (now() >= options.deadline)
        throw new TimedOutError(requestId, options.timeoutSeconds, last ? describe(last) : 'unknown')
      throw error
    }
    checks++
    lastOverhead = Math.max(0, now() - answerDueAt)
    overheadTotal += lastOverhead
    last = status
    if (status.state !== 'pending') return status

    const elapsedMs = now() - options.startedAt
    if (status.progress !== undefined) samples.push({ atMs: elapsedMs, progress: status.progress })
    const remaining = options.deadline - now()
    if (remaining <= 0) throw new TimedOutError(requestId, options.timeoutSeconds, describe(status))
    delay = Math.min(remaining, schedule(elapsedMs, status.retryAfterMs))

    const line = describe(status)
    if (line !== lastLine || now() - lastLineAt >= heartbeatMs) {
      log(
        `Job ${requestId}: ${line}, ${formatDuration(elapsedMs)} elapsed; next check in ${(delay / 1000).toFixed(1)} s.`,
      )
      lastLine = line
      lastLineAt = now()
    }
    answerDueAt = now() + delay
    await pause(delay)
  }
}

function describe(status: VideoStatus): string {
  return status.progress !== undefined
    ? `${status.providerStatus} (${Math.round(status.progress)} %)`
    : status.providerStatus
}

/** 1_234 → "1.2s"; 75_000 → "1m 15s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`
  const seconds = Math.max(0, Math.round(ms / 1000))
  const m = Math.floor(seconds / 60)
  return m > 0 ? `${m}m ${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`
}

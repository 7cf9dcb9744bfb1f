/**
 * What the wait believes of a job's end, joining the prior (what such a job takes) and the forecast (what its
 * progress says): the two weighed together when both speak, either alone when only one does.
 */
import { progressForecast, type Forecast, type ProgressSample } from './forecast.js'
import type { EndDistribution } from './plan.js'
import { priorDensity, priorEstimate, type JobTimePrior } from './prior.js'
import { normalCdf, normalDensity } from './statistics.js'

/** Points the belief from progress and prior together is tabulated at. */
const POSTERIOR_POINTS = 400
/** How many standard deviations of the forecast either side of its mean the belief is tabulated over. */
const POSTERIOR_SIGMAS = 6

/**
 * The share of jobs like this one that have ended by each moment, or undefined when neither progress nor a prior
 * says anything. Without a prior the job's start is unknown (a resumed job), so a single report gives no rate.
 */
export function endBelief(
  samples: readonly ProgressSample[],
  elapsedMs: number,
  prior: JobTimePrior | undefined,
): EndDistribution | undefined {
  const forecast = progressForecast(samples, elapsedMs, prior !== undefined)
  if (forecast) return prior ? posteriorEstimate(prior, forecast) : forecastEstimate(forecast)
  return prior && priorEstimate(prior)
}

/** What progress alone says: the forecast as a normal distribution of the end. */
function forecastEstimate({ mean, sd }: Forecast): EndDistribution {
  return (t) => (t <= 0 ? 0 : normalCdf((t - mean) / sd))
}

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

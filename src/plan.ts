/**
 * What a run would cost and do, decided before anything is sent: the `max-cost-usd` check of one job or of a
 * batch (counting only what would be created: a cache hit is free) and the `dry-run` description.
 */
import { BudgetError } from './errors.js'
import { createUrl } from './grok/request.js'
import type { ActionConfig } from './inputs.js'
import { DEFAULT_RESOLUTION, estimateCost, formatUsd, type CostEstimate } from './pricing.js'
import type { RunResult } from './report.js'

type Log = (message: string) => void

/** A job's estimate from the price table: its request, its operation, and an input video's length when known. */
export function estimateFor(config: ActionConfig): CostEstimate | undefined {
  if (!config.request) return undefined
  return estimateCost(config.request, { operation: config.operation, videoSeconds: config.video?.seconds })
}

/** Refuses a job whose estimate is over `max-cost-usd` or cannot be estimated; says the estimate when within. */
export function enforceBudget(config: ActionConfig, estimate: CostEstimate | undefined, info: Log): void {
  if (config.maxCostUsd === undefined || !config.request) return
  const limit = `'max-cost-usd' ($${formatUsd(config.maxCostUsd)})`
  if (!estimate) {
    throw new BudgetError(
      `'max-cost-usd' is set, but no price is known for model '${config.request.model}' at ` +
        `${config.request.resolution ?? DEFAULT_RESOLUTION}, so the budget cannot be checked: nothing was sent. ` +
        'Remove max-cost-usd or use a model from the price table.',
    )
  }
  if (estimate.usd > config.maxCostUsd) {
    throw new BudgetError(
      `The estimated cost, $${formatUsd(estimate.usd)} (${estimate.explanation}), exceeds ${limit}: ` +
        "nothing was sent. Lower 'duration' or 'resolution', or raise 'max-cost-usd'.",
    )
  }
  info(`Estimated cost $${formatUsd(estimate.usd)} (${estimate.explanation}), within ${limit}.`)
}

/**
 * Refuses a batch whose jobs to create are together over `max-cost-usd`. `toCreate` holds the estimate of each job
 * the cache does not hold; `cached` counts those it does (they cost nothing).
 */
export function enforceBatchBudget(
  maxCostUsd: number,
  toCreate: (CostEstimate | undefined)[],
  cached: number,
  info: Log,
): void {
  const limit = `'max-cost-usd' ($${formatUsd(maxCostUsd)})`
  const jobs = `${toCreate.length} ${toCreate.length === 1 ? 'job' : 'jobs'}`
  const fromCache = cached ? ` to create (${cached} more ${cached === 1 ? 'is' : 'are'} in the cache, at no cost)` : ''
  if (toCreate.some((estimate) => !estimate)) {
    throw new BudgetError(
      "'max-cost-usd' is set, but some job's model has no known price, so the batch's total cannot be checked: " +
        'nothing was sent.',
    )
  }
  const total = toCreate.reduce((sum, estimate) => sum + (estimate?.usd ?? 0), 0)
  const what = `$${formatUsd(total)} for ${jobs}${fromCache}`
  if (total > maxCostUsd) {
    throw new BudgetError(
      `The batch's estimated total, ${what}, exceeds ${limit}: nothing was sent. ` +
        "Remove jobs, shorten them, or raise 'max-cost-usd'.",
    )
  }
  info(`Estimated total ${what}, within ${limit}.`)
}

/** `dry-run`: everything the run would do, with the body it would send; nothing is sent. */
export function describePlan(
  config: ActionConfig,
  result: RunResult,
  estimate: CostEstimate | undefined,
  info: Log,
): void {
  const lines = ['Dry run: nothing is sent.']
  if (config.resumeRequestId) {
    const id = encodeURIComponent(config.resumeRequestId)
    lines.push(`Would resume job ${config.resumeRequestId}: GET ${config.baseUrl}/videos/${id}`)
  } else if (result.request) {
    if (config.video?.upload) lines.push(`Would first upload ${config.video.label}: POST ${config.baseUrl}/files`)
    lines.push(
      `Would send: POST ${createUrl(config.baseUrl, config.operation)}`,
      '  Authorization: Bearer ***',
      ...JSON.stringify(result.request, null, 2)
        .split('\n')
        .map((line) => `  ${line}`),
      `Cache key: ${result.cacheKey}${config.cache ? ' (the cache would be checked first)' : " ('cache' is off)"}`,
      estimate
        ? `Estimated cost: $${formatUsd(estimate.usd)} (${estimate.explanation})`
        : `Estimated cost: unknown (no price for model '${result.request.model}')`,
    )
    if (config.maxCostUsd !== undefined && estimate) {
      const limit = `'max-cost-usd' ($${formatUsd(config.maxCostUsd)})`
      const refusal = config.cache ? 'a real run would refuse unless the cache holds it' : 'a real run would refuse'
      lines.push(estimate.usd > config.maxCostUsd ? `Over ${limit}: ${refusal}.` : `Within ${limit}.`)
    }
  }
  const upload = config.uploadArtifact ? `, upload it as ${config.archive ? 'a zip' : 'an unzipped MP4'}` : ''
  lines.push(`Then: wait up to ${config.timeoutSeconds} s, save the MP4 in ${config.outputDir}${upload}.`)
  for (const line of lines) info(line)
}

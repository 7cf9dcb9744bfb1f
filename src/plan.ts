/**
 * What a run would cost and do: the `max-cost-usd` checks (a batch's total before anything is sent, counting only
 * what would be created, and every create right before it is sent) and the `dry-run` description.
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

/** What is reserved for one created job: its estimate until the provider states what it cost. */
export interface Spending {
  /** Replaces the job's reserved estimate with the provider's figure. */
  settle(usd: number): void
}

/**
 * The step's `max-cost-usd` ledger, shared by every job of the step. Every create is checked right before it is
 * sent against what is left (the cap minus each created job's cost: the provider's figure when known, else its
 * estimate), so a cache hit that fails to restore, or a job of a batch counted as free, cannot spend unchecked.
 */
export class Budget {
  private spentUsd = 0
  private created = 0

  readonly maxCostUsd: number | undefined

  constructor(maxCostUsd: number | undefined) {
    this.maxCostUsd = maxCostUsd
  }

  /**
   * Refuses a create whose estimate is over what is left, or cannot be estimated; else reserves its estimate and
   * says so. Synchronous on purpose: a batch's jobs run at once, and two of them must not both pass on the same
   * money, so nothing may come between the check and the reservation.
   */
  reserve(config: ActionConfig, estimate: CostEstimate | undefined, info: Log): Spending | undefined {
    if (this.maxCostUsd === undefined || !config.request) return undefined
    const limit = `'max-cost-usd' ($${formatUsd(this.maxCostUsd)})`
    if (!estimate) {
      throw new BudgetError(
        `'max-cost-usd' is set, but no price is known for model '${config.request.model}' at ` +
          `${config.request.resolution ?? DEFAULT_RESOLUTION}, so the budget cannot be checked: nothing was sent. ` +
          'Remove max-cost-usd or use a model from the price table.',
      )
    }
    const left = this.maxCostUsd - this.spentUsd
    const what = `The estimated cost, $${formatUsd(estimate.usd)} (${estimate.explanation})`
    // A tolerance for sums of binary fractions: an estimate equal to what is left is within it.
    if (estimate.usd > left + 1e-9) {
      if (this.created === 0) {
        throw new BudgetError(
          `${what}, exceeds ${limit}: nothing was sent. Lower 'duration' or 'resolution', or raise 'max-cost-usd'.`,
        )
      }
      const jobs = `${this.created} ${this.created === 1 ? 'job' : 'jobs'}`
      throw new BudgetError(
        `${what}, exceeds what is left of ${limit}: $${formatUsd(Math.max(0, left))} after the ${jobs} this ` +
          "step created. This job was not created. Remove jobs, or raise 'max-cost-usd'.",
      )
    }
    const before = this.created === 0 ? limit : `what is left of ${limit} ($${formatUsd(left)})`
    info(`Estimated cost $${formatUsd(estimate.usd)} (${estimate.explanation}), within ${before}.`)
    this.spentUsd += estimate.usd
    this.created++
    let reserved = estimate.usd
    return {
      settle: (usd) => {
        this.spentUsd += usd - reserved
        reserved = usd
      },
    }
  }
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
  log: { info: Log; warning: Log },
): void {
  const lines = ['Dry run: nothing is sent.']
  let over: string | undefined
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
      const refusal = config.cache
        ? 'a real run would refuse it unless the cache holds it'
        : 'a real run would refuse it'
      // A dry run never fails the step; what a real run would refuse is still worth more than a log line.
      if (estimate.usd > config.maxCostUsd) over = `Dry run: the estimate is over ${limit}: ${refusal}.`
      else lines.push(`Within ${limit}.`)
    } else if (config.maxCostUsd !== undefined) {
      over = `Dry run: 'max-cost-usd' is set, but no price is known for model '${result.request.model}': a real run would refuse it.`
    }
  }
  const upload = config.uploadArtifact ? `, upload it as ${config.archive ? 'a zip' : 'an unzipped MP4'}` : ''
  lines.push(`Then: wait up to ${config.timeoutSeconds} s, save the MP4 in ${config.outputDir}${upload}.`)
  if (config.release) {
    const { tag, repository } = config.release
    lines.push(`Then: attach its files to release '${tag}' of ${repository.owner}/${repository.repo}.`)
  }
  for (const line of lines) log.info(line)
  if (over) log.warning(over)
}

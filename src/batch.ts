/**
 * A batch: every job of a `prompts-file`, at most `max-concurrency` in flight, sharing one client (so one 429
 * slows them all) and one budget. The step's own video inputs are each job's defaults.
 */
import { cacheKeyOf, VideoCache } from './cache.js'
import { BatchFailedError, BudgetError, ReleaseUploadError, ReleaseWriteRefusedError } from './errors.js'
import { Pacer } from './grok/pacer.js'
import type { ActionConfig } from './inputs.js'
import { asJob } from './log.js'
import { reuseVideoJob } from './batch-reuse.js'
import { stepPreviewer, type JobEvents, type LogEvents, type PipelineOptions } from './job.js'
import { createClient, runVideoJob } from './pipeline.js'
import { Budget, enforceBatchBudget, estimateFor } from './plan.js'
import { publishStepPreviews } from './preview-publish.js'
import { formatUsd } from './pricing.js'
import { outputsOf, ticksToUsd, type OutputName, type RunResult } from './report.js'
import type { BatchJob } from './prompts-file.js'
import { releaseBeforeCreate } from './release.js'

/** One row of the `results` output, with the names the spec gives. */
export interface BatchEntry {
  name: string
  'request-id': string
  status: string
  'video-path': string
  'video-sha256': string
  'cost-usd': string
  'artifact-id': string
  'artifact-url': string
  /** The provider's lasting public copy (`public-url: true`). */
  'public-url'?: string
  /** Set when the job's preview was published to `preview-branch`. */
  'preview-url'?: string
  /** Set when the job's MP4 was uploaded to GitHub's attachment store for the pull request comment. */
  'video-attachment-url'?: string
  /** Set when the job's MP4 is a release asset (`release-tag`): its download URL. */
  'release-asset-url'?: string
  error?: string
  /** The earlier job of the batch with the same request, whose video this job got. */
  'same-as'?: string
}

export interface BatchResult {
  /** Per job, in file order; undefined for a job never started (`fail-fast`, or a release that refused a write). */
  results: (RunResult | undefined)[]
  entries: BatchEntry[]
  /** The sum of the jobs' estimates; undefined when a model has no known price. */
  estimatedTotalUsd?: number
  /** Set when any job did not end done (naming each), or the budget refused the batch. */
  error?: Error
  /** A dry run: nothing was sent. */
  dryRun?: boolean
}

/** A batch logs no groups: its jobs run at once, and each line carries its job's name instead (see log.ts). */
export interface BatchEvents extends Omit<LogEvents, 'group'>, Pick<JobEvents, 'fromCache' | 'creating' | 'jobDone'> {
  /** Job `id`'s video is whole on disk at `path`. */
  videoSaved?: (id: string, path: string) => void
  /** The manifest so far: called when a job gets its request id and when it ends, so the ids are never lost. */
  progress(entries: BatchEntry[]): void
}

export async function runBatch(
  config: ActionConfig,
  jobs: BatchJob[],
  events: BatchEvents,
  options: PipelineOptions = {},
): Promise<BatchResult> {
  const settings = config.batch as NonNullable<ActionConfig['batch']>
  const results: (RunResult | undefined)[] = jobs.map(() => undefined)
  const requestIds: (string | undefined)[] = jobs.map(() => undefined)
  const identical = identicalRequests(jobs)
  const entries = (): BatchEntry[] =>
    jobs.map((job, i) => entryOf(job.name, results[i], requestIds[i], jobs[identical.firstOf[i] ?? -1]?.name))

  for (const job of jobs) {
    if (job.voicesLeftBy) {
      events.warning(
        `[${job.name}] The step's 'reference-voices' are not used: the job's own '${job.voicesLeftBy}' replaces the step's reference images, and the voices go with them. Give the job its own 'reference-voices' to keep voices.`,
      )
    }
    if (!job.dropped) continue
    const names = job.dropped.map((input) => `'${input}'`).join(', ')
    events.info(
      `[${job.name}] The step's ${names} ${job.dropped.length === 1 ? 'is' : 'are'} not used: 'operation: ${job.config.operation}' does not take ${job.dropped.length === 1 ? 'it' : 'them'}.`,
    )
  }
  const total = totalEstimate(jobs, identical.firstOf)
  /** The batch's result as it stands: every return goes through here, refused, dry run or run to the end. */
  const outcome = (error?: Error): BatchResult => ({ results, entries: entries(), estimatedTotalUsd: total, error })
  if (config.dryRun) {
    // Each job's own dry run (the job configs carry dry-run too): its plan, body and cache key; nothing is sent.
    const client = createClient(config, events, options)
    try {
      for (const [i, job] of jobs.entries()) {
        const original = identical.firstOf[i]
        if (original !== undefined) {
          prefixed(job.name, events).info(
            `The same request as job '${jobs[original].name}' (same cache key and user): it would get that job's video, and nothing would be created for it.`,
          )
        } else
          await asJob(job.name, () =>
            runVideoJob({ config: job.config, client, events: prefixed(job.name, events), options }),
          )
      }
    } finally {
      client.close()
    }
    events.info(
      `Dry run of ${jobs.length} jobs: estimated total ${total === undefined ? 'unknown' : `$${formatUsd(total)}`}; nothing is sent.`,
    )
    if (config.maxCostUsd !== undefined && total !== undefined && total > config.maxCostUsd) {
      const unless = config.cache ? ' unless the cache holds enough of its jobs' : ''
      events.warning(
        `Dry run: the estimated total is over 'max-cost-usd' ($${formatUsd(config.maxCostUsd)}): a real run would refuse the batch${unless}.`,
      )
    } else if (config.maxCostUsd !== undefined && total === undefined) {
      events.warning(
        "Dry run: 'max-cost-usd' is set, but no price is known for every job's model: a real run would refuse the batch.",
      )
    }
    return { ...outcome(), dryRun: true }
  }
  if (config.maxCostUsd !== undefined) {
    // A job with the same request as an earlier one costs nothing, nor does one the cache holds.
    const originals = jobs.filter((_, i) => identical.firstOf[i] === undefined)
    const cached = await cachedJobs(config, originals, events)
    const toCreate = originals.filter((_, i) => !cached[i]).map((job) => estimateFor(job.config))
    try {
      enforceBatchBudget(config.maxCostUsd, toCreate, originals.length - toCreate.length, events.info)
    } catch (error) {
      return outcome(error as Error)
    }
  }

  try {
    await releaseBeforeCreate(config, events.info)
  } catch (error) {
    return outcome(error as Error)
  }
  // One ledger for the step: a job the cache was to hold but did not restore is checked like any other create.
  const budget = new Budget(config.maxCostUsd)
  const pacer = new Pacer()
  const client = createClient(config, events, options, pacer)
  const previewer = stepPreviewer(config, events)
  const jobEvents = (index: number): JobEvents => {
    const log = prefixed(jobs[index].name, events)
    return {
      ...log,
      fromCache: events.fromCache,
      creating: events.creating,
      jobDone: events.jobDone,
      videoSaved: (path) => {
        const id = requestIds[index]
        if (id) events.videoSaved?.(id, path)
      },
      requestId: (id) => {
        requestIds[index] = id
        events.progress(entries())
      },
    }
  }
  // Only the first job of each request is run; the jobs with the same request get its video when it ends.
  const queue = jobs.flatMap((_, i) => (identical.firstOf[i] === undefined ? [i] : []))
  let stopped = false
  // Why no further job was started: said beside the jobs left out.
  let stoppedBecause = "the failure ('fail-fast')"
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < queue.length && !stopped) {
      const index = queue[next++]
      const job = jobs[index]
      const result = await asJob(job.name, () =>
        runVideoJob({ config: job.config, client, events: jobEvents(index), options, previewer, budget }),
      )
      // Refused by the step's budget while other jobs ran: an error of this job, unlike a refusal of the whole batch.
      if (result.error instanceof BudgetError) result.status = 'error'
      results[index] = result
      events.progress(entries())
      for (const reuser of identical.reusersOf.get(index) ?? []) {
        const reuserJob = jobs[reuser]
        results[reuser] = await asJob(reuserJob.name, () =>
          reuseVideoJob({ config: reuserJob.config, events: jobEvents(reuser), previewer }, result, job.name),
        )
        events.progress(entries())
      }
      if (result.error) {
        prefixed(job.name, events).warning(result.error.message)
        // Every later job would pay for a video the release cannot take: only the ones already running are paid.
        if (result.error instanceof ReleaseWriteRefusedError && !stopped) {
          stopped = true
          stoppedBecause = "the release refused a write ('release-tag')"
          events.warning(
            `'release-tag': the release refused the upload of job '${job.name}', so no further job is started; jobs already running finish.`,
          )
        }
        if (settings.failFast && !stopped) {
          stopped = true
          events.warning(
            `'fail-fast': job '${job.name}' failed, so no further job is started; jobs already running finish.`,
          )
        }
      }
    }
  }
  try {
    events.info(
      `Running ${jobs.length} ${jobs.length === 1 ? 'job' : 'jobs'}, at most ${settings.maxConcurrency} at once.`,
    )
    await Promise.all(Array.from({ length: Math.min(settings.maxConcurrency, queue.length) }, worker))
  } finally {
    client.close()
  }
  // One commit for the whole batch: a matrix of steps already races on the branch; a batch need not race itself.
  await publishStepPreviews(
    config.previewTarget,
    results.map((result) => result?.preview),
    events,
  )
  const failed = jobs.flatMap((job, i) =>
    results[i]?.error
      ? [
          `'${job.name}' (${results[i]?.status ?? 'error'}${requestIds[i] ? `, request id ${requestIds[i]}` : ''}): ${results[i]?.error?.message}`,
        ]
      : [],
  )
  const skipped = jobs.filter((_, i) => !results[i]).map((job) => `'${job.name}'`)
  const problems = [
    ...(failed.length ? [`${failed.length} of ${jobs.length} jobs failed: ${failed.join('; ')}`] : []),
    ...(skipped.length ? [`not started after ${stoppedBecause}: ${skipped.join(', ')}`] : []),
  ]
  return outcome(problems.length ? new BatchFailedError(problems.join('. ')) : undefined)
}

/**
 * Jobs whose request is the same as an earlier job's: the same cache key (what shapes the video) and the same
 * `user`. `firstOf[i]` is the index of the first such job; `reusersOf` lists, per first job, the jobs that reuse it, undefined for a job that is created itself.
 */
function identicalRequests(jobs: BatchJob[]): {
  firstOf: (number | undefined)[]
  reusersOf: Map<number, number[]>
} {
  const first = new Map<string, number>()
  const reusersOf = new Map<number, number[]>()
  const firstOf = jobs.map((job, i) => {
    const request = job.config.request
    if (!request) return undefined
    const identity = `${cacheKeyOf(job.config)} ${JSON.stringify(request.user ?? null)}`
    const earlier = first.get(identity)
    if (earlier === undefined) {
      first.set(identity, i)
      return undefined
    }
    reusersOf.set(earlier, [...(reusersOf.get(earlier) ?? []), i])
    return earlier
  })
  return { firstOf, reusersOf }
}

/** The step's outputs for a batch: the manifest, an overall status, the reported and estimated totals. */
export function batchOutputs(batch: BatchResult): Record<OutputName, string> {
  const single = outputsOf({ provider: 'custom', baseUrl: '', timings: { startedAt: new Date() } })
  const reported = batch.results.reduce((sum, r) => sum + (r?.costTicks ?? 0), 0)
  const allDone = batch.results.every((r) => r?.status === 'done')
  // `wait: false`: jobs handed off (and any restored from the cache) leave the batch pending, not failed.
  const handedOff = batch.results.every((r) => !r?.error && (r?.status === 'done' || r?.status === 'pending'))
  return {
    ...single,
    status: batch.dryRun
      ? 'dry-run'
      : batch.results.some(Boolean)
        ? allDone
          ? 'done'
          : handedOff
            ? 'pending'
            : 'failed'
        : batch.error instanceof ReleaseUploadError
          ? batch.error.status
          : '',
    'cost-usd': batch.results.some((r) => r?.costTicks !== undefined) ? ticksToUsd(reported) : '',
    'cache-hit': allDone && batch.results.every((r) => r?.cacheHit) ? 'true' : 'false',
    'estimated-cost-usd': batch.estimatedTotalUsd !== undefined ? formatUsd(batch.estimatedTotalUsd) : '',
    results: JSON.stringify(batch.entries),
  }
}

function entryOf(
  name: string,
  result: RunResult | undefined,
  requestId: string | undefined,
  sameAs: string | undefined,
): BatchEntry {
  return {
    name,
    'request-id': result?.requestId ?? requestId ?? '',
    status: result ? (result.status ?? 'failed') : requestId ? 'pending' : 'not-started',
    'video-path': result?.video?.path ?? '',
    'video-sha256': result?.video?.sha256 ?? '',
    'cost-usd': result?.costTicks !== undefined ? ticksToUsd(result.costTicks) : '',
    'artifact-id': result?.artifact ? String(result.artifact.id) : '',
    'artifact-url': result?.artifact?.url ?? '',
    ...(result?.publicUrl ? { 'public-url': result.publicUrl.url } : {}),
    ...(result?.preview?.url ? { 'preview-url': result.preview.url } : {}),
    ...(result?.release?.assetUrl ? { 'release-asset-url': result.release.assetUrl } : {}),
    ...(result?.error ? { error: result.error.message } : {}),
    ...(sameAs !== undefined ? { 'same-as': sameAs } : {}),
  }
}

/** Which jobs the cache holds (asked without downloading), so the budget counts only the others. */
async function cachedJobs(config: ActionConfig, jobs: BatchJob[], events: BatchEvents): Promise<boolean[]> {
  if (!config.cache) return jobs.map(() => false)
  const cache = new VideoCache(events)
  return Promise.all(
    jobs.map(async (job) => {
      const key = cacheKeyOf(job.config)
      return key !== undefined && (await cache.has(key))
    }),
  )
}

/** The sum of the estimates of the jobs that will be created; undefined when any has no known price. */
function totalEstimate(jobs: BatchJob[], original: (number | undefined)[]): number | undefined {
  let total = 0
  for (const [i, job] of jobs.entries()) {
    if (original[i] !== undefined) continue
    const estimate = estimateFor(job.config)
    if (!estimate) return undefined
    total += estimate.usd
  }
  return total
}

function prefixed(name: string, events: Omit<LogEvents, 'group'>) {
  return {
    requestId: () => {},
    info: (m: string) => events.info(`[${name}] ${m}`),
    warning: (m: string) => events.warning(`[${name}] ${m}`),
    debug: (m: string) => events.debug?.(`[${name}] ${m}`),
  }
}

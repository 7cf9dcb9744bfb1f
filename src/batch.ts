/**
 * A batch: every job of a `prompts-file`, at most `max-concurrency` in flight, sharing one client (so one 429
 * slows them all) and one budget. The step's own video inputs are each job's defaults.
 */
import { parse } from 'yaml'
import { cacheKeyOf, VideoCache } from './cache.js'
import { BatchFailedError, BudgetError, InputError } from './errors.js'
import { Pacer } from './grok/pacer.js'
import { FORBIDDEN_INPUTS, OPERATIONS, type Operation } from './grok/request.js'
import {
  PATH_FIELDS,
  videoRequestFrom,
  VIDEO_FIELDS,
  type ActionConfig,
  type ImageInput,
  type VideoFields,
} from './inputs.js'
import { asJob } from './log.js'
import { reuseVideoJob } from './batch-reuse.js'
import { stepPreviewer, type JobEvents, type LogEvents, type PipelineOptions } from './job.js'
import { createClient, runVideoJob } from './pipeline.js'
import { Budget, enforceBatchBudget, estimateFor } from './plan.js'
import { publishStepPreviews } from './preview-publish.js'
import { formatUsd } from './pricing.js'
import { outputsOf, ticksToUsd, type OutputName, type RunResult } from './report.js'
import { readNamedFile } from './workspace-paths.js'

export interface BatchJob {
  name: string
  /** The step's config with this job's request, artifact name and no batch of its own. */
  config: ActionConfig
  /** Step defaults this job's operation does not take, dropped for it: said in the log. */
  dropped?: string[]
}

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
  /** Set when the job's preview was published to `preview-branch`. */
  'preview-url'?: string
  error?: string
  /** The earlier job of the batch with the same request, whose video this job got. */
  'same-as'?: string
}

export interface BatchResult {
  /** Per job, in file order; undefined for a job never started (fail-fast). */
  results: (RunResult | undefined)[]
  entries: BatchEntry[]
  /** The sum of the jobs' estimates; undefined when a model has no known price. */
  estimatedTotalUsd?: number
  /** Set when any job did not end done (naming each), or the budget refused the batch. */
  error?: Error
  /** A dry run: nothing was sent. */
  dryRun?: boolean
}

/** Job keys a prompts file may use; `aspect_ratio` is accepted as the API spells it. */
const JOB_KEYS = new Set(['name', ...VIDEO_FIELDS, 'aspect_ratio'])
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const MAX_JOBS = 100

/** A YAML scalar's text as written (a number or `true` as its digits or word); undefined for a list or mapping. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  return undefined
}

/**
 * A job field's value as the text an input would hold. A list or mapping has none, and neither has a key left
 * empty (YAML null): refused, rather than sent (and billed) as the text "null".
 */
function fieldText(job: string, key: string, value: unknown): string {
  // Reference images may be a list: one image per line, as the step input takes them.
  if (key === 'reference-images' && Array.isArray(value) && value.every((item) => scalarText(item) !== undefined)) {
    return value.map((item) => (scalarText(item) as string).trim()).join('\n')
  }
  if (value === null)
    throw new InputError('prompts-file', `job '${job}': '${key}' has no value: give it one, or remove the key.`)
  const text = scalarText(value)
  if (text === undefined)
    throw new InputError('prompts-file', `job '${job}': '${key}' must be text, not a list or mapping.`)
  return text.trim()
}

/** Reads and validates the whole prompts file before anything is sent. */
export async function readBatch(config: ActionConfig): Promise<BatchJob[]> {
  const batch = config.batch
  if (!batch) return []
  const { bytes } = await readNamedFile(
    'prompts-file',
    batch.file,
    config.workspace,
    () =>
      new InputError(
        'prompts-file',
        `'${batch.file}' does not exist or cannot be read: give a YAML or JSON file, relative to the workspace.`,
      ),
  )
  const text = bytes.toString('utf8')
  let document: unknown
  try {
    document = parse(text)
  } catch (error) {
    throw new InputError(
      'prompts-file',
      `'${batch.file}' is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
    )
  }
  const list = Array.isArray(document) ? document : (document as { jobs?: unknown } | null)?.jobs
  if (!Array.isArray(list) || list.length === 0) {
    throw new InputError(
      'prompts-file',
      `'${batch.file}' must hold a list of jobs (or an object with a 'jobs' list), each with a 'name' and a 'prompt'.`,
    )
  }
  if (list.length > MAX_JOBS)
    throw new InputError('prompts-file', `holds ${list.length} jobs; at most ${MAX_JOBS} run in one step.`)

  const seen = new Set<string>()
  const jobs: BatchJob[] = []
  // One image is read and encoded once per batch, however many jobs use it (the step's default included).
  const images = new Map<string, ImageInput | undefined>()
  // Only when the step read it: an image its own operation does not take was left unread, not found empty.
  if (batch.defaults.image && config.image) images.set(batch.defaults.image, config.image)
  for (const [index, item] of list.entries()) {
    const where = `job #${index + 1}`
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InputError('prompts-file', `${where} is not a mapping of 'name', 'prompt' and optional overrides.`)
    }
    const job = item as Record<string, unknown>
    const unknown = Object.keys(job).filter((key) => !JOB_KEYS.has(key))
    if (unknown.length) {
      // Named too when it has a name: in a long file the position alone is hard to find.
      const named = typeof job.name === 'string' && job.name ? ` ('${job.name}')` : ''
      throw new InputError(
        'prompts-file',
        `${where}${named} has unknown keys ${unknown.map((k) => `'${k}'`).join(', ')}; a job accepts ${[...JOB_KEYS].filter((k) => k !== 'aspect_ratio').join(', ')}.`,
      )
    }
    const name = typeof job.name === 'string' ? job.name : ''
    if (!NAME.test(name)) {
      throw new InputError(
        'prompts-file',
        `${where} needs a 'name' of letters, digits, '.', '_' or '-' (at most 64, used in artifact names); got '${scalarText(job.name) ?? ''}'.`,
      )
    }
    if (seen.has(name))
      throw new InputError(
        'prompts-file',
        `has two jobs named '${name}': names must be unique (each names an artifact).`,
      )
    seen.add(name)

    const fields: VideoFields = { ...batch.defaults }
    // A job's own prompt replaces the step's prompt and prompt-file alike.
    if (job.prompt !== undefined || job['prompt-file'] !== undefined) {
      fields.prompt = ''
      fields['prompt-file'] = ''
    }
    for (const key of VIDEO_FIELDS) if (job[key] !== undefined) fields[key] = fieldText(name, key, job[key])
    if (job.aspect_ratio !== undefined) fields['aspect-ratio'] = fieldText(name, 'aspect_ratio', job.aspect_ratio)
    // A step default this job's operation refuses is not the job's doing: dropped, and said so. Its own is refused.
    const operation = fields.operation as Operation
    const dropped = OPERATIONS.includes(operation)
      ? FORBIDDEN_INPUTS[operation].filter(
          (input) => batch.defaults[input as keyof VideoFields] && job[input] === undefined,
        )
      : []
    for (const input of dropped) fields[input as keyof VideoFields] = ''
    let video
    try {
      // Paths this job names itself stay inside the workspace; the step's own may be anywhere outside '.git/'.
      const confined = new Set(PATH_FIELDS.filter((key) => job[key] !== undefined))
      video = await videoRequestFrom(fields, {
        workspace: config.workspace,
        apiFamily: config.apiFamily,
        promptOptional: false,
        images,
        confined,
      })
    } catch (error) {
      if (error instanceof InputError)
        throw new InputError('prompts-file', `job '${name}': '${error.input}' ${error.detail}`)
      throw error
    }
    jobs.push({
      name,
      ...(dropped.length ? { dropped } : {}),
      config: {
        ...config,
        operation: video.operation,
        request: video.request,
        image: video.image,
        referenceImages: video.referenceImages,
        video: video.video,
        artifactName: `${config.artifactName ?? 'grok-video'}-${name}`,
        resumeRequestId: undefined,
        maxCostUsd: undefined, // the batch checks its total, and each create against the step's shared ledger
        batch: undefined,
      },
    })
  }
  return jobs
}

/** A batch logs no groups: its jobs run at once, and each line carries its job's name instead (see log.ts). */
export interface BatchEvents extends Omit<LogEvents, 'group'>, Pick<JobEvents, 'fromCache'> {
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
      requestId: (id) => {
        requestIds[index] = id
        events.progress(entries())
      },
    }
  }
  // Only the first job of each request is run; the jobs with the same request get its video when it ends.
  const queue = jobs.flatMap((_, i) => (identical.firstOf[i] === undefined ? [i] : []))
  let stopped = false
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
    events.info(`Running ${jobs.length} jobs, at most ${settings.maxConcurrency} at once.`)
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
    ...(skipped.length ? [`not started after the failure ('fail-fast'): ${skipped.join(', ')}`] : []),
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
    ...(result?.preview?.url ? { 'preview-url': result.preview.url } : {}),
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

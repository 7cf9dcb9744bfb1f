/**
 * The road every run takes: cache → budget → create (or resume) → wait → download → delivery. Free of
 * @actions/core: it reports through `PipelineEvents`, so a test, a script or a CLI can drive it as the action does.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { applyCacheHit, cachedRecordOf, cacheKeyOf, VideoCache, type CacheHit } from './cache.js'
import { deliverVideo, placeVideo, unusedFileStem, writeMetadata } from './delivery.js'
import { downloadVideo, type DownloadedVideo } from './download.js'
import {
  ApiError,
  DownloadError,
  DownloadTimedOutError,
  GrokVideoError,
  JobEndedError,
  JobInterruptedError,
  ReleaseUploadError,
  VideoFetchError,
} from './errors.js'
import { GrokClient, type CreateVideoRequest } from './grok/client.js'
import type { Pacer } from './grok/pacer.js'
import type { VideoStatus } from './grok/normalize.js'
import { describeJob, deliveredToUploadUrl } from './grok/request.js'
import type { ActionConfig } from './inputs.js'
import {
  fileStem,
  inLogGroup,
  startingResult,
  stepPreviewer,
  type JobContext,
  type JobEvents,
  type LogEvents,
  type PipelineOptions,
} from './job.js'
import { Budget, describePlan, estimateFor, type Spending } from './plan.js'
import { formatUsd } from './pricing.js'
import { OUTPUT_NAMES, outputsOf, ticksToUsd, type OutputName, type RunResult } from './report.js'
import { shorten } from './markdown.js'
import { carriesSecret, scrubAnswer, withoutSecrets } from './secrets.js'
import { formatDuration } from './format.js'
import { pollUntilDone } from './wait/loop.js'
import { cacheablePublicUrl, publicUrlFromCache, takeStoredOutput } from './public-url.js'
import { jobTimePrior, type JobHint } from './wait/prior.js'
import { releaseBeforeCreate } from './release.js'

/** The most of an error's text a run keeps: enough for any real message, little next to GitHub's output limits. */
const ERROR_TEXT_LIMIT = 2_000

export interface PipelineEvents
  extends LogEvents, Pick<JobEvents, 'jobDone' | 'fromCache' | 'creating' | 'videoSaved' | 'artifactUploaded'> {
  /** Called with `request-id` the moment it is known, and with every output once the run ends. */
  output: (name: OutputName, value: string) => void
}

const ADVICE: Record<JobEndedError['status'], string> = {
  failed: 'Fix what the provider names and run again; that creates (and bills) a new job.',
  moderated:
    'Content moderation withheld the video; the job is still billed. Change the prompt or image and run again.',
  expired: 'The result expired before it was collected; run again to create a new job.',
}

/** A single run: one video, every output set at the end (`request-id` as soon as it is known). */
export async function generateVideo(
  config: ActionConfig,
  events: PipelineEvents,
  options: PipelineOptions = {},
): Promise<RunResult> {
  try {
    await releaseBeforeCreate(config, events.info)
  } catch (error) {
    if (!(error instanceof ReleaseUploadError)) throw error
    const refused: RunResult = { ...startingResult(config, Date.now()), status: error.status, error }
    const outputs = outputsOf(refused)
    for (const name of OUTPUT_NAMES) events.output(name, outputs[name])
    return refused
  }
  const client = createClient(config, events, options)
  let result: RunResult
  try {
    result = await runVideoJob({
      config,
      client,
      events: { ...events, requestId: (id) => events.output('request-id', id) },
      options,
    })
  } finally {
    client.close()
  }
  if (config.previewTarget) {
    // Loaded only with 'preview-branch': a plain run never publishes.
    const { publishStepPreviews } = await import('./preview-publish.js')
    await publishStepPreviews(config.previewTarget, [result.preview], events)
  }
  const outputs = outputsOf(result)
  for (const name of OUTPUT_NAMES) if (name !== 'request-id' || !result.requestId) events.output(name, outputs[name])
  return result
}

export function createClient(
  config: ActionConfig,
  events: Pick<PipelineEvents, 'info'>,
  options: PipelineOptions,
  pacer?: Pacer,
): GrokClient {
  return new GrokClient({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    requestTimeoutMs: options.requestTimeoutMs,
    userAgent: options.userAgent,
    // A retry that may still succeed is news, not something to act on: a log line, not an annotation.
    log: events.info,
    pacer,
    family: config.apiFamily,
    noUploadUrl: config.batch ? 'batch' : config.publicUrl ? 'public-url' : undefined,
    sleep: options.retrySleep,
  })
}

/** What the caller gives a job; the step's previewer and budget are made here when it has none to share. */
export type JobSetup = Pick<JobContext, 'config' | 'client' | 'events'> &
  Partial<Pick<JobContext, 'options' | 'previewer' | 'budget'>>

/**
 * One video, from request to artifact, on a client the caller owns (a batch shares one). Always returns a result;
 * `result.error` says why it did not end with `done`.
 */
export async function runVideoJob(setup: JobSetup): Promise<RunResult> {
  const { config, events } = setup
  const startedAt = Date.now()
  const job: JobContext = {
    ...setup,
    options: setup.options ?? {},
    previewer: setup.previewer ?? stepPreviewer(config, events),
    budget: setup.budget ?? new Budget(config.maxCostUsd),
    startedAt,
    deadline: startedAt + config.timeoutSeconds * 1000,
  }
  // The run's one estimate: the output, the budget, the dry run and the over-estimate warning all read it.
  const estimate = estimateFor(config)
  const cacheKey = cacheKeyOf(config)
  const result: RunResult = { ...startingResult(config, startedAt), cacheKey, estimatedCostUsd: estimate?.usd }
  let stem: string | undefined
  let spending: Spending | undefined
  try {
    if (config.dryRun) {
      result.status = 'dry-run'
      describePlan(config, result, estimate, events)
      return result
    }
    // A resumed job is collected as it is: nothing proves it was made from this step's prompt, so its video is
    // neither looked up in the cache nor saved under the prompt's key.
    const cache = config.cache && cacheKey && !config.resumeRequestId ? new VideoCache(events) : undefined
    if (config.cache && config.resumeRequestId) {
      events.info(`Resuming job ${config.resumeRequestId}: the cache is neither read nor written for a resumed job.`)
    }
    const hit = cache && cacheKey ? await lookUpCache(cache, cacheKey, events) : undefined
    if (hit) {
      const { requestId } = hit.record
      stem = await unusedFileStem(config, requestId, events)
      const video = await useCachedVideo(job, result, hit, stem)
      stem = await deliverVideo(job, result, { video, requestId, stem })
      return result
    }
    // Right before the create, after the cache: only a video that will be created is paid for. A resume creates
    // nothing.
    if (!config.resumeRequestId) spending = job.budget.reserve(config, estimate, events.info)

    if (result.request && !config.resumeRequestId) events.debug?.(`Request body: ${JSON.stringify(result.request)}`)
    const requestId = await createOrResume(job, result)
    result.requestId = requestId
    events.requestId(requestId)
    if (!config.wait) {
      result.status = 'pending'
      events.info(`Not waiting ('wait: false'). Resume later with 'request-id: ${requestId}'.`)
      return result
    }
    const { final, waitMs } = await waitForVideo(job, requestId)
    result.timings.waitMs = waitMs
    takeFinalStatus(result, final, [config.apiKey, config.uploadUrl])
    const videoUrl = videoUrlOf(job, result, requestId, final)
    if (videoUrl === undefined) {
      // Zero Data Retention: the video is in the user's storage; there is nothing to download or upload.
      result.metadataPath = await writeMetadata(config, result, fileStem(config, requestId))
      result.timings.totalMs = Date.now() - startedAt
      return result
    }
    takeStoredOutput(
      result,
      final.stored,
      {
        createdAt: startedAt,
        requestId,
        secrets: [config.apiKey],
        resumed: config.resumeRequestId !== undefined,
        caching: cache !== undefined,
      },
      events,
    )
    events.jobDone?.(requestId)
    stem = await unusedFileStem(config, requestId, events)
    const downloadStart = Date.now()
    const video = await download(job, { videoUrl, requestId, stem })
    result.video = video
    result.timings.downloadMs = Date.now() - downloadStart
    result.status = 'done'
    events.videoSaved?.(video.path)
    if (cache && cacheKey && cacheablePublicUrl(config.publicUrl, result)) {
      const record = cachedRecordOf(result, requestId, video)
      if (await inLogGroup(events, `Saving to the cache (${cacheKey})`, () => cache.save(cacheKey, video.path, record)))
        events.info(`Saved to the cache as ${cacheKey}: the next run of this request costs nothing.`)
    }
    stem = await deliverVideo(job, result, { video, requestId, stem })
  } catch (error) {
    // A create the provider refused outright (a 4xx answer) made no job: its money is free again. Any other failure
    // may have made one, so its estimate stays spent.
    const answered = error instanceof ApiError && !error.notTheApi ? error.httpStatus : undefined
    if (!result.requestId && answered !== undefined && answered >= 400 && answered < 500) spending?.settle(0)
    await recordFailure(job, result, error as Error, stem)
  }
  if (result.costTicks !== undefined) spending?.settle(result.costTicks / 1e10)
  result.timings.totalMs = Date.now() - startedAt
  events.debug?.(`Timings: ${JSON.stringify(result.timings)}`)
  return result
}

/** The cache entry of the run's request, or undefined on a miss (said in the log). */
async function lookUpCache(cache: VideoCache, key: string, events: JobEvents): Promise<CacheHit | undefined> {
  const hit = await inLogGroup(events, `Looking up the cache (${key})`, () => cache.restore(key))
  if (!hit) events.info(`No cached video for ${key}; generating it.`)
  return hit
}

/** A cache hit stands in for create, wait and download: its video is placed under this job's own name. */
async function useCachedVideo(
  { config, events }: JobContext,
  result: RunResult,
  hit: CacheHit,
  stem: string,
): Promise<DownloadedVideo> {
  const { record } = hit
  events.fromCache?.(record.requestId)
  events.requestId(record.requestId)
  const video = await placeVideo(config, stem, { path: hit.videoPath, bytes: record.bytes, sha256: record.sha256 })
  applyCacheHit(result, hit)
  result.publicUrl = publicUrlFromCache(record.publicUrl, Date.now(), events)
  events.info(
    `Cache hit ${result.cacheKey}: the video of job ${record.requestId} (${record.createdAt}) was restored; no API call was made.`,
  )
  return video
}

/** Creates the job (or takes the one to resume); returns its id. */
async function createOrResume({ config, client, deadline, events }: JobContext, result: RunResult): Promise<string> {
  if (config.resumeRequestId) {
    events.info(
      `Resuming job ${config.resumeRequestId} at ${config.provider} (${config.baseUrl}); no new job is created.`,
    )
    return config.resumeRequestId
  }
  const request = config.request as CreateVideoRequest
  const parameters = [request.aspect_ratio, request.resolution, config.image && 'image-to-video']
    .filter(Boolean)
    .join(', ')
  events.info(
    `Creating ${describeJob(config.operation, request, config.video)} with ${request.model}${parameters ? ` (${parameters})` : ''} at ${config.provider} (${config.baseUrl})…`,
  )
  if (config.video?.upload) events.info(`Uploading ${config.video.label} through the Files API first…`)
  const createStart = Date.now()
  events.creating?.(true)
  const requestId = await client
    .create(request, deadline, config.operation, config.video)
    .finally(() => events.creating?.(false))
  result.timings.createMs = Date.now() - createStart
  // An id is shown, named in files and sent to the artifact service: one that echoes a secret is not used at all.
  if (carriesSecret(requestId, [config.apiKey, config.uploadUrl])) {
    throw new ApiError(
      'The create answer gave a request id that carries the API key (or the upload URL): it is not used, shown or ' +
        "polled. The job may exist at the provider: look for it in the provider's dashboard.",
      undefined,
    )
  }
  events.info(`Job created: ${requestId}`)
  return requestId
}

/** Polls until the job ends; returns its last status, whatever the end, and how long that took. */
async function waitForVideo(
  { config, client, deadline, events, options }: JobContext,
  requestId: string,
): Promise<{ final: VideoStatus; waitMs: number }> {
  const waitStart = Date.now()
  events.info(
    `Waiting for job ${requestId} (up to ${config.timeoutSeconds} s, checking at most every ${config.pollIntervalSeconds} s)…`,
  )
  const final = await pollUntilDone(client, requestId, {
    deadline,
    maxIntervalMs: config.pollIntervalSeconds * 1000,
    startedAt: waitStart,
    justCreated: !config.resumeRequestId,
    // A resumed job started at an unknown time, so a prior on its total time says nothing about what is left.
    prior: config.resumeRequestId ? undefined : jobTimePrior(jobHintOf(config)),
    timeoutSeconds: config.timeoutSeconds,
    heartbeatMs: options.heartbeatMs,
    // With upload-url the provider delivers the video there: done without a video URL is then success.
    pollContext: { uploadUrlSent: config.uploadUrl !== undefined },
    log: events.info,
  })
  return { final, waitMs: Date.now() - waitStart }
}

/**
 * What the result keeps of the job's last status. The provider's words are outside text that may echo a secret:
 * each is scrubbed, and a video URL that carries one is not kept at all (the download still has it, and decides).
 */
function takeFinalStatus(result: RunResult, status: VideoStatus, secrets: readonly (string | undefined)[]): void {
  const scrub = (text: string | undefined) => (text === undefined ? undefined : scrubAnswer(text, secrets))
  result.providerStatus = scrub(status.providerStatus)
  result.providerMessage =
    status.message === undefined ? undefined : shorten(scrubAnswer(status.message, secrets), ERROR_TEXT_LIMIT)
  result.model = scrub(status.model) ?? result.model
  result.videoUrl = status.videoUrl && carriesSecret(status.videoUrl, secrets) ? undefined : status.videoUrl
  result.durationSeconds = status.durationSeconds
  result.costTicks = status.costTicks
}

/**
 * The video URL of a job that ended done, or undefined when the provider delivered the video to `upload-url`
 * instead (Zero Data Retention). Throws for any end but done.
 */
function videoUrlOf(
  { config, events }: JobContext,
  result: RunResult,
  requestId: string,
  final: VideoStatus,
): string | undefined {
  if (final.state === 'done' && deliveredToUploadUrl(final, config.uploadUrl)) {
    result.videoUrl = undefined
    result.status = 'done'
    const where = `Job ${requestId} is done: the provider delivered the video to 'upload-url' (not shown)`
    ;(events.notice ?? events.info)(`${where}; nothing was downloaded or uploaded as an artifact.`)
    return undefined
  }
  if (final.state !== 'done' || !final.videoUrl) {
    const state = final.state === 'done' || final.state === 'pending' ? 'failed' : final.state
    throw new JobEndedError(state, requestId, final.message, ADVICE[state])
  }
  const waited = formatDuration(result.timings.waitMs ?? 0)
  events.info(`Job ${requestId} is done after ${waited}${costNote(result)}.`)
  warnIfOverEstimate(result, events)
  events.debug?.(`Video URL: ${final.videoUrl}`)
  return final.videoUrl
}

/** Fetches the finished video into `output-dir` as `<stem>.mp4`; returns the file it wrote. */
async function download(
  { config, deadline, events, options }: JobContext,
  { videoUrl, requestId, stem }: { videoUrl: string; requestId: string; stem: string },
): Promise<DownloadedVideo> {
  await mkdir(config.outputDir, { recursive: true })
  let video: DownloadedVideo
  try {
    video = await downloadVideo(videoUrl, path.join(config.outputDir, `${stem}.mp4`), {
      attempts: options.downloadAttempts,
      idleTimeoutMs: options.downloadIdleTimeoutMs,
      sleep: options.retrySleep,
      deadline,
      userAgent: options.userAgent,
      // A retry that may still succeed is news, not something to act on: a log line, not an annotation.
      log: (message) => events.info(message),
      info: (message) => events.info(message),
      api: { baseUrl: config.baseUrl, apiKey: config.apiKey },
    })
  } catch (error) {
    if (error instanceof VideoFetchError && error.outOfTime)
      throw new DownloadTimedOutError(requestId, config.timeoutSeconds, error.message)
    throw new DownloadError(requestId, (error as Error).message)
  }
  events.info(`Saved ${video.path} (${video.bytes} bytes, sha256 ${video.sha256}).`)
  return video
}

/**
 * Records why a job did not end `done`, and keeps its metadata JSON when the job exists. Past input validation
 * every run has a status: what has none of its own (the API unreachable, a local failure) is `error`, and once the
 * job exists its message says how to collect it. Only a budget refusal keeps the status empty: nothing was sent.
 */
export async function recordFailure(
  { config, events }: Pick<JobContext, 'config' | 'events'>,
  result: RunResult,
  error: Error,
  /** The stem the job's files got, when it got that far. */
  stem?: string,
): Promise<void> {
  let failure = error
  // A provider that answers 404 for an id the user gave does not know that job: the resume line would repeat what
  // just failed. (A job this run created may still become visible: its line stays.)
  const unknownJob = config.resumeRequestId !== undefined && error instanceof ApiError && error.httpStatus === 404
  if (result.requestId && !unknownJob && !(error instanceof GrokVideoError && error.status !== 'error')) {
    if (!(error instanceof JobInterruptedError)) failure = new JobInterruptedError(result.requestId, error)
  }
  result.error = withoutSecrets(failure, [config.apiKey, config.uploadUrl])
  // The summary, `results` and the annotation all show it: a provider's message may be as long as its answer.
  result.error.message = shorten(result.error.message, ERROR_TEXT_LIMIT)
  result.status = failure instanceof GrokVideoError ? failure.status : 'error'
  const { requestId } = result
  if (requestId && !result.metadataPath) {
    result.metadataPath = await writeMetadata(config, result, stem ?? fileStem(config, requestId)).catch((e: Error) => {
      events.warning(`Could not write the metadata JSON: ${e.message}`)
      return undefined
    })
  }
}

function warnIfOverEstimate(result: RunResult, events: JobEvents): void {
  if (result.costTicks === undefined || result.estimatedCostUsd === undefined) return
  if (result.costTicks / 1e10 > result.estimatedCostUsd + 1e-9) {
    events.warning(
      `The job cost $${ticksToUsd(result.costTicks)}, more than the estimate of $${formatUsd(result.estimatedCostUsd)}: the price table may be out of date.`,
    )
  }
}

/** What the wait's prior reads: the operation, the length and resolution asked for, the input video's length. */
function jobHintOf(config: ActionConfig): JobHint {
  // An edit makes a video as long as its input, which the request does not state; the input's length is known
  // when the action read the file (a local MP4 or a data URL), not for a URL.
  const { duration, resolution } = config.request ?? {}
  return { operation: config.operation, duration, resolution, inputSeconds: config.video?.seconds }
}

function costNote(result: RunResult): string {
  return result.costTicks !== undefined ? `, cost $${ticksToUsd(result.costTicks)}` : ''
}

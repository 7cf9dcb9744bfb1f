/**
 * The road every run takes: cache → budget → create (or resume) → wait → download → metadata and artifact. Free of
 * @actions/core: it reports through `PipelineEvents`, so a test, a script or a CLI can drive it as the action does.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { artifactNameOf, artifactNamesInRun, uploadVideo } from './artifact.js'
import { applyCacheHit, cachedRecordOf, cacheKeyOf, VideoCache, type CacheHit } from './cache.js'
import { downloadVideo, type DownloadedVideo } from './download.js'
import {
  ApiError,
  ArtifactUploadError,
  DownloadError,
  DownloadTimedOutError,
  GrokVideoError,
  JobEndedError,
  JobInterruptedError,
  SameRequestError,
  VideoFetchError,
} from './errors.js'
import { GrokClient, type CreateVideoRequest } from './grok/client.js'
import type { Pacer } from './grok/pacer.js'
import type { VideoStatus } from './grok/normalize.js'
import { describeJob, displayedRequest, deliveredToUploadUrl } from './grok/request.js'
import type { ActionConfig } from './inputs.js'
import { Budget, describePlan, estimateFor, type Spending } from './plan.js'
import { Previewer, type PreviewLog } from './preview.js'
import { publishStepPreviews } from './preview-publish.js'
import { formatUsd } from './pricing.js'
import { metadataOf, OUTPUT_NAMES, outputsOf, ticksToUsd, type OutputName, type RunResult } from './report.js'
import { carriesSecret, scrubAnswer, withoutSecrets } from './secrets.js'
import { formatDuration } from './format.js'
import { pollUntilDone } from './wait/loop.js'
import { jobTimePrior, type JobHint } from './wait/prior.js'

export interface PipelineEvents extends LogEvents, Pick<JobEvents, 'jobDone' | 'fromCache' | 'creating'> {
  /** Called with `request-id` the moment it is known, and with every output once the run ends. */
  output: (name: OutputName, value: string) => void
}

/** Where a run's lines go. */
export interface LogEvents {
  info: (message: string) => void
  warning: (message: string) => void
  /** Detail for someone debugging a run (the runner shows it with debug logging on). */
  debug?: (message: string) => void
  /** Runs `work` with what it logs (the artifact and cache clients' chatter) folded under `title`. */
  group?: <T>(title: string, work: () => Promise<T>) => Promise<T>
  /** A notice worth more than a log line (where a Zero Data Retention video went); `info` when absent. */
  notice?: (message: string) => void
}

/** Knobs for tests and benchmarks; the action uses the defaults. */
export interface PipelineOptions {
  requestTimeoutMs?: number
  downloadAttempts?: number
  downloadIdleTimeoutMs?: number
  heartbeatMs?: number
  userAgent?: string
}

const ADVICE: Record<JobEndedError['status'], string> = {
  failed: 'Fix what the provider names and run again; that creates (and bills) a new job.',
  moderated:
    'Content moderation withheld the video; the job is still billed. Change the prompt or image and run again.',
  expired: 'The result expired before it was collected; run again to create a new job.',
}

/** What one job reports while it runs. */
export interface JobEvents extends LogEvents {
  /** The job's id, the moment create answers (or the cached job's id on a cache hit). */
  requestId: (id: string) => void
  /** The provider's job ended done: from here on a cancelled run loses only the download, not the job. */
  jobDone?: (id: string) => void
  /** The video comes from the cache: job `id` was an earlier run's, and nothing runs at the provider for this one. */
  fromCache?: (id: string) => void
  /** A create request went out (true) or came back, answered or not (false): while one is out, a job may exist. */
  creating?: (inFlight: boolean) => void
}

/** A single run: one video, every output set at the end (`request-id` as soon as it is known). */
export async function generateVideo(
  config: ActionConfig,
  events: PipelineEvents,
  options: PipelineOptions = {},
): Promise<RunResult> {
  const client = createClient(config, events, options)
  let result: RunResult
  try {
    result = await runVideoJob(
      config,
      client,
      { ...events, requestId: (id) => events.output('request-id', id) },
      options,
    )
  } finally {
    client.close()
  }
  await publishStepPreviews(config.previewTarget, [result.preview], events)
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
  })
}

/**
 * One video, from request to artifact, on a client the caller owns (a batch shares one). Always returns a result;
 * `result.error` says why it did not end with `done`.
 */
export async function runVideoJob(
  config: ActionConfig,
  client: GrokClient,
  events: JobEvents,
  options: PipelineOptions = {},
  /** Shared by a batch's jobs, so ffmpeg is looked for (or fetched) once per step. */
  previewer = new Previewer(config.preview, events, { cwd: config.workspace }),
  /** The step's `max-cost-usd` ledger: a batch's jobs share one. */
  budget = new Budget(config.maxCostUsd),
): Promise<RunResult> {
  const startedAt = Date.now()
  const deadline = startedAt + config.timeoutSeconds * 1000
  // The run's one estimate: the output, the budget, the dry run and the over-estimate warning all read it.
  const estimate = estimateFor(config)
  const result: RunResult = {
    ...startingResult(config, startedAt),
    cacheKey: cacheKeyOf(config),
    estimatedCostUsd: estimate?.usd,
  }
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
    const cache = config.cache && result.cacheKey && !config.resumeRequestId ? new VideoCache(events) : undefined
    if (config.cache && config.resumeRequestId) {
      events.info(`Resuming job ${config.resumeRequestId}: the cache is neither read nor written for a resumed job.`)
    }
    const hit = cache && (await lookUp(cache, result, events))
    if (hit) {
      stem = await freeStem(config, hit.record.requestId, events)
      await useCachedVideo(config, result, hit, stem, events)
      stem = await deliver(config, result, stem, events, previewer)
      return result
    }
    // Right before the create, after the cache: only a video that will be created is paid for. A resume creates
    // nothing.
    if (!config.resumeRequestId) spending = budget.reserve(config, estimate, events.info)

    if (result.request && !config.resumeRequestId) events.debug?.(`Request body: ${JSON.stringify(result.request)}`)
    const requestId = await createOrResume(config, client, deadline, result, events)
    result.requestId = requestId
    events.requestId(requestId)
    if (!config.wait) {
      result.status = 'pending'
      events.info(`Not waiting ('wait: false'). Resume later with 'request-id: ${requestId}'.`)
      return result
    }
    const videoUrl = await waitForVideo(config, client, requestId, deadline, result, events, options)
    if (videoUrl === undefined) {
      // Zero Data Retention: the video is in the user's storage; there is nothing to download or upload.
      await writeMetadata(config, result, fileStem(config, requestId))
      result.timings.totalMs = Date.now() - startedAt
      return result
    }
    events.jobDone?.(requestId)
    stem = await freeStem(config, requestId, events)
    const video = await download(config, videoUrl, requestId, stem, deadline, result, events, options)
    if (cache) {
      const [key, record] = [result.cacheKey as string, cachedRecordOf(result, requestId, video)]
      if (await grouped(events, `Saving to the cache (${key})`, () => cache.save(key, video.path, record)))
        events.info(`Saved to the cache as ${key}: the next run of this request costs nothing.`)
    }
    stem = await deliver(config, result, stem, events, previewer)
  } catch (error) {
    // A create the provider refused outright (a 4xx answer) made no job: its money is free again. Any other failure
    // may have made one, so its estimate stays spent.
    const answered = error instanceof ApiError && !error.notTheApi ? error.httpStatus : undefined
    if (!result.requestId && answered !== undefined && answered >= 400 && answered < 500) spending?.settle(0)
    await settle(config, result, error as Error, stem, events)
  }
  if (result.costTicks !== undefined) spending?.settle(result.costTicks / 1e10)
  result.timings.totalMs = Date.now() - startedAt
  events.debug?.(`Timings: ${JSON.stringify(result.timings)}`)
  return result
}

/** The cache entry of the run's request, or undefined on a miss (said in the log). */
async function lookUp(cache: VideoCache, result: RunResult, events: JobEvents): Promise<CacheHit | undefined> {
  const key = result.cacheKey as string
  const hit = await grouped(events, `Looking up the cache (${key})`, () => cache.restore(key))
  if (!hit) events.info(`No cached video for ${key}; generating it.`)
  return hit
}

/**
 * Polls until the job ends; returns its video URL, or undefined when the provider delivered the video to
 * `upload-url` instead (Zero Data Retention). Throws for any end but done.
 */
async function waitForVideo(
  config: ActionConfig,
  client: GrokClient,
  requestId: string,
  deadline: number,
  result: RunResult,
  events: JobEvents,
  options: PipelineOptions,
): Promise<string | undefined> {
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
  result.timings.waitMs = Date.now() - waitStart
  record(result, final, [config.apiKey, config.uploadUrl])
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
  events.info(`Job ${requestId} is done after ${formatDuration(result.timings.waitMs)}${costNote(result)}.`)
  warnIfOverEstimate(result, events)
  events.debug?.(`Video URL: ${final.videoUrl}`)
  return final.videoUrl
}

/** Fetches the finished video into `output-dir` as `<stem>.mp4`. */
async function download(
  config: ActionConfig,
  videoUrl: string,
  requestId: string,
  stem: string,
  /** The job's deadline: waiting and downloading share `timeout-seconds`. */
  deadline: number,
  result: RunResult,
  events: JobEvents,
  options: PipelineOptions,
): Promise<DownloadedVideo> {
  await mkdir(config.outputDir, { recursive: true })
  const downloadStart = Date.now()
  try {
    result.video = await downloadVideo(videoUrl, path.join(config.outputDir, `${stem}.mp4`), {
      attempts: options.downloadAttempts,
      idleTimeoutMs: options.downloadIdleTimeoutMs,
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
  result.timings.downloadMs = Date.now() - downloadStart
  result.status = 'done'
  events.info(`Saved ${result.video.path} (${result.video.bytes} bytes, sha256 ${result.video.sha256}).`)
  return result.video
}

/**
 * Records why a job did not end `done`, and keeps its metadata JSON when the job exists. Past input validation
 * every run has a status: what has none of its own (the API unreachable, a local failure) is `error`, and once the
 * job exists its message says how to collect it. Only a budget refusal keeps the status empty: nothing was sent.
 */
async function settle(
  config: ActionConfig,
  result: RunResult,
  error: Error,
  stem: string | undefined,
  events: JobEvents,
): Promise<void> {
  let failure = error
  // A provider that answers 404 for an id the user gave does not know that job: the resume line would repeat what
  // just failed. (A job this run created may still become visible: its line stays.)
  const unknownJob = config.resumeRequestId !== undefined && error instanceof ApiError && error.httpStatus === 404
  if (result.requestId && !unknownJob && !(error instanceof GrokVideoError && error.status !== 'error')) {
    if (!(error instanceof JobInterruptedError)) failure = new JobInterruptedError(result.requestId, error)
  }
  result.error = withoutSecrets(failure, [config.apiKey, config.uploadUrl])
  result.status = failure instanceof GrokVideoError ? failure.status : 'error'
  if (result.requestId && !result.metadataPath) {
    await writeMetadata(config, result, stem ?? fileStem(config, result.requestId)).catch((e: Error) =>
      events.warning(`Could not write the metadata JSON: ${e.message}`),
    )
  }
}

/**
 * A batch job whose request is the same as an earlier job's (same cache key, same `user`): that job's outcome,
 * with its video copied under this job's own names and uploaded as this job's own artifact. Nothing is sent to the
 * API for it, so it costs nothing.
 */
export async function reuseVideoJob(
  config: ActionConfig,
  source: RunResult,
  sourceName: string,
  events: JobEvents,
  previewer = new Previewer(config.preview, events, { cwd: config.workspace }),
): Promise<RunResult> {
  const startedAt = Date.now()
  const result: RunResult = {
    ...startingResult(config, startedAt),
    cacheKey: source.cacheKey,
    estimatedCostUsd: 0,
    sameAs: sourceName,
  }
  let stem: string | undefined
  try {
    if (source.requestId) {
      result.requestId = source.requestId
      result.costTicks = 0
      events.requestId(source.requestId)
    }
    const video = source.video
    if (source.status !== 'done' || !video || !source.requestId) {
      result.status = source.status
      if (source.error) {
        result.error = new SameRequestError(
          `The same request as job '${sourceName}', which ended ${source.status ? `with status '${source.status}'` : 'without a status'}: not sent again. ${source.error.message}`,
          source.status,
        )
      }
      events.info(`The same request as job '${sourceName}': sharing its outcome (${source.status ?? 'none'}).`)
      if (result.requestId) await writeMetadata(config, result, fileStem(config, result.requestId))
      return result
    }
    stem = await freeStem(config, source.requestId, events)
    await placeVideo(config, result, stem, video)
    result.videoUrl = source.videoUrl
    result.durationSeconds = source.durationSeconds
    result.model = source.model
    result.cacheHit = source.cacheHit
    result.status = 'done'
    events.info(
      `The same request as job '${sourceName}': its video (job ${source.requestId}) is used again; nothing was sent.`,
    )
    stem = await deliver(config, result, stem, events, previewer)
  } catch (error) {
    await settle(config, result, error as Error, stem, events)
  }
  result.timings.totalMs = Date.now() - startedAt
  return result
}

/** Copies an existing video (a cache entry's, or an identical batch job's) to this job's own file. */
async function placeVideo(config: ActionConfig, result: RunResult, stem: string, source: DownloadedVideo) {
  await mkdir(config.outputDir, { recursive: true })
  const videoPath = path.join(config.outputDir, `${stem}.mp4`)
  if (path.resolve(source.path) !== path.resolve(videoPath)) await copyFile(source.path, videoPath)
  result.video = { path: videoPath, bytes: source.bytes, sha256: source.sha256 }
}

/** How many names `<stem>-2`, `<stem>-3`… are tried when the default name is taken. */
const NAME_ATTEMPTS = 20

/**
 * The stem of this job's files and artifact. A name the user chose is kept as it is (a clash is their error to
 * see). The default name, `grok-video-<request-id>`, can be taken already in this run (two steps restoring one
 * cache entry, or collecting one job): then the first free `<name>-2`, `<name>-3`… is used, so every step ends with
 * an artifact of its own.
 */
async function freeStem(config: ActionConfig, requestId: string, events: JobEvents): Promise<string> {
  const base = fileStem(config, requestId)
  if (!config.uploadArtifact || config.artifactNameFixed) return base
  const taken = await grouped(events, 'Checking which artifact names this run has taken', artifactNamesInRun)
  const stem = candidateStems(base).find((s) => !taken.has(artifactNameOf(s, config.archive))) ?? base
  if (stem !== base) {
    events.info(
      `This workflow run already has an artifact named '${artifactNameOf(base, config.archive)}'; using '${artifactNameOf(stem, config.archive)}'.`,
    )
  }
  return stem
}

function candidateStems(base: string): string[] {
  return [base, ...Array.from({ length: NAME_ATTEMPTS - 1 }, (_, i) => `${base}-${i + 2}`)]
}

/**
 * Writes the metadata JSON next to the MP4, then uploads the artifact when asked to. Returns the stem finally
 * used: when another job of the run took the default name in the meantime (409), the files are copied to the next
 * free name and uploaded again. The preview is made while the MP4 uploads; a zip (`archive: true`) carries the
 * poster and the GIF, so that upload waits for them.
 */
async function deliver(
  config: ActionConfig,
  result: RunResult,
  stem: string,
  events: JobEvents,
  previewer: Previewer,
): Promise<string> {
  await writeMetadata(config, result, stem)
  // The preview's lines are told after the upload, so they do not land inside its (folded) log group.
  const held: [keyof PreviewLog, string][] = []
  const hold: PreviewLog = {
    info: (message) => held.push(['info', message]),
    warning: (message) => held.push(['warning', message]),
  }
  const preview = previewer.make((result.video as DownloadedVideo).path, stem, hold)
  try {
    if (!config.uploadArtifact) return stem
    const files = config.archive ? (await preview).files : undefined
    const uploadStart = Date.now()
    // Counted from the default name, so a race lost on `<name>-2` goes on to `<name>-3`.
    const candidates = candidateStems(fileStem(config, result.requestId as string))
    for (let i = Math.max(0, candidates.indexOf(stem)); ; i++) {
      try {
        const name = stem
        const title = `Uploading the artifact (${config.archive ? 'a zip' : 'the MP4'})`
        result.artifact = await grouped(events, title, () =>
          uploadVideo({
            name,
            videoPath: (result.video as DownloadedVideo).path,
            metadataPath: result.metadataPath as string,
            extraFiles: files ? [files.posterPath, ...(files.gifPath ? [files.gifPath] : [])] : [],
            archive: config.archive,
            retentionDays: config.retentionDays,
          }),
        )
        break
      } catch (error) {
        const next = candidates[i + 1]
        if (!(error instanceof ArtifactUploadError && error.nameTaken) || config.artifactNameFixed || !next) throw error
        events.info(
          `Artifact '${artifactNameOf(stem, config.archive)}' was taken meanwhile; trying '${artifactNameOf(next, config.archive)}'.`,
        )
        const video = result.video as DownloadedVideo
        await placeVideo(config, result, next, video)
        await writeMetadata(config, result, next)
        stem = next
      }
    }
    result.timings.uploadMs = Date.now() - uploadStart
    const where = result.artifact.url ? `: ${result.artifact.url}` : ''
    events.info(`Uploaded artifact '${result.artifact.name}' (id ${result.artifact.id})${where}`)
    return stem
  } finally {
    result.preview = config.preview === 'false' ? undefined : await preview
    for (const [kind, message] of held) events[kind](message)
  }
}

/** Runs `work` in a log group when the caller folds its lines (a single run), else as it is (a batch). */
function grouped<T>(events: LogEvents, title: string, work: () => Promise<T>): Promise<T> {
  return events.group ? events.group(title, work) : work()
}

/** A cache hit stands in for create, wait and download: its video is placed under this job's own name. */
async function useCachedVideo(
  config: ActionConfig,
  result: RunResult,
  hit: CacheHit,
  stem: string,
  events: JobEvents,
): Promise<void> {
  const { record } = hit
  events.fromCache?.(record.requestId)
  events.requestId(record.requestId)
  await placeVideo(config, result, stem, { path: hit.videoPath, bytes: record.bytes, sha256: record.sha256 })
  applyCacheHit(result, hit)
  events.info(
    `Cache hit ${result.cacheKey}: the video of job ${record.requestId} (${record.createdAt}) was restored; no API call was made.`,
  )
}

function warnIfOverEstimate(result: RunResult, events: JobEvents): void {
  if (result.costTicks === undefined || result.estimatedCostUsd === undefined) return
  if (result.costTicks / 1e10 > result.estimatedCostUsd + 1e-9) {
    events.warning(
      `The job cost $${ticksToUsd(result.costTicks)}, more than the estimate of $${formatUsd(result.estimatedCostUsd)}: the price table may be out of date.`,
    )
  }
}

async function createOrResume(
  config: ActionConfig,
  client: GrokClient,
  deadline: number,
  result: RunResult,
  events: JobEvents,
): Promise<string> {
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
  events.info(`Job created: ${requestId}`)
  return requestId
}

/**
 * Keeps what the provider said of the finished job. Its words are outside text that may echo a secret: each is
 * scrubbed, and a video URL that carries one is not kept at all (the download still has it, and decides).
 */
function record(result: RunResult, status: VideoStatus, secrets: readonly (string | undefined)[]): void {
  const scrub = (text: string | undefined) => (text === undefined ? undefined : scrubAnswer(text, secrets))
  result.providerStatus = scrub(status.providerStatus)
  result.providerMessage = scrub(status.message)
  result.model = scrub(status.model) ?? result.model
  result.videoUrl = status.videoUrl && carriesSecret(status.videoUrl, secrets) ? undefined : status.videoUrl
  result.durationSeconds = status.durationSeconds
  result.costTicks = status.costTicks
}

async function writeMetadata(config: ActionConfig, result: RunResult, name: string): Promise<void> {
  await mkdir(config.outputDir, { recursive: true })
  const file = path.join(config.outputDir, `${name}.json`)
  await writeFile(file, `${JSON.stringify(metadataOf(result), null, 2)}\n`)
  result.metadataPath = file
}

/** What the wait's prior reads: the operation, the length and resolution asked for, the input video's length. */
function jobHintOf(config: ActionConfig): JobHint {
  // An edit makes a video as long as its input, which the request does not state; the input's length is known
  // when the action read the file (a local MP4 or a data URL), not for a URL.
  const { duration, resolution } = config.request ?? {}
  return { operation: config.operation, duration, resolution, inputSeconds: config.video?.seconds }
}

/** What every result of this step starts from: where it is sent, and the request as it may be shown. */
function startingResult(config: ActionConfig, startedAt: number): RunResult {
  return {
    provider: config.provider,
    baseUrl: config.baseUrl,
    operation: config.operation,
    inputVideo: config.video,
    request: shownRequest(config),
    timings: { startedAt: new Date(startedAt) },
  }
}

/** The request as logs, the summary and the metadata show it: data URLs as labels, the upload URL hidden. */
function shownRequest(config: ActionConfig): CreateVideoRequest | undefined {
  if (!config.request) return undefined
  return displayedRequest(config.request, {
    image: config.image?.label,
    referenceImages: config.referenceImages?.map((image) => image.label),
    video: config.video,
  })
}

function costNote(result: RunResult): string {
  return result.costTicks !== undefined ? `, cost $${ticksToUsd(result.costTicks)}` : ''
}

/** The MP4, its JSON and a zip artifact are named after `artifact-name`, else after the request id. */
function fileStem(config: ActionConfig, requestId: string): string {
  return config.artifactName ?? `grok-video-${requestId.replace(/[^A-Za-z0-9._-]/g, '-')}`
}

/**
 * The road every run takes: cache → budget → create (or resume) → wait → download → metadata and artifact. Free of
 * @actions/core: it reports through `PipelineEvents`, so a test, a script or a CLI can drive it as the action does.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { uploadVideo } from './artifact.js'
import { applyCacheHit, cachedRecordOf, cacheKeyOf, VideoCache } from './cache.js'
import { downloadVideo, type DownloadedVideo } from './download.js'
import { DownloadError, JobEndedError, type GrokVideoError } from './errors.js'
import { GrokClient, type CreateVideoRequest } from './grok/client.js'
import type { Pacer } from './grok/pacer.js'
import type { VideoStatus } from './grok/normalize.js'
import type { ActionConfig } from './inputs.js'
import { describePlan, enforceBudget } from './plan.js'
import { estimateCost, formatUsd } from './pricing.js'
import { metadataOf, OUTPUT_NAMES, outputsOf, ticksToUsd, type OutputName, type RunResult } from './report.js'
import { withoutSecrets } from './secrets.js'
import { formatDuration, pollUntilDone } from './wait.js'

export interface PipelineEvents {
  /** Called with `request-id` the moment it is known, and with every output once the run ends. */
  output: (name: OutputName, value: string) => void
  info: (message: string) => void
  warning: (message: string) => void
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
export interface JobEvents {
  /** The job's id, the moment create answers (or the cached job's id on a cache hit). */
  requestId: (id: string) => void
  info: (message: string) => void
  warning: (message: string) => void
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
      { requestId: (id) => events.output('request-id', id), info: events.info, warning: events.warning },
      options,
    )
  } finally {
    client.close()
  }
  const outputs = outputsOf(result)
  for (const name of OUTPUT_NAMES) if (name !== 'request-id' || !result.requestId) events.output(name, outputs[name])
  return result
}

export function createClient(
  config: ActionConfig,
  events: Pick<PipelineEvents, 'warning'>,
  options: PipelineOptions,
  pacer?: Pacer,
): GrokClient {
  return new GrokClient({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    requestTimeoutMs: options.requestTimeoutMs,
    userAgent: options.userAgent,
    log: events.warning,
    pacer,
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
): Promise<RunResult> {
  const startedAt = Date.now()
  const deadline = startedAt + config.timeoutSeconds * 1000
  // The run's one estimate: the output, the budget, the dry run and the over-estimate warning all read it.
  const estimate = config.request && estimateCost(config.request)
  const result: RunResult = {
    provider: config.provider,
    baseUrl: config.baseUrl,
    request: config.request && displayed(config.request, config.image?.label),
    cacheKey: cacheKeyOf(config),
    estimatedCostUsd: estimate?.usd,
    timings: { startedAt: new Date(startedAt) },
  }
  try {
    if (config.dryRun) {
      describePlan(config, result, estimate, events.info)
      return result
    }
    const cache = config.cache && result.cacheKey ? new VideoCache(events) : undefined
    if (cache && (await restoreFromCache(config, cache, result, events))) {
      await deliver(config, result, events)
      return result
    }
    // After the cache: a hit costs nothing, so only a video that will be created counts against the budget.
    enforceBudget(config, estimate, events.info)

    const requestId = await createOrResume(config, client, deadline, result, events)
    result.requestId = requestId
    events.requestId(requestId)
    if (!config.wait) {
      result.status = 'pending'
      events.info(`Not waiting ('wait: false'). Resume later with 'request-id: ${requestId}'.`)
      return result
    }
    const videoUrl = await waitForVideo(config, client, requestId, deadline, result, events, options)
    const video = await download(config, videoUrl, requestId, result, events, options)
    if (
      cache &&
      result.cacheKey &&
      (await cache.save(result.cacheKey, video.path, cachedRecordOf(result, requestId, video)))
    ) {
      events.info(`Saved to the cache as ${result.cacheKey}: the next run of this request costs nothing.`)
    }
    await deliver(config, result, events)
  } catch (error) {
    result.error = withoutSecrets(error as Error, [config.apiKey])
    const status = (error as Partial<GrokVideoError>).status
    if (status) result.status = status
    if (result.requestId && !result.metadataPath) {
      await writeMetadata(config, result, fileStem(config, result.requestId)).catch((e: Error) =>
        events.warning(`Could not write the metadata JSON: ${e.message}`),
      )
    }
  }
  result.timings.totalMs = Date.now() - startedAt
  return result
}

/** Restores the request's video from the cache into `output-dir`; false on a miss. */
async function restoreFromCache(
  config: ActionConfig,
  cache: VideoCache,
  result: RunResult,
  events: JobEvents,
): Promise<boolean> {
  const key = result.cacheKey as string
  const hit = await cache.restore(key)
  if (!hit) {
    events.info(`No cached video for ${key}; generating it.`)
    return false
  }
  const { requestId, createdAt } = hit.record
  events.requestId(requestId)
  await mkdir(config.outputDir, { recursive: true })
  const videoPath = path.join(config.outputDir, `${fileStem(config, requestId)}.mp4`)
  await copyFile(hit.videoPath, videoPath)
  applyCacheHit(result, hit, videoPath)
  events.info(`Cache hit ${key}: the video of job ${requestId} (${createdAt}) was restored; no API call was made.`)
  return true
}

/** Polls until the job ends; returns its video URL, or throws for any end but done. */
async function waitForVideo(
  config: ActionConfig,
  client: GrokClient,
  requestId: string,
  deadline: number,
  result: RunResult,
  events: JobEvents,
  options: PipelineOptions,
): Promise<string> {
  const waitStart = Date.now()
  events.info(
    `Waiting for job ${requestId} (up to ${config.timeoutSeconds} s, checking at most every ${config.pollIntervalSeconds} s)…`,
  )
  const final = await pollUntilDone(client, requestId, {
    deadline,
    maxIntervalMs: config.pollIntervalSeconds * 1000,
    startedAt: waitStart,
    justCreated: !config.resumeRequestId,
    timeoutSeconds: config.timeoutSeconds,
    heartbeatMs: options.heartbeatMs,
    log: events.info,
  })
  result.timings.waitMs = Date.now() - waitStart
  record(result, final)
  if (final.state !== 'done' || !final.videoUrl) {
    const state = final.state === 'done' || final.state === 'pending' ? 'failed' : final.state
    throw new JobEndedError(state, requestId, final.message, ADVICE[state])
  }
  events.info(`Job ${requestId} is done after ${formatDuration(result.timings.waitMs)}${costNote(result)}.`)
  warnIfOverEstimate(result, events)
  return final.videoUrl
}

/** Fetches the finished video into `output-dir`. */
async function download(
  config: ActionConfig,
  videoUrl: string,
  requestId: string,
  result: RunResult,
  events: JobEvents,
  options: PipelineOptions,
): Promise<DownloadedVideo> {
  await mkdir(config.outputDir, { recursive: true })
  const downloadStart = Date.now()
  try {
    result.video = await downloadVideo(videoUrl, path.join(config.outputDir, `${fileStem(config, requestId)}.mp4`), {
      attempts: options.downloadAttempts,
      idleTimeoutMs: options.downloadIdleTimeoutMs,
      userAgent: options.userAgent,
      log: events.warning,
    })
  } catch (error) {
    throw new DownloadError(requestId, (error as Error).message)
  }
  result.timings.downloadMs = Date.now() - downloadStart
  result.status = 'done'
  events.info(`Saved ${result.video.path} (${result.video.bytes} bytes, sha256 ${result.video.sha256}).`)
  return result.video
}

/** Writes the metadata JSON next to the MP4, then uploads the artifact when asked to. */
async function deliver(config: ActionConfig, result: RunResult, events: JobEvents): Promise<void> {
  const video = result.video as DownloadedVideo
  const name = fileStem(config, result.requestId as string)
  await writeMetadata(config, result, name)
  if (!config.uploadArtifact) return
  const uploadStart = Date.now()
  result.artifact = await uploadVideo({
    name,
    videoPath: video.path,
    metadataPath: result.metadataPath as string,
    archive: config.archive,
    retentionDays: config.retentionDays,
  })
  result.timings.uploadMs = Date.now() - uploadStart
  const where = result.artifact.url ? `: ${result.artifact.url}` : ''
  events.info(`Uploaded artifact '${result.artifact.name}' (id ${result.artifact.id})${where}`)
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
    `Creating a ${request.duration} s video with ${request.model}${parameters ? ` (${parameters})` : ''} at ${config.provider} (${config.baseUrl})…`,
  )
  const createStart = Date.now()
  const requestId = await client.create(request, deadline)
  result.timings.createMs = Date.now() - createStart
  events.info(`Job created: ${requestId}`)
  return requestId
}

function record(result: RunResult, status: VideoStatus): void {
  result.providerStatus = status.providerStatus
  result.providerMessage = status.message
  result.model = status.model ?? result.model
  result.videoUrl = status.videoUrl
  result.durationSeconds = status.durationSeconds
  result.costTicks = status.costTicks
}

async function writeMetadata(config: ActionConfig, result: RunResult, name: string): Promise<void> {
  await mkdir(config.outputDir, { recursive: true })
  const file = path.join(config.outputDir, `${name}.json`)
  await writeFile(file, `${JSON.stringify(metadataOf(result), null, 2)}\n`)
  result.metadataPath = file
}

/** The request as logs and records show it: a data-URL image is replaced by a short label. */
function displayed(request: CreateVideoRequest, imageLabel: string | undefined): CreateVideoRequest {
  return request.image && imageLabel ? { ...request, image: { url: imageLabel } } : request
}

function costNote(result: RunResult): string {
  return result.costTicks !== undefined ? `, cost $${ticksToUsd(result.costTicks)}` : ''
}

/** The MP4, its JSON and a zip artifact are named after `artifact-name`, else after the request id. */
function fileStem(config: ActionConfig, requestId: string): string {
  return config.artifactName ?? `grok-video-${requestId.replace(/[^A-Za-z0-9._-]/g, '-')}`
}

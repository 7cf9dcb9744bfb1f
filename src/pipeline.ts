/**
 * The road every run takes: create (or resume) → wait → download → metadata → artifact. Free of @actions/core:
 * it reports through `PipelineEvents`, so a test, a script or a future CLI can drive it as the action does.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { uploadVideo } from './artifact.js'
import { downloadVideo } from './download.js'
import { DownloadError, JobEndedError, type GrokVideoError } from './errors.js'
import { GrokClient, type CreateVideoRequest } from './grok/client.js'
import type { VideoStatus } from './grok/normalize.js'
import type { ActionConfig } from './inputs.js'
import { metadataOf, OUTPUT_NAMES, outputsOf, ticksToUsd, type OutputName, type RunResult } from './report.js'
import { formatDuration, pollUntilDone } from './wait.js'

export interface PipelineEvents {
  /** Called with `request-id` the moment it is known, and with every output once the run ends. */
  output(name: OutputName, value: string): void
  info(message: string): void
  warning(message: string): void
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
  moderated: 'Content moderation withheld the video; the job is still billed. Change the prompt or image and run again.',
  expired: 'The result expired before it was collected; run again to create a new job.',
}

/** Runs the pipeline and always returns a result; `result.error` says why it did not end with `done`. */
export async function generateVideo(config: ActionConfig, events: PipelineEvents, options: PipelineOptions = {}): Promise<RunResult> {
  const startedAt = Date.now()
  const deadline = startedAt + config.timeoutSeconds * 1000
  const result: RunResult = {
    provider: config.provider,
    baseUrl: config.baseUrl,
    request: config.request && displayed(config.request, config.image?.label),
    timings: { startedAt: new Date(startedAt) },
  }
  const client = new GrokClient({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    requestTimeoutMs: options.requestTimeoutMs,
    userAgent: options.userAgent,
    log: events.warning,
  })
  try {
    const requestId = await createOrResume(config, client, deadline, result, events)
    result.requestId = requestId
    events.output('request-id', requestId)
    if (!config.wait) {
      result.status = 'pending'
      events.info(`Not waiting ('wait: false'). Resume later with 'request-id: ${requestId}'.`)
      return result
    }

    const waitStart = Date.now()
    events.info(`Waiting for job ${requestId} (up to ${config.timeoutSeconds} s, checking at most every ${config.pollIntervalSeconds} s)…`)
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

    const name = fileStem(config, requestId)
    await mkdir(config.outputDir, { recursive: true })
    const downloadStart = Date.now()
    try {
      result.video = await downloadVideo(final.videoUrl, path.join(config.outputDir, `${name}.mp4`), {
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
    await writeMetadata(config, result, name)

    if (config.uploadArtifact) {
      const uploadStart = Date.now()
      result.artifact = await uploadVideo({
        name,
        videoPath: result.video.path,
        metadataPath: result.metadataPath as string,
        archive: config.archive,
        retentionDays: config.retentionDays,
      })
      result.timings.uploadMs = Date.now() - uploadStart
      events.info(`Uploaded artifact '${result.artifact.name}' (id ${result.artifact.id}): ${result.artifact.url}`)
    }
  } catch (error) {
    result.error = withoutSecret(error as Error, config.apiKey)
    const status = (error as Partial<GrokVideoError>).status
    if (status) result.status = status
    if (result.requestId && !result.metadataPath) {
      await writeMetadata(config, result, fileStem(config, result.requestId)).catch((e: Error) => events.warning(`Could not write the metadata JSON: ${e.message}`))
    }
  } finally {
    client.close()
    result.timings.totalMs = Date.now() - startedAt
    const outputs = outputsOf(result)
    for (const name of OUTPUT_NAMES) if (name !== 'request-id' || !result.requestId) events.output(name, outputs[name])
  }
  return result
}

async function createOrResume(config: ActionConfig, client: GrokClient, deadline: number, result: RunResult, events: PipelineEvents): Promise<string> {
  if (config.resumeRequestId) {
    events.info(`Resuming job ${config.resumeRequestId} at ${config.provider} (${config.baseUrl}); no new job is created.`)
    return config.resumeRequestId
  }
  const request = config.request as CreateVideoRequest
  const parameters = [request.aspect_ratio, request.resolution, config.image && 'image-to-video'].filter(Boolean).join(', ')
  events.info(`Creating a ${request.duration} s video with ${request.model}${parameters ? ` (${parameters})` : ''} at ${config.provider} (${config.baseUrl})…`)
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

/** A provider that echoes the key in an error message must not get it into the summary or the logs. */
function withoutSecret(error: Error, secret: string): Error {
  if (!error.message.includes(secret)) return error
  error.message = error.message.split(secret).join('***')
  return error
}

function costNote(result: RunResult): string {
  return result.costTicks !== undefined ? `, cost $${ticksToUsd(result.costTicks)}` : ''
}

/** The MP4, its JSON and a zip artifact are named after `artifact-name`, else after the request id. */
function fileStem(config: ActionConfig, requestId: string): string {
  return config.artifactName ?? `grok-video-${requestId.replace(/[^A-Za-z0-9._-]/g, '-')}`
}

/**
 * What a run tells the world in data: the `RunResult` every stage fills, the step outputs, the metadata JSON written
 * next to the MP4, and the one wording of each status and of a request's parameters (the job summary, in
 * summary.ts, and the pull-request comment use them). Pure functions, testable without a runner.
 */
import type { UploadedArtifact } from './artifact.js'
import type { DownloadedVideo } from './download.js'
import type { RunStatus } from './errors.js'
import type { Provider } from './grok/provider.js'
import type { CreateVideoRequest, Operation, VideoSource } from './grok/request.js'
import type { PreviewOutcome } from './preview.js'
import type { PublicUrl } from './public-url.js'
import { literal, plain } from './markdown.js'
import { formatUsd } from './pricing.js'
import { checkUrl, shownUrl } from './urls.js'

export const OUTPUT_NAMES = [
  'request-id',
  'status',
  'video-url',
  'video-path',
  'video-sha256',
  'video-bytes',
  'duration',
  'cost-usd',
  'metadata-path',
  'artifact-id',
  'artifact-url',
  'artifact-digest',
  'cache-hit',
  'cache-key',
  'estimated-cost-usd',
  'results',
  'poster-path',
  'preview-path',
  'preview-url',
  'video-attachment-url',
  'public-url',
  'release-asset-url',
] as const
export type OutputName = (typeof OUTPUT_NAMES)[number]

export interface RunTimings {
  startedAt: Date
  /** Milliseconds spent in each stage that ran. */
  createMs?: number
  waitMs?: number
  downloadMs?: number
  uploadMs?: number
  totalMs?: number
}

export interface RunResult {
  status?: RunStatus
  requestId?: string
  provider: Provider
  baseUrl: string
  /** `generate`, `edit` or `extend` (absent: generate). */
  operation?: Operation
  /** The input video of an edit or extension. */
  inputVideo?: VideoSource
  /** The request as sent, with data URLs replaced by their labels and the upload URL hidden. */
  request?: CreateVideoRequest
  providerStatus?: string
  providerMessage?: string
  model?: string
  videoUrl?: string
  durationSeconds?: number
  costTicks?: number
  video?: DownloadedVideo
  metadataPath?: string
  artifact?: UploadedArtifact
  /** The content-addressed key of the request (set whenever the request is known). */
  cacheKey?: string
  /** The video came from the cache: no API call, nothing billed by this run. */
  cacheHit?: boolean
  /** A batch job that reused this earlier job's video (the same request): its name. */
  sameAs?: string
  /** What the cached video cost when it was made. */
  cachedCostTicks?: number
  /** From the price table; undefined when the model has no known price. */
  estimatedCostUsd?: number
  /** The provider's lasting public copy (`public-url: true`), while it lasts. */
  publicUrl?: PublicUrl
  /** `release-tag`: the release the video's files were attached to, and the MP4 asset's download URL. */
  release?: { tag: string; assetUrl?: string }
  /** The poster and GIF, where they were published, or why there are none; undefined with `preview: false`. */
  preview?: PreviewOutcome
  /** The MP4 in GitHub's attachment store (it plays inside the pull request comment); set after the comment. */
  attachmentUrl?: string
  timings: RunTimings
  error?: Error
}

const TICKS_PER_USD = 10_000_000_000n

/** `usage.cost_in_usd_ticks` → dollars as exact decimal text: 500000000 → "0.05". */
export function ticksToUsd(ticks: number): string {
  const t = BigInt(Math.round(ticks))
  const whole = t / TICKS_PER_USD
  const fraction = (t % TICKS_PER_USD).toString().padStart(10, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : `${whole}`
}

/** Every output, empty where the run did not get that far. */
export function outputsOf(result: RunResult): Record<OutputName, string> {
  return {
    'request-id': result.requestId ?? '',
    status: result.status ?? '',
    'video-url': result.videoUrl ?? '',
    'video-path': result.video?.path ?? '',
    'video-sha256': result.video?.sha256 ?? '',
    'video-bytes': result.video ? String(result.video.bytes) : '',
    duration: result.durationSeconds !== undefined ? String(result.durationSeconds) : '',
    'cost-usd': result.costTicks !== undefined ? ticksToUsd(result.costTicks) : '',
    'metadata-path': result.metadataPath ?? '',
    'artifact-id': result.artifact ? String(result.artifact.id) : '',
    'artifact-url': result.artifact?.url ?? '',
    'artifact-digest': result.artifact?.digest ?? '',
    'cache-hit': result.cacheHit ? 'true' : 'false',
    'cache-key': result.cacheKey ?? '',
    'estimated-cost-usd': result.estimatedCostUsd !== undefined ? formatUsd(result.estimatedCostUsd) : '',
    results: '',
    'poster-path': result.preview?.files?.posterPath ?? '',
    'preview-path': result.preview?.files?.gifPath ?? '',
    'preview-url': result.preview?.url ?? '',
    'video-attachment-url': result.attachmentUrl ?? '',
    'public-url': result.publicUrl?.url ?? '',
    'release-asset-url': result.release?.assetUrl ?? '',
  }
}

/** The JSON record written next to the MP4. Holds no secret: the key is never part of a RunResult. */
export function metadataOf(result: RunResult): Record<string, unknown> {
  return {
    requestId: result.requestId ?? null,
    status: result.status ?? null,
    provider: result.provider,
    baseUrl: result.baseUrl,
    operation: result.operation ?? 'generate',
    inputVideo: result.inputVideo
      ? {
          label: result.inputVideo.label,
          ...('url' in result.inputVideo.identity
            ? { url: shownInputUrl(result.inputVideo.identity.url) }
            : result.inputVideo.identity),
          seconds: result.inputVideo.seconds ?? null,
        }
      : null,
    request: result.request ? withShownInputUrls(result.request) : null,
    model: result.model ?? result.request?.model ?? null,
    video: {
      url: result.videoUrl ?? null,
      path: result.video?.path ?? null,
      bytes: result.video?.bytes ?? null,
      sha256: result.video?.sha256 ?? null,
      durationSeconds: result.durationSeconds ?? null,
      // The output `video-attachment-url`: written again once the comment's uploads are made.
      attachmentUrl: result.attachmentUrl ?? null,
    },
    publicUrl: result.publicUrl
      ? {
          url: result.publicUrl.url,
          fileId: result.publicUrl.fileId ?? null,
          // An ISO time; null: permanent; 'unknown': a resumed job, whose expiry this run cannot know.
          expiresAt: result.publicUrl.expiryUnknown ? 'unknown' : (result.publicUrl.expiresAt ?? null),
        }
      : null,
    sameAs: result.sameAs ?? null,
    costUsd: result.costTicks !== undefined ? Number(ticksToUsd(result.costTicks)) : null,
    costInUsdTicks: result.costTicks ?? null,
    estimatedCostUsd: result.estimatedCostUsd ?? null,
    cache: {
      key: result.cacheKey ?? null,
      hit: result.cacheHit ?? false,
      originalCostInUsdTicks: result.cachedCostTicks ?? null,
    },
    timings: {
      startedAt: result.timings.startedAt.toISOString(),
      createMs: result.timings.createMs ?? null,
      waitMs: result.timings.waitMs ?? null,
      downloadMs: result.timings.downloadMs ?? null,
    },
  }
}

/**
 * The request as the JSON keeps it: the input URLs (first frame, reference images, video) without their query or
 * fragment, where a signed URL keeps its signature. The JSON is an artifact and a release asset others can read.
 */
function withShownInputUrls(request: CreateVideoRequest): CreateVideoRequest {
  return {
    ...request,
    ...(request.image ? { image: { ...request.image, url: shownInputUrl(request.image.url) } } : {}),
    ...(request.reference_images
      ? { reference_images: request.reference_images.map((image) => ({ ...image, url: shownInputUrl(image.url) })) }
      : {}),
    ...(request.video && 'url' in request.video ? { video: { url: shownInputUrl(request.video.url) } } : {}),
  }
}

function shownInputUrl(text: string): string {
  const { url } = checkUrl(text, { http: 'any' })
  return url ? shownUrl(url) : text
}

export const FROM_CACHE = 'from the cache'

/** Whether a `statusText` says done, whether made for this job or not ("done (from the cache)"). */
export const saysDone = (status: string): boolean => status === 'done' || status.startsWith('done (')

/**
 * The one wording of where a job got to, for the summary, the batch table and the PR comment: its status, and
 * where its video came from when it was not made for it. "not started" only for a job that never got a request
 * id; `requestId` is the id known for a batch job still running (it has no result yet).
 */
export function statusText(result: RunResult | undefined, requestId?: string): string {
  if (!result) return requestId ? 'running' : 'not started'
  const status = result.status ?? (result.requestId ? 'error' : 'not started')
  if (result.sameAs !== undefined) return `${status} (same as ${result.sameAs})`
  return result.cacheHit ? `${status} (${FROM_CACHE})` : status
}

/** "5 s, 16:9, 720p": the request's parameters in a few words (an edit keeps its input's length). */
export function describeParameters(request: CreateVideoRequest): string {
  return parameterParts(request, (url) => url).join(', ')
}

/** describeParameters() as Markdown: the image URLs (from a user or a prompts file) shown as code. */
export function parametersMarkdown(request: CreateVideoRequest): string {
  return parameterParts(request, literal, plain).join(', ')
}

function parameterParts(
  request: CreateVideoRequest,
  url: (text: string) => string,
  ours: (text: string) => string = (text) => text,
): string[] {
  const parts = [ours(request.duration !== undefined ? `${request.duration} s` : 'length of the input video')]
  if (request.aspect_ratio) parts.push(ours(request.aspect_ratio))
  if (request.resolution) parts.push(ours(request.resolution))
  if (request.image) parts.push(`first frame: ${url(request.image.url)}`)
  if (request.reference_images) {
    parts.push(`reference images: ${request.reference_images.map((image) => url(image.url)).join(', ')}`)
  }
  // Voice ids are checked letters, digits, '_' and '-': shown as code all the same, as the user wrote them.
  if (request.reference_audios) {
    parts.push(`reference voices: ${request.reference_audios.map((voice) => url(voice.voice_id)).join(', ')}`)
  }
  return parts
}

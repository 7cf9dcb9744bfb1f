/**
 * The create requests of the video API: which endpoint each operation posts to, which fields each one accepts, the
 * JSON body built from validated inputs, and that body as logs and records may show it (data URLs as short labels,
 * the upload URL hidden). Pure: the HTTP exchange is the client's.
 */

/** `generate` (text/image/reference-to-video), `edit` (video-to-video) and `extend` (more of a video). */
export const OPERATIONS = ['generate', 'edit', 'extend'] as const
export type Operation = (typeof OPERATIONS)[number]

/** `POST {base-url}/<path>` per operation; all three are collected with `GET {base-url}/videos/{id}`. */
const CREATE_PATHS: Record<Operation, string> = {
  generate: 'videos/generations',
  edit: 'videos/edits',
  extend: 'videos/extensions',
}

/** A picture or a video as the API takes it: a public URL or data URL, or a file uploaded to xAI's Files API. */
export type MediaRef = { url: string } | { file_id: string }

/**
 * The JSON body of a create request: only the fields the user set, and only those the operation accepts
 * (`generate`: all but `video`; `edit`: prompt, video, model, user, output; `extend`: prompt, video, model,
 * duration, output).
 */
export interface CreateVideoRequest {
  prompt: string
  model: string
  /** `generate`: 1–15 s; `extend`: the added part, 2–10 s; never sent for `edit`. */
  duration?: number
  aspect_ratio?: string
  resolution?: string
  image?: { url: string }
  reference_images?: { url: string }[]
  /** Voices for reference-to-video, named in the prompt `<AUDIO_0>`…; only beside `reference_images`. */
  reference_audios?: { voice_id: string }[]
  /** The input video of `edit` and `extend`; a large local file gets its `file_id` only once it is uploaded. */
  video?: MediaRef
  user?: string
  /** Zero Data Retention: the provider PUTs the MP4 to this signed URL. */
  output?: { upload_url: string }
  /** xAI keeps the video at a lasting public URL (`expires_after` seconds; absent: permanent). */
  storage_options?: { filename: string; public_url: true; expires_after?: number }
}

/** Empty `duration` means this for the operations that take one. */
export const DEFAULT_DURATION: Record<Exclude<Operation, 'edit'>, number> = { generate: 1, extend: 6 }

/** Whole seconds each operation accepts in `duration`. */
export const DURATION_RANGE: Record<Exclude<Operation, 'edit'>, [number, number]> = {
  generate: [1, 15],
  extend: [2, 10],
}

/** How long an input video may play, in seconds (the provider refuses others, some only while polling). */
export const INPUT_VIDEO_SECONDS: Record<Exclude<Operation, 'generate'>, { min: number; max: number }> = {
  edit: { min: 0, max: 8.7 },
  extend: { min: 2, max: 15 },
}

/** The inputs an operation refuses, by input name. */
export const FORBIDDEN_INPUTS: Record<Operation, readonly string[]> = {
  generate: ['video'],
  edit: ['duration', 'aspect-ratio', 'resolution', 'image', 'reference-images', 'reference-voices'],
  extend: ['aspect-ratio', 'resolution', 'image', 'reference-images', 'reference-voices', 'user'],
}

export const MAX_REFERENCE_IMAGES = 7
export const MAX_REFERENCE_VOICES = 3

/** The input video of an edit or extension, with what the logs, the cache key and the price estimate need. */
export interface VideoSource {
  /** What is sent as `video`; undefined while a large local file waits for its Files API upload. */
  ref?: MediaRef
  /** A local MP4 too large to inline: uploaded through the Files API just before the create request. */
  upload?: { path: string; bytes: number }
  /** For logs, the summary and the metadata: the URL, or the file's path and size; never a data URL. */
  label: string
  /** The video's identity in the cache key: its bytes' SHA-256, or its URL. */
  identity: { sha256: string } | { url: string }
  /** Its length, when read from the MP4's header. */
  seconds?: number
}

/** Where the create request of `operation` is posted. */
export function createUrl(baseUrl: string, operation: Operation): string {
  return `${baseUrl.replace(/\/+$/, '')}/${CREATE_PATHS[operation]}`
}

/** True when the request asks the provider to deliver the video to an upload URL (Zero Data Retention). */
export function sendsUploadUrl(request: CreateVideoRequest | undefined): boolean {
  return Boolean(request?.output?.upload_url)
}

/**
 * True when a finished job's video went to the upload URL instead of a download: it names no video URL (normalised
 * to `done` only because one was sent), or names the upload URL itself (with or without its signature).
 */
export function deliveredToUploadUrl(status: { videoUrl?: string }, uploadUrl: string | undefined): boolean {
  if (!uploadUrl) return false
  if (!status.videoUrl) return true
  const unsigned = (url: string) => url.split('?')[0]
  return status.videoUrl === uploadUrl || unsigned(status.videoUrl) === unsigned(uploadUrl)
}

/** What stands for the upload URL wherever a request is shown: it is a credential. */
export const HIDDEN_UPLOAD_URL = '*** (upload-url, not shown)'

export interface RequestLabels {
  image?: string
  referenceImages?: string[]
  video?: VideoSource
}

/**
 * The request as logs, the summary and the metadata JSON show it: data URLs replaced by their labels, a pending
 * upload by the file it will send, and the upload URL hidden.
 */
export function displayedRequest(request: CreateVideoRequest, labels: RequestLabels = {}): CreateVideoRequest {
  const shown: CreateVideoRequest = { ...request }
  if (request.image && labels.image) shown.image = { url: labels.image }
  if (request.reference_images && labels.referenceImages) {
    shown.reference_images = request.reference_images.map((image, i) => ({
      url: labels.referenceImages?.[i] ?? image.url,
    }))
  }
  if (
    labels.video &&
    (labels.video.upload || (request.video && 'url' in request.video && request.video.url.startsWith('data:')))
  ) {
    shown.video = labels.video.upload
      ? { file_id: `(Files API upload of ${labels.video.label})` }
      : { url: labels.video.label }
  }
  if (request.output) shown.output = { upload_url: HIDDEN_UPLOAD_URL }
  return shown
}

/** "edit of <video>" / "5 s extension of <video>" / "5 s video": what is being made, for log lines. */
export function describeJob(operation: Operation, request: CreateVideoRequest, video?: VideoSource): string {
  if (operation === 'edit') return `an edit of ${video?.label ?? 'the input video'}`
  if (operation === 'extend') return `a ${request.duration} s extension of ${video?.label ?? 'the input video'}`
  const count = request.reference_images?.length ?? 0
  const references = count ? ` from ${count} reference image${count === 1 ? '' : 's'}` : ''
  return `a ${request.duration} s video${references}`
}

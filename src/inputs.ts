/**
 * Every input, read in one place and turned into a typed, validated `ActionConfig`. A bad value throws an
 * `InputError` naming the input and what it accepts, before any request is sent.
 */
import { isIP } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { InputError } from './errors.js'
import type { PreviewMode } from './ffmpeg.js'
import { previewTargetFrom, type PreviewTarget } from './preview-publish.js'
import {
  DEFAULT_DURATION,
  DURATION_RANGE,
  FORBIDDEN_INPUTS,
  MAX_REFERENCE_IMAGES,
  OPERATIONS,
  type CreateVideoRequest,
  type Operation,
  type VideoSource,
} from './grok/request.js'
import { REQUEST_ID, REQUEST_ID_FORM } from './grok/normalize.js'
import { readVideo } from './input-video.js'
import { hasControlCharacter } from './links.js'
import { readNamedFile, resolveInWorkspace } from './workspace-paths.js'

const ASPECT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'] as const
const RESOLUTIONS = ['480p', '720p', '1080p'] as const
const DEFAULT_BASE_URL = 'https://api.cometapi.com/grok/v1'
export const DEFAULT_MODEL = 'grok-imagine-video'
const MAX_PROMPT_CHARS = 4096
/** Any model id of this form is sent as given, so a new model works without a new release. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/
const MAX_IMAGE_BYTES = 10 * 1024 * 1024
/** The shortest `poll-interval-seconds` against a real provider. */
const MIN_REMOTE_POLL_SECONDS = 1
/** Characters the artifact service refuses in a name. */
const FORBIDDEN_NAME_CHARS = /[":<>|*?\\/\r\n]/

export type Provider = 'CometAPI' | 'xAI' | 'custom'
/** Which API a base-url speaks, for what only one of them offers (the Files API, extensions). */
export type ApiFamily = 'CometAPI' | 'xAI' | undefined

export interface ImageInput {
  /** What is sent as `image.url`: the https URL, or a data URL. */
  url: string
  /** What the logs, summary and metadata show instead of a long data URL. */
  label: string
}

export interface ActionConfig {
  apiKey: string
  baseUrl: string
  provider: Provider
  /** Judged by host, then by path (`…/grok/v1`: CometAPI, `…/v1`: xAI); undefined when neither. */
  apiFamily: ApiFamily
  /** What the job does: generate, edit or extend a video. */
  operation: Operation
  /** The create request; absent when resuming (`request-id`) without a prompt. */
  request?: CreateVideoRequest
  /** Shown in the summary without the image's data URL. */
  image?: ImageInput
  /** `reference-images`, for their labels. */
  referenceImages?: ImageInput[]
  /** The input video of `edit` and `extend`. */
  video?: VideoSource
  /**
   * Zero Data Retention: the signed URL the provider delivers the video to (a credential: masked, never shown).
   * When set, a job that ends done without a video URL is a success with nothing to download.
   */
  uploadUrl?: string
  /** Set to resume an existing job instead of creating one. */
  resumeRequestId?: string
  wait: boolean
  timeoutSeconds: number
  pollIntervalSeconds: number
  outputDir: string
  /** Undefined means `grok-video-<request-id>`, known only once the job exists. */
  artifactName?: string
  /** The user set `artifact-name`: it is used as given. A name of the action's own takes a suffix when taken. */
  artifactNameFixed?: boolean
  uploadArtifact: boolean
  archive: boolean
  retentionDays?: number
  /** Reuse a video made earlier from the same request, through the runner's cache service. */
  cache: boolean
  /** Validate and print the plan; send nothing. */
  dryRun: boolean
  /** Refuse to create a job whose estimated cost exceeds this many dollars (for a batch: the total). */
  maxCostUsd?: number
  /** Set with `prompts-file`: the step runs every job of the file. */
  batch?: BatchSettings
  /** Poster and GIF: `auto` with an ffmpeg on PATH, `true` also fetching one, `false` none. */
  preview: PreviewMode
  /** `preview-branch` and how to write to it; undefined when the input is empty. */
  previewTarget?: PreviewTarget
  /** Create or update one comment on the pull request with the result. */
  commentOnPr: boolean
  githubToken?: string
  /** Where relative paths (prompt files, images) are resolved. */
  workspace: string
}

export interface BatchSettings {
  /** `prompts-file`, relative to the workspace. */
  file: string
  /** The step's own video inputs, the defaults of every job. */
  defaults: VideoFields
  maxConcurrency: number
  failFast: boolean
}

export interface InputSource {
  /** Reads an input's value (trimmed, '' when unset), as `core.getInput` does. */
  getInput: (name: string) => string
  /** Hides a value from the logs; called with the API key before anything else happens. */
  mask: (secret: string) => void
  env?: NodeJS.ProcessEnv
}

export async function readInputs({ getInput, mask, env = process.env }: InputSource): Promise<ActionConfig> {
  const apiKey = getInput('api-key')
  if (apiKey) mask(apiKey)
  if (!apiKey)
    throw new InputError(
      'api-key',
      "is required: a CometAPI key, or an xAI key together with 'base-url: https://api.x.ai/v1'.",
    )

  // A credential too: masked before anything could print it.
  const uploadUrlText = readSecret(getInput('upload-url'), mask)
  if (uploadUrlText) maskQuery(uploadUrlText, mask)

  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const baseUrl = parseBaseUrl(getInput('base-url') || DEFAULT_BASE_URL)
  const apiFamily = apiFamilyOf(baseUrl)
  const resumeRequestId = getInput('request-id') || undefined
  if (resumeRequestId && !REQUEST_ID.test(resumeRequestId)) {
    throw new InputError(
      'request-id',
      `must be the id of a video job (${REQUEST_ID_FORM}), such as an earlier step's 'request-id' output; got ${quoted(resumeRequestId)}.`,
    )
  }
  const promptsFile = getInput('prompts-file') || undefined
  const jobDefaults: VideoFields = Object.fromEntries(VIDEO_FIELDS.map((name) => [name, getInput(name)])) as VideoFields
  // In a batch the step's video inputs are only defaults for its jobs; resuming needs no prompt or video at all.
  const spec = await videoRequestFrom(jobDefaults, {
    workspace,
    apiFamily,
    promptOptional: resumeRequestId !== undefined || promptsFile !== undefined,
    defaults: promptsFile !== undefined,
  })
  if (promptsFile && resumeRequestId) {
    throw new InputError(
      'request-id',
      "cannot be combined with 'prompts-file': resume the jobs of a batch one at a time.",
    )
  }
  const cache = parseBoolean('cache', getInput('cache'), false)
  const uploadUrl = uploadUrlText ? parseUploadUrl(uploadUrlText) : undefined
  if (uploadUrl && cache) {
    throw new InputError(
      'upload-url',
      "cannot be combined with 'cache: true': the video goes to your storage, not to the runner, so there is nothing to cache.",
    )
  }
  if (uploadUrl && promptsFile) {
    throw new InputError(
      'upload-url',
      "cannot be combined with 'prompts-file': one signed URL holds one video; run one step per upload URL.",
    )
  }
  const request = spec.request && uploadUrl ? { ...spec.request, output: { upload_url: uploadUrl } } : spec.request

  const timeoutSeconds = parsePositive('timeout-seconds', getInput('timeout-seconds') || '600')
  const pollIntervalSeconds = parsePositive('poll-interval-seconds', getInput('poll-interval-seconds') || '5')
  // Sub-second checks are for a local emulator (tests, benchmarks); a real provider would see a flood.
  if (pollIntervalSeconds < MIN_REMOTE_POLL_SECONDS && !isLoopback(new URL(baseUrl).hostname)) {
    throw new InputError(
      'poll-interval-seconds',
      `must be at least ${MIN_REMOTE_POLL_SECONDS} second (shorter only with a loopback 'base-url' such as a local emulator); got '${getInput('poll-interval-seconds')}'.`,
    )
  }
  if (timeoutSeconds < pollIntervalSeconds) {
    throw new InputError(
      'timeout-seconds',
      `(${timeoutSeconds}) must be at least 'poll-interval-seconds' (${pollIntervalSeconds}).`,
    )
  }
  const retentionText = getInput('retention-days')
  const retentionDays = retentionText ? parseInteger('retention-days', retentionText, 1, 90) : undefined
  const artifactName = parseArtifactName(getInput('artifact-name'))
  const maxCostText = getInput('max-cost-usd')
  if (maxCostText && !/^\d+(\.\d+)?$/.test(maxCostText)) {
    throw new InputError('max-cost-usd', `must be an amount of US dollars such as 0.5 or 2; got '${maxCostText}'.`)
  }

  const githubToken = readSecret(getInput('github-token'), mask)
  return {
    apiKey,
    baseUrl,
    provider: providerOf(baseUrl),
    apiFamily,
    operation: spec.operation,
    request,
    image: spec.image,
    referenceImages: spec.referenceImages,
    video: spec.video,
    uploadUrl,
    resumeRequestId,
    wait: parseBoolean('wait', getInput('wait'), true),
    timeoutSeconds,
    pollIntervalSeconds,
    outputDir: path.resolve(
      workspace,
      getInput('output-dir') || path.join(env.RUNNER_TEMP || os.tmpdir(), 'grok-video'),
    ),
    artifactName,
    artifactNameFixed: artifactName !== undefined,
    uploadArtifact: parseBoolean('upload-artifact', getInput('upload-artifact'), true),
    archive: parseBoolean('archive', getInput('archive'), false),
    retentionDays,
    cache,
    dryRun: parseBoolean('dry-run', getInput('dry-run'), false),
    maxCostUsd: maxCostText ? Number(maxCostText) : undefined,
    batch: promptsFile
      ? {
          file: promptsFile,
          defaults: jobDefaults,
          maxConcurrency: parseInteger('max-concurrency', getInput('max-concurrency') || '3', 1, 20),
          failFast: parseBoolean('fail-fast', getInput('fail-fast'), false),
        }
      : undefined,
    preview: parsePreviewMode(getInput('preview')),
    commentOnPr: parseBoolean('comment-on-pr', getInput('comment-on-pr'), false),
    githubToken,
    previewTarget: previewTargetFrom(parseBranchName('preview-branch', getInput('preview-branch')), githubToken, env),
    workspace,
  }
}

/**
 * The video inputs that may name a local file. Named inside a prompts file, such a path must stay inside the
 * workspace (see workspace-paths.ts); a new input that reads a file belongs here.
 */
export const PATH_FIELDS = ['prompt-file', 'image', 'reference-images', 'video'] as const
export type PathField = (typeof PATH_FIELDS)[number]

/** Whether `text`, given to `field`, names a file (an image or a video may be a URL instead). */
function namesLocalFile(field: PathField, text: string): boolean {
  if (!text) return false
  return field === 'prompt-file' || !/^(https?:\/\/|data:)/i.test(text)
}

/** The inputs that describe one video: the step's, or a batch job's on top of them. */
export const VIDEO_FIELDS = [
  'operation',
  'prompt',
  'prompt-file',
  'model',
  'duration',
  'aspect-ratio',
  'resolution',
  'image',
  'reference-images',
  'video',
  'user',
] as const
export type VideoFields = Record<(typeof VIDEO_FIELDS)[number], string>

/** One video's validated request and what its logs need to show it. */
export interface VideoSpec {
  operation: Operation
  /** Absent when the prompt may be missing and is (resuming, batch defaults). */
  request?: CreateVideoRequest
  image?: ImageInput
  referenceImages?: ImageInput[]
  video?: VideoSource
}

export interface VideoSpecContext {
  workspace: string
  apiFamily: ApiFamily
  /** No prompt (and no input video) is fine: resuming, or a batch's defaults; then there is no request. */
  promptOptional: boolean
  /** A batch's step-level defaults: inputs the step's operation refuses are left for each job to judge. */
  defaults?: boolean
  /** Images already read, by the text that named them (a batch reads and encodes each one once). */
  images?: Map<string, ImageInput | undefined>
  /** Fields whose paths must stay inside the workspace: those a prompts file's job names itself. */
  confined?: ReadonlySet<PathField>
}

/** Why an operation refuses an input, said in the error. */
const REFUSAL_REASONS: Record<string, string> = {
  video: "'video' is the input of 'operation: edit' or 'operation: extend'",
  duration: "an edit keeps its input video's length",
  'aspect-ratio': "the result keeps its input video's aspect ratio",
  resolution: "the result keeps its input video's resolution (at most 720p)",
  image: "a first frame belongs to 'operation: generate'",
  'reference-images': "reference images belong to 'operation: generate'",
  user: 'the extensions endpoint takes no end-user id',
}

/** Validates one video's fields into its create request. */
export async function videoRequestFrom(fields: VideoFields, context: VideoSpecContext): Promise<VideoSpec> {
  const { workspace, promptOptional } = context
  // Checked before anything is read, and before the image cache could answer for a path it has seen elsewhere.
  for (const field of context.confined ?? []) {
    for (const text of field === 'reference-images' ? fields[field].split(/\r?\n/) : [fields[field]]) {
      if (namesLocalFile(field, text.trim())) await resolveInWorkspace(field, text.trim(), workspace)
    }
  }
  const operation = oneOf('operation', fields.operation, OPERATIONS) ?? 'generate'
  const set = (name: string): boolean => fields[name as keyof VideoFields] !== ''
  const refused = FORBIDDEN_INPUTS[operation].filter(set)
  if (refused.length && !context.defaults) {
    const name = refused[0]
    throw new InputError(
      name,
      `is not accepted with 'operation: ${operation}' (${REFUSAL_REASONS[name]}): leave it empty, or choose another 'operation'.`,
    )
  }
  const use = (name: keyof VideoFields): string => (refused.includes(name) ? '' : fields[name])

  const prompt = await readPrompt(fields.prompt, fields['prompt-file'], workspace, promptOptional)
  const model = fields.model || DEFAULT_MODEL
  if (!MODEL_ID.test(model)) {
    throw new InputError(
      'model',
      `must be a model id: letters, digits, '.', '_', '-', ':' and '/' (at most 128 characters), such as '${DEFAULT_MODEL}'; got ${quoted(model)}.`,
    )
  }
  const duration =
    operation === 'edit'
      ? undefined
      : parseInteger('duration', use('duration') || String(DEFAULT_DURATION[operation]), ...DURATION_RANGE[operation])
  const aspectRatio = oneOf('aspect-ratio', use('aspect-ratio'), ASPECT_RATIOS)
  const resolution = oneOf('resolution', use('resolution'), RESOLUTIONS)
  if (resolution === '1080p' && model === DEFAULT_MODEL) {
    throw new InputError(
      'resolution',
      `'1080p' needs a 1.5 model (e.g. 'model: grok-imagine-video-1.5'); '${model}' accepts 480p or 720p.`,
    )
  }
  const readOnce = async (text: string, input: string): Promise<ImageInput | undefined> => {
    if (context.images?.has(text)) return context.images.get(text)
    const read = await readImage(text, workspace, input)
    context.images?.set(text, read)
    return read
  }
  const image = await readOnce(use('image'), 'image')
  const referenceImages = await readReferenceImages(use('reference-images'), (line) =>
    readOnce(line, 'reference-images'),
  )
  if (referenceImages && image) {
    throw new InputError(
      'reference-images',
      "cannot be combined with 'image': give either a first frame ('image') or up to 7 reference images.",
    )
  }
  if (referenceImages && resolution === '1080p') {
    throw new InputError('reference-images', "cannot be combined with 'resolution: 1080p': use 480p or 720p.")
  }
  const videoText = use('video')
  if (operation !== 'generate' && !videoText && !promptOptional) {
    throw new InputError(
      'video',
      `is required with 'operation: ${operation}': the path of a local MP4 (e.g. a previous step's 'video-path') or an https URL (e.g. its 'video-url', empty after a cache hit).`,
    )
  }
  const video =
    operation !== 'generate' && videoText
      ? await readVideo(videoText, { operation, workspace, family: context.apiFamily })
      : undefined
  const user = use('user') || undefined
  if (prompt === undefined) return { operation, image, referenceImages, video }
  const request: CreateVideoRequest = {
    prompt,
    ...(video ? { video: video.ref } : {}),
    model,
    ...(duration !== undefined ? { duration } : {}),
    ...(aspectRatio ? { aspect_ratio: aspectRatio } : {}),
    ...(resolution ? { resolution } : {}),
    ...(image ? { image: { url: image.url } } : {}),
    ...(referenceImages ? { reference_images: referenceImages.map((reference) => ({ url: reference.url })) } : {}),
    ...(user ? { user } : {}),
  }
  return { operation, request, image, referenceImages, video }
}

/** `reference-images`: one image per line, each written as `image` accepts. */
async function readReferenceImages(
  text: string,
  read: (line: string) => Promise<ImageInput | undefined>,
): Promise<ImageInput[] | undefined> {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  if (lines.length === 0) return undefined
  if (lines.length > MAX_REFERENCE_IMAGES) {
    throw new InputError(
      'reference-images',
      `lists ${lines.length} images; at most ${MAX_REFERENCE_IMAGES} are accepted (the prompt names them <IMAGE_0> to <IMAGE_6>).`,
    )
  }
  const images: ImageInput[] = []
  for (const line of lines) images.push((await read(line)) as ImageInput)
  return images
}

/** `upload-url`: a signed https URL (http only on loopback hosts, for a local test server). */
function parseUploadUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InputError(
      'upload-url',
      'is not a valid URL: give the signed https URL the provider should PUT the video to.',
    )
  }
  // The value is a credential: the message names its scheme only.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new InputError(
      'upload-url',
      `must be an https URL (a signed URL of your storage); got a '${url.protocol.replace(':', '')}' URL.`,
    )
  }
  return text
}

/** A signed URL's query (its signature) is masked on its own too, in case it is ever printed apart from the URL. */
function maskQuery(text: string, mask: (secret: string) => void): void {
  const query = /\?([^#]+)/.exec(text)?.[1]
  if (query && query.length >= 8) mask(query)
}

function readSecret(value: string, mask: (secret: string) => void): string | undefined {
  if (!value) return undefined
  mask(value)
  return value
}

function parseBaseUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InputError(
      'base-url',
      `must be an https URL such as ${DEFAULT_BASE_URL} or https://api.x.ai/v1; got '${text}'.`,
    )
  }
  const loopback = isLoopback(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InputError(
      'base-url',
      `must use https (http is accepted only for localhost, 127.0.0.0/8 or [::1]); got '${text}'.`,
    )
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      'base-url',
      `must be a plain API root without credentials, query or fragment; got '${url.origin}${url.pathname}…'.`,
    )
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  return host === '::1'
}

function providerOf(baseUrl: string): Provider {
  const host = new URL(baseUrl).hostname
  if (host === 'api.cometapi.com' || host.endsWith('.cometapi.com')) return 'CometAPI'
  if (host === 'api.x.ai' || host.endsWith('.x.ai')) return 'xAI'
  return 'custom'
}

/** By host first; for any other host (a proxy, a local emulator) by the path of the API root. */
export function apiFamilyOf(baseUrl: string): ApiFamily {
  const provider = providerOf(baseUrl)
  if (provider !== 'custom') return provider
  const root = new URL(baseUrl).pathname.replace(/\/+$/, '')
  if (root.endsWith('/grok/v1')) return 'CometAPI'
  if (root.endsWith('/v1')) return 'xAI'
  return undefined
}

async function readPrompt(
  promptText: string,
  promptFile: string,
  workspace: string,
  resuming: boolean,
): Promise<string | undefined> {
  if (promptText && promptFile) {
    throw new InputError('prompt', "and 'prompt-file' were both given: set exactly one of them.")
  }
  if (!promptText && !promptFile) {
    if (resuming) return undefined
    throw new InputError(
      'prompt',
      "is required: set exactly one of 'prompt' (the text) or 'prompt-file' (a UTF-8 file).",
    )
  }
  let prompt = promptText
  if (promptFile) {
    const { bytes } = await readNamedFile(
      'prompt-file',
      promptFile,
      workspace,
      (why) =>
        new InputError(
          'prompt-file',
          `'${promptFile}' ${why}: give a path, relative to the workspace, of a UTF-8 text file.`,
        ),
    )
    try {
      prompt = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes).trim()
    } catch {
      throw new InputError('prompt-file', `'${promptFile}' is not valid UTF-8 text: save it as UTF-8.`)
    }
  }
  const name = promptFile ? 'prompt-file' : 'prompt'
  if (!prompt.trim()) throw new InputError(name, 'is empty: the prompt must have some text.')
  const length = [...prompt].length
  if (length > MAX_PROMPT_CHARS) {
    throw new InputError(name, `is ${length} characters long; the API accepts at most ${MAX_PROMPT_CHARS}.`)
  }
  return prompt
}

const IMAGE_FORMS =
  'an https:// URL, a data:image/(png|jpeg|webp);base64, URL, or the path of a local PNG, JPEG or WebP file of at most 10 MiB'

async function readImage(text: string, workspace: string, input = 'image'): Promise<ImageInput | undefined> {
  if (!text) return undefined
  if (/^https:\/\//i.test(text)) {
    if (hasControlCharacter(text)) {
      throw new InputError(input, `holds a line break or another control character: accepts ${IMAGE_FORMS}.`)
    }
    try {
      new URL(text)
    } catch {
      throw new InputError(input, `is not a valid URL: accepts ${IMAGE_FORMS}.`)
    }
    return { url: text, label: text }
  }
  if (/^data:/i.test(text)) {
    const match = /^data:image\/(png|jpeg|webp);base64,([A-Za-z0-9+/]+={0,2})$/.exec(text)
    if (!match) throw new InputError(input, `is a data URL of the wrong form: accepts ${IMAGE_FORMS}.`)
    const bytes = Math.floor((match[2].length * 3) / 4)
    if (bytes > MAX_IMAGE_BYTES) throw new InputError(input, `is about ${bytes} bytes; at most 10 MiB is accepted.`)
    return { url: text, label: `data URL (image/${match[1]}, ~${bytes} bytes)` }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new InputError(input, `uses an unsupported scheme ('${text.split(':')[0]}'): accepts ${IMAGE_FORMS}.`)
  }
  const { bytes, size } = await readNamedFile(
    input,
    text,
    workspace,
    () => new InputError(input, `'${text}' is not an existing file: accepts ${IMAGE_FORMS}.`),
    (size) => {
      if (size > MAX_IMAGE_BYTES)
        throw new InputError(
          input,
          `'${text}' is ${size} bytes; at most 10 MiB (${MAX_IMAGE_BYTES} bytes) is accepted.`,
        )
    },
  )
  const mime = imageMimeType(bytes)
  if (!mime)
    throw new InputError(
      input,
      `'${text}' is not a PNG, JPEG or WebP image (judged by its content): accepts ${IMAGE_FORMS}.`,
    )
  return { url: `data:${mime};base64,${bytes.toString('base64')}`, label: `${text} (${mime}, ${size} bytes)` }
}

/** The image type from its first bytes, not its name. */
function imageMimeType(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp'
  return undefined
}

/** Outside text quoted in an error: on one line, and short. */
function quoted(text: string): string {
  return JSON.stringify(Array.from(text).slice(0, 80).join(''))
}

function parseInteger(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new InputError(name, `must be a whole number from ${min} to ${max}; got '${text}'.`)
  }
  return Number(text)
}

function parsePositive(name: string, text: string): number {
  const value = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0))
    throw new InputError(name, `must be a positive number of seconds; got '${text}'.`)
  return value
}

function oneOf<T extends string>(name: string, text: string, allowed: readonly T[]): T | undefined {
  if (!text) return undefined
  if (!(allowed as readonly string[]).includes(text)) {
    throw new InputError(
      name,
      `must be one of ${allowed.join(', ')} (or empty for the provider's default); got '${text}'.`,
    )
  }
  return text as T
}

/** The spellings `core.getBooleanInput` accepts; empty means the default, for runs without action.yml defaults. */
function parseBoolean(name: string, text: string, fallback: boolean): boolean {
  if (text === '') return fallback
  if (['true', 'True', 'TRUE'].includes(text)) return true
  if (['false', 'False', 'FALSE'].includes(text)) return false
  throw new InputError(name, `must be 'true' or 'false'; got '${text}'.`)
}

function parsePreviewMode(text: string): PreviewMode {
  if (text === '') return 'auto'
  const mode = text.toLowerCase()
  if (mode === 'auto' || mode === 'true' || mode === 'false') return mode
  throw new InputError('preview', `must be 'auto' (with an ffmpeg on PATH), 'true' or 'false'; got '${text}'.`)
}

/** A branch name git and GitHub accept (git check-ref-format's rules), given without `refs/heads/`. */
function parseBranchName(name: string, text: string): string | undefined {
  if (!text) return undefined
  const bad =
    text.startsWith('refs/') ||
    text.startsWith('-') ||
    text.startsWith('/') ||
    text.endsWith('/') ||
    text.endsWith('.') ||
    text.endsWith('.lock') ||
    text === '@' ||
    /\.\.|\/\/|@\{|\/\.|^\.|[\s~^:?*[\\]/.test(text) ||
    [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  if (bad) {
    throw new InputError(
      name,
      `'${text.replace(/[\r\n]/g, ' ')}' is not a valid branch name: give a plain name such as 'grok-video-previews' ` +
        "(no 'refs/heads/', spaces, '..', '~', '^', ':', '?', '*', '[' or '\\').",
    )
  }
  return text
}

function parseArtifactName(text: string): string | undefined {
  if (!text) return undefined
  if (FORBIDDEN_NAME_CHARS.test(text)) {
    throw new InputError(
      'artifact-name',
      `'${text.replace(/[\r\n]/g, ' ')}' contains a character artifacts may not have: none of " : < > | * ? \\ / or line breaks.`,
    )
  }
  if (text === '.' || text === '..')
    throw new InputError('artifact-name', `cannot be '${text}': it names the MP4 file.`)
  return text
}

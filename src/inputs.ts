/**
 * Every input, read in one place and turned into a typed, validated `ActionConfig`. A bad value throws an
 * `InputError` naming the input and what it accepts, before any request is sent.
 */
import os from 'node:os'
import path from 'node:path'
import { InputError } from './errors.js'
import type { PreviewMode } from './ffmpeg.js'
import { REQUEST_ID, REQUEST_ID_FORM } from './grok/normalize.js'
import { apiFamilyOf, providerOf, type ApiFamily, type Provider } from './grok/provider.js'
import type { CreateVideoRequest, Operation, VideoSource } from './grok/request.js'
import type { ImageInput } from './input-image.js'
import { INPUT_DEFAULTS, type InputName } from './input-names.js'
import {
  parseArtifactName,
  parseBoolean,
  parseBranchName,
  parseInteger,
  parsePositive,
  parsePreviewMode,
  quoted,
} from './input-values.js'
import { forkMessage, forkOf } from './fork.js'
import { previewTargetFrom, type PreviewTarget } from './preview-target.js'
import { checkPublicUrlTarget, readPublicUrl, withStorageOptions, type PublicUrlSetting } from './public-url.js'
import { releaseTargetFrom, type ReleaseTarget } from './release.js'
import { checkUrl, isLoopback } from './urls.js'
import { VIDEO_FIELDS, videoRequestFrom, type VideoFields } from './video-request.js'

/** The shortest `poll-interval-seconds` against a real provider. */
const MIN_REMOTE_POLL_SECONDS = 1

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
  /** `public-url: true`: the provider keeps the video at a public URL (`storage_options` on each create request). */
  publicUrl?: PublicUrlSetting
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
  /** `compare-with-base: auto`: on a pull request with the comment and the cache on, show each job against the base. */
  compareWithBase: boolean
  githubToken?: string
  /** A person's token, used only to upload what the comment shows to GitHub's attachment store (masked). */
  attachmentToken?: string
  /** `release-tag` and what writing to its release needs; undefined when the input is empty. */
  release?: ReleaseTarget
  /** Where relative paths (prompt files, images) are resolved. */
  workspace: string
  /** The step's own video inputs as given: the base's request is built from them too (base-compare.ts). */
  videoFields?: VideoFields
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

export async function readInputs({ getInput: get, mask, env = process.env }: InputSource): Promise<ActionConfig> {
  const getInput = (name: InputName): string => get(name)
  // Not for github-token: its default is an expression only the runner evaluates.
  const withDefault = (name: InputName): string => get(name) || (INPUT_DEFAULTS[name] ?? '')
  const apiKey = getInput('api-key')
  if (apiKey) mask(apiKey)
  // A credential too: masked before any other input is read, whatever fails next.
  const attachmentToken = readSecret(getInput('attachment-token'), mask)
  if (!apiKey) {
    const fork = forkOf(env)
    if (fork) throw new InputError('api-key', forkMessage(fork))
    throw new InputError(
      'api-key',
      "is required: a CometAPI key, or an xAI key together with 'base-url: https://api.x.ai/v1'.",
    )
  }

  // A credential too: masked before anything could print it.
  const uploadUrlText = readSecret(getInput('upload-url'), mask)
  if (uploadUrlText) maskQuery(uploadUrlText, mask)

  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const baseUrl = parseBaseUrl(withDefault('base-url'))
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
  const cache = parseBoolean('cache', withDefault('cache'))
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
  if (uploadUrl && getInput('release-tag')) {
    throw new InputError(
      'release-tag',
      "cannot be combined with 'upload-url': the video goes to your storage, not to the runner, so there is nothing to attach. Set one of them.",
    )
  }
  const publicUrl = readPublicUrl(getInput, INPUT_DEFAULTS['public-url'])
  // A batch's jobs are judged one by one: each may have an operation of its own.
  checkPublicUrlTarget(publicUrl, { apiFamily, operation: promptsFile ? undefined : spec.operation, uploadUrl })
  const plainRequest = spec.request && uploadUrl ? { ...spec.request, output: { upload_url: uploadUrl } } : spec.request

  const timeoutSeconds = parsePositive('timeout-seconds', withDefault('timeout-seconds'))
  const pollIntervalSeconds = parsePositive('poll-interval-seconds', withDefault('poll-interval-seconds'))
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
  const request = plainRequest && publicUrl ? withStorageOptions(plainRequest, publicUrl, artifactName) : plainRequest
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
    publicUrl,
    resumeRequestId,
    wait: parseBoolean('wait', withDefault('wait')),
    timeoutSeconds,
    pollIntervalSeconds,
    outputDir: path.resolve(
      workspace,
      getInput('output-dir') || path.join(env.RUNNER_TEMP || os.tmpdir(), 'grok-video'),
    ),
    artifactName,
    artifactNameFixed: artifactName !== undefined,
    uploadArtifact: parseBoolean('upload-artifact', withDefault('upload-artifact')),
    archive: parseBoolean('archive', withDefault('archive')),
    retentionDays,
    cache,
    dryRun: parseBoolean('dry-run', withDefault('dry-run')),
    maxCostUsd: maxCostText ? Number(maxCostText) : undefined,
    batch: promptsFile
      ? {
          file: promptsFile,
          defaults: jobDefaults,
          maxConcurrency: parseInteger('max-concurrency', withDefault('max-concurrency'), 1, 20),
          failFast: parseBoolean('fail-fast', withDefault('fail-fast')),
        }
      : undefined,
    preview: parsePreviewMode(withDefault('preview')),
    commentOnPr: parseBoolean('comment-on-pr', withDefault('comment-on-pr')),
    compareWithBase: parseCompareWithBase(withDefault('compare-with-base')),
    githubToken,
    attachmentToken,
    previewTarget: previewTargetFrom(parseBranchName('preview-branch', getInput('preview-branch')), githubToken, env),
    release: releaseTargetFrom(getInput('release-tag'), githubToken, env),
    workspace,
    videoFields: jobDefaults,
  }
}

function parseCompareWithBase(text: string): boolean {
  const mode = text.toLowerCase()
  if (mode === 'auto' || mode === 'false') return mode === 'auto'
  throw new InputError(
    'compare-with-base',
    `must be 'auto' (on a pull request, with 'comment-on-pr' and 'cache' on) or 'false'; got '${text}'.`,
  )
}

/** `upload-url`: a signed https URL (http only on loopback hosts, for a local test server). */
function parseUploadUrl(text: string): string {
  const { problem, scheme } = checkUrl(text, { http: 'loopback' })
  if (problem === 'not-a-url') {
    throw new InputError(
      'upload-url',
      'is not a valid URL: give the signed https URL the provider should PUT the video to.',
    )
  }
  // The value is a credential: the message names its scheme only.
  if (problem) {
    throw new InputError('upload-url', `must be an https URL (a signed URL of your storage); got a '${scheme}' URL.`)
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
  const { url, problem } = checkUrl(text, { http: 'loopback' })
  if (problem === 'not-a-url') {
    throw new InputError(
      'base-url',
      `must be an https URL such as ${INPUT_DEFAULTS['base-url']} or https://api.x.ai/v1; got '${text}'.`,
    )
  }
  if (!url) {
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

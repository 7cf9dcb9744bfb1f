/**
 * `public-url`: xAI keeps the finished video at a lasting public URL when the create request carries
 * `storage_options`. Owns the two inputs' rules, the filename sent, and what a run and a cache hit report of the URL
 * (only while it lasts).
 */
import { createHash } from 'node:crypto'
import { InputError } from './errors.js'
import type { StoredOutput } from './grok/normalize.js'
import type { ApiFamily } from './grok/provider.js'
import type { CreateVideoRequest, Operation } from './grok/request.js'
import { parseBoolean, parseInteger } from './input-values.js'
import type { LogEvents } from './job.js'
import type { RunResult } from './report.js'
import { shorten } from './markdown.js'
import { carriesSecret, scrubAnswer } from './secrets.js'
import { checkUrl } from './urls.js'

/** `expires_after` as the provider takes it: one hour to thirty days, in seconds. */
export const EXPIRES_RANGE: [number, number] = [3600, 2_592_000]

/** `public-url: true`, with `public-url-expires-seconds` when set (absent: permanent). */
export interface PublicUrlSetting {
  expiresSeconds?: number
}

/** What a run reports of the stored copy. */
export interface PublicUrl {
  url: string
  fileId?: string
  /** ISO time after which the URL no longer works; absent when permanent (or unknown). */
  expiresAt?: string
  /** A resumed job: when (or whether) its URL expires is not known to this run. */
  expiryUnknown?: true
}

/** The longest filename sent: the provider's limit is not documented, so it stays short. */
const MAX_FILENAME = 100
/** The most of a provider's storing error a warning quotes. */
const ERROR_LIMIT = 500

/** Reads the two inputs; undefined with `public-url: false`. */
export function readPublicUrl(
  getInput: (name: 'public-url' | 'public-url-expires-seconds') => string,
  defaultValue: string,
): PublicUrlSetting | undefined {
  const enabled = parseBoolean('public-url', getInput('public-url') || defaultValue)
  const expiresText = getInput('public-url-expires-seconds')
  if (expiresText && !enabled) {
    throw new InputError(
      'public-url-expires-seconds',
      "is set but 'public-url' is not 'true': set 'public-url: true', or leave this input empty.",
    )
  }
  if (!enabled) return undefined
  if (!expiresText) return {}
  const [min, max] = EXPIRES_RANGE
  if (!/^\d+$/.test(expiresText)) {
    throw new InputError(
      'public-url-expires-seconds',
      `must be a whole number of seconds from ${min} to ${max} (or empty for a permanent URL); got '${expiresText}'.`,
    )
  }
  return { expiresSeconds: parseInteger('public-url-expires-seconds', expiresText, min, max) }
}

/** Refuses `public-url` where the provider would not keep the video, before any request. */
export function checkPublicUrlTarget(
  setting: PublicUrlSetting | undefined,
  context: { apiFamily: ApiFamily; operation?: Operation; uploadUrl?: string },
): void {
  if (!setting) return
  if (context.apiFamily === 'CometAPI') {
    throw new InputError(
      'public-url',
      "is not available through CometAPI (it is not known to pass 'storage_options' on): use 'base-url: https://api.x.ai/v1' with an xAI key, or set 'public-url: false'.",
    )
  }
  if (context.operation === 'edit') {
    throw new InputError(
      'public-url',
      "is accepted with 'operation: generate' or 'operation: extend' only (the edits endpoint documents no stored output): set 'public-url: false' for an edit.",
    )
  }
  if (context.uploadUrl) {
    throw new InputError(
      'public-url',
      "cannot be combined with 'upload-url': the video goes to your storage, not to the provider's. Set one of them.",
    )
  }
}

/** A filename of letters, digits, '.', '_' and '-' ending in `.mp4`, from what is known before the job exists. */
export function storageFilename(base: string): string {
  const safe = base
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_FILENAME - 4)
  return `${safe || 'grok-video'}.mp4`
}

/**
 * The request with `storage_options`: named after `artifactName` (a batch job's is its name), else after a short
 * hash of the request, never the request id (it does not exist yet).
 */
export function withStorageOptions(
  request: CreateVideoRequest,
  setting: PublicUrlSetting,
  artifactName: string | undefined,
): CreateVideoRequest {
  const { storage_options: _old, ...plain } = request
  const hash = createHash('sha256').update(JSON.stringify(plain)).digest('hex').slice(0, 12)
  return {
    ...plain,
    storage_options: {
      filename: storageFilename(artifactName ?? `grok-video-${hash}`),
      public_url: true,
      ...(setting.expiresSeconds !== undefined ? { expires_after: setting.expiresSeconds } : {}),
    },
  }
}

/**
 * What the result keeps of the finished job's stored copy. The URL expires counted from `createdAt` (a little before
 * the provider's own start, so never later than it). A resumed job started at a time this run does not know, with
 * an expiry it may not know either: its expiry is unknown, never taken for permanent. A storing failure is a
 * warning: the video was still made. With `caching`, a copy asked for and not stored keeps the video out of the
 * cache (a hit would report no URL for good): the warning says so.
 */
export function takeStoredOutput(
  result: RunResult,
  stored: StoredOutput | undefined,
  context: {
    createdAt: number
    requestId: string
    secrets: readonly (string | undefined)[]
    resumed?: boolean
    caching?: boolean
  },
  events: Pick<LogEvents, 'warning' | 'info'>,
): void {
  const { createdAt, requestId, secrets } = context
  const notCached = context.caching ? ' The video is not saved to the cache, so the next run asks again.' : ''
  const asked = result.request?.storage_options !== undefined
  if (!stored) {
    if (asked)
      events.warning(`Job ${requestId}: the provider answered no public URL, so 'public-url' is empty.${notCached}`)
    return
  }
  if (stored.publicUrl && carriesSecret(stored.publicUrl, secrets)) {
    events.warning(
      `Job ${requestId}: the provider's public URL carries a secret of this run: it is not reported.${notCached}`,
    )
    return
  }
  if (stored.refusedUrl) {
    events.warning(
      `Job ${requestId}: the provider's public URL is not an https URL (${stored.refusedUrl}): it is not reported.${notCached}`,
    )
  }
  if (stored.error) {
    events.warning(
      `Job ${requestId}: the provider could not keep the video at a public URL (storage_error: ${shorten(scrubAnswer(stored.error, secrets), ERROR_LIMIT)}); the video was downloaded as usual, so 'public-url' is empty.${notCached}`,
    )
  }
  if (!stored.publicUrl) return
  const seconds = result.request?.storage_options?.expires_after
  result.publicUrl = {
    url: stored.publicUrl,
    ...(stored.fileId ? { fileId: stored.fileId } : {}),
    ...(context.resumed
      ? { expiryUnknown: true as const }
      : seconds !== undefined
        ? { expiresAt: new Date(createdAt + seconds * 1000).toISOString() }
        : {}),
  }
}

/** Whether a finished video may be cached: one asked for at a public URL only once the URL was stored. */
export function cacheablePublicUrl(setting: PublicUrlSetting | undefined, result: RunResult): boolean {
  return setting === undefined || result.publicUrl !== undefined
}

/**
 * A cache hit reports the stored URL while it lasts; an expired one is left out, and said so. The record is data
 * from outside (a cache entry can be written by any run of the repository): its URL passes the https check again.
 */
export function publicUrlFromCache(
  saved: PublicUrl | undefined,
  now: number,
  events: Pick<LogEvents, 'warning' | 'info'>,
): PublicUrl | undefined {
  if (!saved) return undefined
  const text = typeof saved.url === 'string' ? saved.url : ''
  const { url } = checkUrl(text, { refuseControlCharacters: true, refuseCredentials: true })
  if (!url) {
    events.warning(
      "The cached video's public URL is not a plain https URL: it is not reported, so 'public-url' is empty.",
    )
    return undefined
  }
  if (saved.expiresAt !== undefined && !(Date.parse(saved.expiresAt) > now)) {
    events.info(`The cached video's public URL expired at ${saved.expiresAt}: 'public-url' is empty.`)
    return undefined
  }
  return saved
}

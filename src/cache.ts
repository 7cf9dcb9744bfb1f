/**
 * A content-addressed cache of finished videos, kept in the runner's cache service: the same request (provider,
 * model, prompt, parameters, first-frame image) is generated once, and later runs restore it without calling the
 * API. Owns the key, the entry's layout, and what a hit puts in the run's result.
 */
import { createHash } from 'node:crypto'
import { realpathSync, rmSync } from 'node:fs'
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { DownloadedVideo } from './download.js'
import type { CreateVideoRequest, Operation, VideoSource } from './grok/request.js'
import type { ActionConfig } from './inputs.js'
import type { RunResult } from './report.js'

/** Bumped when the key's recipe or the cached layout changes, so old entries are never misread. */
const KEY_VERSION = 'v1'
const KEY_PREFIX = `grok-video-${KEY_VERSION}-`

/** The files a cache entry holds. */
const VIDEO_FILE = 'video.mp4'
const RECORD_FILE = 'record.json'

/** What a cache entry remembers about the run that made it. */
export interface CachedRecord {
  requestId: string
  sha256: string
  bytes: number
  videoUrl?: string
  durationSeconds?: number
  model?: string
  costTicks?: number
  createdAt: string
}

/**
 * The key: a SHA-256 of the normalised request. `family` says which provider answers (two providers may render
 * the same request differently); an inline image counts by its bytes, a remote one by its URL. A plain generation
 * keeps the recipe it always had (existing entries keep hitting); reference images, and an edit's or extension's
 * operation and input video (its bytes, or its URL), are added only when present.
 */
export function cacheKey(
  family: string,
  request: CreateVideoRequest,
  input: { operation: Operation; video?: VideoSource } = { operation: 'generate' },
): string {
  const normalised = {
    family,
    model: request.model,
    prompt: request.prompt.normalize('NFC'),
    duration: request.duration,
    aspectRatio: request.aspect_ratio ?? null,
    resolution: request.resolution ?? null,
    image: request.image ? imageIdentity(request.image.url) : null,
    ...(request.reference_images
      ? { referenceImages: request.reference_images.map((reference) => imageIdentity(reference.url)) }
      : {}),
    ...(input.operation !== 'generate' ? { operation: input.operation, video: input.video?.identity ?? null } : {}),
  }
  return KEY_PREFIX + createHash('sha256').update(JSON.stringify(normalised)).digest('hex')
}

/** The key of a run's request; undefined when it has none (a resume). */
export function cacheKeyOf(config: ActionConfig): string | undefined {
  if (!config.request) return undefined
  // Which provider renders the request: two may render the same request differently.
  const family = config.provider === 'custom' ? `custom:${config.baseUrl}` : config.provider
  return cacheKey(family, config.request, config)
}

function imageIdentity(url: string): { sha256: string } | { url: string } {
  const inline = /^data:[^;]+;base64,(.*)$/s.exec(url)
  if (!inline) return { url }
  return {
    sha256: createHash('sha256').update(Buffer.from(inline[1], 'base64')).digest('hex'),
  }
}

export interface VideoCacheOptions {
  /** Where a restored video is put for the run (outside the workspace). Default: `$RUNNER_TEMP/grok-video-cache`. */
  root?: string
  info?: (message: string) => void
  warning?: (message: string) => void
}

export interface CacheHit {
  record: CachedRecord
  /** The restored MP4, under the cache's root (outside the workspace). */
  videoPath: string
}

/**
 * The cache service files an entry under its key and a version: a hash of the paths exactly as given to
 * @actions/cache, the compression tool and, on Windows, a marker (left out here: the entry is an MP4 and a JSON
 * file, the same on every OS). Its tar holds the files relative to the workspace and unpacks them there. So the one
 * path that is the same on every runner, hosted or self-hosted, Linux, Windows or macOS, is a relative one: an
 * absolute `$RUNNER_TEMP` differs between runners, and `~` sits at another depth from the workspace on each. The
 * entry is staged in this folder of the working directory (the workspace, on a runner) only while the service packs
 * or unpacks it, and removed straight after, so nothing is left for a later step to commit or pick up.
 */
const stagingFolder = (key: string): string => `.${key}`
/** @actions/cache's `enableCrossOsArchive`: without it, Windows runners file their entries apart from the others. */
const CROSS_OS_ARCHIVE = true

/** Staging folders that exist now. A cancelled run exits at once (main.ts): they are removed on the way out too. */
const stagedNow = new Set<string>()
let removesOnExit = false

function stagedFor(key: string): string {
  const staged = path.resolve(stagingFolder(key))
  if (!removesOnExit) process.once('exit', removeLeftovers)
  removesOnExit = true
  stagedNow.add(staged)
  return staged
}

function removeLeftovers(): void {
  for (const staged of stagedNow) {
    try {
      rmSync(staged, { recursive: true, force: true })
    } catch {
      // Exiting: nothing more can be done, or said.
    }
  }
}

/** Cache client calls now running, and GITHUB_WORKSPACE as the runner set it (see `withWorkspaceAsCwd`). */
let clientCalls = 0
let workspaceAsSet: string | undefined

/**
 * Trap: the cache client finds the staging folder from the working directory, which the OS reports with symlinks
 * resolved (/private/var/… for /var/… on macOS), and puts it in the tar relative to GITHUB_WORKSPACE as spelled: on
 * a runner whose workspace path goes through a symlink, the tar would name a path that climbs out of the workspace
 * and leads nowhere. While the client runs, GITHUB_WORKSPACE is spelled as the working directory when both name the
 * same folder (only inputs.ts reads it, long before).
 */
async function withWorkspaceAsCwd<T>(call: () => Promise<T>): Promise<T> {
  if (clientCalls++ === 0) {
    workspaceAsSet = process.env.GITHUB_WORKSPACE
    if (workspaceAsSet !== undefined && isCwdSpelledOtherwise(workspaceAsSet))
      process.env.GITHUB_WORKSPACE = process.cwd()
  }
  try {
    return await call()
  } finally {
    if (--clientCalls === 0 && workspaceAsSet !== undefined) process.env.GITHUB_WORKSPACE = workspaceAsSet
  }
}

function isCwdSpelledOtherwise(workspace: string): boolean {
  try {
    const cwd = process.cwd()
    return path.resolve(workspace) !== cwd && realpathSync(workspace) === cwd
  } catch {
    return false
  }
}

/** Restores and saves entries through `@actions/cache`, loaded only when `cache: true`. */
export class VideoCache {
  private readonly root: string
  private readonly info: (message: string) => void
  private readonly warning: (message: string) => void

  constructor(options: VideoCacheOptions = {}) {
    this.root = options.root ?? path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'grok-video-cache')
    this.info = options.info ?? (() => {})
    this.warning = options.warning ?? this.info
  }

  /** The entry for `key`, or undefined on a miss, an unavailable service, or an entry that fails its check. */
  async restore(key: string): Promise<CacheHit | undefined> {
    const cache = await import('@actions/cache')
    if (!cache.isFeatureAvailable()) {
      this.warning("The runner's cache service is not available here; generating without the cache.")
      return undefined
    }
    const staged = stagedFor(key)
    try {
      await this.removeStaged(staged)
      let matched: string | undefined
      try {
        matched = await withWorkspaceAsCwd(() =>
          cache.restoreCache([stagingFolder(key)], key, [], undefined, CROSS_OS_ARCHIVE),
        )
      } catch (error) {
        this.warning(`Could not read the cache (${(error as Error).message}); generating without it.`)
        return undefined
      }
      // restoreCache also matches keys that merely start with ours; only the exact entry is this request.
      if (matched !== key) return undefined
      try {
        const record = JSON.parse(await readFile(path.join(staged, RECORD_FILE), 'utf8')) as CachedRecord
        const video = await readFile(path.join(staged, VIDEO_FILE))
        const sha256 = createHash('sha256').update(video).digest('hex')
        if (sha256 !== record.sha256) throw new Error(`its MP4 has SHA-256 ${sha256}, the record says ${record.sha256}`)
        const dir = path.join(this.root, key)
        await mkdir(dir, { recursive: true })
        const videoPath = path.join(dir, VIDEO_FILE)
        await writeFile(videoPath, video)
        return { record, videoPath }
      } catch (error) {
        this.warning(`Ignoring the cache entry ${key}: ${(error as Error).message}.`)
        return undefined
      }
    } finally {
      await this.removeStaged(staged)
      stagedNow.delete(staged)
    }
  }

  /** Whether the service holds `key`, asked without downloading it (a batch's budget counts only what is not). */
  async has(key: string): Promise<boolean> {
    const cache = await import('@actions/cache')
    if (!cache.isFeatureAvailable()) return false
    try {
      // A lookup only: nothing is unpacked, so the workspace's spelling does not matter here.
      return (await cache.restoreCache([stagingFolder(key)], key, [], { lookupOnly: true }, CROSS_OS_ARCHIVE)) === key
    } catch {
      return false
    }
  }

  /** Stores a finished video under `key`. Never fails the run: a cache that cannot be written is only a warning. */
  async save(key: string, videoPath: string, record: CachedRecord): Promise<boolean> {
    const staged = stagedFor(key)
    try {
      const cache = await import('@actions/cache')
      if (!cache.isFeatureAvailable()) return false
      await mkdir(staged, { recursive: true })
      await copyFile(videoPath, path.join(staged, VIDEO_FILE))
      await writeFile(path.join(staged, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`)
      const id = await withWorkspaceAsCwd(() => cache.saveCache([stagingFolder(key)], key, undefined, CROSS_OS_ARCHIVE))
      if (id === -1) {
        // The client answers -1 for all three, and has said which in its own line just before.
        this.info(`Not saved as ${key}: the cache holds it already, another job is saving it, or the service refused.`)
        return false
      }
      return true
    } catch (error) {
      this.warning(`Could not save the video to the cache: ${(error as Error).message}`)
      return false
    } finally {
      await this.removeStaged(staged)
      stagedNow.delete(staged)
    }
  }

  /** Removes a staging folder; one that stays (a file held open on Windows) is a warning naming it, never a failure. */
  private async removeStaged(staged: string): Promise<void> {
    try {
      await rm(staged, { recursive: true, force: true, maxRetries: 3 })
    } catch (error) {
      this.warning(`Could not remove the cache's staging folder ${staged} (${(error as Error).message}); delete it.`)
    }
  }
}

/**
 * A hit stands in for create, wait and download: `result` takes the original job's id and facts but not its video
 * URL, and no cost this run (what the video cost when made is kept beside it). Where the file goes is the caller's.
 */
export function applyCacheHit(result: RunResult, { record }: CacheHit): void {
  result.requestId = record.requestId
  // The provider's URL from when the entry was made lives about a day: reported, it would send a chain to a dead link.
  result.videoUrl = undefined
  result.durationSeconds = record.durationSeconds
  result.model = record.model
  result.costTicks = 0
  result.cachedCostTicks = record.costTicks
  result.cacheHit = true
  result.status = 'done'
}

/** What a cache entry remembers of a finished run. */
export function cachedRecordOf(result: RunResult, requestId: string, video: DownloadedVideo): CachedRecord {
  return {
    requestId,
    sha256: video.sha256,
    bytes: video.bytes,
    videoUrl: result.videoUrl,
    durationSeconds: result.durationSeconds,
    model: result.model,
    costTicks: result.costTicks,
    createdAt: new Date().toISOString(),
  }
}

/**
 * A small JSON record of its own under `key` (an attachment's URL, by the bytes' hash), through the same client,
 * staging and checks as a video's entry; undefined on a miss, an unavailable service or a record that does not
 * parse. The record is outside data: its reader checks every field.
 */
export async function restoreRecord(key: string): Promise<Record<string, unknown> | undefined> {
  const cache = await import('@actions/cache')
  if (!cache.isFeatureAvailable()) return undefined
  const staged = stagedFor(key)
  try {
    const matched = await withWorkspaceAsCwd(() =>
      cache.restoreCache([stagingFolder(key)], key, [], undefined, CROSS_OS_ARCHIVE),
    )
    if (matched !== key) return undefined
    const file = path.join(staged, RECORD_FILE)
    // A record is a few hundred bytes; a larger one is not ours.
    if ((await stat(file)).size > 64 * 1024) return undefined
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  } finally {
    await rm(staged, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined)
    stagedNow.delete(staged)
  }
}

/** Saves `record` under `key`; false when the service is not there, holds the key already or refuses. */
export async function saveRecord(key: string, record: Record<string, unknown>): Promise<boolean> {
  const cache = await import('@actions/cache')
  if (!cache.isFeatureAvailable()) return false
  const staged = stagedFor(key)
  try {
    await mkdir(staged, { recursive: true })
    await writeFile(path.join(staged, RECORD_FILE), `${JSON.stringify(record)}\n`)
    return (
      (await withWorkspaceAsCwd(() => cache.saveCache([stagingFolder(key)], key, undefined, CROSS_OS_ARCHIVE))) !== -1
    )
  } catch {
    return false
  } finally {
    await rm(staged, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined)
    stagedNow.delete(staged)
  }
}

/**
 * `compare-with-base`: each job of the run against what the pull request's base commit asked for. The base's
 * prompts file (or `prompt-file`) and the files it names are read at the base through the contents API
 * (base-files.ts), its requests built by the head's own rules, and their cache keys looked up: the same key is an
 * unchanged job; another is a changed one, whose base video is restored from the cache (never generated: nothing of
 * the base is sent to the provider) and kept under RUNNER_TEMP, never in `output-dir`. A base that cannot be read
 * is one warning and no comparison; the run's outcome never depends on it.
 */
import { copyFile, mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { baseCommitFromEvent, baseFiles, type BaseCommit } from './base-files.js'
import { cacheKeyOf, VideoCache } from './cache.js'
import { ArtifactUploadError } from './errors.js'
import type { ActionConfig } from './inputs.js'
import { githubApiUrl } from './links.js'
import type { RemovedJob, RowComparison } from './pr-comment-compare.js'
import type { ReviewedJob, ReviewLog } from './pr-review.js'
import { videoRequestFrom, type VideoFields } from './video-request.js'

/** The most reading the base may take, all its files together: a slow base never holds the run. */
const COMPARE_TIMEOUT_MS = 120_000

/** A job against the base, with where its base video is on the runner. */
export interface JobComparison extends RowComparison {
  /** A changed job's base MP4, restored from the cache into RUNNER_TEMP (for the artifact and any other upload). */
  baseVideoPath?: string
}

export interface BaseComparison {
  base: BaseCommit
  /** In the order of the run's jobs. */
  jobs: JobComparison[]
  removed: RemovedJob[]
}

/** What the base asked for, by job name (a single run's one job has the name ''). */
interface BaseRequest {
  key: string | undefined
  prompt: string
}

/** `auto`: a pull request's run that comments and uses the cache (the base's videos come only from there). */
export function comparesWithBase(config: ActionConfig): boolean {
  return config.compareWithBase && config.commentOnPr && config.cache && !config.dryRun
}

/**
 * The comparison, or undefined (with one warning saying why) when the base cannot be read or its requests built.
 * The caller has checked that this run is for a pull request and has a token.
 */
export async function compareWithBase(
  config: ActionConfig,
  jobs: ReviewedJob[],
  token: string,
  log: ReviewLog,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BaseComparison | undefined> {
  // A resumed job (`request-id`) has no request of its own here to compare; an inline prompt lives in the
  // workflow, which is not read at the base, so "unchanged" could not be told from changed.
  const fields = config.batch ? undefined : config.videoFields
  if (!config.batch && (!config.request || !fields?.['prompt-file'])) return undefined
  const base = baseCommitFromEvent(env)
  if (!base) {
    log.warning("'compare-with-base': the event names no base commit (pull_request.base.sha): no comparison.")
    return undefined
  }
  const signal = AbortSignal.timeout(COMPARE_TIMEOUT_MS)
  let asked: Map<string, BaseRequest>
  try {
    asked = await baseRequests(config, fields, baseFiles({ apiUrl: githubApiUrl(env), token, base, signal }))
  } catch (error) {
    log.warning(
      `Not comparing with the base '${base.ref}' (${base.sha.slice(0, 12)}): ${(error as Error).message} The comment shows this run alone.`,
    )
    return undefined
  }
  const cache = new VideoCache({
    root: path.join(env.RUNNER_TEMP || os.tmpdir(), 'grok-video-base'),
    info: (message) => log.info(message),
    warning: (message) => log.warning(message),
  })
  const compared: JobComparison[] = []
  for (const job of jobs) compared.push(await compareJob(config, job, asked.get(job.name ?? ''), cache, log))
  const names = new Set(jobs.map((job) => job.name ?? ''))
  const removed = [...asked.entries()]
    .filter(([name]) => !names.has(name))
    .map(([name, request]) => ({ name, prompt: request.prompt }))
  return { base, jobs: compared, removed }
}

/** The requests the base commit asks for, by job name: a batch's (`fields` undefined), or a single run's. */
async function baseRequests(
  config: ActionConfig,
  fields: VideoFields | undefined,
  files: ReturnType<typeof baseFiles>,
): Promise<Map<string, BaseRequest>> {
  if (!fields) {
    const { readBatch } = await import('./prompts-file.js')
    const jobs = await readBatch(config, files)
    return new Map(
      jobs.map((job) => [job.name, { key: cacheKeyOf(job.config), prompt: job.config.request?.prompt ?? '' }]),
    )
  }
  const spec = await videoRequestFrom(fields, {
    workspace: config.workspace,
    apiFamily: config.apiFamily,
    promptOptional: false,
    files,
  })
  const key = cacheKeyOf({ ...config, request: spec.request, operation: spec.operation, video: spec.video })
  return new Map([['', { key, prompt: spec.request?.prompt ?? '' }]])
}

async function compareJob(
  config: ActionConfig,
  job: ReviewedJob,
  asked: BaseRequest | undefined,
  cache: VideoCache,
  log: ReviewLog,
): Promise<JobComparison> {
  if (!asked) return { change: 'new' }
  const key = job.result.cacheKey
  if (key !== undefined && key === asked.key) return { change: 'unchanged' }
  const changed: JobComparison = { change: 'changed', basePrompt: asked.prompt }
  const hit = asked.key ? await cache.restore(asked.key) : undefined
  if (!hit) return { ...changed, baseMissing: true }
  // Named after the job's own artifact, so the run's page shows them side by side; `@` is in no job name, so no
  // job's artifact (`<artifact>-<job>`) can have this name.
  const stem = `${(job.result.artifact?.name ?? `${config.artifactName ?? 'grok-video'}${job.name ? `-${job.name}` : ''}`).replace(/\.mp4$/, '')}@base`
  const dir = path.dirname(hit.videoPath)
  await mkdir(dir, { recursive: true })
  const baseVideoPath = path.join(dir, `${stem}.mp4`)
  await copyFile(hit.videoPath, baseVideoPath)
  log.info(
    `The base's video of ${job.name ? `job '${job.name}'` : 'this job'} was restored from the cache (${asked.key}).`,
  )
  if (!config.uploadArtifact) return { ...changed, baseVideoPath }
  try {
    const { uploadVideo } = await import('./artifact.js')
    const artifact = await uploadVideo({
      name: stem,
      videoPath: baseVideoPath,
      metadataPath: '',
      archive: false,
      retentionDays: config.retentionDays,
    })
    log.info(`Uploaded the base's video as artifact '${artifact.name}' (id ${artifact.id}).`)
    return { ...changed, baseVideoPath, ...(artifact.url ? { baseVideoUrl: artifact.url } : {}) }
  } catch (error) {
    const of = job.name ? ` of job '${job.name}'` : ''
    log.warning(
      error instanceof ArtifactUploadError && error.nameTaken
        ? `Could not upload the base's video${of}: this workflow run already has an artifact named '${stem}.mp4', ` +
            "so another step of the run uses the same 'artifact-name': give each step its own. The comment links " +
            'no video before.'
        : `Could not upload the base's video${of}: ${(error as Error).message}`,
    )
    return { ...changed, baseVideoPath }
  }
}

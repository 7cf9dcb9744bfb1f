/**
 * What a pull request's reviewer is shown: the step's comment, made from the run's results. This module decides
 * whether there is a comment to write and gathers what it shows; pr-comment.ts talks to the API and
 * pr-comment-body.ts renders the Markdown. A comment that cannot be written is a warning only: the video is made.
 */
import { writeFile } from 'node:fs/promises'
import type { ActionConfig } from './inputs.js'
import { compareWithBase, comparesWithBase } from './base-compare.js'
import { githubApiUrl, workflowRunUrl } from './links.js'
import type { PullRequestRef } from './pr-comment.js'
import type { RemovedJob } from './pr-comment-compare.js'
import { metadataOf, type RunResult } from './report.js'

/** A job of the run as the comment shows it: a batch's jobs by name, a single run as one unnamed job. */
export interface ReviewedJob {
  result: RunResult
  name?: string
}

/** Where the comment's messages go; main.ts makes every line inert before the runner sees it. */
export interface ReviewLog {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
}

/** Creates or updates this step's comment on the pull request. */
export async function commentOnPullRequest(
  config: ActionConfig,
  jobs: ReviewedJob[],
  log: ReviewLog,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (!config.commentOnPr || jobs.length === 0) return
  // Loaded only when a comment is asked for: most runs do not pay for it at start-up.
  const { pullRequestFromEvent } = await import('./pr-comment.js')
  const { commentRowOf, renderComment } = await import('./pr-comment-body.js')
  const pr = pullRequestFromEvent(env)
  if (!pr) {
    log.notice(
      `'comment-on-pr' is on, but this run is not for a pull request (event '${env.GITHUB_EVENT_NAME ?? 'unknown'}'): no comment.`,
    )
    return
  }
  if (!config.githubToken) {
    log.warning("'comment-on-pr' is on, but 'github-token' is empty: no comment.")
    return
  }
  const comparison = comparesWithBase(config)
    ? await compareWithBase(config, jobs, config.githubToken, log, env)
    : undefined
  const removed: RemovedJob[] = comparison?.removed ?? []
  // A changed job's base MP4 (restored under RUNNER_TEMP) is uploaded beside its own, to play before and after.
  const bases = comparison?.jobs.map((compared) => compared.baseVideoPath) ?? []
  const secrets = [config.apiKey, config.uploadUrl, config.githubToken, config.attachmentToken]
  const attached = config.attachmentToken ? await attachAll(config.attachmentToken, secrets, jobs, log, env, bases) : []
  const rows = jobs.map(({ result, name }, i) => {
    const { basePlayerUrl, ...shown } = attached[i] ?? {}
    return { ...commentRowOf(result, name), ...shown }
  })
  comparison?.jobs.forEach(({ baseVideoPath: _, ...compare }, i) => {
    const basePlayerUrl = attached[i]?.basePlayerUrl
    rows[i].compare = { ...compare, ...(basePlayerUrl ? { basePlayerUrl } : {}) }
  })
  await writeComment(config, config.githubToken, pr, log, env, (marker) =>
    renderComment(marker, rows, workflowRunUrl(env), removed),
  )
}

/**
 * A run or batch refused before anything was sent (`max-cost-usd`): the comment an earlier push left says so, or a
 * reviewer would take the earlier videos for this push's.
 */
export async function commentRefusalOnPullRequest(
  config: ActionConfig,
  reason: string,
  log: ReviewLog,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (!config.commentOnPr || !config.githubToken) return
  const { pullRequestFromEvent } = await import('./pr-comment.js')
  const { renderRefusal } = await import('./pr-comment-body.js')
  const pr = pullRequestFromEvent(env)
  if (!pr) return
  await writeComment(config, config.githubToken, pr, log, env, (marker) =>
    renderRefusal(marker, reason, workflowRunUrl(env)),
  )
}

/** Creates or updates this step's comment with the body `render` makes around its marker; a failure is a warning. */
async function writeComment(
  config: ActionConfig,
  token: string,
  pr: PullRequestRef,
  log: ReviewLog,
  env: NodeJS.ProcessEnv,
  render: (marker: string) => string,
): Promise<void> {
  const { commentMarker, legacyCommentMarker, upsertPullRequestComment, workflowOf } = await import('./pr-comment.js')
  const job = env.GITHUB_JOB ?? ''
  const marker = commentMarker(workflowOf(env), job, config.artifactName)
  try {
    const comment = await upsertPullRequestComment({
      token,
      apiUrl: githubApiUrl(env),
      pr,
      marker,
      legacyMarker: legacyCommentMarker(job, config.artifactName),
      body: render(marker),
      log: (message) => log.info(message),
    })
    log.info(`${comment.action === 'created' ? 'Created' : 'Updated'} the pull request comment: ${comment.url}`)
  } catch (error) {
    log.warning((error as Error).message)
  }
}

/**
 * Uploads what the comment shows to GitHub's attachment store, one file at a time: each job's MP4 (then a player)
 * and its GIF or poster, unless a preview branch published it already. A job's `attachmentUrl` is set, and its
 * metadata JSON written again to hold it. What cannot be uploaded is shown as without a token. `bases`: a changed
 * job's MP4 from the pull request's base (base-compare.ts), uploaded first so the comment plays it as "before".
 */
async function attachAll(
  token: string,
  secrets: readonly (string | undefined)[],
  jobs: ReviewedJob[],
  log: ReviewLog,
  env: NodeJS.ProcessEnv,
  bases: (string | undefined)[] = [],
): Promise<{ playerUrl?: string; previewUrl?: string; basePlayerUrl?: string }[]> {
  const { AttachmentStore } = await import('./attachments.js')
  const { restoreRecord, saveRecord } = await import('./cache.js')
  const records = { restore: restoreRecord, save: saveRecord }
  const store = new AttachmentStore({ token, secrets, log, env, records })
  const attached: { playerUrl?: string; previewUrl?: string; basePlayerUrl?: string }[] = []
  for (const [i, { result }] of jobs.entries()) {
    const row: { playerUrl?: string; previewUrl?: string; basePlayerUrl?: string } = {}
    attached.push(row)
    const base = bases[i]
    if (base) row.basePlayerUrl = await store.upload({ path: base, contentType: 'video/mp4' })
    if (result.status !== 'done' || !result.video) continue
    const playerUrl = await store.upload({ path: result.video.path, contentType: 'video/mp4' })
    if (playerUrl) {
      row.playerUrl = playerUrl
      result.attachmentUrl = playerUrl
      if (result.metadataPath)
        await writeFile(result.metadataPath, `${JSON.stringify(metadataOf(result), null, 2)}\n`).catch((error: Error) =>
          log.warning(`Could not write the attachment URL into the metadata JSON: ${error.message}`),
        )
    }
    const files = result.preview?.files
    const image = files?.gifPath ?? files?.posterPath
    if (!result.preview?.url && image) {
      const previewUrl = await store.upload({
        path: image,
        contentType: image === files?.gifPath ? 'image/gif' : 'image/png',
      })
      if (previewUrl) row.previewUrl = previewUrl
    }
  }
  return attached
}

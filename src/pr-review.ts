/**
 * What a pull request's reviewer is shown: the step's comment, made from the run's results. This module decides
 * whether there is a comment to write and gathers what it shows; pr-comment.ts talks to the API and
 * pr-comment-body.ts renders the Markdown. A comment that cannot be written is a warning only: the video is made.
 */
import type { ActionConfig } from './inputs.js'
import { comparesWithBase } from './base-compare.js'
import { githubApiUrl, workflowRunUrl } from './links.js'
import type { RemovedJob } from './pr-comment-compare.js'
import type { RunResult } from './report.js'

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
  const { commentMarker, legacyCommentMarker, pullRequestFromEvent, upsertPullRequestComment, workflowOf } =
    await import('./pr-comment.js')
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
  const rows = jobs.map(({ result, name }) => commentRowOf(result, name))
  let removed: RemovedJob[] = []
  if (comparesWithBase(config)) {
    const { compareWithBase } = await import('./base-compare.js')
    const comparison = await compareWithBase(config, jobs, config.githubToken, log, env)
    if (comparison) {
      // Each changed job's base MP4 is `comparison.jobs[i].baseVideoPath` (under RUNNER_TEMP), beside the head's
      // `jobs[i].result.video`: what an upload that makes the comment play both would take.
      comparison.jobs.forEach(({ baseVideoPath: _, ...compare }, i) => (rows[i].compare = compare))
      removed = comparison.removed
    }
  }
  const job = env.GITHUB_JOB ?? ''
  const marker = commentMarker(workflowOf(env), job, config.artifactName)
  try {
    const comment = await upsertPullRequestComment({
      token: config.githubToken,
      apiUrl: githubApiUrl(env),
      pr,
      marker,
      legacyMarker: legacyCommentMarker(job, config.artifactName),
      body: renderComment(marker, rows, workflowRunUrl(env), removed),
      log: (message) => log.info(message),
    })
    log.info(`${comment.action === 'created' ? 'Created' : 'Updated'} the pull request comment: ${comment.url}`)
  } catch (error) {
    log.warning((error as Error).message)
  }
}

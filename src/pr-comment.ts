/**
 * The pull-request preview comment through the GitHub API: which pull request the run belongs to, the hidden marker
 * that identifies this step's comment, and finding, creating or editing that comment (created on the first run,
 * edited in place on every later one). The body is rendered by pr-comment-body.ts.
 * Free of @actions/core: the caller passes a `log` callback and decides what to do with errors.
 */
import { PullRequestCommentError } from './errors.js'
import { eventPayload, field } from './event-payload.js'
import { percentEncode } from './links.js'
import { githubClient, type Octokit } from './github-api.js'
import { describeGitHubFailure, httpStatus } from './github-failure.js'

export interface PullRequestRef {
  owner: string
  repo: string
  number: number
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** The pull request this run belongs to, from the runner's event payload; undefined outside a PR event. */
export function pullRequestFromEvent(env: NodeJS.ProcessEnv): PullRequestRef | undefined {
  if (!PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) return undefined
  const payload = eventPayload(env)
  const number = field(payload, 'pull_request', 'number')
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) return undefined

  const owner = field(payload, 'repository', 'owner', 'login')
  const repo = field(payload, 'repository', 'name')
  if (typeof owner === 'string' && owner && typeof repo === 'string' && repo) return { owner, repo, number }
  const [fallbackOwner, fallbackRepo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (fallbackOwner && fallbackRepo) return { owner: fallbackOwner, repo: fallbackRepo, number }
  return undefined
}

// ---------------------------------------------------------------------------------------------------------
// Marker

/**
 * Percent-encodes what could end the HTML comment early (`--`, `>`) or blur the key=value layout (`<`, spaces,
 * line breaks). `%` itself is encoded first, so two different names never give the same marker.
 */
function escapeMarkerValue(value: string): string {
  return value
    .replace(/%/g, '%25')
    .replace(/[<>\s]/g, percentEncode)
    .replace(/--/g, '-%2D')
}

/**
 * The hidden first line that identifies this step's comment: the workflow (two workflows may both have a job
 * `preview`), the job id, and the artifact name only when the user set one (two commenting steps of one job). A
 * default name (per request id) is left out on purpose: with it, every run would look new and add a comment.
 */
export function commentMarker(workflow: string, jobId: string, artifactName: string | undefined): string {
  return `<!-- grok-video-action workflow=${escapeMarkerValue(workflow)} job=${escapeMarkerValue(jobId)} artifact=${escapeMarkerValue(artifactName ?? '')} -->`
}

/** The marker of earlier versions, without the workflow: such a comment is adopted (rewritten) once. */
export function legacyCommentMarker(jobId: string, artifactName: string | undefined): string {
  return `<!-- grok-video-action job=${escapeMarkerValue(jobId)} artifact=${escapeMarkerValue(artifactName ?? '')} -->`
}

/**
 * The workflow this run belongs to, stable across runs: its file (from GITHUB_WORKFLOW_REF,
 * `owner/repo/.github/workflows/x.yml@ref`, without the ref that changes per branch), else its name.
 */
export function workflowOf(env: NodeJS.ProcessEnv): string {
  const ref = env.GITHUB_WORKFLOW_REF ?? ''
  const file = /^[^/]+\/[^/]+\/(.+?)@/.exec(ref)?.[1]
  return file ?? env.GITHUB_WORKFLOW ?? ''
}

// ---------------------------------------------------------------------------------------------------------
// Create or update

export interface UpsertOptions {
  token: string
  /** The REST API root, as `githubApiUrl` gives it. */
  apiUrl: string
  pr: PullRequestRef
  marker: string
  /** An older marker for the same step: a comment of ours that starts with it is taken over, once. */
  legacyMarker?: string
  body: string
  log?: (message: string) => void
}

/** Who writes with the job's own GITHUB_TOKEN: assumed only when neither GET /user nor GraphQL names the token. */
export const JOB_TOKEN_LOGIN = 'github-actions[bot]'

export interface UpsertedComment {
  id: number
  url: string
  action: 'created' | 'updated'
}

/** Edits this step's comment on the PR when there is one (found by its marker), or adds it. */
export async function upsertPullRequestComment(options: UpsertOptions): Promise<UpsertedComment> {
  const { token, pr, marker, body } = options
  const log = options.log ?? (() => {})
  const baseUrl = options.apiUrl.replace(/\/+$/, '')
  const where = `${pr.owner}/${pr.repo}#${pr.number}`
  if (!token)
    throw new PullRequestCommentError(`Could not comment on pull request ${where}: 'github-token' is empty.`, undefined)
  const octokit = await githubClient(token, baseUrl)

  const fail = (what: string, error: unknown): never => {
    throw describeFailure(what, where, error, token)
  }

  // Only a comment written by this token's identity is ours to edit: anyone can paste the marker, a person or
  // another app alike, so neither the marker nor an author of type Bot is enough.
  const identity = await commenterLogin(octokit, (error) => fail("find out whose token 'github-token' is", error), log)
  let existing: { id: number; html_url: string } | undefined
  let legacy: { id: number; html_url: string } | undefined
  try {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner: pr.owner,
      repo: pr.repo,
      issue_number: pr.number,
      per_page: 100,
    })
    for await (const page of pages) {
      for (const comment of page.data) {
        if (comment.user?.login !== identity) continue
        // The marker opens the body we write; a comment that merely mentions it elsewhere is someone else's.
        const body = (comment.body ?? '').trimStart()
        if (body.startsWith(marker)) existing = comment
        else if (options.legacyMarker && !legacy && body.startsWith(options.legacyMarker)) legacy = comment
        if (existing) break
      }
      if (existing) break
    }
  } catch (error) {
    fail('list the comments', error)
  }
  if (!existing && legacy) {
    log(`Taking over comment ${legacy.id}, written by an earlier version of this step.`)
    existing = legacy
  }

  if (existing) {
    try {
      const { data } = await octokit.rest.issues.updateComment({
        owner: pr.owner,
        repo: pr.repo,
        comment_id: existing.id,
        body,
      })
      log(`Updated the preview comment on ${where}: ${data.html_url}`)
      return { id: data.id, url: data.html_url, action: 'updated' }
    } catch (error) {
      return fail(`update comment ${existing.id}`, error)
    }
  }
  try {
    const { data } = await octokit.rest.issues.createComment({
      owner: pr.owner,
      repo: pr.repo,
      issue_number: pr.number,
      body,
    })
    log(`Added the preview comment on ${where}: ${data.html_url}`)
    return { id: data.id, url: data.html_url, action: 'created' }
  } catch (error) {
    return fail('add a comment', error)
  }
}

/**
 * The login the token writes as, learnt before any write: GET /user for a person's token. An installation token
 * (the job's GITHUB_TOKEN, or a GitHub App's) may not call it, but GraphQL's viewer names its bot
 * (`<app>[bot]`), the login its comments carry. Only when both are refused is it taken for the job's token.
 */
async function commenterLogin(
  octokit: Octokit,
  fail: (error: unknown) => never,
  log: (message: string) => void,
): Promise<string> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login
  } catch (error) {
    const status = httpStatus(error)
    if (status !== 403 && status !== 404) return fail(error)
  }
  try {
    const { viewer } = await octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }')
    if (typeof viewer?.login === 'string' && viewer.login) return viewer.login
  } catch (error) {
    // An answer that refuses (an HTTP status, or GraphQL errors) falls back; no answer at all is a failure.
    if (httpStatus(error) === undefined && !Array.isArray((error as { errors?: unknown }).errors)) return fail(error)
  }
  // Said, since a GitHub App's token taken for the job's bot finds none of its own comments and adds one each run.
  log(
    `Neither GET /user nor GraphQL's viewer names the login of 'github-token': taking it for ${JOB_TOKEN_LOGIN}, ` +
      'whose comments alone are edited.',
  )
  return JOB_TOKEN_LOGIN
}

function describeFailure(what: string, where: string, error: unknown, token: string): PullRequestCommentError {
  const { message, status } = describeGitHubFailure(`Could not ${what} on pull request ${where}`, error, token, {
    forbidden:
      "The 'github-token' needs the 'pull-requests: write' permission (add `permissions: pull-requests: write` to " +
      'the job). On pull_request events from a fork, GitHub gives a read-only token, so no comment can be written ' +
      "there; leave 'comment-on-pr' off for forks.",
  })
  return new PullRequestCommentError(message, status)
}

/**
 * The pull-request preview: one comment per step (per job and artifact name) holding the prompt, the parameters,
 * the status and a link that plays the MP4, created on the first run and edited in place on every later one.
 * Free of @actions/core: the caller passes a `log` callback and decides what to do with errors.
 */
import { readFileSync } from 'node:fs'
import type { getOctokit } from '@actions/github'
import { PullRequestCommentError } from './errors.js'
import { link, literal, percentEncode, plain, shorten } from './markdown.js'
import { describeParameters, previewGrid, previewImage, statusText, ticksToUsd, type RunResult } from './report.js'
import { describeGitHubFailure } from './github-failure.js'

export interface PullRequestRef {
  owner: string
  repo: string
  number: number
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** The pull request this run belongs to, from the runner's event payload; undefined outside a PR event. */
export function pullRequestFromEvent(env: NodeJS.ProcessEnv): PullRequestRef | undefined {
  if (!PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '') || !env.GITHUB_EVENT_PATH) return undefined
  let payload: unknown
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
  } catch {
    return undefined
  }
  const number = field(payload, 'pull_request', 'number')
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) return undefined

  const owner = field(payload, 'repository', 'owner', 'login')
  const repo = field(payload, 'repository', 'name')
  if (typeof owner === 'string' && owner && typeof repo === 'string' && repo) return { owner, repo, number }
  const [fallbackOwner, fallbackRepo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (fallbackOwner && fallbackRepo) return { owner: fallbackOwner, repo: fallbackRepo, number }
  return undefined
}

function field(value: unknown, ...keys: string[]): unknown {
  let current = value
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
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
// Body

export interface CommentRow {
  /** The batch job's name; unused for a single video. */
  name?: string
  prompt: string
  /** e.g. "5 s, 16:9, 720p"; shown as code, since it may hold image URLs. */
  parameters: string
  status: string
  costUsd?: string
  requestId?: string
  /** The artifact URL that plays the MP4 (an unzipped upload is served as video/mp4). */
  videoUrl?: string
  /** The published GIF (or poster), shown inline and linking to `videoUrl`. */
  previewUrl?: string
  error?: string
}

const PROMPT_LIMIT = 200
const ERROR_LIMIT = 300

function videoLink(url: string | undefined, label: string): string {
  return url ? link(label, url) : '—'
}

/** Done, whether generated now or restored ("done (from the cache)"). */
const isDone = (row: CommentRow): boolean => row.status === 'done' || row.status.startsWith('done (')

function statusCell(row: CommentRow): string {
  const icon = isDone(row) ? '✅' : row.status === 'pending' ? '⏳' : '⚠️'
  return `${icon} ${plain(row.status)}`
}

const cost = (row: CommentRow): string => (row.costUsd ? plain(`$${row.costUsd}`) : '—')

/** The comment's Markdown: the marker, a heading, a table (one row per video for a batch) and the run's link. */
export function renderComment(marker: string, rows: CommentRow[], runUrl?: string): string {
  const lines = [marker]
  if (rows.length === 1) {
    const row = rows[0]
    lines.push(`### 🎬 Grok video preview: ${plain(row.status)}`, '')
    const image = row.previewUrl && previewImage(row.previewUrl, row.videoUrl, 'Preview of the video')
    if (image) lines.push(image, '')
    const table: [string, string][] = [
      ['Prompt', literal(shorten(row.prompt, PROMPT_LIMIT))],
      ['Parameters', literal(row.parameters)],
      ['Status', statusCell(row)],
      ['Cost', cost(row)],
      ['Request id', row.requestId ? literal(row.requestId) : '—'],
      ['Video', videoLink(row.videoUrl, '▶️ Play the MP4')],
    ]
    if (row.error) table.push(['Error', literal(shorten(row.error, ERROR_LIMIT))])
    lines.push('| | |', '|---|---|', ...table.map(([k, v]) => `| ${k} | ${v} |`))
  } else {
    const done = rows.filter(isDone).length
    lines.push(`### 🎬 Grok video preview: ${done} of ${rows.length} done`, '')
    lines.push(
      ...previewGrid(
        rows.map((row, index) => ({
          name: row.name ?? String(index + 1),
          imageUrl: row.previewUrl,
          linkUrl: row.videoUrl,
        })),
      ),
    )
    const withErrors = rows.some((row) => row.error)
    const header = [
      'Name',
      'Prompt',
      'Parameters',
      'Status',
      'Cost',
      'Request id',
      'Video',
      ...(withErrors ? ['Error'] : []),
    ]
    lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---|').join('')}`)
    rows.forEach((row, index) => {
      const cells = [
        row.name ? literal(row.name) : String(index + 1),
        literal(shorten(row.prompt, PROMPT_LIMIT)),
        literal(row.parameters),
        statusCell(row),
        cost(row),
        row.requestId ? literal(row.requestId) : '—',
        videoLink(row.videoUrl, '▶️ Play'),
        ...(withErrors ? [row.error ? literal(shorten(row.error, ERROR_LIMIT)) : ''] : []),
      ]
      lines.push(`| ${cells.join(' | ')} |`)
    })
  }
  lines.push('')
  if (rows.some((row) => row.videoUrl))
    lines.push('<sub>The link opens the uploaded artifact, which plays in the browser.</sub>', '')
  if (runUrl) lines.push(videoLink(runUrl, 'Workflow run'), '')
  return lines.join('\n')
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

type Octokit = ReturnType<typeof getOctokit>

/** Who writes with the job's own GITHUB_TOKEN (GET /user is not open to it). */
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
  // Loaded on demand: runs that do not comment never load Octokit.
  const { getOctokit } = await import('@actions/github')
  const octokit = getOctokit(token, { baseUrl })

  const fail = (what: string, error: unknown): never => {
    throw describeFailure(what, where, error, token)
  }

  // Only a comment written by this token's identity is ours to edit: anyone can paste the marker.
  const identity = await commenterLogin(octokit, (error) => fail("find out whose token 'github-token' is", error))
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
 * The login the token writes as: GET /user for a personal token; the job's GITHUB_TOKEN (an app installation
 * token) may not call it (403), and writes as github-actions[bot].
 */
async function commenterLogin(octokit: Octokit, fail: (error: unknown) => never): Promise<string> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login
  } catch (error) {
    const status = (error as { status?: unknown; response?: unknown }).response
      ? (error as { status?: unknown }).status
      : undefined
    if (status === 403 || status === 404) return JOB_TOKEN_LOGIN
    return fail(error)
  }
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

/** A comment row for one finished (or failed) video. */
export function commentRowOf(result: RunResult, name?: string): CommentRow {
  return {
    ...(name ? { name } : {}),
    prompt: result.request?.prompt ?? '',
    parameters: result.request ? describeParameters(result.request) : '',
    status: statusText(result),
    ...(result.costTicks !== undefined ? { costUsd: ticksToUsd(result.costTicks) } : {}),
    ...(result.requestId ? { requestId: result.requestId } : {}),
    ...(result.artifact ? { videoUrl: result.artifact.url } : {}),
    ...(result.preview?.url ? { previewUrl: result.preview.url } : {}),
    ...(result.error ? { error: result.error.message } : {}),
  }
}

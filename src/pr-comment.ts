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
import { describeGitHubFailure, httpStatus } from './github-failure.js'

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
/** What prompts and errors are cut to when the whole comment would not fit in `COMMENT_LIMIT`. */
const SHORT_PROMPT_LIMIT = 60
const SHORT_ERROR_LIMIT = 120

/** GitHub refuses (422) a comment body longer than this many characters. */
export const COMMENT_LIMIT = 65_536

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

/** How much of the rows one rendering shows. */
interface Fit {
  promptLimit: number
  errorLimit: number
  /** The indexes of the rows shown, in order; the others are counted in a note. */
  shown: number[]
  /** How many of the shown rows' previews the grid holds; the others are counted in a note. */
  tiles: number
}

/**
 * The comment's Markdown: the marker, a heading, a table (one row per video for a batch) and the run's link, kept
 * within `COMMENT_LIMIT` whatever the rows hold. The size is measured on the finished body, so the budget holds
 * whatever a row grows to show: the first rendering that fits wins, each giving up more than the one before
 * (shorter prompts and errors, then fewer previews, then fewer rows, the failed ones kept first), and a note
 * says how many were left out. `length` counts UTF-16 units, never fewer than the characters GitHub counts.
 */
export function renderComment(marker: string, rows: CommentRow[], runUrl?: string): string {
  const all = rows.map((_, index) => index)
  const tileCount = rows.filter((row) => row.previewUrl).length
  const render = (fit: Fit): string => renderBody(marker, rows, runUrl, fit)
  const fits = (fit: Fit): boolean => render(fit).length <= COMMENT_LIMIT

  const whole: Fit = { promptLimit: PROMPT_LIMIT, errorLimit: ERROR_LIMIT, shown: all, tiles: tileCount }
  if (fits(whole)) return render(whole)
  const short: Fit = { promptLimit: SHORT_PROMPT_LIMIT, errorLimit: SHORT_ERROR_LIMIT, shown: all, tiles: tileCount }
  if (fits(short)) return render(short)
  const tiles = largest(tileCount - 1, (tiles) => fits({ ...short, tiles }))
  if (tiles !== undefined) return render({ ...short, tiles })
  // A job that did not end done matters most to the reader: such rows are the last to go.
  const byPriority = [...all.filter((i) => !isDone(rows[i])), ...all.filter((i) => isDone(rows[i]))]
  const firstRows = (count: number): Fit => ({
    ...short,
    tiles: 0,
    shown: byPriority.slice(0, count).sort((a, b) => a - b),
  })
  return render(firstRows(largest(rows.length - 1, (count) => fits(firstRows(count))) ?? 0))
}

/** The largest count in 0..max for which `fits` holds (it holds for every smaller one too), else undefined. */
function largest(max: number, fits: (count: number) => boolean): number | undefined {
  let [low, high] = [0, max]
  if (max < 0 || !fits(0)) return undefined
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (fits(middle)) low = middle
    else high = middle - 1
  }
  return low
}

function renderBody(marker: string, allRows: CommentRow[], runUrl: string | undefined, fit: Fit): string {
  const lines = [marker]
  const rows = fit.shown.map((index) => allRows[index])
  const rowsLeftOut = allRows.length - rows.length
  if (allRows.length === 1) {
    const row = allRows[0]
    lines.push(`### 🎬 Grok video preview: ${plain(row.status)}`, '')
    const image = row.previewUrl && fit.tiles > 0 && previewImage(row.previewUrl, row.videoUrl, 'Preview of the video')
    if (image) lines.push(image, '')
    const table: [string, string][] = [
      ['Prompt', literal(shorten(row.prompt, fit.promptLimit))],
      ['Parameters', literal(row.parameters)],
      ['Status', statusCell(row)],
      ['Cost', cost(row)],
      ['Request id', row.requestId ? literal(row.requestId) : '—'],
      ['Video', videoLink(row.videoUrl, '▶️ Play the MP4')],
    ]
    if (row.error) table.push(['Error', literal(shorten(row.error, fit.errorLimit))])
    if (rows.length > 0) lines.push('| | |', '|---|---|', ...table.map(([k, v]) => `| ${k} | ${v} |`))
  } else {
    const done = allRows.filter(isDone).length
    lines.push(`### 🎬 Grok video preview: ${done} of ${allRows.length} done`, '')
    const tiles = fit.shown
      .map((index) => ({
        name: allRows[index].name ?? String(index + 1),
        imageUrl: allRows[index].previewUrl,
        linkUrl: allRows[index].videoUrl,
      }))
      .filter((tile) => tile.imageUrl)
    lines.push(...previewGrid(tiles.slice(0, fit.tiles)))
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
    if (rows.length > 0) lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---|').join('')}`)
    rows.forEach((row, position) => {
      const index = fit.shown[position]
      const cells = [
        row.name ? literal(row.name) : String(index + 1),
        literal(shorten(row.prompt, fit.promptLimit)),
        literal(row.parameters),
        statusCell(row),
        cost(row),
        row.requestId ? literal(row.requestId) : '—',
        videoLink(row.videoUrl, '▶️ Play'),
        ...(withErrors ? [row.error ? literal(shorten(row.error, fit.errorLimit)) : ''] : []),
      ]
      lines.push(`| ${cells.join(' | ')} |`)
    })
  }
  lines.push('')
  const tilesLeftOut = allRows.filter((row) => row.previewUrl).length - fit.tiles
  const leftOut = [
    ...(rowsLeftOut > 0 ? [`${rowsLeftOut} of ${allRows.length} videos are not listed`] : []),
    ...(tilesLeftOut > 0 ? [`${tilesLeftOut} previews are not shown`] : []),
  ]
  if (leftOut.length > 0)
    lines.push(
      `<sub>${leftOut.join(', and ')} here, to keep this comment within GitHub's size limit; the workflow run's ` +
        'summary has them all.</sub>',
      '',
    )
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
  // Loaded on demand: runs that do not comment never load Octokit.
  const { getOctokit } = await import('@actions/github')
  const octokit = getOctokit(token, { baseUrl })

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

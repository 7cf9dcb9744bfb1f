/**
 * Whether the run is for a pull request from a fork, from the event payload: GitHub passes no secrets to such a
 * run (on `pull_request` and the review events), so an empty `api-key` there is told for what it is, not as a
 * missing input.
 */
import { eventPayload, field } from './event-payload.js'

// pull_request_target runs in the base repository, with its secrets: not one of these.
const FORK_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment'])

export interface ForkPullRequest {
  /** The fork's `owner/repo`, when the payload names it. */
  head?: string
}

/** The fork a pull request's run comes from; undefined for any other event, or a pull request from a branch here. */
export function forkOf(env: NodeJS.ProcessEnv): ForkPullRequest | undefined {
  if (!FORK_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) return undefined
  const payload = eventPayload(env)
  const head = field(payload, 'pull_request', 'head', 'repo', 'full_name')
  const base = field(payload, 'repository', 'full_name') ?? field(payload, 'pull_request', 'base', 'repo', 'full_name')
  // A deleted fork leaves the head without a repository: a branch here never does.
  const fork =
    field(payload, 'pull_request', 'head', 'repo', 'fork') === true ||
    (field(payload, 'pull_request', 'head') !== undefined && field(payload, 'pull_request', 'head', 'repo') === null)
  const elsewhere = typeof head === 'string' && typeof base === 'string' && head.toLowerCase() !== base.toLowerCase()
  if (!fork && !elsewhere) return undefined
  return typeof head === 'string' && /^[\w.-]{1,100}\/[\w.-]{1,100}$/.test(head) ? { head } : {}
}

/** What an empty `api-key` means on a fork's pull request, and what to do. */
export function forkMessage(fork: ForkPullRequest): string {
  const from = fork.head ? ` (from ${fork.head})` : ''
  return (
    `is empty: this run is for a pull request from a fork${from}, and GitHub does not pass secrets to workflows ` +
    'of pull requests from forks. Nothing was sent. Run this step on pull requests from branches of this ' +
    'repository (skip forks with `if: github.event.pull_request.head.repo.full_name == github.repository`), or ' +
    'from a `pull_request_target` workflow gated by a label a maintainer adds after reading the change: it runs ' +
    "with the base repository's secrets, so never check out and run the fork's code in it."
  )
}

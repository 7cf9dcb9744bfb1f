// A loopback stand-in for the GitHub REST endpoints the action uses, answering in GitHub's shapes (pagination by
// Link header, `token`/`Bearer` auth, 401/403/404/422 bodies) so the real @actions/github client can run against it.
// The PR comment:
//   GET   /repos/{owner}/{repo}/issues/{number}/comments?per_page=&page=
//   POST  /repos/{owner}/{repo}/issues/{number}/comments
//   PATCH /repos/{owner}/{repo}/issues/comments/{id}
//   GET   /user  (a personal token's account; 403 for the job's GITHUB_TOKEN, as GitHub answers an app token)
//   POST  /graphql  (`viewer { login }` only: the token's account, for an app's installation token `slug[bot]`)
// A comment body over GitHub's limit is refused with 422, as GitHub does.
// Publishing previews (the Git Data API, with git's own object ids; trees are flat):
//   GET   /repos/{owner}/{repo}                       (default_branch)
//   GET   /repos/{owner}/{repo}/git/ref/heads/{branch}
//   GET   /repos/{owner}/{repo}/commits?sha=&per_page=&page=  (first parents, newest first; Link header)
//   GET   /repos/{owner}/{repo}/git/trees/{sha}
//   POST  /repos/{owner}/{repo}/git/blobs             (base64 or utf-8)
//   POST  /repos/{owner}/{repo}/git/trees             (with or without base_tree)
//   GET   /repos/{owner}/{repo}/git/commits/{sha}
//   POST  /repos/{owner}/{repo}/git/commits
//   POST  /repos/{owner}/{repo}/git/refs              (422 when it exists)
//   PATCH /repos/{owner}/{repo}/git/refs/heads/{branch} (422 unless a fast-forward, or force)
// Releases and their assets: github-releases.ts.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { contentsRoute, type ContentsStore } from './github-contents.ts'
import type { AttachmentStoreFake } from './github-attachments.ts'
import { GitError, GitRepository, type TreeEntry } from './git-store.ts'
import { releaseRoutes, type ReleaseOptions, type ReleaseStore } from './github-releases.ts'
import { listenOnLoopback, sendJson } from './loopback.ts'

export interface PullRequestKey {
  owner: string
  repo: string
  number: number
}

export interface FakeComment {
  id: number
  html_url: string
  body: string
  user: { login: string; type: string }
  created_at: string
  updated_at: string
}

export interface SeedComment extends PullRequestKey {
  body: string
  /** The author; a person by default. */
  login?: string
}

export interface RecordedRequest {
  method: string
  /** With the query string. */
  path: string
  headers: IncomingMessage['headers']
  body: string
}

export interface GitHubApiOptions {
  /** The only token accepted; anything else gets 401. */
  token?: string
  /** Answer writes with 403, as GitHub does for the read-only token of a forked PR's run. */
  readOnly?: boolean
  /** Comments present before the first request, in order. */
  seed?: SeedComment[]
  /**
   * The account a personal token belongs to: GET /user names it and comments are written as it. Unset: the token
   * is the job's GITHUB_TOKEN, which may not call GET /user (403) and writes as github-actions[bot].
   */
  user?: string
  /**
   * The token is an installation token of this GitHub App (its slug): GET /user is refused, comments are written as
   * `<slug>[bot]`, and GraphQL's viewer names that login. Unset (and no `user`): the job's GITHUB_TOKEN.
   */
  app?: string
  /** Refuse GraphQL (403), as a GitHub that does not answer `viewer` for this token would. */
  viewerRefused?: boolean
  /** Answer every authorized request with this error, e.g. to see what a client does with odd messages. */
  failWith?: { status: number; message: string }
  /** Every repository's default branch; `main` unless set. */
  defaultBranch?: string
  /** Branches whose ref may not be created or moved (422, as GitHub answers for a protected branch). */
  protectedBranches?: string[]
  /**
   * Called before a ref is created or moved, with the repository and branch; a test makes another job's commit
   * here to race the writer.
   */
  beforeRefWrite?: (repository: GitRepository, branch: string) => void
  /** Files for the contents API (github-contents.ts); without it, that route is 404. */
  contents?: ContentsStore
  /** GitHub's attachment store on this origin (test/fakes/github-attachments.ts), with a token of its own. */
  attachments?: AttachmentStoreFake
  /** The release routes' faults (github-releases.ts). */
  releases?: ReleaseOptions
}

export interface GitHubApiFake {
  /** e.g. http://127.0.0.1:PORT, for GITHUB_API_URL. */
  apiUrl: string
  token: string
  /** The comments on one PR, oldest first. */
  comments(pr: PullRequestKey): FakeComment[]
  /** Every request received. */
  requests: RecordedRequest[]
  /** The most writes (any method but GET, GraphQL queries aside) that were in flight at one time. */
  peakConcurrentWrites(): number
  /** A repository's git objects and branches (created empty on first use). */
  git(owner: string, repo: string): GitRepository
  /** The releases and their assets (github-releases.ts). */
  releases: ReleaseStore
  /** Stops the server and destroys open (keep-alive) sockets; safe to call twice. */
  close(): Promise<void>
}

export const BOT_LOGIN = 'github-actions[bot]'
/** GitHub refuses a comment body longer than this many characters. */
export const COMMENT_BODY_LIMIT = 65_536
const MAX_PER_PAGE = 100
const DOCS = 'https://docs.github.com/rest/issues/comments'

class HttpError extends Error {
  readonly status: number
  readonly documentation: string
  readonly errors: unknown[] | undefined
  constructor(status: number, message: string, documentation = DOCS, errors?: unknown[]) {
    super(message)
    this.status = status
    this.documentation = documentation
    this.errors = errors
  }
}

const keyOf = (pr: PullRequestKey): string => `${pr.owner}/${pr.repo}#${pr.number}`

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function commentBody(raw: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new HttpError(400, 'Problems parsing JSON')
  }
  const body = (parsed as { body?: unknown } | null)?.body
  if (typeof body !== 'string' || !body) throw new HttpError(422, 'Invalid request.\n\n"body" wasn\'t supplied.')
  if (Array.from(body).length > COMMENT_BODY_LIMIT)
    throw new HttpError(422, 'Validation Failed', DOCS, [
      {
        resource: 'IssueComment',
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`,
      },
    ])
  return body
}

function refJson(base: string, branch: string, sha: string): unknown {
  return {
    ref: `refs/heads/${branch}`,
    url: `${base}/git/refs/heads/${branch}`,
    object: { sha, type: 'commit', url: `${base}/git/commits/${sha}` },
  }
}

function commitJson(base: string, commit: { sha: string; tree: string; parents: string[]; message: string }): unknown {
  return {
    sha: commit.sha,
    url: `${base}/git/commits/${commit.sha}`,
    message: commit.message,
    tree: { sha: commit.tree, url: `${base}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({ sha, url: `${base}/git/commits/${sha}` })),
  }
}

function positiveInt(text: string | null, fallback: number): number {
  if (text === null) return fallback
  const value = Number(text)
  return Number.isSafeInteger(value) && value > 0 ? value : fallback
}

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApiFake> {
  const token = options.token ?? 'ghs_fakeGitHubToken0123456789'
  const threads = new Map<string, FakeComment[]>()
  const requests: RecordedRequest[] = []
  let nextId = 1_000_000
  let origin = ''
  let writesInFlight = 0
  let peakWrites = 0
  // Who the token writes as: a person (GET /user answers), an app's bot, or the job's GITHUB_TOKEN.
  const author = options.user ?? (options.app ? `${options.app}[bot]` : BOT_LOGIN)

  const thread = (pr: PullRequestKey): FakeComment[] => {
    const key = keyOf(pr)
    let list = threads.get(key)
    if (!list) threads.set(key, (list = []))
    return list
  }

  const addComment = (pr: PullRequestKey, body: string, login: string): FakeComment => {
    const id = nextId++
    const now = new Date().toISOString()
    const comment: FakeComment = {
      id,
      html_url: `https://github.com/${pr.owner}/${pr.repo}/pull/${pr.number}#issuecomment-${id}`,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: now,
      updated_at: now,
    }
    thread(pr).push(comment)
    return comment
  }

  for (const seed of options.seed ?? []) addComment(seed, seed.body, seed.login ?? 'octocat')

  const authorize = (req: IncomingMessage): void => {
    const match = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')
    if (!match || match[1] !== token) throw new HttpError(401, 'Bad credentials', 'https://docs.github.com/rest')
  }

  const refuseWrites = (): void => {
    if (options.readOnly) throw new HttpError(403, 'Resource not accessible by integration')
  }

  const repositories = new Map<string, GitRepository>()
  const git = (owner: string, repo: string): GitRepository => {
    const key = `${owner}/${repo}`
    let repository = repositories.get(key)
    if (!repository) repositories.set(key, (repository = new GitRepository(options.defaultBranch ?? 'main')))
    return repository
  }

  const releases = releaseRoutes(() => origin, options, options.releases)
  function route(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): void {
    authorize(req)
    if (options.failWith) throw new HttpError(options.failWith.status, options.failWith.message)
    if (releases.handle(req, res, url, raw)) return
    if (contentsRoute(req, res, url, options.contents)) return
    const body = raw.toString('utf8')
    const method = req.method ?? 'GET'
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname)
    if (list) {
      const pr = { owner: decodeURIComponent(list[1]), repo: decodeURIComponent(list[2]), number: Number(list[3]) }
      if (method === 'GET') return listComments(res, url, pr)
      if (method === 'POST') {
        refuseWrites()
        return sendJson(res, 201, addComment(pr, commentBody(body), author))
      }
    }
    if (url.pathname === '/user' && method === 'GET') {
      if (!options.user)
        throw new HttpError(
          403,
          'Resource not accessible by integration',
          'https://docs.github.com/rest/users/users#get-the-authenticated-user',
        )
      return sendJson(res, 200, { login: options.user, id: 583231, type: 'User' })
    }
    if (url.pathname === '/graphql' && method === 'POST') {
      if (options.viewerRefused)
        throw new HttpError(403, 'Resource not accessible by integration', 'https://docs.github.com/graphql')
      const { query } = JSON.parse(body || '{}') as { query?: string }
      if (!/^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query ?? ''))
        throw new HttpError(400, 'This fake answers only `{ viewer { login } }`', 'https://docs.github.com/graphql')
      return sendJson(res, 200, { data: { viewer: { login: author } } })
    }
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname)
    if (one && method === 'PATCH') {
      refuseWrites()
      const prefix = `${decodeURIComponent(one[1])}/${decodeURIComponent(one[2])}#`
      const id = Number(one[3])
      const comment = [...threads.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .flatMap(([, comments]) => comments)
        .find((c) => c.id === id)
      if (!comment) throw new HttpError(404, 'Not Found')
      comment.body = commentBody(body)
      comment.updated_at = new Date().toISOString()
      return sendJson(res, 200, comment)
    }
    const repoRoute = /^\/repos\/([^/]+)\/([^/]+)(\/git\/.*|\/commits)?$/.exec(url.pathname)
    if (repoRoute) {
      const [owner, repo] = [decodeURIComponent(repoRoute[1]), decodeURIComponent(repoRoute[2])]
      if (repoRoute[3] === '/commits' && method === 'GET') return listCommits(res, url, git(owner, repo))
      // Octokit writes the slash of `heads/<branch>` as %2F.
      return gitRoute(res, method, owner, repo, decodeURIComponent(repoRoute[3] ?? ''), body)
    }
    throw new HttpError(404, 'Not Found', 'https://docs.github.com/rest')
  }

  function gitRoute(res: ServerResponse, method: string, owner: string, repo: string, rest: string, raw: string): void {
    const repository = git(owner, repo)
    const base = `${origin}/repos/${owner}/${repo}`
    const input = (): Record<string, unknown> => (raw ? (JSON.parse(raw) as Record<string, unknown>) : {})
    if (rest === '' && method === 'GET') {
      return sendJson(res, 200, {
        name: repo,
        full_name: `${owner}/${repo}`,
        owner: { login: owner },
        default_branch: repository.defaultBranch,
      })
    }
    const ref = /^\/git\/refs?\/heads\/(.+)$/.exec(rest)
    if (ref && method === 'GET' && rest.startsWith('/git/ref/')) {
      const branch = ref[1]
      const sha = repository.head(branch)
      if (!sha) throw new HttpError(404, 'Not Found', 'https://docs.github.com/rest/git/refs')
      return sendJson(res, 200, refJson(base, branch, sha))
    }
    const treeRoute = /^\/git\/trees\/([0-9a-f]{40})$/.exec(rest)
    if (treeRoute && method === 'GET') {
      const entries = repository.tree(treeRoute[1])
      if (!entries) throw new HttpError(404, 'Not Found', 'https://docs.github.com/rest/git/trees')
      return sendJson(res, 200, { sha: treeRoute[1], tree: entries, truncated: false })
    }
    if (method === 'GET') {
      const commit = /^\/git\/commits\/([0-9a-f]{40})$/.exec(rest)
      const found = commit ? repository.commit(commit[1]) : undefined
      if (!found) throw new HttpError(404, 'Not Found', 'https://docs.github.com/rest/git/commits')
      return sendJson(res, 200, commitJson(base, found))
    }
    refuseWrites()
    if (rest === '/git/blobs' && method === 'POST') {
      const { content, encoding } = input() as { content?: unknown; encoding?: unknown }
      if (typeof content !== 'string') throw new HttpError(422, 'Invalid request.\n\n"content" wasn\'t supplied.')
      const sha = repository.addBlob(Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'))
      return sendJson(res, 201, { sha, url: `${base}/git/blobs/${sha}` })
    }
    if (rest === '/git/trees' && method === 'POST') {
      const { tree, base_tree: baseTree } = input() as { tree?: TreeEntry[]; base_tree?: string }
      const sha = repository.addTree(tree ?? [], baseTree)
      return sendJson(res, 201, { sha, url: `${base}/git/trees/${sha}`, tree: repository.tree(sha), truncated: false })
    }
    if (rest === '/git/commits' && method === 'POST') {
      const { tree, parents, message } = input() as { tree?: string; parents?: string[]; message?: string }
      const commit = repository.addCommit(tree ?? '', parents ?? [], message ?? '')
      return sendJson(res, 201, commitJson(base, commit))
    }
    if (rest === '/git/refs' && method === 'POST') {
      const { ref: name, sha } = input() as { ref?: string; sha?: string }
      const branch = /^refs\/heads\/(.+)$/.exec(name ?? '')?.[1]
      if (!branch) throw new HttpError(422, 'Reference name must start with refs/heads/ here')
      guardRef(repository, branch)
      repository.createRef(branch, sha ?? '')
      return sendJson(res, 201, refJson(base, branch, sha ?? ''))
    }
    if (ref && method === 'PATCH' && rest.startsWith('/git/refs/')) {
      const branch = ref[1]
      const { sha, force } = input() as { sha?: string; force?: boolean }
      guardRef(repository, branch)
      repository.updateRef(branch, sha ?? '', force === true)
      return sendJson(res, 200, refJson(base, branch, sha ?? ''))
    }
    throw new HttpError(404, 'Not Found', 'https://docs.github.com/rest')
  }

  function guardRef(repository: GitRepository, branch: string): void {
    if (options.protectedBranches?.includes(branch))
      throw new HttpError(422, `Protected branch update failed for refs/heads/${branch}.`)
    options.beforeRefWrite?.(repository, branch)
  }

  function listComments(res: ServerResponse, url: URL, pr: PullRequestKey): void {
    sendPage(res, url, thread(pr))
  }

  /** GET /repos/{owner}/{repo}/commits?sha=: the commits reachable from `sha` (a commit or branch), newest first. */
  function listCommits(res: ServerResponse, url: URL, repository: GitRepository): void {
    const from = url.searchParams.get('sha') ?? repository.defaultBranch
    const start = repository.commit(from) ? from : repository.head(from)
    if (!start) throw new HttpError(404, 'Not Found', 'https://docs.github.com/rest/commits/commits')
    const base = `${origin}${url.pathname.replace(/\/commits$/, '')}`
    const commits = repository.historyFrom(start).map((c) => ({
      sha: c.sha,
      commit: { message: c.message, tree: { sha: c.tree, url: `${base}/git/trees/${c.tree}` } },
      parents: c.parents.map((sha) => ({ sha, url: `${base}/commits/${sha}` })),
    }))
    sendPage(res, url, commits)
  }

  /** One page of `all`, by `per_page` and `page`, with GitHub's Link header. */
  function sendPage(res: ServerResponse, url: URL, all: unknown[]): void {
    const perPage = Math.min(positiveInt(url.searchParams.get('per_page'), 30), MAX_PER_PAGE)
    const page = positiveInt(url.searchParams.get('page'), 1)
    const lastPage = Math.max(1, Math.ceil(all.length / perPage))
    const pageUrl = (n: number): string => {
      const target = new URL(url.pathname + url.search, origin)
      target.searchParams.set('per_page', String(perPage))
      target.searchParams.set('page', String(n))
      return target.href
    }
    const links: string[] = []
    if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(lastPage)}>; rel="last"`)
    if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`, `<${pageUrl(1)}>; rel="first"`)
    const headers: Record<string, string> = links.length ? { link: links.join(', ') } : {}
    sendJson(res, 200, all.slice((page - 1) * perPage, page * perPage), headers)
  }

  const server = createServer((req, res) => {
    if (options.attachments?.handles(req, res)) return
    const write = req.method !== 'GET' && req.url !== '/graphql'
    if (write) {
      peakWrites = Math.max(peakWrites, ++writesInFlight)
      res.once('close', () => writesInFlight--)
    }
    readBody(req)
      .then(async (raw) => {
        requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: raw.toString('utf8'),
        })
        // A write takes GitHub a moment: writes sent together are then seen in flight together.
        if (write) await new Promise((resolve) => setTimeout(resolve, 1))
        route(req, res, new URL(req.url ?? '/', origin), raw)
      })
      .catch((error: unknown) => {
        if (error instanceof GitError)
          error = new HttpError(error.status, error.message, 'https://docs.github.com/rest/git')
        if (error instanceof HttpError) {
          sendJson(res, error.status, {
            message: error.message,
            documentation_url: error.documentation,
            ...(error.errors ? { errors: error.errors } : {}),
            status: String(error.status),
          })
        } else {
          sendJson(res, 500, { message: (error as Error).message })
        }
      })
  })
  const listening = await listenOnLoopback(server)
  origin = listening.origin

  return {
    apiUrl: origin,
    token,
    comments: (pr) => [...(threads.get(keyOf(pr)) ?? [])],
    requests,
    peakConcurrentWrites: () => peakWrites,
    git,
    releases: releases.store,
    close: listening.close,
  }
}

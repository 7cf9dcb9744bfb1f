/**
 * Publishing previews to `preview-branch` through the Git Data API (blobs, tree, commit, ref), so the summary and
 * the pull-request comment can show them: GitHub renders an image committed to the repository, not an artifact.
 * The branch is created as an orphan on first use and only ever fast-forwarded with files added to its tree; one
 * commit carries every preview of a step. An existing branch is written to only when the action made it. Free of @actions/core: failures are thrown as a `PreviewError` whose
 * message names the cause and the fix.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { PreviewError } from './errors.js'
import type { PreviewLog, PreviewOutcome } from './preview.js'
import { githubClient, type Octokit } from './github-api.js'
import { describeGitHubFailure, httpStatus } from './github-failure.js'
import { COMMIT_PREFIX, type PreviewTarget, type RepositoryRef } from './preview-target.js'

/**
 * Commits every preview the step made (a batch's all at once) and sets each outcome's `url` to its GIF's URL, else
 * its poster's. Never throws: a failure is one warning, and the previews stay on the runner.
 */
export async function publishStepPreviews(
  target: PreviewTarget | undefined,
  outcomes: (PreviewOutcome | undefined)[],
  log: PreviewLog,
): Promise<void> {
  const made = outcomes.filter((outcome): outcome is PreviewOutcome => Boolean(outcome?.files))
  if (!target || made.length === 0) return
  const fix = 'The previews stay on the runner (poster-path, preview-path).'
  if (!target.token)
    return log.warning(`No preview published: 'preview-branch' is set but 'github-token' is empty. ${fix}`)
  if (!target.repository)
    return log.warning(
      `No preview published: GITHUB_REPOSITORY is not set, so there is no repository to commit to. ${fix}`,
    )
  const files = made.flatMap(({ files }) =>
    files ? [files.posterPath, ...(files.gifPath ? [files.gifPath] : [])] : [],
  )
  try {
    const { published } = await publishPreviews({
      ...target,
      token: target.token,
      repository: target.repository,
      files,
      log: log.info,
    })
    for (const outcome of made) {
      const shown = outcome.files?.gifPath ?? outcome.files?.posterPath
      outcome.url = shown ? published.get(shown)?.url : undefined
    }
  } catch (error) {
    const reason = error instanceof PreviewError ? error.message : `publishing failed: ${(error as Error).message}`
    log.warning(`No preview published to '${target.branch}': ${reason} ${fix}`)
  }
}

export interface PublishRequest {
  token: string
  /** The REST API root, as `githubApiUrl` gives it. */
  apiUrl: string
  /** The web root, for the links, as `githubServerUrl` gives it. */
  serverUrl: string
  repository: RepositoryRef
  branch: string
  /** Branches never written to besides the default branch: the pull request's head and base. */
  protectedBranches: string[]
  /** Local files to add; each is committed as `<sha256 of its bytes><extension>`. */
  files: string[]
  /** Commit message; it starts with `COMMIT_PREFIX`, by which a branch the action made is recognised. */
  message: string
  log?: (message: string) => void
  /** Pause between two attempts after a race with another job; tests shorten it. */
  retryDelayMs?: number
}

export interface PublishResult {
  /** The commit holding the files; the branch head when every file was already there. */
  commitSha: string
  /** `created`: a new orphan branch; `extended`: a fast-forward; `unchanged`: every file was already there. */
  action: 'created' | 'extended' | 'unchanged'
  /** Per local file: its path on the branch and the URL that renders it. */
  published: Map<string, { path: string; url: string }>
}

const ATTEMPTS = 5
const README = `# Previews

Posters and animated GIFs of generated videos, committed by grok-video-action so that job summaries and pull
request comments can show them inline. Each file is named by the SHA-256 of its bytes.

This branch only grows. To prune it, delete the branch: the next run that publishes a preview creates it again.
`

/** `{server}/{owner}/{repo}/blob/{branch}/{path}?raw=true`: the form GitHub renders for readers of the repository. */
export function rawFileUrl(serverUrl: string, repository: RepositoryRef, branch: string, filePath: string): string {
  const server = (serverUrl || 'https://github.com').replace(/\/+$/, '')
  const segments = (text: string): string => text.split('/').map(encodeURIComponent).join('/')
  return `${server}/${segments(repository.owner)}/${segments(repository.repo)}/blob/${segments(branch)}/${segments(filePath)}?raw=true`
}

/** Commits the files to the branch (creating it as an orphan), retrying when another job moved it meanwhile. */
export async function publishPreviews(request: PublishRequest): Promise<PublishResult> {
  const { token, repository, branch } = request
  const log = request.log ?? (() => {})
  const where = `${repository.owner}/${repository.repo}@${branch}`
  const octokit = await githubClient(token, request.apiUrl)
  const repo = { owner: repository.owner, repo: repository.repo }
  const fail = (what: string, error: unknown): never => {
    throw describeFailure(what, where, error, token)
  }

  if (request.protectedBranches.includes(branch)) throw refusal(branch, "it is one of the pull request's branches")
  const info = await octokit.rest.repos.get(repo).catch((error: unknown) => fail('read the repository', error))
  if (info.data.default_branch === branch) throw refusal(branch, "it is the repository's default branch")

  // The branch's first commit does not change as the branch grows: once seen to be ours, it stays ours.
  let owned = false
  const readHead = async (): Promise<string | undefined> => {
    const head = await branchHead(octokit, repo, branch).catch((error: unknown) => fail('read the branch', error))
    if (head && !owned) {
      owned = await madeByTheAction(octokit, repo, head).catch((error: unknown) => fail('read the branch', error))
      if (!owned) throw refusal(branch, NOT_OURS)
    }
    return head
  }
  let head = await readHead()

  // One file in memory and one write in flight at a time: GitHub asks for mutations to be sent one by one.
  const blobs = new Map<string, string>()
  const upload = async (name: string, bytes: Buffer): Promise<void> => {
    if (blobs.has(name)) return
    const { data } = await octokit.rest.git
      .createBlob({ ...repo, content: bytes.toString('base64'), encoding: 'base64' })
      .catch((error: unknown) => fail(`upload ${name}`, error))
    blobs.set(name, data.sha)
  }
  const published = new Map<string, { path: string; url: string }>()
  for (const file of request.files) {
    const bytes = await readFile(file)
    const name = `${createHash('sha256').update(bytes).digest('hex')}${path.extname(file).toLowerCase()}`
    await upload(name, bytes)
    published.set(file, { path: name, url: rawFileUrl(request.serverUrl, repository, branch, name) })
  }
  const names = [...new Set([...published.values()].map(({ path }) => path))]

  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) head = await readHead()
    if (!head) await upload('README.md', Buffer.from(README))
    const tree = (head ? names : [...names, 'README.md']).map((name) => ({
      path: name,
      mode: '100644' as const,
      type: 'blob' as const,
      sha: blobs.get(name) as string,
    }))
    const baseTree = head
      ? (
          await octokit.rest.git
            .getCommit({ ...repo, commit_sha: head })
            .catch((error: unknown) => fail('read the branch head', error))
        ).data.tree.sha
      : undefined
    const { data: newTree } = await octokit.rest.git
      .createTree({ ...repo, tree, ...(baseTree ? { base_tree: baseTree } : {}) })
      .catch((error: unknown) => fail('write the tree', error))
    if (head && newTree.sha === baseTree) {
      log(`Every preview file is already on ${where}; nothing to commit.`)
      return { commitSha: head, action: 'unchanged', published }
    }
    const { data: commit } = await octokit.rest.git
      .createCommit({ ...repo, message: request.message, tree: newTree.sha, parents: head ? [head] : [] })
      .catch((error: unknown) => fail('write the commit', error))
    try {
      if (head) await octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: commit.sha, force: false })
      else await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: commit.sha })
      log(`${head ? 'Extended' : 'Created'} ${where} with commit ${commit.sha}.`)
      return { commitSha: commit.sha, action: head ? 'extended' : 'created', published }
    } catch (error) {
      if (!isRace(error) || attempt >= ATTEMPTS) fail(head ? 'move the branch' : 'create the branch', error)
      log(`${where} moved while committing (another job published too); trying again (${attempt}/${ATTEMPTS - 1}).`)
      await new Promise((resolve) => setTimeout(resolve, (request.retryDelayMs ?? 500) * attempt * Math.random()))
    }
  }
}

const NOT_OURS =
  `it exists and was not made by this action (its first commit is not a "${COMMIT_PREFIX}…" commit without ` +
  'parents that adds README.md)'

/**
 * Whether the action made the branch: its first commit is the one the action writes when it creates a branch
 * (no parent, a message starting with `COMMIT_PREFIX`, README.md in its tree). The commit list's last page of one
 * finds that commit in two requests, however long the branch has grown.
 */
async function madeByTheAction(octokit: Octokit, repo: RepositoryRef, head: string): Promise<boolean> {
  const first = await octokit.rest.repos.listCommits({ ...repo, sha: head, per_page: 1 })
  const last = lastPage(first.headers.link)
  const root = (last ? await octokit.rest.repos.listCommits({ ...repo, sha: head, per_page: 1, page: last }) : first)
    .data[0]
  if (!root || root.parents.length > 0 || !root.commit.message.startsWith(COMMIT_PREFIX)) return false
  const { data: tree } = await octokit.rest.git.getTree({ ...repo, tree_sha: root.commit.tree.sha })
  return tree.tree.some((entry) => entry.path === 'README.md' && entry.type === 'blob')
}

/** The `page` of a Link header's `rel="last"`; undefined when there is one page only. */
function lastPage(link: string | undefined): number | undefined {
  const target = /<([^>]+)>;\s*rel="last"/.exec(link ?? '')?.[1]
  const page = target ? Number(new URL(target).searchParams.get('page')) : NaN
  return Number.isSafeInteger(page) && page > 1 ? page : undefined
}

async function branchHead(octokit: Octokit, repo: RepositoryRef, branch: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` })
    return data.object.sha
  } catch (error) {
    if (httpStatus(error) === 404) return undefined
    throw error
  }
}

/** Another job created or moved the branch between our read and our write: read it again and retry. */
function isRace(error: unknown): boolean {
  const message = error instanceof Error ? error.message : ''
  return httpStatus(error) === 422 && /already exists|not a fast.?forward/i.test(message)
}

function refusal(branch: string, why: string): PreviewError {
  return new PreviewError(
    `'preview-branch: ${branch}' was refused: ${why}, and previews are committed only to a branch of their own. ` +
      "Use a dedicated name such as 'grok-video-previews'.",
  )
}

function describeFailure(what: string, where: string, error: unknown, token: string): PreviewError {
  const { message } = describeGitHubFailure(`could not ${what} of ${where}`, error, token, {
    forbidden:
      "The 'github-token' needs 'contents: write' (add `permissions: contents: write` to the job). On pull " +
      'requests from forks the token is read-only, so no preview can be published there; leave ' +
      "'preview-branch' empty for forks.",
    refused: "The branch is protected or the repository refuses the write: choose another 'preview-branch'.",
  })
  return new PreviewError(message)
}

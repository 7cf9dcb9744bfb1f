/**
 * `release-tag`: a finished video, its poster, GIF and metadata JSON attached to the GitHub release with that tag,
 * which is created when missing. Release assets last as long as the release and follow the repository's visibility,
 * unlike an artifact. Every file of a video is named by the MP4's hash, so a re-run finds its files there and skips
 * them: an asset is never overwritten. Free of @actions/core: failures are thrown as a `ReleaseUploadError`.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { InputError, ReleaseUploadError, ReleaseWriteRefusedError } from './errors.js'
import type { ActionConfig } from './inputs.js'
import { boundedFetch, githubClient, type Octokit } from './github-api.js'
import { describeGitHubFailure, httpStatus } from './github-failure.js'
import { parseTagName } from './input-values.js'
import { githubApiUrl, workflowRunUrl } from './links.js'
import type { RepositoryRef } from './preview-target.js'
import { checkUrl } from './urls.js'

/** Where a step's videos are attached, and what doing so needs, read from the inputs and the runner's variables. */
export interface ReleaseTarget {
  tag: string
  token: string
  apiUrl: string
  repository: RepositoryRef
  /** GITHUB_SHA: where a new release's tag points; the default branch's head when unset. */
  sha?: string
  /** The new release's body: what made it. */
  body: string
}

/** One file to attach, named as the release will hold it. */
export interface ReleaseFile {
  name: string
  path: string
}

/** What attaching a video gave: the MP4 asset's download URL, and which files were there already. */
export interface AttachedVideo {
  /** The MP4 asset's `browser_download_url`; undefined when GitHub gave none fit to link. */
  assetUrl?: string
  uploaded: string[]
  skipped: string[]
}

/** An upload may take longer than other calls to GitHub (github-api.ts bounds those), as a video may be large. */
const UPLOAD_TIMEOUT_MS = 300_000
/** How many pages of 100 assets are read at most; a release holds far fewer than this. */
const MAX_ASSET_PAGES = 20

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.json': 'application/json',
}

/**
 * The target for `release-tag`, checked before anything is sent: a valid tag, a token and a repository to write to.
 * Undefined when the input is empty.
 */
export function releaseTargetFrom(
  tagText: string,
  token: string | undefined,
  env: NodeJS.ProcessEnv,
): ReleaseTarget | undefined {
  const tag = parseTagName('release-tag', tagText)
  if (!tag) return undefined
  if (!token) throw new InputError('release-tag', "needs 'github-token' (a token with 'contents: write'); it is empty.")
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo || rest.length > 0)
    throw new InputError(
      'release-tag',
      'needs GITHUB_REPOSITORY (owner/name), which a workflow run sets; it is not set.',
    )
  const run = workflowRunUrl(env)
  const workflow = env.GITHUB_WORKFLOW ? ` of workflow \`${env.GITHUB_WORKFLOW.replace(/[`\r\n]/g, '')}\`` : ''
  return {
    tag,
    token,
    apiUrl: githubApiUrl(env),
    repository: { owner, repo },
    sha: env.GITHUB_SHA || undefined,
    body: `Videos attached by grok-video-action${workflow}${run ? `, run ${run}` : ''}.`,
  }
}

/** The names a video's files get on the release: `<first 16 hex of the MP4's SHA-256>` and the file's kind. */
export function releaseFileNames(
  sha256: string,
  files: { videoPath: string; metadataPath?: string; posterPath?: string; gifPath?: string },
): ReleaseFile[] {
  const stem = sha256.slice(0, 16)
  const named: [string, string | undefined][] = [
    [`${stem}.mp4`, files.videoPath],
    [`${stem}.poster.png`, files.posterPath],
    [`${stem}.preview.gif`, files.gifPath],
    [`${stem}.json`, files.metadataPath],
  ]
  return named.flatMap(([name, file]) => (file ? [{ name, path: file }] : []))
}

interface Release {
  id: number
  upload_url: string
}

/**
 * The step's release, found or created before its first create: when it is missing, a token that may not write
 * releases fails the step before any video is paid for (an existing one is only read: see attachToRelease for what
 * a refused write then stops). A dry run sends nothing; a step that does not wait has no video to attach.
 */
export async function releaseBeforeCreate(
  config: Pick<ActionConfig, 'release' | 'dryRun' | 'wait'>,
  log: (message: string) => void,
): Promise<void> {
  const target = config.release
  if (!target || config.dryRun) return
  if (!config.wait) {
    log(
      `Not waiting ('wait: false'): nothing is attached to ${describeRelease(target)} now; the run that collects the job ('request-id') with 'release-tag' attaches it.`,
    )
    return
  }
  await openRelease(target, log)
}

/** A release found (or created) for `release-tag`, and the client that reads and writes it. */
interface OpenRelease {
  octokit: Octokit
  release: Release
  uploadUrl: string
}

/** One lookup per target and step: a batch's jobs, and the step's check before its first create, share it. */
const opened = new WeakMap<ReleaseTarget, Promise<OpenRelease>>()

/** Finds the release of `release-tag`, creating it when missing, once per step. */
export function openRelease(target: ReleaseTarget, log: (message: string) => void): Promise<OpenRelease> {
  let release = opened.get(target)
  if (!release) opened.set(target, (release = findOrCreate(target, log)))
  return release
}

async function findOrCreate(target: ReleaseTarget, log: (message: string) => void): Promise<OpenRelease> {
  const { tag, token, repository } = target
  const repo = { owner: repository.owner, repo: repository.repo }
  const where = describeRelease(target)
  const fail = (what: string, error: unknown): never => {
    throw describeFailure(`Could not ${what} ${where}`, error, token, '')
  }
  const octokit = await githubClient(token, target.apiUrl)
  const readRelease = async (): Promise<Release | undefined> => {
    try {
      return (await octokit.rest.repos.getReleaseByTag({ ...repo, tag })).data
    } catch (error) {
      if (httpStatus(error) === 404) return undefined
      return fail('read the', error)
    }
  }
  let release = await readRelease()
  if (!release) {
    try {
      const { data } = await octokit.rest.repos.createRelease({
        ...repo,
        tag_name: tag,
        ...(target.sha ? { target_commitish: target.sha } : {}),
        name: tag,
        body: target.body,
        draft: false,
        prerelease: false,
        make_latest: 'false',
      })
      release = data
      log(`Created ${where}.`)
    } catch (error) {
      // Another job or matrix leg created it between our read and our create: theirs is ours too.
      if (!alreadyExists(error)) return fail('create the', error)
      release = await readRelease()
      if (!release) return fail('create the', error)
      log(`${where} was created meanwhile by another job; using it.`)
    }
  }
  const uploadUrl = uploadUrlOf(release.upload_url, target.apiUrl)
  if (!uploadUrl)
    throw new ReleaseUploadError(
      `'release-tag': could not attach to ${where}: GitHub gave an upload URL that is not on its own API host, so ` +
        'the token was not sent there.',
    )
  return { octokit, release, uploadUrl }
}

/** The answers to an upload that say the token may not write this release. */
const WRITE_REFUSED = [401, 403, 404]

const describeRelease = ({ tag, repository }: ReleaseTarget): string =>
  `release '${tag}' of ${repository.owner}/${repository.repo}`

/** Attaches the files (the MP4 first) to the release, creating it when missing; files already there are skipped. */
export async function attachToRelease(
  target: ReleaseTarget,
  files: ReleaseFile[],
  log: (message: string) => void,
): Promise<AttachedVideo> {
  const { token, repository } = target
  const repo = { owner: repository.owner, repo: repository.repo }
  const where = describeRelease(target)
  // Said in every failure: the step fails, but the video is not lost; only the cache spares a re-run a new create.
  const kept = files[0]
    ? ` The video is on the runner at ${files[0].path}. A re-run with 'cache: true' attaches the rest without a new job; without the cache a re-run creates (and pays for) the video again.`
    : ''
  const fail = (what: string, error: unknown): never => {
    throw describeFailure(`Could not ${what} ${where}`, error, token, kept)
  }
  const { octokit, release, uploadUrl } = await openRelease(target, log).catch((error: unknown) => {
    throw error instanceof ReleaseUploadError ? new ReleaseUploadError(`${error.message}${kept}`) : error
  })
  const assets = await listAssets(octokit, repo, release.id).catch((error: unknown) =>
    fail('list the assets of the', error),
  )
  const result: AttachedVideo = { uploaded: [], skipped: [] }
  for (const file of files) {
    let url = assets.get(file.name)
    if (url === undefined) {
      const bytes = await readFile(file.path)
      try {
        const answer: { data: unknown } = await octokit.request({
          method: 'POST',
          url: `${uploadUrl}?name=${encodeURIComponent(file.name)}`,
          data: bytes,
          headers: {
            'content-type': CONTENT_TYPES[path.extname(file.name)] ?? 'application/octet-stream',
            'content-length': bytes.length,
          },
          // A redirect would carry the video (and the token) to a host the release never named: not followed.
          request: { fetch: boundedFetch({ timeoutMs: UPLOAD_TIMEOUT_MS, followRedirects: false }) },
        })
        const given = (answer.data as { browser_download_url?: unknown } | null)?.browser_download_url
        url = typeof given === 'string' ? given : undefined
        result.uploaded.push(file.name)
        log(`Attached ${file.name} to ${where}.`)
      } catch (error) {
        if (!alreadyExists(error)) {
          const failure = describeFailure(`Could not upload ${file.name} to the ${where}`, error, token, kept)
          // Found only now: reading a release needs no write access, and no probe can test it without a change.
          throw WRITE_REFUSED.includes(httpStatus(error) ?? 0) ? new ReleaseWriteRefusedError(failure.message) : failure
        }
        // Another job attached the same file meanwhile: the same bytes, by its name.
        const now = await listAssets(octokit, repo, release.id).catch((e: unknown) => fail('list the assets of the', e))
        url = now.get(file.name)
        result.skipped.push(file.name)
        log(`${file.name} was attached meanwhile by another job; skipped, not overwritten.`)
      }
    } else {
      result.skipped.push(file.name)
      log(`${file.name} is already on ${where}; skipped, not overwritten.`)
    }
    if (file === files[0]) result.assetUrl = assetUrlOf(url, target.apiUrl)
  }
  return result
}

/** The release's assets by name, with their download URLs; at most MAX_ASSET_PAGES pages. */
async function listAssets(octokit: Octokit, repo: RepositoryRef, releaseId: number): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  let pages = 0
  const iterator = octokit.paginate.iterator(octokit.rest.repos.listReleaseAssets, {
    ...repo,
    release_id: releaseId,
    per_page: 100,
  })
  for await (const page of iterator) {
    if (!Array.isArray(page.data)) throw new Error('the asset list GitHub answered is not a JSON array')
    for (const asset of page.data) names.set(asset.name, asset.browser_download_url)
    if (++pages >= MAX_ASSET_PAGES) break
  }
  return names
}

/**
 * The release's `upload_url` without its `{?name,label}` template, when it is on GitHub's own hosts: the API's host,
 * or `uploads.` beside an `api.` host (github.com's pair). The token goes nowhere else.
 */
export function uploadUrlOf(template: string, apiUrl: string): string | undefined {
  const { url } = checkUrl(template.replace(/\{[^}]*\}$/, ''), {
    http: 'loopback',
    refuseControlCharacters: true,
    refuseCredentials: true,
  })
  const api = checkUrl(apiUrl, { http: 'loopback' }).url
  if (!url || !api || url.search || url.hash || url.protocol !== api.protocol) return undefined
  const sameHost = url.host === api.host
  const uploadsHost = api.host.startsWith('api.') && url.host === `uploads.${api.host.slice(4)}`
  return sameHost || uploadsHost ? url.href : undefined
}

/**
 * A download URL GitHub gave, kept only when it is fit to link: https (plain http on loopback only), no credentials,
 * on GitHub's own web host beside the API (the API's host, or the one an `api.` host serves).
 */
export function assetUrlOf(text: string | undefined, apiUrl: string): string | undefined {
  if (typeof text !== 'string') return undefined
  const url = checkUrl(text, { http: 'loopback', refuseControlCharacters: true, refuseCredentials: true }).url
  const api = checkUrl(apiUrl, { http: 'loopback' }).url
  if (!url || !api) return undefined
  const webHost = api.host.startsWith('api.') ? api.host.slice(4) : api.host
  return url.host === api.host || url.host === webHost ? url.href : undefined
}

/** 422 with `already_exists`: a release with that tag, or an asset with that name, is there already. */
function alreadyExists(error: unknown): boolean {
  if (httpStatus(error) !== 422) return false
  const data = (error as { response?: { data?: { errors?: unknown } } }).response?.data
  const errors = Array.isArray(data?.errors) ? (data.errors as { code?: unknown }[]) : []
  return errors.some((e) => e?.code === 'already_exists')
}

function describeFailure(failed: string, error: unknown, token: string, kept: string): ReleaseUploadError {
  const { message } = describeGitHubFailure(failed, error, token, {
    forbidden:
      "The 'github-token' needs the 'contents: write' permission to write releases (add `permissions: contents: " +
      "write` to the job); on pull requests from forks the token is read-only, so leave 'release-tag' empty there.",
  })
  return new ReleaseUploadError(`'release-tag': ${message}${kept}`)
}

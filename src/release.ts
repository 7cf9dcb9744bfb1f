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
import { formatBytes } from './format.js'
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

/** Each request to GitHub is cut off after this long; an upload gets longer, as a video may be large. */
const CALL_TIMEOUT_MS = 30_000
const UPLOAD_TIMEOUT_MS = 300_000
/** How many pages of 100 assets are read at most; a release holds far fewer than this. */
const MAX_ASSET_PAGES = 20
/** The most one answer of GitHub may hold: a page of the asset list is far smaller. */
const ANSWER_LIMIT_BYTES = 4 * 1024 * 1024

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

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>
interface Release {
  id: number
  upload_url: string
}

/**
 * The step's release, found or created before its first create, so a token that may not write releases fails the
 * step before any video is paid for. A dry run sends nothing; a step that does not wait has no video to attach.
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

/**
 * Finds the release of `release-tag`, creating it when missing, once per step. Run before the first create, so a
 * token that may not write releases fails the step before any video is paid for.
 */
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
  const { getOctokit } = await import('@actions/github')
  const octokit = getOctokit(token, {
    baseUrl: target.apiUrl.replace(/\/+$/, ''),
    request: { fetch: cappedFetch(ANSWER_LIMIT_BYTES) },
  })
  const readRelease = async (): Promise<Release | undefined> => {
    try {
      return (await octokit.rest.repos.getReleaseByTag({ ...repo, tag, ...bounded() })).data
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
        ...bounded(),
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
const bounded = (ms = CALL_TIMEOUT_MS) => ({ request: { signal: AbortSignal.timeout(ms) } })

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
  const assets = await listAssets(octokit, repo, release.id, bounded).catch((error: unknown) =>
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
          request: { signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS), fetch: cappedFetch(ANSWER_LIMIT_BYTES, false) },
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
        const now = await listAssets(octokit, repo, release.id, bounded).catch((e: unknown) =>
          fail('list the assets of the', e),
        )
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
async function listAssets(
  octokit: Octokit,
  repo: RepositoryRef,
  releaseId: number,
  bounded: () => { request: { signal: AbortSignal } },
): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  let pages = 0
  const iterator = octokit.paginate.iterator(octokit.rest.repos.listReleaseAssets, {
    ...repo,
    release_id: releaseId,
    per_page: 100,
    ...bounded(),
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
 * fetch, with each answer read whole before it is handed on, and refused past `limit` bytes: an answer is outside
 * data, bounded like any other (Octokit would take a cut-off JSON body for an empty one).
 */
function cappedFetch(limit: number, followRedirects = true): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, followRedirects ? init : { ...init, redirect: 'manual' })
    if (!followRedirects && response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => {})
      const to = checkUrl(response.headers.get('location') ?? '', { http: 'any' }).url
      throw new Error(
        `GitHub answered with a redirect (HTTP ${response.status}${to ? ` to ${to.host}` : ''}), which an upload does not follow`,
      )
    }
    if (!response.body) return response
    const chunks: Uint8Array[] = []
    let seen = 0
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      seen += read.value.byteLength
      if (seen > limit) {
        await reader.cancel().catch(() => {})
        throw new Error(`GitHub's answer was over ${formatBytes(limit)}`)
      }
      chunks.push(read.value)
    }
    const whole = new Response(Buffer.concat(chunks), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
    Object.defineProperty(whole, 'url', { value: response.url })
    return whole
  }
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

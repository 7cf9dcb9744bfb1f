/**
 * The files of a pull request's base commit, read through GitHub's contents API (a checkout is often shallow, and
 * the base's files are not in it): a FileSource like the workspace's, so the base's request is built by the same
 * rules. Every answer is data from outside: each file is read with a size cap and a time limit, and only paths
 * inside the repository, outside `.git/`, are asked for.
 */
import { HttpClient } from '@actions/http-client'
import { BaseFilesError, InputError } from './errors.js'
import { eventPayload, field } from './event-payload.js'
import { readCapped, sendAbortable } from './http-exchange.js'
import { formatBytes, formatSeconds } from './format.js'
import type { FileSource, Unreadable } from './workspace-paths.js'

/** The commit a pull request asks to be merged into, from the event payload. */
export interface BaseCommit {
  owner: string
  repo: string
  sha: string
  /** The base branch, for messages. */
  ref: string
}

const SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/
const NAME = /^[A-Za-z0-9_.-]{1,100}$/

/** The base of the pull request this run is for; undefined when the payload does not say (or says nonsense). */
export function baseCommitFromEvent(env: NodeJS.ProcessEnv): BaseCommit | undefined {
  const payload = eventPayload(env)
  const sha = field(payload, 'pull_request', 'base', 'sha')
  const ref = field(payload, 'pull_request', 'base', 'ref')
  const fullName = field(payload, 'repository', 'full_name') ?? env.GITHUB_REPOSITORY
  if (typeof sha !== 'string' || !SHA.test(sha) || typeof fullName !== 'string') return undefined
  const [owner, repo, ...rest] = fullName.split('/')
  if (rest.length || !NAME.test(owner ?? '') || !NAME.test(repo ?? '')) return undefined
  return { owner, repo, sha, ref: typeof ref === 'string' ? ref : sha }
}

/** What one file of the base may weigh: the text files (prompts) far less than the media they name. */
const TEXT_INPUTS = new Set(['prompts-file', 'prompt-file'])
export const MAX_BASE_TEXT_BYTES = 1024 * 1024
/** Above the largest local video an input accepts (48 MB); the input's own check then says what it accepts. */
const MAX_BASE_MEDIA_BYTES = 50 * 1000 * 1000
/** How long one file may take to arrive. */
const READ_TIMEOUT_MS = 30_000

export interface BaseFilesOptions {
  apiUrl: string
  token: string
  base: BaseCommit
  /** Ends every read still running (the comparison's own deadline). */
  signal?: AbortSignal
  timeoutMs?: number
}

/**
 * The path a prompts file or an input names, as the repository's path at the base; an InputError when it would
 * lead out of the repository or into `.git/` (the workspace is the repository's checkout).
 */
export function repositoryPath(input: string, text: string): string {
  const refuse = (why: string) =>
    new InputError(input, `'${text}' ${why}: at the base, only files inside the repository, outside '.git/', are read.`)
  if (text.startsWith('/') || text.startsWith('\\') || /^[A-Za-z]:/.test(text)) throw refuse('is an absolute path')
  const parts: string[] = []
  for (const part of text.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) throw refuse('leads out of the repository')
      parts.pop()
    } else parts.push(part)
  }
  if (parts.some((part) => part.toLowerCase() === '.git')) throw refuse("is under '.git/'")
  if (parts.length === 0) throw refuse('names no file')
  return parts.join('/')
}

/** The base's files, read one by one through the contents API (`Accept: application/vnd.github.raw`: the bytes). */
export function baseFiles(options: BaseFilesOptions): FileSource & { requests(): number } {
  const client = new HttpClient('grok-video-action')
  const { owner, repo, sha } = options.base
  let sent = 0
  const read = async (
    input: string,
    text: string,
    unreadable: (why: Unreadable) => InputError,
    check: (size: number) => void = () => {},
  ) => {
    const file = repositoryPath(input, text)
    const url =
      `${options.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}` +
      `/contents/${file.split('/').map(encodeURIComponent).join('/')}?ref=${sha}`
    const cap = TEXT_INPUTS.has(input) ? MAX_BASE_TEXT_BYTES : MAX_BASE_MEDIA_BYTES
    const timeoutMs = options.timeoutMs ?? READ_TIMEOUT_MS
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])]
    const signal = AbortSignal.any(signals)
    const failed = (why: string, status?: number) =>
      new BaseFilesError(`Could not read '${file}' at the base (${sha.slice(0, 12)}): ${why}`, status)
    sent++
    let bytes: Buffer | undefined
    let status: number | undefined
    let type: string
    try {
      const response = await sendAbortable(
        client,
        'GET',
        url,
        {
          accept: 'application/vnd.github.raw',
          authorization: `Bearer ${options.token}`,
          'x-github-api-version': '2022-11-28',
        },
        null,
        signal,
      )
      status = response.message.statusCode
      type = String(response.message.headers['content-type'] ?? '')
      if (status !== 200) {
        response.message.resume()
        if (status === 404) throw unreadable('does not exist')
        const advice =
          status === 401
            ? "the 'github-token' was refused"
            : status === 403
              ? "the 'github-token' may not read the repository's contents (it needs 'contents: read')"
              : 'GitHub did not answer with the file'
        throw failed(`HTTP ${status}, ${advice}.`, status)
      }
      bytes = await readCapped(response.message, cap)
    } catch (error) {
      if (error instanceof InputError || error instanceof BaseFilesError) throw error
      if (signal.aborted)
        throw failed(`no whole answer within ${formatSeconds(timeoutMs)}, or the comparison ran out of time.`)
      throw failed(`${(error as Error).message}.`)
    }
    if (bytes === undefined) throw failed(`it is larger than ${formatBytes(cap)}, the most read for '${input}'.`)
    if (/^application\/json/i.test(type) && describesEntry(bytes)) throw unreadable('is not a file')
    check(bytes.length)
    return { bytes, real: file, size: bytes.length }
  }
  return {
    read,
    confine: (input, text) => Promise.resolve(repositoryPath(input, text)),
    requests: () => sent,
  }
}

/**
 * A folder (a list of entries), a symlink or a submodule is described in JSON even when the raw bytes are asked
 * for; a prompts file in JSON is not mistaken for one: an entry has GitHub's own `sha`, `path`, `type`, `_links`.
 */
function describesEntry(bytes: Buffer): boolean {
  let parsed: unknown
  try {
    parsed = JSON.parse(bytes.toString('utf8'))
  } catch {
    return false
  }
  const isEntry = (item: unknown): boolean =>
    typeof item === 'object' && item !== null && ['sha', 'path', 'type', '_links'].every((key) => key in item)
  return Array.isArray(parsed) ? parsed.length > 0 && parsed.every(isEntry) : isEntry(parsed)
}

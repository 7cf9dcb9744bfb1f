/**
 * The one way the action calls GitHub's REST API: Octokit with a fetch that bounds every call in time and every
 * answer in size (an answer is outside data: Octokit would read any amount, and take a cut-off JSON body for an
 * empty one), loaded only by the runs that call GitHub.
 */
import { formatBytes, formatSeconds } from './format.js'
import { checkUrl } from './urls.js'

export type Octokit = ReturnType<typeof import('@actions/github').getOctokit>

/** Larger than any answer the action reads (a page of comments, a tree, a release's assets). */
export const ANSWER_LIMIT_BYTES = 4 * 1024 * 1024
/** One call, from the request to the last byte of its answer; uploads set their own. */
export const CALL_TIMEOUT_MS = 30_000

export interface FetchBounds {
  /** Default ANSWER_LIMIT_BYTES. */
  answerLimitBytes?: number
  /** Default CALL_TIMEOUT_MS. */
  timeoutMs?: number
  /** A redirect would carry the body (and the token) to a host the API never named: uploads refuse it. */
  followRedirects?: boolean
}

/** An Octokit for `apiUrl` whose every call is bounded as `bounds` says. */
export async function githubClient(token: string, apiUrl: string, bounds: FetchBounds = {}): Promise<Octokit> {
  const { getOctokit } = await import('@actions/github')
  return getOctokit(token, { baseUrl: apiUrl.replace(/\/+$/, ''), request: { fetch: boundedFetch(bounds) } })
}

/** fetch, each answer read whole before it is handed on, refused past its size or time. */
export function boundedFetch(bounds: FetchBounds = {}): typeof fetch {
  const limit = bounds.answerLimitBytes ?? ANSWER_LIMIT_BYTES
  const timeoutMs = bounds.timeoutMs ?? CALL_TIMEOUT_MS
  const followRedirects = bounds.followRedirects ?? true
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    try {
      const response = await fetch(input, { ...init, signal, ...(followRedirects ? {} : { redirect: 'manual' }) })
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
    } catch (error) {
      if (timeout.aborted) throw new Error(`GitHub did not answer within ${formatSeconds(timeoutMs)}`, { cause: error })
      throw error
    }
  }
}

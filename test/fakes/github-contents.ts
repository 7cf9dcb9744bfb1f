// The contents API of the GitHub REST fake: files per (owner, repo, ref), as a pull request's base is read.
//   GET /repos/{owner}/{repo}/contents/{path}?ref=
// `Accept: application/vnd.github.raw` answers the bytes; any other Accept the JSON entry (base64 `content`); a
// folder is a JSON list of entries whatever is asked; a path missing at that ref is 404. Modes play what can go wrong:
// 403 (a token without `contents: read`), a 5xx, a 503 with Retry-After: 0, a reset socket, a body that never ends.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from './loopback.ts'

export type ContentsMode = 'ok' | 'forbidden' | 'server-error' | 'busy' | 'reset' | 'endless'

export class ContentsStore {
  private readonly files = new Map<string, Buffer>()
  mode: ContentsMode = 'ok'
  /** The paths asked for (with the query), in order. */
  readonly requests: string[] = []

  /** Puts files (path → content) at `ref` of owner/repo. */
  put(owner: string, repo: string, ref: string, files: Record<string, string | Buffer>): void {
    for (const [file, content] of Object.entries(files))
      this.files.set(`${owner}/${repo}@${ref}:${file}`, Buffer.isBuffer(content) ? content : Buffer.from(content))
  }

  file(owner: string, repo: string, ref: string, file: string): Buffer | undefined {
    return this.files.get(`${owner}/${repo}@${ref}:${file}`)
  }

  /** The entries directly under `folder` at `ref`. */
  folder(owner: string, repo: string, ref: string, folder: string): string[] {
    const prefix = `${owner}/${repo}@${ref}:${folder}/`
    return [...this.files.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length))
  }
}

/** Answers a contents request and returns true; false for any other route. */
export function contentsRoute(req: IncomingMessage, res: ServerResponse, url: URL, store?: ContentsStore): boolean {
  const match = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(url.pathname)
  if (!store || !match || req.method !== 'GET') return false
  store.requests.push(url.pathname + url.search)
  const [owner, repo] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])]
  const file = match[3].split('/').map(decodeURIComponent).join('/')
  const ref = url.searchParams.get('ref') ?? 'main'
  const docs = 'https://docs.github.com/rest/repos/contents#get-repository-content'
  if (store.mode === 'forbidden') {
    sendJson(res, 403, { message: 'Resource not accessible by integration', documentation_url: docs, status: '403' })
    return true
  }
  if (store.mode === 'server-error') {
    sendJson(res, 502, { message: 'Server Error' })
    return true
  }
  if (store.mode === 'busy') {
    sendJson(res, 503, { message: 'Service Unavailable' }, { 'retry-after': '0' })
    return true
  }
  if (store.mode === 'reset') {
    req.socket.destroy()
    return true
  }
  if (store.mode === 'endless') {
    res.writeHead(200, { 'content-type': 'application/vnd.github.raw' })
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    const pump = (): void => {
      if (!res.destroyed && res.write(chunk)) setImmediate(pump)
      else if (!res.destroyed) res.once('drain', pump)
    }
    pump()
    return true
  }
  const bytes = store.file(owner, repo, ref, file)
  const entry = (name: string, content?: Buffer) => ({
    type: content ? 'file' : 'dir',
    name: name.split('/').pop(),
    path: name,
    sha: '0'.repeat(40),
    size: content?.length ?? 0,
    _links: { self: `${url.origin}/repos/${owner}/${repo}/contents/${name}?ref=${ref}` },
  })
  if (!bytes) {
    const inside = store.folder(owner, repo, ref, file)
    if (inside.length)
      sendJson(
        res,
        200,
        inside.map((name) => entry(`${file}/${name}`, store.file(owner, repo, ref, `${file}/${name}`))),
      )
    else sendJson(res, 404, { message: 'Not Found', documentation_url: docs, status: '404' })
    return true
  }
  if (/application\/vnd\.github\.raw/.test(req.headers.accept ?? '')) {
    res.writeHead(200, { 'content-type': 'application/vnd.github.raw', 'content-length': bytes.length })
    res.end(bytes)
    return true
  }
  sendJson(res, 200, { ...entry(file, bytes), encoding: 'base64', content: bytes.toString('base64') })
  return true
}

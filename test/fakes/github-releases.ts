// The GitHub release routes of the REST fake (test/fakes/github-rest.ts routes to them), answering in GitHub's shapes:
//   GET  /repos/{owner}/{repo}/releases/tags/{tag}        (404 when no release has that tag)
//   POST /repos/{owner}/{repo}/releases                   (201; 422 already_exists when the tag's release exists)
//   GET  /repos/{owner}/{repo}/releases/{id}/assets?per_page=&page=   (Link header)
//   POST /repos/{owner}/{repo}/releases/{id}/assets?name= (the upload_url; 201; 422 already_exists on a taken name)
// In tests the uploads host is the API's own loopback origin. Fault modes: a status or a reset socket on one route,
// and a barrier that holds the first tag lookups until they have all arrived, so two runs both find no release.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from './loopback.ts'

export type ReleaseRoute = 'lookup' | 'create' | 'list' | 'upload'

export interface ReleaseOptions {
  /**
   * A fault on one route, for the first `times` requests (all): an HTTP status (403, 429, 5xx) with `retryAfter`, a
   * reset socket, or an endless body (a 200 whose JSON never ends; the fake stops after 64 MiB or a closed socket).
   */
  fault?: {
    on: ReleaseRoute
    status?: number
    retryAfter?: string
    reset?: boolean
    endless?: boolean
    /** A 307 to this URL (an upload sent on to another host). */
    redirect?: string
    times?: number
  }
  /** Hold the first N tag lookups until N have arrived; each is answered as the store was when it arrived. */
  lookupBarrier?: number
  /** The upload_url's origin instead of the fake's own (to see that the token is not sent elsewhere). */
  uploadOrigin?: string
  /** The assets' browser_download_url origin instead of the fake's own (a link to another host). */
  downloadOrigin?: string
  /** Called before an upload is stored: a test attaches the same name here, as another job racing this one. */
  beforeUpload?: (release: FakeRelease, name: string, attach: (name: string, bytes: Buffer) => FakeAsset) => void
}

export interface FakeAsset {
  id: number
  name: string
  size: number
  content_type: string
  bytes: Buffer
  browser_download_url: string
}

export interface FakeRelease {
  id: number
  tag_name: string
  target_commitish: string
  name: string
  body: string
  draft: boolean
  prerelease: boolean
  make_latest: string | undefined
  html_url: string
  upload_url: string
  assets: FakeAsset[]
}

export interface ReleaseStore {
  /** A repository's releases, oldest first. */
  list(owner: string, repo: string): FakeRelease[]
  /** Adds a release as another job would (no request). */
  add(owner: string, repo: string, tag: string): FakeRelease
}

export interface ReleaseRoutes {
  store: ReleaseStore
  /** Answers a release route (true), or leaves the request to the other routes (false). Called once authorized. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): boolean
}

const DOCS = 'https://docs.github.com/rest/releases'
const MAX_PER_PAGE = 100

/** GitHub's error answer, thrown by a route. */
class Failure extends Error {
  readonly status: number
  readonly body: unknown
  constructor(status: number, message: string, errors?: unknown[]) {
    super(message)
    this.status = status
    this.body = { message, documentation_url: DOCS, ...(errors ? { errors } : {}), status: String(status) }
  }
}
const failure = (status: number, message: string, errors?: unknown[]): Failure => new Failure(status, message, errors)

interface Answer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

const ENDLESS_LIMIT_BYTES = 64 * 1024 * 1024

/** A 200 whose JSON array never closes, written as fast as the client reads, until it hangs up or the limit. */
function streamEndlessly(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
  const chunk = Buffer.from(`${'{"name":"x.mp4","browser_download_url":"https://example.com/x"},'.repeat(1000)}`)
  let sent = 0
  const write = (): void => {
    while (!res.destroyed && sent < ENDLESS_LIMIT_BYTES) {
      sent += chunk.length
      if (!res.write(chunk)) return void res.once('drain', write)
    }
    res.end()
  }
  res.write('[')
  write()
}

const pageNumber = (text: string | null, fallback: number): number => {
  const value = Number(text)
  return text !== null && Number.isSafeInteger(value) && value > 0 ? value : fallback
}

export function releaseRoutes(origin: () => string, context: { readOnly?: boolean }, options: ReleaseOptions = {}) {
  const releases = new Map<string, FakeRelease[]>()
  let nextId = 5_000
  let faultCount = 0
  const waiting: (() => void)[] = []

  const listOf = (owner: string, repo: string): FakeRelease[] => {
    const key = `${owner}/${repo}`
    let list = releases.get(key)
    if (!list) releases.set(key, (list = []))
    return list
  }
  const add = (owner: string, repo: string, tag: string, fields: Partial<FakeRelease> = {}): FakeRelease => {
    const id = nextId++
    const release: FakeRelease = {
      id,
      tag_name: tag,
      target_commitish: 'main',
      name: tag,
      body: '',
      draft: false,
      prerelease: false,
      make_latest: undefined,
      ...fields,
      html_url: `${origin()}/${owner}/${repo}/releases/tag/${encodeURIComponent(tag)}`,
      upload_url: `${options.uploadOrigin ?? origin()}/repos/${owner}/${repo}/releases/${id}/assets{?name,label}`,
      assets: [],
    }
    listOf(owner, repo).push(release)
    return release
  }
  const json = (release: FakeRelease) => {
    const { assets, ...rest } = release
    return { ...rest, assets: assets.map(assetJson) }
  }
  const assetJson = ({ bytes: _bytes, ...asset }: FakeAsset) => ({ ...asset, state: 'uploaded' })

  /** The route's fault, when it applies to this request. */
  const faultFor = (route: ReleaseRoute): NonNullable<ReleaseOptions['fault']> | undefined => {
    const fault = options.fault
    if (!fault || fault.on !== route) return undefined
    if (fault.times !== undefined && faultCount >= fault.times) return undefined
    faultCount++
    return fault
  }

  async function answer(
    req: IncomingMessage,
    url: URL,
    raw: Buffer,
    route: ReleaseRoute,
    match: string[],
  ): Promise<Answer> {
    const [owner, repo] = [decodeURIComponent(match[1] ?? ''), decodeURIComponent(match[2] ?? '')]
    const list = listOf(owner, repo)
    if (route === 'lookup') {
      const tag = decodeURIComponent(match[3] ?? '')
      const found = list.find((r) => r.tag_name === tag)
      if (options.lookupBarrier && waiting.length < options.lookupBarrier) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve)
          if (waiting.length === options.lookupBarrier) for (const go of waiting) go()
        })
      }
      if (!found) throw failure(404, 'Not Found')
      return { status: 200, body: json(found) }
    }
    if (route === 'create') {
      if (context.readOnly) throw failure(403, 'Resource not accessible by integration')
      const input = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>
      const tag = input['tag_name']
      if (typeof tag !== 'string' || !tag) throw failure(422, 'Validation Failed', [{ code: 'missing_field' }])
      if (list.some((r) => r.tag_name === tag))
        throw failure(422, 'Validation Failed', [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }])
      const release = add(owner, repo, tag, {
        target_commitish: typeof input['target_commitish'] === 'string' ? input['target_commitish'] : 'main',
        name: typeof input['name'] === 'string' ? input['name'] : tag,
        body: typeof input['body'] === 'string' ? input['body'] : '',
        draft: input['draft'] === true,
        prerelease: input['prerelease'] === true,
        make_latest: typeof input['make_latest'] === 'string' ? input['make_latest'] : undefined,
      })
      return { status: 201, body: json(release) }
    }
    const release = list.find((r) => r.id === Number(match[3]))
    if (!release) throw failure(404, 'Not Found')
    if (route === 'list') {
      const perPage = Math.min(pageNumber(url.searchParams.get('per_page'), 30), MAX_PER_PAGE)
      const page = pageNumber(url.searchParams.get('page'), 1)
      const last = Math.max(1, Math.ceil(release.assets.length / perPage))
      const pageUrl = (n: number): string => {
        const target = new URL(url.pathname, origin())
        target.searchParams.set('per_page', String(perPage))
        target.searchParams.set('page', String(n))
        return target.href
      }
      const links = page < last ? [`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`] : []
      const body = release.assets.slice((page - 1) * perPage, page * perPage).map(assetJson)
      return { status: 200, body, headers: links.length ? { link: links.join(', ') } : {} }
    }
    if (context.readOnly) throw failure(403, 'Resource not accessible by integration')
    const name = url.searchParams.get('name')
    if (!name) throw failure(422, 'Validation Failed', [{ resource: 'ReleaseAsset', code: 'missing', field: 'name' }])
    const declared = Number(req.headers['content-length'])
    if (declared !== raw.length) throw failure(400, 'Content-Length does not match the body')
    const attach = (assetName: string, bytes: Buffer, contentType = 'application/octet-stream'): FakeAsset => {
      const asset: FakeAsset = {
        id: nextId++,
        name: assetName,
        size: bytes.length,
        content_type: contentType,
        bytes,
        browser_download_url: `${options.downloadOrigin ?? origin()}/${owner}/${repo}/releases/download/${encodeURIComponent(release.tag_name)}/${encodeURIComponent(assetName)}`,
      }
      release.assets.push(asset)
      return asset
    }
    options.beforeUpload?.(release, name, attach)
    if (release.assets.some((a) => a.name === name))
      throw failure(422, 'Validation Failed', [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }])
    return { status: 201, body: assetJson(attach(name, raw, req.headers['content-type'] ?? '')) }
  }

  const routes: ReleaseRoutes = {
    store: { list: (owner, repo) => [...listOf(owner, repo)], add: (owner, repo, tag) => add(owner, repo, tag) },
    handle(req, res, url, raw) {
      const method = req.method ?? 'GET'
      const tag = /^\/repos\/([^/]+)\/([^/]+)\/releases\/tags\/(.+)$/.exec(url.pathname)
      const releasesPath = /^\/repos\/([^/]+)\/([^/]+)\/releases$/.exec(url.pathname)
      const assets = /^\/repos\/([^/]+)\/([^/]+)\/releases\/(\d+)\/assets$/.exec(url.pathname)
      const [route, match]: [ReleaseRoute, string[]] | [undefined, undefined] =
        tag && method === 'GET'
          ? ['lookup', tag]
          : releasesPath && method === 'POST'
            ? ['create', releasesPath]
            : assets && method === 'GET'
              ? ['list', assets]
              : assets && method === 'POST'
                ? ['upload', assets]
                : [undefined, undefined]
      if (!route) return false
      const fault = faultFor(route)
      if (fault?.reset) {
        req.socket.destroy()
        return true
      }
      if (fault?.redirect) {
        res.writeHead(307, { location: fault.redirect, 'content-length': 0 }).end()
        return true
      }
      if (fault?.endless) {
        streamEndlessly(res)
        return true
      }
      if (fault?.status) {
        sendJson(
          res,
          fault.status,
          failure(fault.status, fault.status === 403 ? 'Resource not accessible by integration' : 'Server Error').body,
          fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {},
        )
        return true
      }
      answer(req, url, raw, route, match).then(
        ({ status, body, headers }) => sendJson(res, status, body, headers),
        (error: unknown) => {
          const { status, body } = error instanceof Failure ? error : failure(500, String(error))
          sendJson(res, status, body)
        },
      )
      return true
    },
  }
  return routes
}

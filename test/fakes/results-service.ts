// A local stand-in for the GitHub Actions results service and the Azure blob storage behind it, close
// enough to the real thing that the unmodified @actions/artifact and @actions/cache clients (and the
// action bundle) can run against it on 127.0.0.1.
//
// Layout: one node:http server with two route families.
//   /twirp/<service>/<Method>  Twirp JSON; each Twirp service (ArtifactService, CacheService) is one entry
//                              in a method table.
//   /blob/<container>/<blob>   Azure-style blob endpoint (Put Block, Put Block List, single-shot Put Blob,
//                              Get/Head Blob) over a BlobStore that every service issues signed URLs for.
//
// Failures are answered with 4xx only: @actions/artifact retries 429/5xx for about 30 s and
// @actions/cache's Twirp client retries 5xx five times with growing pauses.

import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService'
export const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService'

export interface StoredArtifact {
  id: number
  name: string
  mimeType: string | undefined
  expiresAt: string | undefined
  /** As sent in FinalizeArtifact. */
  declaredSize: number
  /** As sent in FinalizeArtifact ('sha256:<hex>'), '' when the client sent none. */
  declaredHash: string
  /** The blob reassembled in block-list order. */
  bytes: Buffer
  /** Hex sha256 of `bytes`, computed here. */
  sha256: string
}

export interface StoredCacheEntry {
  /** As returned in FinalizeCacheEntryUpload's entry_id. */
  id: number
  key: string
  /** The client's hash of the cached paths and compression method. */
  version: string
  /** size_bytes from FinalizeCacheEntryUpload; 0 until then. */
  size: number
  /** The uploaded archive; empty until finalized. */
  bytes: Buffer
  /** False while the entry is reserved but not yet finalized. */
  finalized: boolean
}

export interface BackendIds {
  workflowRunBackendId: string
  workflowJobRunBackendId: string
}

export interface ResultsServiceFake {
  /** e.g. http://127.0.0.1:PORT */
  origin: string
  /** What a runner gives a node action, pointing at this server. */
  env: Record<string, string>
  /** Finalized artifacts in order. */
  artifacts: StoredArtifact[]
  /** Cache entries in creation order, reserved ones included. */
  caches: StoredCacheEntry[]
  /** Every request received, `path` with its query string. */
  requests: { method: string; path: string }[]
  /** The ids inside the runtime token's `Actions.Results` scope. */
  backendIds: BackendIds
  /** The blob storage behind the signed URLs. */
  blobs: BlobStore
  /** Stops the server and destroys open (keep-alive) sockets. */
  close(): Promise<void>
}

export interface ResultsServiceOptions {
  /** Answer every CreateArtifact with this status and Twirp message. */
  rejectCreate?: { status: number; message: string }
  /** Answer every ListArtifacts with this status and Twirp message (a token without the list scope, an outage). */
  rejectList?: { status: number; message: string }
}

// ---------------------------------------------------------------------------------------------------------
// Twirp plumbing

type TwirpCode =
  | 'invalid_argument'
  | 'malformed'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'bad_route'
  | 'already_exists'
  | 'failed_precondition'
  | 'resource_exhausted'
  | 'internal'
  | 'unavailable'

// Twirp's code to HTTP status table (twitchtv/twirp errors.go).
const TWIRP_STATUS: Record<TwirpCode, number> = {
  invalid_argument: 400,
  malformed: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  failed_precondition: 412,
  resource_exhausted: 429,
  internal: 500,
  unavailable: 503,
}

export class TwirpError extends Error {
  readonly code: TwirpCode
  readonly status: number
  constructor(code: TwirpCode, message: string, status?: number) {
    super(message)
    this.code = code
    this.status = status ?? TWIRP_STATUS[code]
  }
}

function codeForStatus(status: number): TwirpCode {
  const match = (Object.entries(TWIRP_STATUS) as [TwirpCode, number][]).find(([, s]) => s === status)
  return match ? match[0] : status >= 500 ? 'internal' : 'invalid_argument'
}

export type JsonObject = Record<string, unknown>

export interface TwirpCall {
  body: JsonObject
  /** Backend ids from the (already checked) bearer token. */
  caller: BackendIds
}

export type TwirpMethod = (call: TwirpCall) => JsonObject | Promise<JsonObject>
export type TwirpService = Record<string, TwirpMethod>

// proto3 JSON: strings stay strings; int64 usually arrives as a string but a number is legal too.
function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new TwirpError('invalid_argument', `${field} must be a string`)
  return value
}

function requiredString(body: JsonObject, field: string): string {
  const value = optionalString(body, field)
  if (!value) throw new TwirpError('invalid_argument', `${field} is required`)
  return value
}

function optionalInt64(body: JsonObject, field: string): number | undefined {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value)
  throw new TwirpError('invalid_argument', `${field} must be an int64`)
}

// Every ArtifactService request carries the caller's backend ids; the real service refuses ids that are
// not the ones in the token's Actions.Results scope.
function requireOwnIds(body: JsonObject, caller: BackendIds): void {
  const run = requiredString(body, 'workflow_run_backend_id')
  const job = requiredString(body, 'workflow_job_run_backend_id')
  if (run !== caller.workflowRunBackendId || job !== caller.workflowJobRunBackendId) {
    throw new TwirpError('permission_denied', 'backend ids do not match the runtime token')
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function sendTwirpError(res: ServerResponse, error: TwirpError): void {
  sendJson(res, error.status, { code: error.code, msg: error.message })
}

// ---------------------------------------------------------------------------------------------------------
// Runtime token

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

// The ref a fake run is on: GITHUB_REF and the token's cache scope.
const RUN_REF = 'refs/heads/main'

/** An unsigned JWT shaped like the runner's ACTIONS_RUNTIME_TOKEN; clients only decode its claims. */
export function makeRuntimeToken(ids: BackendIds): string {
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    // Several scopes, space-separated, as on a runner: the client has to pick out Actions.Results.
    scp: [
      'Actions.GenericRead:00000000-0000-0000-0000-000000000000',
      `Actions.Results:${ids.workflowRunBackendId}:${ids.workflowJobRunBackendId}`,
    ].join(' '),
    // The cache scopes the real service reads (Permission 3 = read and write); no client looks at them.
    ac: JSON.stringify([{ Scope: RUN_REF, Permission: 3 }]),
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vso:00000000-0000-0000-0000-000000000000',
    nbf: now - 60,
    iat: now - 60,
    exp: now + 6 * 3600,
  }
  return `${base64url({ typ: 'JWT', alg: 'none' })}.${base64url(payload)}.`
}

// ---------------------------------------------------------------------------------------------------------
// Blob storage

const BLOB_PREFIX = '/blob/'
// Some x-ms-version the SDK accepts; the request's own version is echoed when it sends one.
const DEFAULT_X_MS_VERSION = '2025-11-05'

export interface StoredBlob {
  data: Buffer
  contentType: string | undefined
  contentDisposition: string | undefined
  etag: string
  lastModified: Date
  /** Committed blocks by id, so a later block list may refer to them (<Committed>, <Latest>). */
  blocks: Map<string, Buffer>
}

type Permission = 'r' | 'w'

/** One entry of a Put Block List body. */
export interface BlockListEntry {
  kind: 'Latest' | 'Committed' | 'Uncommitted'
  id: string
}

/** The x-ms-blob-* headers a blob keeps and serves back on reads. */
export interface BlobHeaders {
  contentType?: string | undefined
  contentDisposition?: string | undefined
}

class BlobRequestError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

/** Blobs by key ('<container>/<blob name>') plus the SAS grants handed out for them. */
export class BlobStore {
  private readonly committed = new Map<string, StoredBlob>()
  private readonly uncommitted = new Map<string, Map<string, Buffer>>()
  private readonly grants = new Map<string, { key: string; permissions: string }>()
  private readonly origin: string
  private etagCounter = 0

  constructor(origin: string) {
    this.origin = origin
  }

  /**
   * A SAS-style URL for one blob. `permissions` as in Azure ('r', 'cw', ...); `rscd`/`rsct` override
   * Content-Disposition/Content-Type on reads, as Azure SAS does.
   */
  signedUrl(key: string, permissions: string, overrides: { rscd?: string; rsct?: string } = {}): string {
    const sig = randomBytes(18).toString('base64url')
    this.grants.set(sig, { key, permissions })
    const path = key.split('/').map(encodeURIComponent).join('/')
    const url = new URL(`${BLOB_PREFIX}${path}`, this.origin)
    url.searchParams.set('sv', DEFAULT_X_MS_VERSION)
    url.searchParams.set('sr', 'b')
    url.searchParams.set('sp', permissions)
    if (overrides.rscd) url.searchParams.set('rscd', overrides.rscd)
    if (overrides.rsct) url.searchParams.set('rsct', overrides.rsct)
    url.searchParams.set('sig', sig)
    return url.href
  }

  get(key: string): StoredBlob | undefined {
    return this.committed.get(key)
  }

  delete(key: string): void {
    this.committed.delete(key)
    this.uncommitted.delete(key)
  }

  /** Checks `sig` grants `permission` on `key`. */
  authorize(key: string, sig: string | undefined, permission: Permission): void {
    const grant = sig === undefined ? undefined : this.grants.get(sig)
    if (!grant || grant.key !== key) {
      throw new BlobRequestError(403, 'AuthenticationFailed', 'Signature did not match.')
    }
    const needed = permission === 'w' ? /[wc]/ : /r/
    if (!needed.test(grant.permissions)) {
      throw new BlobRequestError(403, 'AuthorizationPermissionMismatch', 'The SAS does not grant this operation.')
    }
  }

  stageBlock(key: string, blockId: string, data: Buffer): void {
    let blocks = this.uncommitted.get(key)
    if (!blocks) {
      blocks = new Map()
      this.uncommitted.set(key, blocks)
    }
    blocks.set(blockId, data)
  }

  /** The blob becomes the listed blocks in list order, whatever order they were staged in. */
  commitBlockList(key: string, list: BlockListEntry[], headers: BlobHeaders): StoredBlob {
    const staged = this.uncommitted.get(key) ?? new Map<string, Buffer>()
    const previous = this.committed.get(key)?.blocks ?? new Map<string, Buffer>()
    const blocks = new Map<string, Buffer>()
    const parts: Buffer[] = []
    for (const { kind, id } of list) {
      const data =
        kind === 'Committed'
          ? previous.get(id)
          : kind === 'Uncommitted'
            ? staged.get(id)
            : (staged.get(id) ?? previous.get(id))
      if (!data) throw new BlobRequestError(400, 'InvalidBlockList', `The specified block list is invalid: ${id}`)
      blocks.set(id, data)
      parts.push(data)
    }
    // Azure drops the uncommitted blocks once a list is committed.
    this.uncommitted.delete(key)
    return this.store(key, Buffer.concat(parts), blocks, headers)
  }

  putBlob(key: string, data: Buffer, headers: BlobHeaders): StoredBlob {
    this.uncommitted.delete(key)
    return this.store(key, data, new Map(), headers)
  }

  private store(key: string, data: Buffer, blocks: Map<string, Buffer>, headers: BlobHeaders): StoredBlob {
    this.etagCounter += 1
    const blob: StoredBlob = {
      data,
      blocks,
      contentType: headers.contentType,
      contentDisposition: headers.contentDisposition,
      etag: `"0x8DD${this.etagCounter.toString(16).toUpperCase().padStart(12, '0')}"`,
      lastModified: new Date(),
    }
    this.committed.set(key, blob)
    return blob
  }
}

// Query strings as Azure reads them: '+' is a literal plus (block ids are base64), not a space.
function parseQuery(rawUrl: string): Map<string, string> {
  const query = new Map<string, string>()
  const index = rawUrl.indexOf('?')
  if (index < 0) return query
  for (const pair of rawUrl.slice(index + 1).split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const name = eq < 0 ? pair : pair.slice(0, eq)
    const value = eq < 0 ? '' : pair.slice(eq + 1)
    query.set(decodeURIComponent(name).toLowerCase(), decodeURIComponent(value))
  }
  return query
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function azureHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {
    'x-ms-request-id': randomUUID(),
    'x-ms-version': header(req, 'x-ms-version') ?? DEFAULT_X_MS_VERSION,
    date: new Date().toUTCString(),
    server: 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0',
  }
  const clientRequestId = header(req, 'x-ms-client-request-id')
  if (clientRequestId) headers['x-ms-client-request-id'] = clientRequestId
  return headers
}

const xmlEscape = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

function sendBlobError(req: IncomingMessage, res: ServerResponse, error: BlobRequestError): void {
  const body =
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${error.code}</Code>` +
    `<Message>${xmlEscape(error.message)}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString()}</Message></Error>`
  res.writeHead(error.status, {
    ...azureHeaders(req),
    'x-ms-error-code': error.code,
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('base64')

function checkContentMd5(req: IncomingMessage, body: Buffer): void {
  const sent = header(req, 'content-md5')
  if (sent && sent !== md5(body)) {
    throw new BlobRequestError(400, 'Md5Mismatch', 'The MD5 value specified in the request did not match.')
  }
}

// Block ids are base64 of at most 64 bytes.
function checkBlockId(id: string | undefined): string {
  if (!id || !/^[A-Za-z0-9+/]+={0,2}$/.test(id) || Buffer.from(id, 'base64').length > 64) {
    throw new BlobRequestError(400, 'InvalidQueryParameterValue', `Invalid block id: ${id ?? '(none)'}`)
  }
  return id
}

function parseBlockList(xml: string): BlockListEntry[] {
  if (!/<BlockList>[\s\S]*<\/BlockList>|<BlockList\s*\/>/.test(xml)) {
    throw new BlobRequestError(400, 'InvalidXmlDocument', 'XML specified is not syntactically valid.')
  }
  const list: BlockListEntry[] = []
  for (const match of xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)) {
    list.push({ kind: match[1] as BlockListEntry['kind'], id: checkBlockId(match[2]?.trim()) })
  }
  return list
}

// Range: bytes=a-b | bytes=a- (what the SDK's downloads send); anything else reads the whole blob.
function parseRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = value ? /^bytes=(\d+)-(\d*)$/.exec(value) : null
  if (!match) return undefined
  const start = Number(match[1])
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1
  if (start >= size || end < start) {
    throw new BlobRequestError(416, 'InvalidRange', 'The range specified is invalid for the current size.')
  }
  return { start, end }
}

function handleBlob(store: BlobStore, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const rawUrl = req.url ?? '/'
  const pathname = rawUrl.split('?')[0] ?? ''
  const key = decodeURIComponent(pathname.slice(BLOB_PREFIX.length))
  const query = parseQuery(rawUrl)
  const method = req.method ?? 'GET'
  const comp = query.get('comp')

  if (method === 'PUT') {
    store.authorize(key, query.get('sig'), 'w')
    const blobHeaders = {
      contentType: header(req, 'x-ms-blob-content-type'),
      contentDisposition: header(req, 'x-ms-blob-content-disposition'),
    }
    if (comp === 'block') {
      checkContentMd5(req, body)
      store.stageBlock(key, checkBlockId(query.get('blockid')), body)
      res.writeHead(201, {
        ...azureHeaders(req),
        'content-md5': md5(body),
        'x-ms-request-server-encrypted': 'true',
        'content-length': '0',
      })
      res.end()
      return
    }
    let blob: StoredBlob
    if (comp === 'blocklist') {
      blob = store.commitBlockList(key, parseBlockList(body.toString('utf8')), blobHeaders)
    } else if (comp === undefined) {
      if (header(req, 'x-ms-blob-type') !== 'BlockBlob') {
        throw new BlobRequestError(400, 'MissingRequiredHeader', 'A mandatory header is missing: x-ms-blob-type')
      }
      checkContentMd5(req, body)
      // Without x-ms-blob-content-type, Put Blob keeps the request's own Content-Type.
      const contentType = blobHeaders.contentType ?? header(req, 'content-type')
      blob = store.putBlob(key, body, { ...blobHeaders, contentType })
    } else {
      throw new BlobRequestError(400, 'UnsupportedQueryParameter', `comp=${comp} is not supported here.`)
    }
    res.writeHead(201, {
      ...azureHeaders(req),
      etag: blob.etag,
      'last-modified': blob.lastModified.toUTCString(),
      'content-md5': md5(comp === 'blocklist' ? body : blob.data),
      'x-ms-request-server-encrypted': 'true',
      'content-length': '0',
    })
    res.end()
    return
  }

  if (method === 'GET' || method === 'HEAD') {
    store.authorize(key, query.get('sig'), 'r')
    const blob = store.get(key)
    if (!blob) throw new BlobRequestError(404, 'BlobNotFound', 'The specified blob does not exist.')
    const range = parseRange(header(req, 'x-ms-range') ?? header(req, 'range'), blob.data.length)
    const data = range ? blob.data.subarray(range.start, range.end + 1) : blob.data
    const headers: Record<string, string> = {
      ...azureHeaders(req),
      etag: blob.etag,
      'last-modified': blob.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-server-encrypted': 'true',
      'content-length': String(data.length),
      'content-type': query.get('rsct') ?? blob.contentType ?? 'application/octet-stream',
    }
    const disposition = query.get('rscd') ?? blob.contentDisposition
    if (disposition) headers['content-disposition'] = disposition
    if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${blob.data.length}`
    res.writeHead(range ? 206 : 200, headers)
    res.end(method === 'HEAD' ? undefined : data)
    return
  }

  throw new BlobRequestError(405, 'UnsupportedHttpVerb', `The resource doesn't support the HTTP verb ${method}.`)
}

// ---------------------------------------------------------------------------------------------------------
// ArtifactService

interface ArtifactRecord {
  id: number
  runBackendId: string
  jobBackendId: string
  name: string
  mimeType: string | undefined
  expiresAt: string | undefined
  createdAt: Date
  blobKey: string
  /** Set by FinalizeArtifact. */
  stored?: StoredArtifact
}

// The characters actions/upload-artifact refuses in names; the service refuses them too.
const INVALID_NAME_CHARS = /[":<>|*?\r\n\\/]/

function artifactService(store: BlobStore, finalized: StoredArtifact[], options: ResultsServiceOptions): TwirpService {
  const records: ArtifactRecord[] = []
  let nextId = 1001

  const findByName = (run: string, name: string): ArtifactRecord | undefined =>
    records.find((r) => r.runBackendId === run && r.name === name)

  return {
    CreateArtifact({ body, caller }) {
      requireOwnIds(body, caller)
      if (options.rejectCreate) {
        const { status, message } = options.rejectCreate
        throw new TwirpError(codeForStatus(status), message, status)
      }
      const name = requiredString(body, 'name')
      if (INVALID_NAME_CHARS.test(name)) {
        throw new TwirpError('invalid_argument', `artifact name ${JSON.stringify(name)} contains an invalid character`)
      }
      const expiresAt = optionalString(body, 'expires_at')
      if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt))) {
        throw new TwirpError('invalid_argument', 'expires_at must be an RFC 3339 timestamp')
      }
      if (findByName(caller.workflowRunBackendId, name)) {
        throw new TwirpError('already_exists', 'an artifact with this name already exists on the workflow run')
      }
      const mimeType = optionalString(body, 'mime_type')
      const id = nextId++
      // Zipped artifacts are stored as <name>.zip (the download client also keys on the .zip suffix).
      const fileName = mimeType === undefined || mimeType === 'application/zip' ? `${name}.zip` : name
      const { workflowRunBackendId: run, workflowJobRunBackendId: job } = caller
      const blobKey = `actions-results/${run}/${job}/${id}/${fileName}`
      records.push({
        id,
        runBackendId: caller.workflowRunBackendId,
        jobBackendId: caller.workflowJobRunBackendId,
        name,
        mimeType,
        expiresAt,
        createdAt: new Date(),
        blobKey,
      })
      return { ok: true, signed_upload_url: store.signedUrl(blobKey, 'cw') }
    },

    FinalizeArtifact({ body, caller }) {
      requireOwnIds(body, caller)
      const name = requiredString(body, 'name')
      const size = optionalInt64(body, 'size') ?? 0
      if (size < 0) throw new TwirpError('invalid_argument', 'size must not be negative')
      const hash = optionalString(body, 'hash')
      const record = findByName(caller.workflowRunBackendId, name)
      if (!record) throw new TwirpError('not_found', `artifact ${name} was not created`)
      if (record.stored) throw new TwirpError('failed_precondition', `artifact ${name} is already finalized`)
      const blob = store.get(record.blobKey)
      if (!blob) throw new TwirpError('failed_precondition', `artifact ${name} has no uploaded content`)
      const bytes = Buffer.from(blob.data)
      record.stored = {
        id: record.id,
        name,
        mimeType: record.mimeType,
        expiresAt: record.expiresAt,
        declaredSize: size,
        declaredHash: hash ?? '',
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      }
      finalized.push(record.stored)
      return { ok: true, artifact_id: String(record.id) }
    },

    ListArtifacts({ body, caller }) {
      requireOwnIds(body, caller)
      if (options.rejectList) {
        const { status, message } = options.rejectList
        throw new TwirpError(codeForStatus(status), message, status)
      }
      const nameFilter = optionalString(body, 'name_filter')
      const idFilter = optionalInt64(body, 'id_filter')
      const artifacts = records
        .filter((r) => r.stored && r.runBackendId === caller.workflowRunBackendId)
        .filter((r) => nameFilter === undefined || r.name === nameFilter)
        .filter((r) => idFilter === undefined || r.id === idFilter)
        .map((r) => {
          const stored = r.stored as StoredArtifact
          const artifact: JsonObject = {
            workflow_run_backend_id: r.runBackendId,
            workflow_job_run_backend_id: r.jobBackendId,
            database_id: String(r.id),
            name: r.name,
            size: String(stored.bytes.length),
            created_at: r.createdAt.toISOString(),
          }
          if (stored.declaredHash) artifact.digest = stored.declaredHash
          return artifact
        })
      return { artifacts }
    },

    GetSignedArtifactURL({ body, caller }) {
      requireOwnIds(body, caller)
      const name = requiredString(body, 'name')
      const record = findByName(caller.workflowRunBackendId, name)
      if (!record?.stored) throw new TwirpError('not_found', `artifact ${name} not found`)
      const fileName = record.blobKey.slice(record.blobKey.lastIndexOf('/') + 1)
      const asciiName = fileName.replace(/[^\x20-\x7e]|"/g, '_')
      const rscd = `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
      return { signed_url: store.signedUrl(record.blobKey, 'r', { rscd }) }
    },

    DeleteArtifact({ body, caller }) {
      requireOwnIds(body, caller)
      const name = requiredString(body, 'name')
      const record = findByName(caller.workflowRunBackendId, name)
      if (!record) throw new TwirpError('not_found', `artifact ${name} not found`)
      records.splice(records.indexOf(record), 1)
      if (record.stored) finalized.splice(finalized.indexOf(record.stored), 1)
      store.delete(record.blobKey)
      return { ok: true, artifact_id: String(record.id) }
    },
  }
}

// ---------------------------------------------------------------------------------------------------------
// CacheService (cache service v2, what @actions/cache uses when ACTIONS_CACHE_SERVICE_V2 is set)

interface CacheRecord {
  entry: StoredCacheEntry
  blobKey: string
}

// The real service's answer to a second reservation of a key and version, which the client reports as
// "another job may be creating this cache".
const CACHE_CONFLICT = 'cache entry with the same key, version, and scope already exists'

// One cache per fake: every entry is in the run's own scope, so scopes are not modelled.
function cacheService(store: BlobStore, entries: StoredCacheEntry[]): TwirpService {
  const records: CacheRecord[] = []
  let nextId = 5001

  const find = (key: string, version: string): CacheRecord | undefined =>
    records.find((r) => r.entry.key === key && r.entry.version === version)

  // Newest first, so a prefix match picks the most recent entry as the real service does.
  const newestFinalized = (version: string): CacheRecord[] =>
    records.filter((r) => r.entry.finalized && r.entry.version === version).sort((a, b) => b.entry.id - a.entry.id)

  return {
    CreateCacheEntry({ body }) {
      const key = requiredString(body, 'key')
      const version = requiredString(body, 'version')
      if (find(key, version)) throw new TwirpError('already_exists', CACHE_CONFLICT)
      const entry: StoredCacheEntry = { id: nextId++, key, version, size: 0, bytes: Buffer.alloc(0), finalized: false }
      const blobKey = `actions-cache/${entry.id}`
      records.push({ entry, blobKey })
      entries.push(entry)
      return { ok: true, signed_upload_url: store.signedUrl(blobKey, 'cw'), message: '' }
    },

    FinalizeCacheEntryUpload({ body }) {
      const key = requiredString(body, 'key')
      const version = requiredString(body, 'version')
      const size = optionalInt64(body, 'size_bytes') ?? 0
      const record = find(key, version)
      if (!record) throw new TwirpError('not_found', `no cache entry ${key} was created for this version`)
      if (record.entry.finalized) throw new TwirpError('already_exists', CACHE_CONFLICT)
      const blob = store.get(record.blobKey)
      if (!blob) throw new TwirpError('failed_precondition', `cache entry ${key} has no uploaded content`)
      // Stricter than needed: a size that disagrees with the blob is a client bug worth failing on.
      if (size !== blob.data.length) {
        throw new TwirpError('invalid_argument', `size_bytes ${size} is not the uploaded ${blob.data.length} bytes`)
      }
      Object.assign(record.entry, { size, bytes: Buffer.from(blob.data), finalized: true })
      return { ok: true, entry_id: String(record.entry.id), message: '' }
    },

    // As GitHub documents cache key matching: key, then each restore key in order, each as an exact match
    // first and then as a prefix of the newest entry; only entries of the requested version count. A miss is
    // ok: false, not an error.
    GetCacheEntryDownloadURL({ body }) {
      const key = requiredString(body, 'key')
      const version = requiredString(body, 'version')
      const restoreKeys = body.restore_keys ?? []
      if (!Array.isArray(restoreKeys) || !restoreKeys.every((k): k is string => typeof k === 'string')) {
        throw new TwirpError('invalid_argument', 'restore_keys must be a list of strings')
      }
      const candidates = newestFinalized(version)
      const hit = [key, ...restoreKeys]
        .map((k) => candidates.find((r) => r.entry.key === k) ?? candidates.find((r) => r.entry.key.startsWith(k)))
        .find((r) => r !== undefined)
      if (!hit) return { ok: false, signed_download_url: '', matched_key: '' }
      return { ok: true, signed_download_url: store.signedUrl(hit.blobKey, 'r'), matched_key: hit.entry.key }
    },
  }
}

// ---------------------------------------------------------------------------------------------------------
// Server

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

async function handleTwirp(
  services: Map<string, TwirpService>,
  token: string,
  caller: BackendIds,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): Promise<void> {
  const match = /^\/twirp\/([^/?]+)\/([^/?]+)$/.exec((req.url ?? '').split('?')[0] ?? '')
  const service = services.get(match?.[1] ?? '')
  const methodName = match?.[2] ?? ''
  // Own properties only, so /twirp/<service>/toString is a bad route rather than Object.prototype's.
  const method = service && Object.hasOwn(service, methodName) ? service[methodName] : undefined
  if (req.method !== 'POST') throw new TwirpError('bad_route', `unsupported method ${req.method} (only POST)`)
  if (!method) throw new TwirpError('bad_route', `no handler for path ${req.url}`)
  const contentType = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  // Only the JSON flavour of Twirp is implemented; neither client sends protobuf.
  if (contentType !== 'application/json') throw new TwirpError('bad_route', `unexpected Content-Type: ${contentType}`)
  if (header(req, 'authorization') !== `Bearer ${token}`) {
    throw new TwirpError('unauthenticated', 'missing or invalid runtime token')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    throw new TwirpError('malformed', 'the request body is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TwirpError('malformed', 'the request body must be a JSON object')
  }
  sendJson(res, 200, await method({ body: parsed as JsonObject, caller }))
}

export async function startResultsService(options: ResultsServiceOptions = {}): Promise<ResultsServiceFake> {
  const backendIds: BackendIds = { workflowRunBackendId: randomUUID(), workflowJobRunBackendId: randomUUID() }
  const token = makeRuntimeToken(backendIds)
  const requests: { method: string; path: string }[] = []
  const artifacts: StoredArtifact[] = []
  const caches: StoredCacheEntry[] = []
  const sockets = new Set<Socket>()

  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '' })
    const isTwirp = (req.url ?? '').startsWith('/twirp/')
    readBody(req)
      .then(async (body) => {
        if (isTwirp) return handleTwirp(routes.services, token, backendIds, req, res, body)
        if ((req.url ?? '').startsWith(BLOB_PREFIX)) return handleBlob(routes.blobs, req, res, body)
        throw new TwirpError('bad_route', `no route for ${req.url}`)
      })
      .catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy()
        } else if (error instanceof BlobRequestError) {
          sendBlobError(req, res, error)
        } else if (error instanceof TwirpError) {
          sendTwirpError(res, error)
        } else {
          // A bug in the fake: still a 4xx, so the client fails at once instead of retrying for 30 s.
          const message = error instanceof Error ? error.message : String(error)
          sendTwirpError(res, new TwirpError('internal', `fake results service: ${message}`, 400))
        }
      })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const blobs = new BlobStore(origin)
  // One entry per Twirp service, all sharing the blob store.
  const services = new Map<string, TwirpService>([
    [ARTIFACT_SERVICE, artifactService(blobs, artifacts, options)],
    [CACHE_SERVICE, cacheService(blobs, caches)],
  ])
  // Declared once the port is known, which is before any request can arrive.
  const routes = { services, blobs }

  let closing: Promise<void> | undefined
  const env: Record<string, string> = {
    ACTIONS_RUNTIME_TOKEN: token,
    ACTIONS_RESULTS_URL: `${origin}/`,
    // Anything but github.com / *.ghe.com / *.localhost makes the client throw "not supported on GHES".
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/grok-video-action',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REF: RUN_REF,
    // Without it @actions/cache speaks the legacy v1 REST protocol, which this fake does not serve.
    ACTIONS_CACHE_SERVICE_V2: 'true',
    // Both the Twirp client and the Azure SDK honour proxy variables; keep loopback traffic direct.
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  }

  return {
    origin,
    env,
    artifacts,
    caches,
    requests,
    backendIds,
    blobs,
    close: () => {
      // Idempotent, so an afterEach may close a fake a test already closed.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      })
      return closing
    },
  }
}

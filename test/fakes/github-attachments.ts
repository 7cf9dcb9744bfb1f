// A loopback stand-in for GitHub's attachment store, served on the REST fake's origin (the uploads host of a
// loopback GITHUB_API_URL is that origin):
//   POST /user-attachments/assets?name=&content_type=&repository_id=   body: the file's raw bytes
// It accepts its own person token only (not the REST fake's), so a test can tell which token went where, and
// answers as GitHub does: 201 `{ url }`, 401 for another token, 404 for a token without write access, 422 for a
// file over the plan's cap or whose name and type disagree, and whatever faults a test queues (429 with or without
// Retry-After, a 5xx, a reset socket, an answer that never ends).

import { createHash, randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

export type AttachmentFault =
  | { status: 429; retryAfter?: string }
  | { status: 500 | 502 | 503 }
  /** A refusal that quotes the request's token back, as a careless server might. */
  | { status: 422; echoToken: true }
  | { reset: true }
  | { endless: true }
  /** No answer at all (the socket stays open until the client gives up). */
  | { hang: true }

export interface AttachmentStoreOptions {
  /** The only token accepted; another gets 401. */
  token: string
  /** The token may not write to the repository: 404, as GitHub answers. */
  readOnly?: boolean
  /** The plan's cap on a video (a free plan's 10 MB by default); images are capped at 10 MB. */
  videoCapBytes?: number
  /** The URL answered instead of a store URL (to see what a client does with an odd one). */
  answerUrl?: string
  /** Answered to the next requests, one each, before any is served. */
  faults?: AttachmentFault[]
}

export interface AttachmentUpload {
  name: string
  contentType: string
  repositoryId: string
  sha256: string
  bytes: number
  /** The token the request carried. */
  token: string
  url: string
}

export interface AttachmentRequest {
  path: string
  token: string
  status: number | 'reset' | 'endless' | 'hang'
}

export interface AttachmentStoreFake {
  /** Serves the request when it is an upload (and says so); anything else is the REST fake's. */
  handles(req: IncomingMessage, res: ServerResponse): boolean
  /** The uploads the store kept, in order. */
  uploads: AttachmentUpload[]
  /** Every request to the store, answered or not. */
  requests: AttachmentRequest[]
}

const MB = 1024 * 1024
const TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  gif: 'image/gif',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
}

export function attachmentStore(options: AttachmentStoreOptions): AttachmentStoreFake {
  const uploads: AttachmentUpload[] = []
  const requests: AttachmentRequest[] = []
  const faults = [...(options.faults ?? [])]

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(text)
  }

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const bytes = Buffer.concat(chunks)
    const token = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? ''
    const request: AttachmentRequest = { path: req.url ?? '', token, status: 0 }
    requests.push(request)
    const fault = faults.shift()
    if (fault && 'reset' in fault) {
      request.status = 'reset'
      req.socket.destroy()
      return
    }
    if (fault && 'hang' in fault) {
      request.status = 'hang'
      return
    }
    if (fault && 'endless' in fault) {
      request.status = 'endless'
      res.writeHead(201, { 'content-type': 'application/json' })
      res.write('{"url":"https://github.com/user-attachments/assets/')
      const timer = setInterval(() => res.write('a'.repeat(16 * 1024)), 1)
      res.once('close', () => clearInterval(timer))
      return
    }
    const send = (status: number, body: unknown, headers?: Record<string, string>): void => {
      request.status = status
      answer(res, status, body, headers)
    }
    if (fault && 'echoToken' in fault) return send(422, { message: `Token ${token} may not upload this file` })
    if (fault) {
      const retryAfter: Record<string, string> =
        'retryAfter' in fault && fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}
      return send(
        fault.status,
        { message: fault.status === 429 ? 'API rate limit exceeded' : 'Server Error' },
        retryAfter,
      )
    }
    if (token !== options.token) return send(401, { message: 'Bad credentials' })
    if (options.readOnly) return send(404, { message: 'Not Found' })
    const name = url.searchParams.get('name') ?? ''
    const contentType = url.searchParams.get('content_type') ?? ''
    const repositoryId = url.searchParams.get('repository_id') ?? ''
    if (!name || !/^\d+$/.test(repositoryId)) return send(422, { message: 'name and repository_id are required' })
    if (req.headers['content-type'] !== 'application/octet-stream')
      return send(422, { message: 'Content-Type must be application/octet-stream' })
    if (TYPES[name.split('.').pop()?.toLowerCase() ?? ''] !== contentType)
      return send(422, { message: `content_type ${contentType} does not match the file name ${name}` })
    const cap = contentType === 'video/mp4' ? (options.videoCapBytes ?? 10 * MB) : 10 * MB
    if (bytes.length > cap) return send(422, { message: `File size too large (maximum is ${cap / MB} MB)` })
    const upload: AttachmentUpload = {
      name,
      contentType,
      repositoryId,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      token,
      url: options.answerUrl ?? `https://github.com/user-attachments/assets/${randomUUID()}`,
    }
    uploads.push(upload)
    send(201, { id: uploads.length, name, size: bytes.length, content_type: contentType, url: upload.url })
  }

  return {
    uploads,
    requests,
    handles(req, res) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (req.method !== 'POST' || url.pathname !== '/user-attachments/assets') return false
      serve(req, res, url).catch((error: unknown) => answer(res, 500, { message: (error as Error).message }))
      return true
    },
  }
}

/**
 * One HTTP request that can be called off, and an answer read with a byte cap: what every call to a server needs so
 * that no answer, however slow or long, holds a run or its memory. The request goes through @actions/http-client's
 * agent (so the runner's proxy settings apply), with an AbortSignal that destroys its socket: the client's own
 * `request()` has no way to stop a request once it is sent.
 */
import type { HttpClient, HttpClientResponse } from '@actions/http-client'
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'

type RequestInfo = Parameters<HttpClient['requestRaw']>[0]
type Body = Parameters<HttpClient['requestRaw']>[1]

/** Sends one request (no redirects, no retries: the caller decides); `signal` closes its socket at any stage. */
export function sendAbortable(
  client: HttpClient,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Body,
  signal: AbortSignal,
): Promise<HttpClientResponse> {
  const parsedUrl = new URL(url)
  const secure = parsedUrl.protocol === 'https:'
  const info: RequestInfo = {
    parsedUrl,
    httpModule: secure ? https : http,
    options: {
      host: parsedUrl.hostname,
      port: parsedUrl.port ? Number(parsedUrl.port) : secure ? 443 : 80,
      path: parsedUrl.pathname + parsedUrl.search,
      method,
      headers: { ...headers, ...(client.userAgent ? { 'user-agent': client.userAgent } : {}) },
      agent: client.getAgent(url),
      signal,
    },
  }
  return client.requestRaw(info, body)
}

/**
 * The whole body, or undefined once it passes `maxBytes` (announced or sent): the socket is then closed, so a body
 * that never ends costs no more than the cap.
 */
export async function readCapped(message: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const announced = Number(message.headers['content-length'])
  if (Number.isFinite(announced) && announced > maxBytes) {
    message.destroy()
    return undefined
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of message as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) {
      message.destroy()
      return undefined
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

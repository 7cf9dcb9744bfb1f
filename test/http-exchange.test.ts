// sendAbortable() and readCapped() on loopback: an abort closes the socket at any stage, a body is read no further
// than its cap, and the request still goes through the proxy the runner names.

import { HttpClient } from '@actions/http-client'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { readCapped, sendAbortable } from '../src/http-exchange.js'
import { listenOnLoopback, type Listening } from './fakes/loopback.ts'

const open: Array<{ close: () => unknown }> = []
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close()
})

/** A loopback server answering with `handle`; `closed` counts the sockets the client has closed. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handle)
  const state = { closed: 0, requests: [] as string[] }
  server.on('connection', (socket: Socket) => socket.on('close', () => state.closed++))
  server.on('request', (req: IncomingMessage) => state.requests.push(`${req.method} ${req.url}`))
  const listening: Listening = await listenOnLoopback(server)
  open.push(listening)
  return { ...listening, state }
}

function client(): HttpClient {
  const http = new HttpClient('grok-video-action-test', [], { allowRedirects: false, allowRetries: false })
  open.push({ close: () => http.dispose() })
  return http
}

describe('sendAbortable', () => {
  it('sends the method, path, headers and user agent it is given, and returns the answer', async () => {
    let seen: IncomingMessage | undefined
    const server = await serve((req, res) => {
      seen = req
      res.end('{"ok":true}')
    })

    const response = await sendAbortable(
      client(),
      'GET',
      `${server.origin}/v1/videos/abc?x=1`,
      { Authorization: 'Bearer k' },
      null,
      new AbortController().signal,
    )

    expect(await readCapped(response.message, 100)).toEqual(Buffer.from('{"ok":true}'))
    expect(seen?.url).toBe('/v1/videos/abc?x=1')
    expect(seen?.headers).toMatchObject({ authorization: 'Bearer k', 'user-agent': 'grok-video-action-test' })
  })

  it('an abort before any answer closes the socket and rejects', async () => {
    const server = await serve(() => {}) // never answers
    const controller = new AbortController()

    const pending = sendAbortable(client(), 'GET', `${server.origin}/slow`, {}, null, controller.signal)
    await vi.waitFor(() => expect(server.state.requests).toEqual(['GET /slow']))
    controller.abort()

    await expect(pending).rejects.toThrow(/abort/i)
    await vi.waitFor(() => expect(server.state.closed).toBe(1), { timeout: 1_000 })
  })

  it('an abort mid-body closes the socket, and the read rejects', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200)
      res.write('{"status":') // and nothing more
    })
    const controller = new AbortController()
    const response = await sendAbortable(client(), 'GET', `${server.origin}/half`, {}, null, controller.signal)

    const reading = readCapped(response.message, 1_000)
    controller.abort()

    await expect(reading).rejects.toThrow()
    await vi.waitFor(() => expect(server.state.closed).toBe(1), { timeout: 1_000 })
  })

  it('goes through the proxy the runner names in http_proxy, as @actions/http-client does', async () => {
    const connects: string[] = []
    // The proxy answers the tunnelled request itself: the host behind it need not exist.
    const proxied = createServer()
    proxied.on('connect', (req: IncomingMessage, socket: Socket) => {
      connects.push(req.url ?? '')
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 7\r\nconnection: close\r\n\r\nproxied'))
    })
    const listening = await listenOnLoopback(proxied)
    open.push(listening)
    const names = ['http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const
    const saved = names.map((name) => [name, process.env[name]] as const)
    open.push({
      close: () => {
        for (const [name, value] of saved) {
          if (value === undefined) delete process.env[name]
          else process.env[name] = value
        }
      },
    })
    for (const name of names) delete process.env[name]
    process.env.http_proxy = listening.origin

    const response = await sendAbortable(
      client(),
      'GET',
      'http://video.example.invalid/file.mp4',
      {},
      null,
      new AbortController().signal,
    )

    expect((await readCapped(response.message, 100))?.toString()).toBe('proxied')
    expect(connects).toEqual(['video.example.invalid:80'])
  })
})

describe('readCapped', () => {
  it('returns a body of exactly the cap', async () => {
    const server = await serve((_req, res) => res.end('x'.repeat(64)))
    const response = await sendAbortable(client(), 'GET', server.origin, {}, null, new AbortController().signal)

    expect((await readCapped(response.message, 64))?.length).toBe(64)
  })

  it.each([
    { name: 'announced in Content-Length', chunked: false },
    { name: 'sent without Content-Length', chunked: true },
  ])('gives up on a body past the cap ($name) and closes the socket', async ({ chunked }) => {
    const server = await serve((_req, res) => {
      if (chunked) res.write('x'.repeat(65))
      else res.end('x'.repeat(65))
    })
    const response = await sendAbortable(client(), 'GET', server.origin, {}, null, new AbortController().signal)

    expect(await readCapped(response.message, 64)).toBeUndefined()
    await vi.waitFor(() => expect(server.state.closed).toBe(1), { timeout: 1_000 })
  })
})

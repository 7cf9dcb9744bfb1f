// Starting and stopping a fake's HTTP server on 127.0.0.1: a free port, and a close that also ends keep-alive
// sockets (so a test never waits on an idle connection) and is safe to call twice.

import type { Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface Listening {
  /** e.g. http://127.0.0.1:PORT */
  origin: string
  close: () => Promise<void>
}

export async function listenOnLoopback(server: Server): Promise<Listening> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // A test may close the server early to make it unreachable; closing again is then a no-op.
        if (!server.listening) return resolve()
        server.close((error) => (error ? reject(error) : resolve()))
        for (const socket of sockets) socket.destroy()
      }),
  }
}

/** A JSON answer with its length, as GitHub's API sends one. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

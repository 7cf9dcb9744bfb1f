// A loopback npm registry holding one package version: its packument (`GET /<name>`, the scoped name's slash
// written %2f as npm sends it) and its tarball. What `npm pack <name>@<version>` needs, and nothing more.

import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import { listenOnLoopback } from './loopback.ts'

export interface NpmRegistryFake {
  /** For `npm_config_registry`. */
  url: string
  /** Paths requested, in order. */
  requests: string[]
  /** Each request's headers, in the same order. */
  headers: Record<string, string | string[] | undefined>[]
  close(): Promise<void>
}

export interface PackageVersion {
  name: string
  version: string
  tarball: Buffer
}

/** `sha512-<base64>`, as npm writes `dist.integrity`. */
export const integrityOf = (bytes: Buffer): string => `sha512-${createHash('sha512').update(bytes).digest('base64')}`

export async function startNpmRegistry(published: PackageVersion): Promise<NpmRegistryFake> {
  const requests: string[] = []
  const headers: NpmRegistryFake['headers'] = []
  let origin = ''
  const tarballPath = `/${published.name}/-/${published.name.split('/').pop()}-${published.version}.tgz`
  const server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '/')
    requests.push(url)
    headers.push({ ...req.headers })
    if (url === `/${published.name}`) {
      const body = JSON.stringify({
        name: published.name,
        'dist-tags': { latest: published.version },
        versions: {
          [published.version]: {
            name: published.name,
            version: published.version,
            dist: {
              tarball: `${origin}${tarballPath}`,
              integrity: integrityOf(published.tarball),
              shasum: createHash('sha1').update(published.tarball).digest('hex'),
            },
          },
        },
      })
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      return res.end(body)
    }
    if (url === tarballPath) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': published.tarball.length })
      return res.end(published.tarball)
    }
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: 'Not found' }))
  })
  const listening = await listenOnLoopback(server)
  origin = listening.origin
  return {
    url: `${origin}/`,
    requests,
    headers,
    close: listening.close,
  }
}

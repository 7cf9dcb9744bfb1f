// Every call to GitHub's REST API goes through github-api.ts: its answer is read whole within a size limit and a time
// limit, and an upload follows no redirect. Run against a real server on loopback with the real fetch and Octokit.

import { createServer, type ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boundedFetch, githubClient } from '../src/github-api.js'
import { listenOnLoopback, type Listening } from './fakes/loopback.ts'

let server: Listening
const hung: ServerResponse[] = []

beforeAll(async () => {
  server = await listenOnLoopback(
    createServer((req, res) => {
      if (req.url === '/endless') {
        res.writeHead(200, { 'content-type': 'application/json' })
        const chunk = Buffer.alloc(64 * 1024, 0x20)
        const write = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', write)
        }
        res.write('[')
        write()
      } else if (req.url === '/silent') {
        hung.push(res) // never answered
      } else if (req.url === '/moved') {
        res.writeHead(307, { location: 'http://127.0.0.2:9/elsewhere' }).end()
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ login: 'octocat' }))
      }
    }),
  )
})
afterAll(async () => {
  for (const res of hung) res.destroy()
  await server.close()
})

describe('boundedFetch', () => {
  it('hands on an answer within its limits whole', async () => {
    const answer = await boundedFetch()(`${server.origin}/user`)
    expect(await answer.json()).toEqual({ login: 'octocat' })
  })

  it('refuses an answer past its size, and stops reading it', async () => {
    await expect(boundedFetch({ answerLimitBytes: 1024 * 1024 })(`${server.origin}/endless`)).rejects.toThrow(
      "GitHub's answer was over 1.0 MiB",
    )
  })

  it('gives up on a call that does not answer within its time', async () => {
    await expect(boundedFetch({ timeoutMs: 300 })(`${server.origin}/silent`)).rejects.toThrow(
      'GitHub did not answer within 0.3 s',
    )
  })

  it('an upload follows no redirect: it fails naming where it was sent', async () => {
    await expect(boundedFetch({ followRedirects: false })(`${server.origin}/moved`)).rejects.toThrow(
      'GitHub answered with a redirect (HTTP 307 to 127.0.0.2:9), which an upload does not follow',
    )
  })
})

describe('githubClient', () => {
  it("bounds Octokit's calls: a page of comments that never ends is refused, not read on", async () => {
    const octokit = await githubClient('ghs_token', server.origin, { answerLimitBytes: 1024 * 1024 })
    await expect(octokit.request('GET /endless')).rejects.toThrow("GitHub's answer was over 1.0 MiB")
  })

  it('and a call GitHub does not answer ends at its time limit', async () => {
    const octokit = await githubClient('ghs_token', `${server.origin}/`, { timeoutMs: 300 })
    await expect(octokit.request('GET /silent')).rejects.toThrow('GitHub did not answer within 0.3 s')
  })
})

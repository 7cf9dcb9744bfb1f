/**
 * base-files.ts against the contents API fake: which paths are asked for, the bytes of the raw answer, a missing
 * file, a refusal, a folder, an answer too large, and the base commit from the event payload.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseCommitFromEvent, baseFiles, repositoryPath } from '../src/base-files.js'
import { BaseFilesError, InputError } from '../src/errors.js'
import { ContentsStore } from './fakes/github-contents.ts'
import { startGitHubApi, type GitHubApiFake } from './fakes/github-rest.ts'

const TOKEN = 'ghs_baseFilesTest0123456789abcdef'
const SHA = 'a'.repeat(40)
const base = { owner: 'octo-org', repo: 'films', sha: SHA, ref: 'main' }
const missing = (why: string) => new InputError('prompt-file', `'x' ${why}`)

let github: GitHubApiFake
const contents = new ContentsStore()
beforeAll(async () => {
  github = await startGitHubApi({ token: TOKEN, contents })
  contents.put('octo-org', 'films', SHA, {
    'prompts/intro.txt': 'A kite.',
    'prompts.json': JSON.stringify([{ name: 'a', prompt: 'b' }]),
    'media/frame.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  })
})
afterAll(async () => {
  await github.close()
})
const files = () => baseFiles({ apiUrl: github.apiUrl, token: TOKEN, base })

describe('repositoryPath', () => {
  it.each([
    ['prompts/intro.txt', 'prompts/intro.txt'],
    ['./prompts//intro.txt', 'prompts/intro.txt'],
    ['prompts/../media/frame.png', 'media/frame.png'],
    ['prompts\\intro.txt', 'prompts/intro.txt'],
  ])('%s → %s', (text, file) => {
    expect(repositoryPath('prompt-file', text)).toBe(file)
  })

  it.each([
    ['/etc/passwd', /is an absolute path/],
    ['C:/secrets.txt', /is an absolute path/],
    ['../outside.txt', /leads out of the repository/],
    ['a/../../outside.txt', /leads out of the repository/],
    ['.git/config', /is under '\.git\/'/],
    ['sub/.GIT/config', /is under '\.git\/'/],
    ['.', /names no file/],
  ])('refuses %s, naming the input', (text, why) => {
    const error = (() => {
      try {
        return repositoryPath('prompt-file', text)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toMatch(/^Input 'prompt-file' /)
    expect((error as InputError).message).toMatch(why)
  })
})

describe('baseFiles', () => {
  it('reads the bytes at the base sha with the raw Accept and the token, and asks for nothing refused', async () => {
    const source = files()
    const asked = github.requests.length
    const { bytes, size } = await source.read('prompt-file', 'prompts/intro.txt', missing)
    expect(bytes.toString()).toBe('A kite.')
    expect(size).toBe(7)
    // A prompts file in JSON is a file, not one of GitHub's own entries.
    const json = await source.read('prompts-file', 'prompts.json', missing)
    expect(JSON.parse(json.bytes.toString())).toEqual([{ name: 'a', prompt: 'b' }])
    await expect(source.read('prompt-file', '../x', missing)).rejects.toThrow(/leads out of the repository/)
    const sent = github.requests.slice(asked)
    expect(sent.map((r) => r.path)).toEqual([
      `/repos/octo-org/films/contents/prompts/intro.txt?ref=${SHA}`,
      `/repos/octo-org/films/contents/prompts.json?ref=${SHA}`,
    ])
    for (const request of sent) {
      expect(request.headers.accept).toBe('application/vnd.github.raw')
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    }
    expect(source.requests()).toBe(2)
  })

  it('a missing file is the caller\'s "does not exist"; a folder "is not a file"', async () => {
    const why: string[] = []
    const record = (text: string) => {
      why.push(text)
      return new InputError('image', text)
    }
    await expect(files().read('image', 'nope.png', record)).rejects.toBeInstanceOf(InputError)
    await expect(files().read('image', 'media', record)).rejects.toBeInstanceOf(InputError)
    expect(why).toEqual(['does not exist', 'is not a file'])
  })

  it('a refusal or a failure is a BaseFilesError that says which; a token is never in it', async () => {
    for (const [mode, status, says] of [
      ['forbidden', 403, /HTTP 403, the 'github-token' may not read the repository's contents/],
      ['server-error', 502, /HTTP 502/],
    ] as const) {
      contents.mode = mode
      const error = (await files()
        .read('prompt-file', 'prompts/intro.txt', missing)
        .catch((e: unknown) => e)) as BaseFilesError
      contents.mode = 'ok'
      expect(error).toBeInstanceOf(BaseFilesError)
      expect(error.httpStatus).toBe(status)
      expect(error.message).toMatch(says)
      expect(error.message).not.toContain(TOKEN)
    }
  })

  it('a body past the cap is refused without reading on', async () => {
    contents.mode = 'endless'
    const error = await files()
      .read('prompts-file', 'prompts.yml', missing)
      .catch((e: unknown) => e)
    contents.mode = 'ok'
    expect(error).toBeInstanceOf(BaseFilesError)
    expect((error as Error).message).toMatch(/larger than 1\.0 MiB, the most read for 'prompts-file'/)
  })

  it('an answer that does not come in time ends the read', async () => {
    const { createServer } = await import('node:http')
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as { port: number }
    try {
      const source = baseFiles({ apiUrl: `http://127.0.0.1:${port}`, token: TOKEN, base, timeoutMs: 200 })
      const error = await source.read('prompt-file', 'a.txt', missing).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(BaseFilesError)
      expect((error as Error).message).toMatch(/no whole answer within 0\.2 s/)
    } finally {
      silent.closeAllConnections()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})

describe('baseCommitFromEvent', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'base-event-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  const from = async (payload: unknown, env: NodeJS.ProcessEnv = {}) => {
    const file = path.join(dir, 'event.json')
    await writeFile(file, JSON.stringify(payload))
    return baseCommitFromEvent({ GITHUB_EVENT_PATH: file, ...env })
  }

  it('takes pull_request.base.sha and .ref and repository.full_name', async () => {
    expect(
      await from({ pull_request: { base: { sha: SHA, ref: 'main' } }, repository: { full_name: 'octo-org/films' } }),
    ).toEqual(base)
  })

  it.each([
    ['no base', { repository: { full_name: 'o/r' } }],
    ['a sha that is not one', { pull_request: { base: { sha: 'main' } }, repository: { full_name: 'o/r' } }],
    [
      'a repository name with a path in it',
      { pull_request: { base: { sha: SHA } }, repository: { full_name: 'o/r/../x' } },
    ],
  ])('%s: none', async (_why, payload) => {
    expect(await from(payload)).toBeUndefined()
  })
})

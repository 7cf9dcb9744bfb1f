import { copyFile, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  AttachmentStore,
  attachmentHost,
  attachmentKey,
  repositoryIdOf,
  uploadsOrigin,
  type AttachmentRecords,
} from '../src/attachments.js'
import { attachmentStore, type AttachmentStoreFake } from './fakes/github-attachments.ts'
import { startGitHubApi, type GitHubApiFake } from './fakes/github-rest.ts'

const TOKEN = 'github_pat_11UNIT0123456789_abcdefghijklmnopqrstuvwxyz'
const FIXTURES = path.join(import.meta.dirname, 'fixtures')
let dir: string
let video: string
let image: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'attachments-'))
  video = path.join(dir, 'clip.mp4')
  image = path.join(dir, 'frame.png')
  await copyFile(path.join(FIXTURES, 'tiny.mp4'), video)
  await copyFile(path.join(FIXTURES, 'frame.png'), image)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('uploadsOrigin', () => {
  it.each([
    ['https://api.github.com', 'https://uploads.github.com'],
    ['https://api.octo-corp.ghe.com', 'https://uploads.octo-corp.ghe.com'],
    ['http://127.0.0.1:8123', 'http://127.0.0.1:8123'],
    ['https://github.example.com/api/v3', undefined],
    ['http://api.github.com', undefined],
    ['not a url', undefined],
  ])('%s → %s', (api, origin) => {
    expect(uploadsOrigin(api)).toBe(origin)
  })
})

describe('attachmentHost', () => {
  it.each([
    ['https://api.github.com', 'github.com'],
    ['https://api.Octo-Corp.ghe.com', 'octo-corp.ghe.com'],
    ['http://127.0.0.1:8123', 'github.com'],
    ['https://github.example.com/api/v3', undefined],
    ['http://api.github.com', undefined],
  ])('%s → %s', (api, host) => {
    expect(attachmentHost(api)).toBe(host)
  })
})

describe('repositoryIdOf', () => {
  it('takes GITHUB_REPOSITORY_ID, else the payload’s repository.id, else nothing', async () => {
    const event = path.join(dir, 'event.json')
    await writeFile(event, JSON.stringify({ repository: { id: 4242 } }))
    expect(repositoryIdOf({ GITHUB_REPOSITORY_ID: '17', GITHUB_EVENT_PATH: event })).toBe('17')
    expect(repositoryIdOf({ GITHUB_EVENT_PATH: event })).toBe('4242')
    await writeFile(event, JSON.stringify({ repository: { id: '4242; rm' } }))
    expect(repositoryIdOf({ GITHUB_REPOSITORY_ID: '1 2', GITHUB_EVENT_PATH: event })).toBeUndefined()
  })
})

describe('AttachmentStore against the fake store', () => {
  let api: GitHubApiFake | undefined
  let store: AttachmentStoreFake
  afterEach(async () => {
    await api?.close()
    api = undefined
  })
  const open = async (
    options: Partial<Parameters<typeof attachmentStore>[0]> = {},
    more: {
      token?: string
      records?: AttachmentRecords
      env?: NodeJS.ProcessEnv
      timeoutMs?: number
      secrets?: string[]
    } = {},
  ) => {
    store = attachmentStore({ token: TOKEN, ...options })
    api = await startGitHubApi({ attachments: store })
    const said: { info: string[]; warning: string[] } = { info: [], warning: [] }
    const client = new AttachmentStore({
      token: more.token ?? TOKEN,
      log: { info: (m) => said.info.push(m), warning: (m) => said.warning.push(m) },
      env: { GITHUB_API_URL: api.apiUrl, GITHUB_REPOSITORY_ID: '99', GITHUB_REPOSITORY: 'octo-org/films', ...more.env },
      records: more.records,
      timeoutMs: more.timeoutMs,
      secrets: more.secrets,
    })
    return { client, said }
  }

  it('uploads a video and an image with their types, and the answered URL comes back', async () => {
    const { client, said } = await open()
    const videoUrl = await client.upload({ path: video, contentType: 'video/mp4' })
    const imageUrl = await client.upload({ path: image, contentType: 'image/png' })
    expect(store.uploads.map((u) => [u.name, u.contentType, u.repositoryId])).toEqual([
      ['clip.mp4', 'video/mp4', '99'],
      ['frame.png', 'image/png', '99'],
    ])
    expect([videoUrl, imageUrl]).toEqual(store.uploads.map((u) => u.url))
    expect(said.warning).toEqual([])
  })

  it('a video over 100 MB is skipped with a warning, and nothing is sent', async () => {
    const big = path.join(dir, 'big.mp4')
    await copyFile(video, big)
    await truncate(big, 100 * 1024 * 1024 + 1)
    const { client, said } = await open()
    expect(await client.upload({ path: big, contentType: 'video/mp4' })).toBeUndefined()
    expect(store.requests).toEqual([])
    expect(said.warning).toEqual([expect.stringMatching(/^Not uploading big\.mp4 .*104857601 bytes, over the 100 MB/)])
    // The next file still goes up: a file too large says nothing of the token.
    expect(await client.upload({ path: image, contentType: 'image/png' })).toBeDefined()
  })

  it('an image over 10 MB is skipped with a warning, and nothing is sent', async () => {
    const big = path.join(dir, 'big.png')
    await copyFile(image, big)
    await truncate(big, 10 * 1024 * 1024 + 1)
    const { client, said } = await open()
    expect(await client.upload({ path: big, contentType: 'image/png' })).toBeUndefined()
    expect(store.requests).toEqual([])
    expect(said.warning).toHaveLength(1)
  })

  it.each([
    { why: 'an installation token', more: { token: 'ghs_abc0123456789' }, says: /installation token/ },
    {
      why: 'GitHub Enterprise Server',
      more: { env: { GITHUB_API_URL: 'https://ghe.example.com/api/v3' } },
      says: /Enterprise Server/,
    },
  ])('$why: one warning for the run, however many files, and no request', async ({ more, says }) => {
    const { client, said } = await open({}, more)
    expect(await client.upload({ path: video, contentType: 'video/mp4' })).toBeUndefined()
    expect(await client.upload({ path: image, contentType: 'image/png' })).toBeUndefined()
    expect(store.requests).toEqual([])
    expect(said.warning).toEqual([expect.stringMatching(says)])
  })

  it.each([
    { why: '401 (another token)', options: { token: 'github_pat_other' }, says: /HTTP 401.*wrong, expired or revoked/ },
    { why: '404 (no write access)', options: { readOnly: true }, says: /cannot write to octo-org\/films \(HTTP 404/ },
  ])('$why stops uploads for the run: one request, one warning', async ({ options, says }) => {
    const { client, said } = await open(options)
    expect(await client.upload({ path: video, contentType: 'video/mp4' })).toBeUndefined()
    expect(await client.upload({ path: image, contentType: 'image/png' })).toBeUndefined()
    expect(store.requests).toHaveLength(1)
    expect(said.warning).toEqual([expect.stringMatching(says)])
  })

  it("a name whose extension disagrees with the type is refused (422), and the store's message is quoted as code", async () => {
    const { client, said } = await open()
    expect(await client.upload({ path: image, contentType: 'image/gif' })).toBeUndefined()
    expect(said.warning).toEqual([
      expect.stringContaining('`content_type image/gif does not match the file name frame.png`'),
    ])
  })

  it.each(['http://github.com/user-attachments/assets/1', 'https://user:pass@github.com/a', 'javascript:alert(1)'])(
    'an answered URL that is not a plain https link (%s) is not used',
    async (answerUrl) => {
      const { client, said } = await open({ answerUrl })
      expect(await client.upload({ path: video, contentType: 'video/mp4' })).toBeUndefined()
      expect(said.warning).toEqual([expect.stringContaining('its answer holds no https URL')])
    },
  )

  it.each(['https://GITHUB.COM/user-attachments/assets/1', 'https://github.com/user-attachments/assets/a/../1'])(
    'an answered https URL that parsing would rewrite (%s) is not used, and the warning says so',
    async (answerUrl) => {
      const { client, said } = await open({ answerUrl })
      expect(await client.upload({ path: video, contentType: 'video/mp4' })).toBeUndefined()
      expect(said.warning).toEqual([
        expect.stringContaining("its answer's URL is not written as a plain link (its parsed form differs)"),
      ])
      expect(said.warning[0]).not.toContain('holds no https URL')
    },
  )

  it('an upload that gets no answer is called off at its time limit, and the next file still goes up', async () => {
    const { client, said } = await open({ faults: [{ hang: true }] }, { timeoutMs: 200 })
    const started = Date.now()
    expect(await client.upload({ path: video, contentType: 'video/mp4' })).toBeUndefined()
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(said.warning).toEqual([expect.stringMatching(/^Could not upload clip\.mp4 .*: no answer within /)])
    expect(await client.upload({ path: image, contentType: 'image/png' })).toBe(store.uploads[0]?.url)
  })

  it('a URL kept by an earlier run is used without an upload only when it is an https link', async () => {
    const kept = new Map<string, { url?: unknown }>()
    const records: AttachmentRecords = {
      restore: (key) => Promise.resolve(kept.get(key)),
      save: (key, record) => Promise.resolve(kept.set(key, record)),
    }
    const { client } = await open({}, { records })
    const first = await client.upload({ path: video, contentType: 'video/mp4' })
    expect(store.requests).toHaveLength(1)
    const [key] = [...kept.keys()]
    expect(key).toBe(attachmentKey(store.uploads[0]?.sha256 ?? '', '99'))
    // Another run (a new client) finds it.
    const again = await open({}, { records })
    expect(await again.client.upload({ path: video, contentType: 'video/mp4' })).toBe(first)
    expect(store.requests).toHaveLength(0)
    // A record that is not an https link (anyone's run may write the cache) is not shown: the file goes up again.
    kept.set(key, { url: 'javascript:alert(1)' })
    const third = await open({}, { records })
    const url = await third.client.upload({ path: video, contentType: 'video/mp4' })
    expect(store.requests).toHaveLength(1)
    expect(url).toBe(store.uploads[0]?.url)
  })

  it.each([
    { why: 'carries the token', url: `https://github.com/user-attachments/assets/${TOKEN}`, says: /carries a secret/ },
    {
      why: 'carries another secret of the run, percent-encoded',
      url: `https://github.com/user-attachments/assets/a?k=${encodeURIComponent('key/with+odd=chars')}`,
      says: /carries a secret/,
    },
    { why: 'is on another host', url: 'https://evil.example.com/user-attachments/assets/1', says: /not one of GitHub/ },
    { why: 'is elsewhere on github.com', url: 'https://github.com/evil/x/raw/a.mp4', says: /not one of GitHub/ },
  ])('a kept URL that $why is not used: a warning without it, and the file goes up again', async ({ url, says }) => {
    const kept = new Map<string, { url?: unknown }>()
    const records: AttachmentRecords = {
      restore: (key) => Promise.resolve(kept.get(key)),
      save: (key, record) => Promise.resolve(kept.set(key, record)),
    }
    const first = await open({}, { records })
    await first.client.upload({ path: video, contentType: 'video/mp4' })
    const [key] = [...kept.keys()]
    kept.set(key, { url })
    const again = await open({}, { records, secrets: [TOKEN, 'key/with+odd=chars'] })
    const got = await again.client.upload({ path: video, contentType: 'video/mp4' })
    expect(got).toBe(store.uploads[0]?.url)
    expect(store.requests).toHaveLength(1)
    expect(again.said.warning).toEqual([expect.stringMatching(says)])
    expect(again.said.warning.join('') + again.said.info.join('')).not.toContain(url)
  })

  it('a tenant on ghe.com: a kept URL on its own host is used', async () => {
    const kept = new Map<string, { url?: unknown }>()
    const records: AttachmentRecords = {
      restore: (key) => Promise.resolve(kept.get(key)),
      save: (key, record) => Promise.resolve(kept.set(key, record)),
    }
    const first = await open({}, { records })
    await first.client.upload({ path: video, contentType: 'video/mp4' })
    const [key] = [...kept.keys()]
    const tenant = new AttachmentStore({
      token: TOKEN,
      log: { info: () => undefined, warning: () => undefined },
      env: { GITHUB_API_URL: 'https://api.octo-corp.ghe.com', GITHUB_REPOSITORY_ID: '99' },
      records,
    })
    kept.set(key, { url: 'https://octo-corp.ghe.com/user-attachments/assets/1' })
    expect(await tenant.upload({ path: video, contentType: 'video/mp4' })).toBe(
      'https://octo-corp.ghe.com/user-attachments/assets/1',
    )
  })
})

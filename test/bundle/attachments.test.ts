/**
 * The video inside the pull request comment (`attachment-token`) through the real bundle: uploads to the fake of
 * GitHub's attachment store, the players and images in the comment, the outputs, the reuse of an upload by its
 * bytes, every refusal a warning with today's comment as the fallback; `preview: auto` fetching the pinned ffmpeg
 * when the preview has somewhere to be shown; and a fork's pull request with no key refused before any request.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FFMPEG_WASM } from '../../src/ffmpeg.js'
import { type Scenario } from '../emulator/server.ts'
import { attachmentStore, type AttachmentFault, type AttachmentStoreFake } from '../fakes/github-attachments.ts'
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-rest.ts'
import { startNpmRegistry } from '../fakes/npm-registry.ts'
import { startResultsService } from '../fakes/results-service.ts'
import { FFMPEG_TESTS, recordingFfmpeg, tarballFromNpmCache, toolsOnlyPath } from '../harness/ffmpeg.ts'
import { expectNoSecretShown } from '../harness/leaks.ts'
import { makeRunnerDirs, type BundleRun } from '../harness/runner.ts'
import {
  GH_TOKEN,
  PR,
  annotations,
  clips,
  entriesOf,
  finishing,
  runAction,
  type ActionRun,
  type RunOptions,
} from './action-run.ts'

/** A fine-grained personal access token's shape; the store's own, which the REST fake does not accept. */
const ATTACH_TOKEN = 'github_pat_11ATTACH0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGH'
const REPOSITORY_ID = '987654321'
const STORE_URL = /^https:\/\/github\.com\/user-attachments\/assets\/[0-9a-f-]{36}$/
const quick: Scenario = { name: 'quick', poll: [finishing(1)] }
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

interface Fakes {
  api: GitHubApiFake
  store: AttachmentStoreFake
}

describe.runIf(FFMPEG_TESTS)('attachment-token through the bundle', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  let fakes: Fakes | undefined
  afterEach(async () => {
    const running = fakes
    fakes = undefined
    try {
      // The comment requests carry the GitHub token only, and no body sent to GitHub holds the store's token.
      for (const request of running?.api.requests ?? []) {
        expect(request.headers.authorization).toMatch(new RegExp(`^(token|bearer) ${GH_TOKEN}$`, 'i'))
        expect(request.body).not.toContain(ATTACH_TOKEN)
        expect(request.path).not.toContain('user-attachments')
      }
      // The store's requests carry its token only.
      for (const request of running?.store.requests ?? []) expect(request.token).toBe(ATTACH_TOKEN)
    } finally {
      await running?.api.close()
      await Promise.all(cleanup.splice(0).map((close) => close()))
    }
  })

  const start = async (options: Partial<Parameters<typeof attachmentStore>[0]> = {}): Promise<Fakes> => {
    const store = attachmentStore({ token: ATTACH_TOKEN, ...options })
    const api = await startGitHubApi({ token: GH_TOKEN, attachments: store })
    return (fakes = { api, store })
  }
  const withFfmpeg = async (): Promise<Record<string, string>> => {
    const spy = await recordingFfmpeg()
    cleanup.push(() => rm(spy.dir, { recursive: true, force: true }))
    return { PATH: `${spy.dir}${path.delimiter}${process.env.PATH ?? ''}` }
  }
  const commenting = (token = ATTACH_TOKEN): Record<string, string> => ({
    'comment-on-pr': 'true',
    'github-token': GH_TOKEN,
    'attachment-token': token,
  })
  /** A pull request run with ffmpeg on PATH and the repository's id, as a runner sets it. */
  const run = async (f: Fakes, options: Partial<RunOptions> = {}): Promise<ActionRun> => {
    const done = await runAction({
      scenario: quick,
      github: { api: f.api, event: 'pull_request' },
      ...options,
      inputs: { ...commenting(), ...options.inputs },
      env: { GITHUB_REPOSITORY_ID: REPOSITORY_ID, ...(await withFfmpeg()), ...options.env },
    })
    await expectNoSecretShown(done, [ATTACH_TOKEN])
    // The provider and the video host never see it either.
    for (const request of done.requests)
      expect(JSON.stringify(request.headers) + request.body).not.toContain(ATTACH_TOKEN)
    const comment = f.api.comments(PR)[0]?.body ?? ''
    expect(comment, 'the comment').not.toContain(ATTACH_TOKEN)
    return done
  }
  const commentOf = (f: Fakes): string => f.api.comments(PR)[0]?.body ?? ''
  const lines = (text: string): string[] => text.split('\n')
  const warnings = (done: BundleRun): string[] => annotations(done, 'warning')

  it('a single run: the MP4 and its GIF uploaded with the attachment token; the player alone on its line, the GIF from the store', async () => {
    const f = await start()
    const done = await run(f)
    expect(done.exitCode).toBe(0)
    expect(warnings(done)).toEqual([])
    const [video, gif] = f.store.uploads
    expect(f.store.uploads).toHaveLength(2)
    expect(video).toMatchObject({
      name: path.basename(done.outputs['video-path']),
      contentType: 'video/mp4',
      repositoryId: REPOSITORY_ID,
      sha256: done.outputs['video-sha256'],
      token: ATTACH_TOKEN,
    })
    expect(gif).toMatchObject({
      name: path.basename(done.outputs['preview-path']),
      contentType: 'image/gif',
      sha256: sha256(await readFile(done.outputs['preview-path'])),
    })
    expect(done.outputs['video-attachment-url']).toMatch(STORE_URL)
    expect(done.outputs['video-attachment-url']).toBe(video?.url)
    const comment = lines(commentOf(f))
    expect(comment).toContain(video?.url)
    expect(comment.some((line) => line.includes(`![Preview of the video](${gif?.url})`))).toBe(true)
    // The artifact link stays in the table.
    expect(commentOf(f)).toContain(`](${done.outputs['artifact-url']})`)
    const metadata = JSON.parse(await readFile(done.outputs['metadata-path'], 'utf8')) as {
      video: { attachmentUrl: string }
    }
    expect(metadata.video.attachmentUrl).toBe(video?.url)
  })

  it("a batch: each job's player under the table with its name above it, and each entry of results carries its URL", async () => {
    const f = await start()
    const jobs = clips(2)
    const done = await run(f, { jobs })
    expect(done.exitCode).toBe(0)
    expect(warnings(done)).toEqual([])
    const entries = entriesOf(done)
    // Both jobs got the emulator's one MP4: uploaded once, shared by both.
    const videos = f.store.uploads.filter((u) => u.contentType === 'video/mp4')
    expect(videos).toHaveLength(1)
    for (const entry of entries) expect(entry['video-attachment-url']).toBe(videos[0]?.url)
    const comment = lines(commentOf(f))
    const table = comment.findLastIndex((line) => line.startsWith('| '))
    for (const job of jobs) {
      const at = comment.indexOf(`**\` ${job.name} \`**`)
      expect(at, job.name).toBeGreaterThan(table)
      expect(comment[at + 2], job.name).toBe(videos[0]?.url)
    }
    // The grid's images come from the store.
    const gifs = f.store.uploads.filter((u) => u.contentType === 'image/gif')
    expect(gifs.length).toBeGreaterThan(0)
    for (const g of gifs) expect(commentOf(f)).toContain(`<img src="${g.url}"`)
  })

  it('the same video on a later push: the URL kept in the cache is used, and nothing is uploaded again', async () => {
    const f = await start()
    // One cache service for both runs, as one repository's runs share theirs.
    const results = await startResultsService()
    cleanup.push(() => results.close())
    const first = await run(f, { env: results.env })
    expect(first.exitCode).toBe(0)
    const uploaded = f.store.requests.length
    expect(uploaded).toBe(2)
    const second = await run(f, { env: results.env })
    expect(second.exitCode).toBe(0)
    expect(f.store.requests).toHaveLength(uploaded)
    expect(second.outputs['video-attachment-url']).toBe(first.outputs['video-attachment-url'])
    expect(lines(commentOf(f))).toContain(first.outputs['video-attachment-url'])
    expect(second.stdout).toMatch(/is in GitHub's attachment store already \(the same bytes\)/)
  })

  it("an installation token (ghs_): one warning, no upload request, today's comment, exit 0", async () => {
    const f = await start()
    const done = await run(f, { inputs: commenting('ghs_installationToken0123456789abcdef') })
    expect(done.exitCode).toBe(0)
    expect(f.store.requests).toEqual([])
    expect(warnings(done)).toHaveLength(1)
    expect(warnings(done)[0]).toMatch(/installation token \(ghs_….*fine-grained personal access token/)
    expect(commentOf(f)).not.toContain('user-attachments')
    expect(commentOf(f)).toContain(`](${done.outputs['artifact-url']})`)
    expect(done.outputs['video-attachment-url']).toBe('')
  })

  const fallbacks: {
    why: string
    store: { readOnly?: boolean; videoCapBytes?: number; faults?: AttachmentFault[] }
    says: RegExp
    /** Requests to the store: the token-level refusals stop at the first. */
    requests: number
    /** The GIF still goes up when only the MP4 failed. */
    gif: boolean
  }[] = [
    {
      why: 'a token without write access (404): one warning, no more uploads',
      store: { readOnly: true },
      says: /'attachment-token' cannot write to octo-org\/films \(HTTP 404 `Not Found`\).*No more uploads this run/,
      requests: 1,
      gif: false,
    },
    {
      why: "a video over the plan's cap (422)",
      store: { videoCapBytes: 1000 },
      says: /refused, likely over this plan's limit \(10 MB on free plans\): `File size too large/,
      requests: 2,
      gif: true,
    },
    {
      why: 'a 5xx',
      store: { faults: [{ status: 502 }] },
      says: /HTTP 502 `Server Error`/,
      requests: 2,
      gif: true,
    },
    {
      why: 'a reset socket',
      store: { faults: [{ reset: true }] },
      says: /Could not upload .*\.mp4 to GitHub's attachment store: \S/,
      requests: 2,
      gif: true,
    },
    {
      why: 'an answer that never ends',
      store: { faults: [{ endless: true }] },
      says: /its answer ran past 64 KiB and was cut off/,
      requests: 2,
      gif: true,
    },
    {
      why: 'a refusal that quotes the token back: scrubbed',
      store: { faults: [{ status: 422, echoToken: true }] },
      says: /refused, likely over this plan's limit .*: `Token \*\*\* may not upload this file`/,
      requests: 2,
      gif: true,
    },
    {
      why: 'a 429 on each of three sends (three in all, then given up)',
      store: {
        faults: [
          { status: 429, retryAfter: '0' },
          { status: 429, retryAfter: '0' },
          { status: 429, retryAfter: '0' },
        ],
      },
      says: /HTTP 429 `API rate limit exceeded`/,
      requests: 4,
      gif: true,
    },
    {
      why: 'a 429 asking for an hour',
      store: { faults: [{ status: 429, retryAfter: '3600' }] },
      says: /rate limited \(HTTP 429\), and asked to wait/,
      requests: 2,
      gif: true,
    },
  ]
  it.each(fallbacks)('$why: a warning, the comment falls back to the artifact link, exit 0', async (row) => {
    const f = await start(row.store)
    const done = await run(f)
    expect(done.exitCode).toBe(0)
    expect(warnings(done)).toHaveLength(1)
    expect(warnings(done)[0]).toMatch(row.says)
    expect(f.store.requests).toHaveLength(row.requests)
    expect(done.outputs['video-attachment-url']).toBe('')
    const comment = commentOf(f)
    expect(comment).toContain(`](${done.outputs['artifact-url']})`)
    expect(f.store.uploads.filter((u) => u.contentType === 'video/mp4')).toEqual([])
    const gif = f.store.uploads.find((u) => u.contentType === 'image/gif')
    expect(gif !== undefined).toBe(row.gif)
    if (gif) expect(comment).toContain(`](${gif.url})`)
  })

  // The store's answer is outside data: its URL goes into the comment, an output and the metadata JSON.
  it.each([
    { why: "carries 'attachment-token'", answerUrl: `https://github.com/user-attachments/assets/${ATTACH_TOKEN}` },
    {
      why: "carries 'github-token' in its query",
      answerUrl: `https://github.com/user-attachments/assets/x?t=${encodeURIComponent(GH_TOKEN)}`,
    },
    {
      why: "carries 'attachment-token' percent-encoded, a bad escape after it",
      answerUrl: `https://github.com/user-attachments/assets/${encodeURIComponent(ATTACH_TOKEN).replace(/_/g, '%5F')}?x=%ZZ`,
    },
    {
      why: "carries 'github-token' double-encoded, a truncated escape at the end",
      answerUrl: `https://github.com/user-attachments/assets/x?t=${encodeURIComponent(encodeURIComponent(GH_TOKEN).replace(/_/g, '%5f'))}&z=%E0`,
    },
    { why: 'is on another host', answerUrl: 'https://evil.example.com/collect?x=1' },
    { why: "is on github.com outside the store's path", answerUrl: 'https://github.com/evil/repo/raw/main/a.mp4' },
  ])('an answered URL that $why: refused with a warning, shown nowhere, exit 0', async ({ answerUrl }) => {
    const f = await start({ answerUrl })
    const done = await run(f)
    expect(done.exitCode).toBe(0)
    await expectNoSecretShown(done, [GH_TOKEN, answerUrl])
    expect(warnings(done)).toHaveLength(2)
    for (const warning of warnings(done))
      expect(warning).toMatch(
        /Could not upload .* to GitHub's attachment store: its answer's URL (carries a secret of this run|is not one of GitHub's attachment URLs)/,
      )
    expect(done.outputs['video-attachment-url']).toBe('')
    expect(commentOf(f)).not.toContain(answerUrl)
    expect(commentOf(f)).not.toContain(new URL(answerUrl).pathname)
    expect(commentOf(f)).toContain(`](${done.outputs['artifact-url']})`)
    const metadata = JSON.parse(await readFile(done.outputs['metadata-path'], 'utf8')) as { video: object }
    expect(metadata.video).toMatchObject({ attachmentUrl: null })
  })

  it.each([
    { header: 'Retry-After: 0', retryAfter: '0' },
    { header: 'no Retry-After', retryAfter: undefined },
  ])('a 429 with $header, then success: waited, sent again, and the player is shown', async ({ retryAfter }) => {
    const f = await start({ faults: [{ status: 429, retryAfter }] })
    const done = await run(f)
    expect(done.exitCode).toBe(0)
    expect(warnings(done)).toEqual([])
    expect(f.store.requests.map((r) => r.status)).toEqual([429, 201, 201])
    expect(lines(commentOf(f))).toContain(done.outputs['video-attachment-url'])
  })

  // What attachment-token meets: each row says whether anything is uploaded.
  const meets: { why: string; options: Partial<RunOptions>; uploads: number; check?: (done: BundleRun) => void }[] = [
    { why: 'comment-on-pr off: nothing uploaded', options: { inputs: { 'comment-on-pr': 'false' } }, uploads: 0 },
    {
      why: 'not a pull request event: nothing uploaded',
      options: { github: undefined },
      uploads: 0,
      check: (done) => expect(done.stdout).toMatch(/this run is not for a pull request/),
    },
    {
      why: 'upload-artifact false: the player stands in for the artifact link',
      options: { inputs: { 'upload-artifact': 'false' } },
      uploads: 2,
      check: (done) => expect(done.outputs['artifact-url']).toBe(''),
    },
    {
      why: 'preview: false: the MP4 alone',
      options: { inputs: { preview: 'false' } },
      uploads: 1,
    },
  ]
  it.each(meets)('attachment-token with $why', async ({ options, uploads, check }) => {
    const f = await start()
    const done = await run(f, options)
    expect(done.exitCode).toBe(0)
    expect(warnings(done)).toEqual([])
    expect(f.store.uploads).toHaveLength(uploads)
    expect(done.outputs['video-attachment-url']).toBe(uploads > 0 ? f.store.uploads[0]?.url : '')
    if (uploads > 0) expect(lines(commentOf(f))).toContain(done.outputs['video-attachment-url'])
    check?.(done)
  })

  it('attachment-token with preview-branch: the published GIF is shown, only the MP4 is uploaded', async () => {
    const f = await start()
    const done = await run(f, { inputs: { 'preview-branch': 'grok-video-previews' } })
    expect(done.exitCode).toBe(0)
    expect(warnings(done)).toEqual([])
    expect(f.store.uploads.map((u) => u.contentType)).toEqual(['video/mp4'])
    expect(done.outputs['preview-url']).toMatch(/grok-video-previews/)
    expect(commentOf(f)).toContain(done.outputs['preview-url'].split('?')[0])
    expect(lines(commentOf(f))).toContain(done.outputs['video-attachment-url'])
  })

  it("'preview: auto' with attachment-token and no ffmpeg on PATH: the pinned ffmpeg is fetched, and its GIF uploaded", async () => {
    const f = await start()
    const tarball = await tarballFromNpmCache(FFMPEG_WASM.integrity)
    const registry = await startNpmRegistry({ name: FFMPEG_WASM.name, version: FFMPEG_WASM.version, tarball })
    cleanup.push(() => registry.close())
    const dirs = await makeRunnerDirs('grok-attach-fetch-')
    cleanup.push(() => rm(dirs.root, { recursive: true, force: true }))
    const done = await run(f, {
      env: {
        PATH: await toolsOnlyPath(),
        npm_config_registry: registry.url,
        npm_config_cache: path.join(dirs.root, 'npm-cache'),
        RUNNER_TOOL_CACHE: path.join(dirs.root, 'tool-cache'),
      },
    })
    expect(done.exitCode).toBe(0)
    expect(warnings(done)).toEqual([])
    expect(done.stdout).toContain(`Fetched ${FFMPEG_WASM.name}@${FFMPEG_WASM.version} (SHA-512 verified)`)
    expect(f.store.uploads.map((u) => u.contentType)).toEqual(['video/mp4', 'image/gif'])
  })

  it.each<{ why: string; event?: string; options?: Partial<RunOptions> }>([
    { why: 'a push event (no pull request to show it in)', event: 'push' },
    {
      why: 'an installation token (ghs_), whose uploads are refused',
      options: { inputs: commenting('ghs_installationToken0123456789abcdef') },
    },
    { why: "no 'github-token' (no comment)", options: { inputs: { 'github-token': '' } } },
  ])("'preview: auto' with attachment-token on $why: no ffmpeg is fetched", async ({ event, options }) => {
    const f = await start()
    const tarball = await tarballFromNpmCache(FFMPEG_WASM.integrity)
    const registry = await startNpmRegistry({ name: FFMPEG_WASM.name, version: FFMPEG_WASM.version, tarball })
    cleanup.push(() => registry.close())
    const dirs = await makeRunnerDirs('grok-attach-nofetch-')
    cleanup.push(() => rm(dirs.root, { recursive: true, force: true }))
    const done = await run(f, {
      ...options,
      ...(event ? { github: { api: f.api, event } } : {}),
      env: {
        PATH: await toolsOnlyPath(),
        npm_config_registry: registry.url,
        npm_config_cache: path.join(dirs.root, 'npm-cache'),
        RUNNER_TOOL_CACHE: path.join(dirs.root, 'tool-cache'),
      },
    })
    expect(done.exitCode).toBe(0)
    expect(done.outputs.status).toBe('done')
    expect(registry.requests).toEqual([])
    expect(done.stdout).not.toContain('Fetched ')
    expect(f.store.uploads.filter((u) => u.contentType !== 'video/mp4')).toEqual([])
  })

  it("'preview: auto' with preview-branch and no ffmpeg on PATH: the pinned ffmpeg is fetched", async () => {
    const f = await start()
    const tarball = await tarballFromNpmCache(FFMPEG_WASM.integrity)
    const registry = await startNpmRegistry({ name: FFMPEG_WASM.name, version: FFMPEG_WASM.version, tarball })
    cleanup.push(() => registry.close())
    const dirs = await makeRunnerDirs('grok-attach-fetch-')
    cleanup.push(() => rm(dirs.root, { recursive: true, force: true }))
    const done = await run(f, {
      inputs: { 'attachment-token': '', 'preview-branch': 'grok-video-previews' },
      env: {
        PATH: await toolsOnlyPath(),
        npm_config_registry: registry.url,
        npm_config_cache: path.join(dirs.root, 'npm-cache'),
        RUNNER_TOOL_CACHE: path.join(dirs.root, 'tool-cache'),
      },
    })
    expect(done.exitCode).toBe(0)
    expect(done.stdout).toContain(`Fetched ${FFMPEG_WASM.name}@${FFMPEG_WASM.version} (SHA-512 verified)`)
    expect(done.outputs['preview-url']).toMatch(/grok-video-previews/)
    expect(registry.requests.length).toBeGreaterThan(0)
  })
})

describe('a pull request from a fork with no api-key', () => {
  const forkEvent = async (pullRequest: object): Promise<{ path: string; dir: string }> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'grok-fork-event-'))
    const file = path.join(dir, 'event.json')
    await writeFile(
      file,
      JSON.stringify({
        pull_request: { number: PR.number, ...pullRequest },
        repository: { id: 1, name: PR.repo, full_name: `${PR.owner}/${PR.repo}`, owner: { login: PR.owner } },
      }),
    )
    return { path: file, dir }
  }
  it.each([
    { why: 'another repository', head: { repo: { full_name: 'someone/films', fork: true } }, event: 'pull_request' },
    { why: 'fork: true alone', head: { repo: { fork: true } }, event: 'pull_request' },
    { why: 'a deleted fork (head.repo: null)', head: { repo: null }, event: 'pull_request' },
    {
      why: 'a review on a pull request from a fork',
      head: { repo: { full_name: 'someone/films', fork: true } },
      event: 'pull_request_review',
    },
    {
      why: 'a review comment on a pull request from a fork',
      head: { repo: { full_name: 'someone/films', fork: true } },
      event: 'pull_request_review_comment',
    },
  ])('$why: fails at once, nothing sent, and says why and what to do', async ({ head, event }) => {
    const api = await startGitHubApi({ token: GH_TOKEN })
    const payload = await forkEvent({ head })
    try {
      const done = await runAction({
        scenario: quick,
        inputs: { 'api-key': '', 'comment-on-pr': 'true', 'github-token': GH_TOKEN },
        github: { api, event },
        env: { GITHUB_EVENT_PATH: payload.path },
      })
      expect(done.exitCode).toBe(1)
      expect(done.requests).toEqual([])
      expect(api.requests).toEqual([])
      const [error] = annotations(done, 'error')
      expect(error).toMatch(/^::error::Input 'api-key' is empty: this run is for a pull request from a fork/)
      expect(error).toContain('GitHub does not pass secrets to workflows of pull requests from forks')
      expect(error).toContain('pull_request_target')
      expect(error).toContain("never check out and run the fork's code")
      expect(done.outputs.status ?? '').toBe('')
    } finally {
      await api.close()
      await rm(payload.dir, { recursive: true, force: true })
    }
  })

  it.each([
    { why: 'pull_request_target (it runs with secrets)', event: 'pull_request_target', head: 'someone/films' },
    { why: 'a pull request from a branch of this repository', event: 'pull_request', head: `${PR.owner}/${PR.repo}` },
  ])('$why: the usual missing-key message', async ({ event, head }) => {
    const api = await startGitHubApi({ token: GH_TOKEN })
    const payload = await forkEvent({ head: { repo: { full_name: head, fork: false } } })
    try {
      const done = await runAction({
        scenario: quick,
        inputs: { 'api-key': '' },
        github: { api, event },
        env: { GITHUB_EVENT_PATH: payload.path },
      })
      expect(done.exitCode).toBe(1)
      expect(done.requests).toEqual([])
      expect(annotations(done, 'error')[0]).toMatch(/^::error::Input 'api-key' is required/)
    } finally {
      await api.close()
      await rm(payload.dir, { recursive: true, force: true })
    }
  })
})

/**
 * `release-tag` through the bundle: the release found or created through the GitHub REST fake (github-releases.ts),
 * each file of a video attached under the MP4's hash, never overwritten, races with other jobs, failures, batches,
 * the cache and the dry run.
 */
import { createHash } from 'node:crypto'
import { readFile, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { xaiDone } from '../emulator/scenarios.ts'
import { loadFixtureVideo } from '../emulator/server.ts'
import { startGitHubApi, type GitHubApiFake, type GitHubApiOptions } from '../fakes/github-rest.ts'
import type { FakeRelease } from '../fakes/github-releases.ts'
import { listenOnLoopback } from '../fakes/loopback.ts'
import { readZip } from '../fakes/zip.ts'
import { bundleSession } from '../harness/bundle-session.ts'
import { FFMPEG_TESTS, recordingFfmpeg } from '../harness/ffmpeg.ts'
import type { BundleRun } from '../harness/runner.ts'

const KEY = 'sk-release-test-0a1b2c3d4e5f6789'
const GH_TOKEN = 'ghs_releaseTestToken0123456789abcdefABCD'
const [OWNER, REPO] = ['octo-org', 'films']
const TAG = 'videos-nightly'
const SHA = '3f786850e387550fdab836ed7e6dc881de23001b'
const session = bundleSession({ emulator: { apiKey: KEY }, results: true, secrets: [KEY, GH_TOKEN] })

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')
const FIXTURE = loadFixtureVideo()
const STEM = sha256(FIXTURE).slice(0, 16)

describe('release-tag through the bundle', () => {
  let api: GitHubApiFake | undefined
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    await api?.close()
    api = undefined
    await Promise.all(cleanup.splice(0).map((close) => close()))
  })
  const startApi = async (options: GitHubApiOptions = {}): Promise<GitHubApiFake> =>
    (api = await startGitHubApi({ token: GH_TOKEN, ...options }))
  let runId = 9100
  const run = async (fake: GitHubApiFake, inputs: Record<string, string> = {}, env: Record<string, string> = {}) => {
    session.emulator.setScenario('xai-done')
    return session.run({
      inputs: {
        'api-key': KEY,
        'base-url': session.emulator.xaiBaseUrl,
        'poll-interval-seconds': '0.05',
        prompt: 'A paper lantern rises over a harbour at dusk.',
        'github-token': GH_TOKEN,
        'release-tag': TAG,
        preview: 'false',
        ...inputs,
      },
      env: {
        GITHUB_API_URL: fake.apiUrl,
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_SHA: SHA,
        GITHUB_RUN_ID: String(runId++),
        GITHUB_WORKFLOW: 'Nightly videos',
        ...env,
      },
    })
  }
  const releaseOf = (fake: GitHubApiFake): FakeRelease | undefined =>
    fake.releases.list(OWNER, REPO).find((r) => r.tag_name === TAG)
  const assetNames = (fake: GitHubApiFake): string[] => (releaseOf(fake)?.assets ?? []).map((a) => a.name).sort()
  const uploads = (fake: GitHubApiFake) =>
    fake.requests.filter((r) => r.method === 'POST' && /\/releases\/\d+\/assets\?/.test(r.path))
  const errorLine = (r: BundleRun): string => r.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''

  it('a first run creates the release (not a draft, not latest, at GITHUB_SHA) and attaches the MP4 and its JSON, named by the hash', async () => {
    const fake = await startApi()
    const r = await run(fake)
    expect(r.exitCode).toBe(0)
    const release = releaseOf(fake)
    expect(release).toMatchObject({
      tag_name: TAG,
      name: TAG,
      target_commitish: SHA,
      draft: false,
      prerelease: false,
      make_latest: 'false',
    })
    expect(release?.body).toMatch(
      /grok-video-action of workflow `Nightly videos`, run .*\/octo-org\/films\/actions\/runs\/\d+/,
    )
    expect(assetNames(fake)).toEqual([`${STEM}.json`, `${STEM}.mp4`].sort())
    const mp4 = release?.assets.find((a) => a.name === `${STEM}.mp4`)
    expect(mp4?.bytes).toEqual(await readFile(r.outputs['video-path']))
    expect(mp4?.content_type).toBe('video/mp4')
    const json = release?.assets.find((a) => a.name === `${STEM}.json`)
    expect(json?.content_type).toBe('application/json')
    expect(json?.bytes).toEqual(await readFile(r.outputs['metadata-path']))
    expect(r.outputs['release-asset-url']).toBe(mp4?.browser_download_url)
    // The tag is percent-encoded in the lookup; the token went with every request.
    expect(fake.requests.map((q) => `${q.method} ${q.path.replace(/\?.*/, '')}`)).toEqual([
      `GET /repos/${OWNER}/${REPO}/releases/tags/${TAG}`,
      `POST /repos/${OWNER}/${REPO}/releases`,
      `GET /repos/${OWNER}/${REPO}/releases/${release?.id}/assets`,
      `POST /repos/${OWNER}/${REPO}/releases/${release?.id}/assets`,
      `POST /repos/${OWNER}/${REPO}/releases/${release?.id}/assets`,
    ])
    expect(r.summary).toContain(`| Release asset | \` ${TAG} \` |`)
    expect(r.stdout).toContain(`Release '${TAG}': 2 file(s) attached.`)
  })

  it('a second run of the same video uploads nothing: every file is there already, skipped, never overwritten', async () => {
    const fake = await startApi()
    const first = await run(fake)
    const before = releaseOf(fake)?.assets.map((a) => ({ name: a.name, bytes: a.bytes }))
    const second = await run(fake)
    expect(second.exitCode).toBe(0)
    expect(uploads(fake)).toHaveLength(2)
    expect(releaseOf(fake)?.assets.map((a) => ({ name: a.name, bytes: a.bytes }))).toEqual(before)
    expect(fake.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/releases'))).toHaveLength(1)
    expect(second.stdout).toContain(
      `${STEM}.mp4 is already on release '${TAG}' of ${OWNER}/${REPO}; skipped, not overwritten.`,
    )
    expect(second.stdout).toContain(`Release '${TAG}': 0 file(s) attached; 2 already there (skipped).`)
    expect(second.outputs['release-asset-url']).toBe(first.outputs['release-asset-url'])
  })

  it('an existing release is used as it is: nothing created, its other assets kept', async () => {
    const fake = await startApi()
    const existing = fake.releases.add(OWNER, REPO, TAG)
    const r = await run(fake)
    expect(r.exitCode).toBe(0)
    expect(fake.releases.list(OWNER, REPO)).toHaveLength(1)
    expect(releaseOf(fake)?.id).toBe(existing.id)
    expect(fake.requests.some((q) => q.method === 'POST' && q.path.endsWith('/releases'))).toBe(false)
    expect(assetNames(fake)).toHaveLength(2)
  })

  it('two runs creating the release at once both finish: the one answered 422 reads it again and goes on', async () => {
    const fake = await startApi({ releases: { lookupBarrier: 2 } })
    const [a, b] = await Promise.all([run(fake), run(fake)])
    expect([a.exitCode, b.exitCode]).toEqual([0, 0])
    expect(fake.releases.list(OWNER, REPO)).toHaveLength(1)
    expect(fake.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/releases'))).toHaveLength(2)
    expect(`${a.stdout}${b.stdout}`).toContain('was created meanwhile by another job; using it.')
    // The same video: its two files once, whichever run got there first.
    expect(assetNames(fake)).toEqual([`${STEM}.json`, `${STEM}.mp4`].sort())
    expect(a.outputs['release-asset-url']).toBe(b.outputs['release-asset-url'])
    expect(a.outputs['release-asset-url']).toMatch(new RegExp(`/releases/download/${TAG}/${STEM}\\.mp4$`))
  })

  it('an asset another job attached between the list and the upload (422) is skipped, its bytes kept', async () => {
    const theirs = Buffer.from('the other job uploaded these bytes')
    const fake = await startApi({
      releases: {
        beforeUpload: (release, name, attach) => {
          if (name.endsWith('.mp4') && !release.assets.some((a) => a.name === name)) attach(name, theirs)
        },
      },
    })
    const r = await run(fake)
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain(`${STEM}.mp4 was attached meanwhile by another job; skipped, not overwritten.`)
    const mp4 = releaseOf(fake)?.assets.find((a) => a.name === `${STEM}.mp4`)
    expect(mp4?.bytes).toEqual(theirs)
    expect(r.outputs['release-asset-url']).toBe(mp4?.browser_download_url)
    expect(assetNames(fake)).toEqual([`${STEM}.json`, `${STEM}.mp4`].sort())
  })

  it('a batch attaches each job its own files and reports each release-asset-url in results', async () => {
    const fake = await startApi()
    const clip = await readFile(path.join(import.meta.dirname, '..', 'fixtures', 'clip-3s.mp4'))
    const videos: Record<string, Buffer> = { '/first.mp4': FIXTURE, '/second.mp4': clip }
    const host = createServer((req, res) => {
      const bytes = videos[req.url ?? '']
      res.writeHead(bytes ? 200 : 404, { 'content-type': 'video/mp4', 'content-length': bytes?.length ?? 0 })
      res.end(bytes)
    })
    const listening = await listenOnLoopback(host)
    cleanup.push(listening.close)
    const jobs = [
      { name: 'first', prompt: 'Shot one: a kite.' },
      { name: 'second', prompt: 'Shot two: a boat.' },
    ]
    session.emulator.setScenario({
      name: 'two-videos',
      poll: [
        (ctx) =>
          xaiDone(ctx, {
            url: `${listening.origin}/${ctx.createBody?.['prompt'] === jobs[0]?.prompt ? 'first' : 'second'}.mp4`,
          }),
      ],
    })
    const r = await session.run({
      prepare: async (dirs) => {
        const { writeFile } = await import('node:fs/promises')
        await writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs))
      },
      inputs: {
        'api-key': KEY,
        'base-url': session.emulator.xaiBaseUrl,
        'poll-interval-seconds': '0.05',
        'prompts-file': 'prompts.yml',
        'github-token': GH_TOKEN,
        'release-tag': TAG,
        preview: 'false',
      },
      env: {
        GITHUB_API_URL: fake.apiUrl,
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_SHA: SHA,
        GITHUB_RUN_ID: '9300',
      },
    })
    expect(r.exitCode).toBe(0)
    const entries = JSON.parse(r.outputs.results) as Record<string, string>[]
    const stems = [sha256(FIXTURE).slice(0, 16), sha256(clip).slice(0, 16)]
    expect(assetNames(fake)).toEqual(stems.flatMap((s) => [`${s}.mp4`, `${s}.json`]).sort())
    for (const [i, entry] of entries.entries()) {
      const asset = releaseOf(fake)?.assets.find((a) => a.name === `${stems[i]}.mp4`)
      expect(entry['release-asset-url'], entry.name).toBe(asset?.browser_download_url)
      expect(asset?.bytes, entry.name).toEqual(await readFile(entry['video-path'] ?? ''))
    }
    // One release, however many jobs attached to it at once.
    expect(fake.releases.list(OWNER, REPO)).toHaveLength(1)
  })

  it.each<[string, GitHubApiOptions, RegExp]>([
    [
      'a 502 on upload',
      { releases: { fault: { on: 'upload', status: 502 } } },
      /upload [0-9a-f]{16}\.mp4 to the release.*HTTP 502/,
    ],
    [
      'a reset socket on upload',
      { releases: { fault: { on: 'upload', reset: true } } },
      /upload [0-9a-f]{16}\.mp4 to the release/,
    ],
    [
      'an endless body on the asset list',
      { releases: { fault: { on: 'list', endless: true } } },
      /list the assets of the release.*over 4(\.0)? MiB/,
    ],
  ])('%s: status upload-failed, exit 1, the video kept on disk (video-path set)', async (_, options, cause) => {
    const fake = await startApi(options)
    const r = await run(fake)
    expect(r.exitCode).toBe(1)
    expect(r.outputs.status).toBe('upload-failed')
    expect((await stat(r.outputs['video-path'])).size).toBe(FIXTURE.length)
    expect(r.outputs['release-asset-url']).toBe('')
    const error = errorLine(r)
    expect(error).toContain("'release-tag'")
    expect(error).toMatch(cause)
    expect(error).toContain(`The video is on the runner at ${r.outputs['video-path']}`)
    expect(releaseOf(fake)?.assets ?? []).toEqual([])
    expect(fake.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/releases')).length).toBeLessThan(2)
  })

  it.each<[string, GitHubApiOptions, RegExp]>([
    ['403 (no contents: write)', { readOnly: true }, /create the release.*HTTP 403.*'contents: write'/],
    ['a 500 on the tag lookup', { releases: { fault: { on: 'lookup', status: 500 } } }, /read the release.*HTTP 500/],
    [
      'a 429 with Retry-After: 0 on create (sent once, never again)',
      { releases: { fault: { on: 'create', status: 429, retryAfter: '0' } } },
      /create the release.*HTTP 429/,
    ],
    ['a reset socket on the tag lookup', { releases: { fault: { on: 'lookup', reset: true } } }, /read the release/],
  ])(
    '%s on the release, before the first create: exit 1, upload-failed, no video created',
    async (_, options, cause) => {
      const fake = await startApi(options)
      const r = await run(fake)
      expect(r.exitCode).toBe(1)
      expect(r.outputs.status).toBe('upload-failed')
      expect(session.emulator.creates()).toEqual([])
      expect(r.outputs['request-id']).toBe('')
      expect(r.outputs['video-path']).toBe('')
      const error = errorLine(r)
      expect(error).toContain("'release-tag'")
      expect(error).toMatch(cause)
      expect(fake.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/releases')).length).toBeLessThan(2)
    },
  )

  it('a batch of 3 with a read-only token: the release is refused once, before any create; nothing is paid for', async () => {
    const fake = await startApi({ readOnly: true })
    session.emulator.setScenario('xai-done')
    const jobs = [1, 2, 3].map((n) => ({ name: `shot-${n}`, prompt: `Shot ${n}: a heron takes off.` }))
    const r = await session.run({
      prepare: async (dirs) => {
        const { writeFile } = await import('node:fs/promises')
        await writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs))
      },
      inputs: {
        'api-key': KEY,
        'base-url': session.emulator.xaiBaseUrl,
        'poll-interval-seconds': '0.05',
        'prompts-file': 'prompts.yml',
        'github-token': GH_TOKEN,
        'release-tag': TAG,
        preview: 'false',
      },
      env: { GITHUB_API_URL: fake.apiUrl, GITHUB_REPOSITORY: `${OWNER}/${REPO}`, GITHUB_RUN_ID: '9301' },
    })
    expect(r.exitCode).toBe(1)
    expect(session.emulator.creates()).toEqual([])
    expect(r.outputs.status).toBe('upload-failed')
    expect(errorLine(r)).toMatch(/create the release.*HTTP 403.*'contents: write'/)
    expect(fake.requests.map((q) => `${q.method} ${q.path.replace(/\?.*/, '')}`)).toEqual([
      `GET /repos/${OWNER}/${REPO}/releases/tags/${TAG}`,
      `POST /repos/${OWNER}/${REPO}/releases`,
    ])
  })

  it.each<[string, GitHubApiOptions, boolean]>([
    ['a read-only token (403): no further job starts', { readOnly: true }, true],
    ['a 401 on upload: no further job starts', { releases: { fault: { on: 'upload', status: 401 } } }, true],
    ['a 404 on upload: no further job starts', { releases: { fault: { on: 'upload', status: 404 } } }, true],
    // Not a refusal of the token: the next job may well attach, so the batch goes on.
    ['a 502 on upload: every job runs', { releases: { fault: { on: 'upload', status: 502 } } }, false],
    [
      'a 429 with Retry-After: 0 on upload: every job runs',
      { releases: { fault: { on: 'upload', status: 429, retryAfter: '0' } } },
      false,
    ],
    ['a reset socket on upload: every job runs', { releases: { fault: { on: 'upload', reset: true } } }, false],
  ])('an existing release, a batch of 3 one at a time, and %s', async (_, options, stops) => {
    const fake = await startApi(options)
    fake.releases.add(OWNER, REPO, TAG)
    session.emulator.setScenario('xai-done')
    const jobs = [1, 2, 3].map((n) => ({ name: `shot-${n}`, prompt: `Shot ${n}: a heron takes off.` }))
    const r = await session.run({
      prepare: async (dirs) => {
        const { writeFile } = await import('node:fs/promises')
        await writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs))
      },
      inputs: {
        'api-key': KEY,
        'base-url': session.emulator.xaiBaseUrl,
        'poll-interval-seconds': '0.05',
        'prompts-file': 'prompts.yml',
        'max-concurrency': '1',
        'github-token': GH_TOKEN,
        'release-tag': TAG,
        preview: 'false',
      },
      env: { GITHUB_API_URL: fake.apiUrl, GITHUB_REPOSITORY: `${OWNER}/${REPO}`, GITHUB_RUN_ID: '9302' },
    })
    expect(r.exitCode).toBe(1)
    expect(fake.requests.some((q) => q.method === 'POST' && q.path.endsWith('/releases'))).toBe(false)
    const entries = JSON.parse(r.outputs.results) as { name: string; status: string }[]
    const stop =
      "::warning::'release-tag': the release refused the upload of job 'shot-1', so no further job is started"
    if (stops) {
      expect(session.emulator.creates()).toHaveLength(1)
      expect(entries.map((e) => [e.name, e.status])).toEqual([
        ['shot-1', 'upload-failed'],
        ['shot-2', 'not-started'],
        ['shot-3', 'not-started'],
      ])
      expect(r.stdout).toContain(stop)
      expect(errorLine(r)).toContain(
        "not started after the release refused a write ('release-tag'): 'shot-2', 'shot-3'",
      )
      expect(uploads(fake)).toHaveLength(1)
    } else {
      expect(session.emulator.creates()).toHaveLength(3)
      expect(entries.map((e) => e.status)).toEqual(['upload-failed', 'upload-failed', 'upload-failed'])
      expect(r.stdout).not.toContain('refused the upload')
      expect(errorLine(r)).not.toContain('not started')
    }
  })

  it('with wait: false: one log line says the collecting run attaches the video; nothing is sent to GitHub', async () => {
    const fake = await startApi()
    const r = await run(fake, { wait: 'false' })
    expect(r.exitCode).toBe(0)
    expect(r.outputs.status).toBe('pending')
    expect(fake.requests).toEqual([])
    expect(r.stdout.split('\n').filter((l) => l.includes("release '"))).toEqual([
      `Not waiting ('wait: false'): nothing is attached to release '${TAG}' of ${OWNER}/${REPO} now; the run that collects the job ('request-id') with 'release-tag' attaches it.`,
    ])
  })

  it('release-tag with upload-url: an error naming release-tag, before any request', async () => {
    const fake = await startApi()
    session.emulator.requests.length = 0
    const r = await run(fake, { 'upload-url': 'https://bucket.example.com/v.mp4?X-Amz-Signature=abc123def456' })
    expect(r.exitCode).toBe(1)
    expect(errorLine(r)).toBe(
      "::error::Input 'release-tag' cannot be combined with 'upload-url': the video goes to your storage, not to the runner, so there is nothing to attach. Set one of them.",
    )
    expect(fake.requests).toEqual([])
    expect(session.emulator.requests).toEqual([])
  })

  it('the metadata JSON on disk, in the zip artifact and on the release shows signed input URLs without their query', async () => {
    const fake = await startApi()
    const signed = '?X-Amz-Signature=5f1e2d3c4b5a69788796a5b4&X-Amz-Credential=AKIAEXAMPLE%2F20261207'
    const extend = await run(fake, {
      operation: 'extend',
      video: `https://cdn.example.com/in.mp4${signed}`,
      archive: 'true',
      'artifact-name': 'signed-extend',
    })
    const framed = await run(fake, { image: `https://cdn.example.com/first.png${signed}`, prompt: 'A signed frame.' })
    for (const r of [extend, framed]) {
      expect(r.exitCode, r.stdout).toBe(0)
      const onDisk = await readFile(r.outputs['metadata-path'], 'utf8')
      const asset = releaseOf(fake)?.assets.find((a) => a.name === `${STEM}.json`)
      expect(asset?.bytes.toString('utf8')).toBeDefined()
      for (const text of [onDisk, asset?.bytes.toString('utf8') ?? '']) {
        expect(text).not.toContain('X-Amz-Signature')
        expect(text).not.toContain('5f1e2d3c4b5a69788796a5b4')
      }
    }
    const extended = JSON.parse(await readFile(extend.outputs['metadata-path'], 'utf8')) as {
      inputVideo: { url: string }
      request: { video: { url: string } }
    }
    expect(extended.inputVideo.url).toBe('https://cdn.example.com/in.mp4?…')
    expect(extended.request.video.url).toBe('https://cdn.example.com/in.mp4?…')
    const framedJson = JSON.parse(await readFile(framed.outputs['metadata-path'], 'utf8')) as {
      request: { image: { url: string } }
    }
    expect(framedJson.request.image.url).toBe('https://cdn.example.com/first.png?…')
    // The zip artifact carries the same JSON.
    const zip = session.results.artifacts.find((a) => a.name === 'signed-extend')
    const entries = [...readZip(zip?.bytes ?? Buffer.alloc(0))]
    expect(entries.map(([name]) => name)).toContain('signed-extend.json')
    for (const [, bytes] of entries) expect(bytes.toString('latin1')).not.toContain('X-Amz-Signature')
  })

  it('an upload answered with a redirect is not followed: upload-failed, the other host gets nothing', async () => {
    const seen: string[] = []
    const elsewhere = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"browser_download_url":"https://x.example/v"}')
    })
    const listening = await listenOnLoopback(elsewhere)
    cleanup.push(listening.close)
    const fake = await startApi({ releases: { fault: { on: 'upload', redirect: `${listening.origin}/elsewhere` } } })
    const r = await run(fake)
    expect(r.exitCode).toBe(1)
    expect(r.outputs.status).toBe('upload-failed')
    expect(r.outputs['release-asset-url']).toBe('')
    expect(errorLine(r)).toMatch(/upload [0-9a-f]{16}\.mp4 to the release.*redirect \(HTTP 307 to 127\.0\.0\.1:\d+\)/)
    expect(seen).toEqual([])
  })

  it('a download URL GitHub gives on another host is not reported as release-asset-url', async () => {
    const fake = await startApi({ releases: { downloadOrigin: 'https://downloads.elsewhere.example' } })
    const r = await run(fake)
    expect(r.exitCode).toBe(0)
    expect(assetNames(fake)).toEqual([`${STEM}.json`, `${STEM}.mp4`].sort())
    expect(r.outputs['release-asset-url']).toBe('')
  })

  it('a failed upload says a re-run pays again unless the cache is on', async () => {
    const fake = await startApi({ releases: { fault: { on: 'upload', status: 502 } } })
    const r = await run(fake)
    expect(r.exitCode).toBe(1)
    expect(errorLine(r)).toContain(
      "A re-run with 'cache: true' attaches the rest without a new job; without the cache a re-run creates (and pays for) the video again.",
    )
  })

  it('an upload_url on another host is refused: the token is never sent there', async () => {
    const seen: string[] = []
    const elsewhere = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      res.writeHead(500).end()
    })
    const listening = await listenOnLoopback(elsewhere)
    cleanup.push(listening.close)
    const fake = await startApi({ releases: { uploadOrigin: listening.origin } })
    const r = await run(fake)
    expect(r.exitCode).toBe(1)
    expect(r.outputs.status).toBe('upload-failed')
    expect(errorLine(r)).toContain('not on its own API host')
    expect(seen).toEqual([])
  })

  it.each([
    ['a space', 'nightly videos'],
    ['..', 'v1..2'],
    ['a leading -', '-nightly'],
    ['a control character', 'night\u0007ly'],
    ['refs/tags/', 'refs/tags/nightly'],
    ['too long', 'v'.repeat(201)],
  ])('a tag with %s: an error naming release-tag, before any request', async (_, tag) => {
    const fake = await startApi()
    session.emulator.requests.length = 0
    const r = await run(fake, { 'release-tag': tag })
    expect(r.exitCode).toBe(1)
    expect(errorLine(r)).toContain("Input 'release-tag'")
    expect(errorLine(r)).toContain('is not a valid tag name')
    expect(fake.requests).toEqual([])
    expect(session.emulator.requests).toEqual([])
  })

  it('release-tag without a github-token: an error naming both, before any request', async () => {
    const fake = await startApi()
    session.emulator.requests.length = 0
    const r = await run(fake, { 'github-token': '' })
    expect(r.exitCode).toBe(1)
    expect(errorLine(r)).toContain("Input 'release-tag' needs 'github-token'")
    expect(fake.requests).toEqual([])
    expect(session.emulator.requests).toEqual([])
  })

  it('a cache hit attaches the restored video: its files already there are skipped', async () => {
    const fake = await startApi()
    const prompt = 'A cached lighthouse, for the release.'
    const first = await run(fake, { cache: 'true', prompt })
    expect(first.outputs['cache-hit']).toBe('false')
    const second = await run(fake, { cache: 'true', prompt })
    expect(second.exitCode).toBe(0)
    expect(second.outputs['cache-hit']).toBe('true')
    expect(second.outputs['release-asset-url']).toBe(first.outputs['release-asset-url'])
    expect(uploads(fake)).toHaveLength(2)
    expect(second.stdout).toContain(`Release '${TAG}': 0 file(s) attached; 2 already there (skipped).`)
  })

  it('a cache hit on a new tag attaches the restored video there', async () => {
    const fake = await startApi()
    const prompt = 'A cached windmill, for two releases.'
    await run(fake, { cache: 'true', prompt, 'upload-artifact': 'false' })
    const second = await run(fake, { cache: 'true', prompt, 'release-tag': 'videos-weekly' })
    expect(second.outputs['cache-hit']).toBe('true')
    const weekly = fake.releases.list(OWNER, REPO).find((r) => r.tag_name === 'videos-weekly')
    expect(weekly?.assets.map((a) => a.name).sort()).toEqual([`${STEM}.json`, `${STEM}.mp4`].sort())
    expect(second.outputs['release-asset-url']).toBe(
      weekly?.assets.find((a) => a.name.endsWith('.mp4'))?.browser_download_url,
    )
  })

  it('with dry-run: nothing is sent to GitHub', async () => {
    const fake = await startApi()
    const r = await run(fake, { 'dry-run': 'true' })
    expect(r.exitCode).toBe(0)
    expect(r.outputs.status).toBe('dry-run')
    expect(fake.requests).toEqual([])
    expect(r.stdout).toContain(`Then: attach its files to release '${TAG}' of ${OWNER}/${REPO}.`)
    expect(r.outputs['release-asset-url']).toBe('')
  })

  it.runIf(FFMPEG_TESTS)('with a preview: the poster and the GIF are attached too, four files in all', async () => {
    const fake = await startApi()
    const spy = await recordingFfmpeg()
    cleanup.push(() => rm(spy.dir, { recursive: true, force: true }))
    const r = await run(fake, { preview: 'auto' }, { PATH: `${spy.dir}${path.delimiter}${process.env.PATH ?? ''}` })
    expect(r.exitCode).toBe(0)
    const release = releaseOf(fake)
    expect(assetNames(fake)).toEqual(
      [`${STEM}.mp4`, `${STEM}.poster.png`, `${STEM}.preview.gif`, `${STEM}.json`].sort(),
    )
    const byName = new Map(release?.assets.map((a) => [a.name, a]))
    expect(byName.get(`${STEM}.poster.png`)?.content_type).toBe('image/png')
    expect(byName.get(`${STEM}.preview.gif`)?.content_type).toBe('image/gif')
    expect(byName.get(`${STEM}.poster.png`)?.bytes).toEqual(await readFile(r.outputs['poster-path']))
    expect(byName.get(`${STEM}.preview.gif`)?.bytes).toEqual(await readFile(r.outputs['preview-path']))
  })
})

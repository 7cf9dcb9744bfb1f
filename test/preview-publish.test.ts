/**
 * Publishing previews through the Git Data API, with the real @actions/github client against the GitHub fake: an
 * orphan branch on first use, fast-forwards after, files only added, races with other jobs retried, the default and
 * the pull request's branches refused, a branch the action did not make left alone, one write at a time, and a
 * read-only token or a protected branch explained.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest'
import { PreviewError } from '../src/errors.js'
import { publishPreviews, publishStepPreviews, rawFileUrl, type PublishRequest } from '../src/preview-publish.js'
import { previewTargetFrom } from '../src/preview-target.js'
import { startGitHubApi, type GitHubApiFake, type GitHubApiOptions } from './fakes/github-rest.ts'

const TOKEN = 'ghs_publishTestToken0123456789abcdef'
const REPO = { owner: 'octo-org', repo: 'films' }
const SERVER = 'https://github.example.com'
let dir: string
let api: GitHubApiFake | undefined
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'publish-test-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
afterEach(async () => {
  await api?.close()
  api = undefined
})

const start = async (options: GitHubApiOptions = {}): Promise<GitHubApiFake> =>
  (api = await startGitHubApi({ token: TOKEN, ...options }))

/** A local file with these bytes; returns its path and the name it gets on the branch. */
async function file(name: string, content: string): Promise<{ path: string; hashed: string; bytes: Buffer }> {
  const bytes = Buffer.from(content)
  const local = path.join(dir, name)
  await writeFile(local, bytes)
  return { path: local, bytes, hashed: `${createHash('sha256').update(bytes).digest('hex')}${path.extname(name)}` }
}

const request = (fake: GitHubApiFake, files: string[], extra: Partial<PublishRequest> = {}): PublishRequest => ({
  token: TOKEN,
  apiUrl: fake.apiUrl,
  serverUrl: SERVER,
  repository: REPO,
  branch: 'grok-video-previews',
  protectedBranches: ['feature/new-intro', 'main'],
  files,
  message: 'Add video previews of run 42',
  retryDelayMs: 1,
  ...extra,
})

const writes = (fake: GitHubApiFake): string[] =>
  fake.requests
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path.replace(/^\/repos\/[^/]+\/[^/]+/, '')}`)

describe('publishPreviews', () => {
  it('first use: an orphan branch holding the files (named by their SHA-256), a README, one commit', async () => {
    const fake = await start()
    const gif = await file('a.preview.gif', 'GIF89a first')
    const poster = await file('a.poster.png', 'PNG first')
    const result = await publishPreviews(request(fake, [gif.path, poster.path]))

    const git = fake.git(REPO.owner, REPO.repo)
    const history = git.history('grok-video-previews')
    expect(history).toHaveLength(1)
    expect(history[0]).toMatchObject({ sha: result.commitSha, parents: [], message: 'Add video previews of run 42' })
    expect(result.action).toBe('created')
    const files = git.files('grok-video-previews')
    expect([...files.keys()].sort()).toEqual([gif.hashed, poster.hashed, 'README.md'].sort())
    expect(files.get(gif.hashed)).toEqual(gif.bytes)
    expect(files.get(poster.hashed)).toEqual(poster.bytes)
    expect(files.get('README.md')?.toString()).toContain('delete the branch')
    expect(result.published.get(gif.path)).toEqual({
      path: gif.hashed,
      url: `${SERVER}/octo-org/films/blob/grok-video-previews/${gif.hashed}?raw=true`,
    })
    expect(writes(fake)).toEqual([
      'POST /git/blobs',
      'POST /git/blobs',
      'POST /git/blobs',
      'POST /git/trees',
      'POST /git/commits',
      'POST /git/refs',
    ])
    // Never another branch.
    expect(git.head('main')).toBeUndefined()
  })

  it('later: a fast-forward that adds files and drops none; the same files again commit nothing', async () => {
    const fake = await start()
    const first = await file('one.gif', 'GIF89a one')
    const second = await file('two.gif', 'GIF89a two')
    const created = await publishPreviews(request(fake, [first.path]))
    const extended = await publishPreviews(request(fake, [second.path], { message: 'Add video previews of run 43' }))
    const git = fake.git(REPO.owner, REPO.repo)
    const history = git.history('grok-video-previews')
    expect(history.map((c) => c.sha)).toEqual([extended.commitSha, created.commitSha])
    expect(history[0]?.parents).toEqual([created.commitSha])
    expect(extended.action).toBe('extended')
    expect([...git.files('grok-video-previews').keys()].sort()).toEqual(
      [first.hashed, second.hashed, 'README.md'].sort(),
    )

    const again = await publishPreviews(request(fake, [first.path, second.path]))
    expect(again).toMatchObject({ action: 'unchanged', commitSha: extended.commitSha })
    expect(git.history('grok-video-previews')).toHaveLength(2)
  })

  it('another job moves the branch between read and write: read again and fast-forward on top of it', async () => {
    let raced = false
    const fake = await start({
      beforeRefWrite: (repository, branch) => {
        if (raced || !repository.head(branch)) return
        raced = true
        repository.commitFiles(branch, { 'other-job.gif': 'GIF89a other' }, 'Add video previews of another job')
      },
    })
    const mine = await file('mine.gif', 'GIF89a mine')
    const base = await publishPreviews(request(fake, [(await file('base.gif', 'GIF89a base')).path]))
    const result = await publishPreviews(request(fake, [mine.path]))
    expect(raced).toBe(true)
    const git = fake.git(REPO.owner, REPO.repo)
    const history = git.history('grok-video-previews')
    expect(history.map((c) => c.message)).toEqual([
      'Add video previews of run 42',
      'Add video previews of another job',
      'Add video previews of run 42',
    ])
    expect(history[0]?.sha).toBe(result.commitSha)
    expect(history[2]?.sha).toBe(base.commitSha)
    expect([...git.files('grok-video-previews').keys()]).toEqual(expect.arrayContaining(['other-job.gif', mine.hashed]))
    expect(writes(fake).filter((w) => w.startsWith('PATCH'))).toHaveLength(2) // refused once, then accepted
  })

  it('another job creates the branch first: the orphan is not forced over it, ours goes on top', async () => {
    let raced = false
    const fake = await start({
      beforeRefWrite: (repository, branch) => {
        if (raced) return
        raced = true
        const files = { 'README.md': '# Previews', 'other-job.gif': 'GIF89a other' }
        repository.commitFiles(branch, files, 'Add video previews of another job')
      },
    })
    const mine = await file('first.gif', 'GIF89a first of mine')
    const result = await publishPreviews(request(fake, [mine.path]))
    const git = fake.git(REPO.owner, REPO.repo)
    expect(result.action).toBe('extended')
    expect(git.history('grok-video-previews').map((c) => c.message)).toEqual([
      'Add video previews of run 42',
      'Add video previews of another job',
    ])
    expect([...git.files('grok-video-previews').keys()].sort()).toEqual(
      ['README.md', 'other-job.gif', mine.hashed].sort(),
    )
  })

  it('sends one write at a time, however many files a batch publishes', async () => {
    const fake = await start()
    const files = await Promise.all(Array.from({ length: 12 }, (_, i) => file(`many-${i}.gif`, `GIF89a ${i}`)))
    const result = await publishPreviews(
      request(
        fake,
        files.map((f) => f.path),
      ),
    )
    expect(result.action).toBe('created')
    expect(fake.git(REPO.owner, REPO.repo).files('grok-video-previews').size).toBe(files.length + 1)
    expect(writes(fake).filter((w) => w === 'POST /git/blobs')).toHaveLength(files.length + 1)
    expect(fake.peakConcurrentWrites()).toBe(1)
  })

  it("extends a branch the action made (today's version included), found by its first commit however long it grew", async () => {
    const fake = await start()
    const git = fake.git(REPO.owner, REPO.repo)
    const branch = 'grok-video-previews'
    git.commitFiles(branch, { 'README.md': '# Previews', 'a.gif': 'GIF89a a' }, 'Add video previews of workflow run 1')
    for (let run = 2; run <= 4; run++)
      git.commitFiles(branch, { [`${run}.gif`]: `GIF89a ${run}` }, `Add video previews of workflow run ${run}`)
    const mine = await file('grown.gif', 'GIF89a grown')
    const result = await publishPreviews(request(fake, [mine.path]))
    expect(result.action).toBe('extended')
    expect(git.history(branch)).toHaveLength(5)
    expect(git.files(branch).has(mine.hashed)).toBe(true)
  })

  const madeElsewhere: [string, (git: ReturnType<GitHubApiFake['git']>) => void][] = [
    [
      "a code branch (first commit: GitHub's README)",
      (git) => git.commitFiles('develop', { 'README.md': '# Films', 'index.js': 'run()' }, 'Initial commit'),
    ],
    [
      'a code branch whose later commits say "Add video previews"',
      (git) => {
        git.commitFiles('develop', { 'README.md': '# Films' }, 'Initial commit')
        git.commitFiles('develop', { 'x.gif': 'GIF89a' }, 'Add video previews by hand')
      },
    ],
    [
      'a first commit "Add video previews" without README.md',
      (git) => git.commitFiles('develop', { 'index.js': 'run()' }, 'Add video previews, then code'),
    ],
  ]
  it.each(madeElsewhere)('leaves alone a branch the action did not make: %s', async (_, seed) => {
    const fake = await start()
    const git = fake.git(REPO.owner, REPO.repo)
    seed(git)
    const before = git.head('develop')
    const gif = await file('elsewhere.gif', 'GIF89a elsewhere')
    const error = await publishPreviews(request(fake, [gif.path], { branch: 'develop' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PreviewError)
    expect((error as Error).message).toMatch(
      /^'preview-branch: develop' was refused: it exists and was not made by this action \(its first commit is not/,
    )
    expect(writes(fake)).toEqual([])
    expect(git.head('develop')).toBe(before)
  })

  it('a refused preview-branch is one warning naming the input; the step goes on', async () => {
    const fake = await start()
    const git = fake.git(REPO.owner, REPO.repo)
    git.commitFiles('develop', { 'README.md': '# Films' }, 'Initial commit')
    const gif = await file('step.gif', 'GIF89a step')
    const target = previewTargetFrom('develop', TOKEN, {
      GITHUB_REPOSITORY: 'octo-org/films',
      GITHUB_API_URL: fake.apiUrl,
      GITHUB_SERVER_URL: SERVER,
      GITHUB_RUN_ID: '9',
    })
    const outcome = { files: { posterPath: gif.path, gifPath: gif.path } }
    const warnings: string[] = []
    await publishStepPreviews(target, [outcome], { info: () => {}, warning: (m) => warnings.push(m) })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^No preview published to 'develop': 'preview-branch: develop' was refused: /)
    expect(warnings[0]).toContain('(poster-path, preview-path)')
    expect(outcome).not.toHaveProperty('url')
    expect(writes(fake)).toEqual([])
  })

  it.each([
    { branch: 'main', why: "it is the repository's default branch" },
    { branch: 'feature/new-intro', why: "it is one of the pull request's branches" },
  ])('refuses $branch before writing anything: $why', async ({ branch, why }) => {
    const fake = await start()
    const gif = await file('x.gif', 'GIF89a x')
    const error = await publishPreviews(
      request(fake, [gif.path], { branch, protectedBranches: ['feature/new-intro'] }),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PreviewError)
    expect((error as Error).message).toBe(
      `'preview-branch: ${branch}' was refused: ${why}, and previews are committed only to a branch of their own. ` +
        "Use a dedicated name such as 'grok-video-previews'.",
    )
    expect(writes(fake)).toEqual([])
  })

  it("a read-only token (a fork's pull request): HTTP 403, the permission to add, and why forks cannot", async () => {
    const fake = await start({ readOnly: true })
    const gif = await file('ro.gif', 'GIF89a ro')
    const error = (await publishPreviews(request(fake, [gif.path])).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(PreviewError)
    expect(error.message).toMatch(
      /^could not upload [0-9a-f]{64}\.gif of octo-org\/films@grok-video-previews: HTTP 403, /,
    )
    expect(error.message).toContain('`permissions: contents: write`')
    expect(error.message).toContain('forks')
    expect(error.message).not.toContain(TOKEN)
  })

  it('a protected branch: said so, with the fix, after one attempt', async () => {
    const fake = await start({ protectedBranches: ['grok-video-previews'] })
    const gif = await file('p.gif', 'GIF89a p')
    const error = (await publishPreviews(request(fake, [gif.path])).catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(/HTTP 422, Protected branch update failed.*choose another 'preview-branch'/)
    expect(writes(fake).filter((w) => w.startsWith('POST /git/refs'))).toHaveLength(1)
  })
})

describe('rawFileUrl', () => {
  it('keeps the slashes of a branch and encodes what a URL cannot hold', () => {
    expect(rawFileUrl('https://github.com/', REPO, 'previews/grok video', 'ab.gif')).toBe(
      'https://github.com/octo-org/films/blob/previews/grok%20video/ab.gif?raw=true',
    )
    expect(rawFileUrl('', REPO, 'p', 'ab.png')).toBe('https://github.com/octo-org/films/blob/p/ab.png?raw=true')
  })
})

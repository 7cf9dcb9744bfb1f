/**
 * The content-addressed cache through whole runs of the bundle: the real @actions/cache client against the
 * results-service fake (miss → generate → save; hit → no API request at all). Each run is a runner of its own (its
 * own workspace and RUNNER_TEMP), as scheduled jobs on fresh or self-hosted runners are.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, request } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAccepted, xaiDone, xaiError } from '../emulator/scenarios.ts'
import { startEmulator, type Emulator } from '../emulator/server.ts'
import { listenOnLoopback } from '../fakes/loopback.ts'
import { startResultsService, type ResultsServiceFake } from '../fakes/results-service.ts'
import { stringify } from 'yaml'
import {
  CANCEL_BY_SIGNAL,
  makeRunnerDirs,
  runBundle,
  type BundleOptions,
  type BundleRun,
  type RunnerDirs,
} from '../harness/runner.ts'

describe('runs with cache: true', () => {
  let emulator: Emulator
  let results: ResultsServiceFake
  /** Holds the first-frame images, outside every run's workspace. */
  let images: string
  let image: string
  const runs: BundleRun[] = []

  beforeAll(async () => {
    emulator = await startEmulator()
    results = await startResultsService()
    images = await mkdtemp(path.join(os.tmpdir(), 'cache-images-'))
    image = path.join(images, 'first-frame.png')
    await copyFile(path.join(import.meta.dirname, '..', 'fixtures', 'frame.png'), image)
  })
  afterAll(async () => {
    await emulator.close()
    await results.close()
    await rm(images, { recursive: true, force: true })
    await Promise.all(runs.map((run) => rm(run.dirs.root, { recursive: true, force: true })))
  })
  beforeEach(() => emulator.setScenario('xai-done'))

  let counter = 0
  async function run(
    inputs: Record<string, string> = {},
    more: Pick<BundleOptions, 'prepare' | 'dirs' | 'onSpawn' | 'env'> = {},
  ): Promise<BundleRun> {
    const result = await runBundle({
      ...more,
      inputs: {
        'api-key': emulator.apiKey,
        'base-url': emulator.xaiBaseUrl,
        prompt: 'A lighthouse beam sweeps through fog.',
        image,
        cache: 'true',
        'poll-interval-seconds': '0.05',
        // Every run uploads into the same fake "workflow run", where artifact names must be unique.
        'artifact-name': `cached-${++counter}`,
        ...inputs,
      },
      env: { ...results.env, ...more.env },
    })
    runs.push(result)
    return result
  }

  /**
   * A self-hosted runner's layout: RUNNER_TEMP and the workspace elsewhere, and deeper, than the harness puts them;
   * `throughSymlink` reaches its work folder through a symlink, as /var is one on macOS.
   */
  async function selfHostedDirs({ throughSymlink = false } = {}): Promise<RunnerDirs> {
    const dirs = await makeRunnerDirs('cache-self-hosted-')
    const runner = path.join(dirs.root, 'opt', 'actions-runner')
    await mkdir(path.join(runner, '_work'), { recursive: true })
    // A junction on Windows (a directory symlink there needs a privilege), a plain symlink elsewhere.
    if (throughSymlink) await symlink(runner, path.join(dirs.root, 'runner'), 'junction')
    const work = path.join(dirs.root, throughSymlink ? 'runner' : path.join('opt', 'actions-runner'), '_work')
    const layout = { ...dirs, workspace: path.join(work, 'repo', 'repo'), runnerTemp: path.join(work, '_temp') }
    await mkdir(layout.workspace, { recursive: true })
    await mkdir(layout.runnerTemp, { recursive: true })
    return layout
  }

  it('a video saved on one runner is a hit on another with a different RUNNER_TEMP and workspace', async () => {
    const prompt = 'A lantern swings on a ferry, saved by one runner and restored by another.'
    const hosted = await run({ prompt })
    expect(hosted.outputs['cache-hit']).toBe('false')

    emulator.setScenario('xai-done')
    const selfHosted = await run({ prompt }, { dirs: await selfHostedDirs() })
    expect(selfHosted.dirs.runnerTemp).not.toBe(hosted.dirs.runnerTemp)
    expect(selfHosted.exitCode, selfHosted.stdout).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(selfHosted.outputs).toMatchObject({
      'cache-hit': 'true',
      'request-id': hosted.outputs['request-id'],
      'video-sha256': hosted.outputs['video-sha256'],
    })
    expect(selfHosted.outputs['video-path'].startsWith(selfHosted.dirs.runnerTemp + path.sep)).toBe(true)
    // The entry is staged in the workspace only while the cache service packs or unpacks it: a later step that
    // commits or globs the checkout finds nothing of it, on the runner that saved it or the one that restored it.
    expect(await readdir(hosted.dirs.workspace)).toEqual([])
    expect(await readdir(selfHosted.dirs.workspace)).toEqual([])
  })

  it('a runner whose workspace path goes through a symlink saves entries others restore, and restores them', async () => {
    const prompt = 'A weather vane turns on a barn reached through a symlink.'
    const linked = await run({ prompt }, { dirs: await selfHostedDirs({ throughSymlink: true }) })
    expect(linked.outputs['cache-hit']).toBe('false')
    expect(linked.stdout).toContain('Saved to the cache')

    for (const dirs of [undefined, await selfHostedDirs({ throughSymlink: true })]) {
      emulator.setScenario('xai-done')
      const hit = await run({ prompt }, { dirs })
      expect(hit.outputs, hit.stdout).toMatchObject({ 'cache-hit': 'true', 'request-id': linked.outputs['request-id'] })
      expect(emulator.requests).toEqual([])
      expect(await readdir(hit.dirs.workspace)).toEqual([])
    }
    expect(await readdir(linked.dirs.workspace)).toEqual([])
  })

  it('a run cancelled while it saves to the cache leaves nothing in the workspace', async ({ skip }) => {
    skip(!CANCEL_BY_SIGNAL, 'Windows has no SIGTERM: the process would be ended, not signalled')
    // A proxy in front of the results service holds the cache's CreateCacheEntry, which comes once the entry is staged
    // and packed: the step is cancelled right there, as a runner cancels it.
    const dirs = await makeRunnerDirs()
    let pid = 0
    let stagedWhenCancelled: string[] = []
    const proxy = await listenOnLoopback(
      createServer((req, res) => {
        if (req.url?.endsWith('/CreateCacheEntry')) {
          void readdir(dirs.workspace).then((names) => {
            stagedWhenCancelled = names
            process.kill(pid, 'SIGTERM')
          })
          return
        }
        const upstream = request(`${results.origin}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers)
          up.pipe(res)
        })
        req.pipe(upstream)
      }),
    )
    try {
      const cancelled = await run(
        { prompt: 'A kite string snaps as the step is cancelled.' },
        { dirs, env: { ACTIONS_RESULTS_URL: `${proxy.origin}/` }, onSpawn: (spawned) => void (pid = spawned) },
      )
      expect(cancelled.exitCode).toBe(1)
      expect(cancelled.stdout).toContain('Stopped by SIGTERM')
      expect(stagedWhenCancelled).toEqual([expect.stringMatching(/^\.grok-video-v1-[0-9a-f]{64}$/)])
      expect(await readdir(dirs.workspace)).toEqual([])
    } finally {
      await proxy.close()
    }
  })

  it('miss → generate → save; the same request again → hit, no API request, same bytes, artifact uploaded', async () => {
    const first = await run()
    expect(first.exitCode, first.stdout).toBe(0)
    expect(first.outputs).toMatchObject({ status: 'done', 'cache-hit': 'false', 'cost-usd': '0.05' })
    expect(emulator.creates()).toHaveLength(1)
    const key = first.outputs['cache-key']
    expect(key).toMatch(/^grok-video-v1-/)
    expect(results.caches.filter((entry) => entry.key === key && entry.finalized)).toHaveLength(1)

    emulator.setScenario('xai-done')
    const artifactsBefore = results.artifacts.length
    const second = await run()
    expect(second.exitCode, second.stdout).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(second.outputs).toMatchObject({
      status: 'done',
      'cache-hit': 'true',
      'cache-key': key,
      'request-id': first.outputs['request-id'],
      'video-sha256': first.outputs['video-sha256'],
      'video-bytes': first.outputs['video-bytes'],
      'cost-usd': '0',
    })
    expect(await readFile(second.outputs['video-path'])).toEqual(await readFile(first.outputs['video-path']))
    expect(results.artifacts).toHaveLength(artifactsBefore + 1)
    expect(results.artifacts.at(-1)?.sha256).toBe(first.outputs['video-sha256'])
    expect(second.outputs['artifact-id']).toBe(String(results.artifacts.at(-1)?.id))
    expect(second.stdout).toContain('no API call was made')
    expect(second.summary).toContain('from the cache')
  })

  it('a hit leaves video-url empty: the provider URL from when the entry was made may be dead', async () => {
    const prompt = 'A tram bell rings twice, once made and once restored.'
    const made = await run({ prompt })
    expect(made.outputs['video-url']).toMatch(/^http/)
    emulator.setScenario('xai-done')
    const hit = await run({ prompt })
    expect(hit.outputs).toMatchObject({ 'cache-hit': 'true', 'video-url': '' })
    expect(await readFile(hit.outputs['video-path'])).toEqual(await readFile(made.outputs['video-path']))
    expect(emulator.requests).toEqual([])
  })

  /**
   * A proxy in front of the results service that holds the first call ending in `method` and cancels the step right
   * there, as a runner cancels it. `pid` is the run's, set from `onSpawn`.
   */
  async function cancelOn(method: string) {
    const state = { pid: 0 }
    const proxy = await listenOnLoopback(
      createServer((req, res) => {
        if (req.url?.endsWith(`/${method}`)) {
          process.kill(state.pid, 'SIGTERM')
          return
        }
        const upstream = request(`${results.origin}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers)
          up.pipe(res)
        })
        req.pipe(upstream)
      }),
    )
    const options: Pick<BundleOptions, 'env' | 'onSpawn'> = {
      env: { ACTIONS_RESULTS_URL: `${proxy.origin}/` },
      onSpawn: (spawned) => void (state.pid = spawned),
    }
    return { options, close: () => proxy.close() }
  }

  it('a hit cancelled while it uploads: status cancelled, the cached request id, and no job "keeps running"', async ({
    skip,
  }) => {
    skip(!CANCEL_BY_SIGNAL, 'Windows has no SIGTERM: the process would be ended, not signalled')
    const prompt = 'A tram bell rings, restored from the cache as the step is cancelled.'
    const made = await run({ prompt })
    expect(made.outputs['cache-hit']).toBe('false')
    emulator.setScenario('xai-done')
    // The artifact is created after the restore: the step is cancelled there.
    const cancel = await cancelOn('CreateArtifact')
    try {
      const cancelled = await run({ prompt }, cancel.options)
      expect(cancelled.exitCode).toBe(1)
      expect(emulator.requests).toEqual([])
      expect(cancelled.outputs).toMatchObject({ status: 'cancelled', 'request-id': made.outputs['request-id'] })
      expect(cancelled.stdout).toContain('Stopped by SIGTERM')
      expect(cancelled.stdout).toContain('was being restored from the cache: nothing runs at the provider')
      expect(cancelled.stdout).not.toContain('keeps running')
    } finally {
      await cancel.close()
    }
  })

  it('a batch of hits cancelled while it uploads: status cancelled, and no job "keeps running"', async ({ skip }) => {
    skip(!CANCEL_BY_SIGNAL, 'Windows has no SIGTERM: the process would be ended, not signalled')
    const jobs = [1, 2].map((n) => ({ name: `bell-${n}`, prompt: `A tram bell rings in a cancelled batch (${n}).` }))
    for (const job of jobs) await run({ prompt: job.prompt })
    emulator.setScenario('xai-done')
    const cancel = await cancelOn('CreateArtifact')
    try {
      const cancelled = await run(
        { 'prompts-file': 'prompts.yml', 'max-concurrency': '1' },
        {
          ...cancel.options,
          prepare: (dirs) => writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs)),
        },
      )
      expect(cancelled.exitCode).toBe(1)
      expect(emulator.requests).toEqual([])
      expect(cancelled.outputs.status).toBe('cancelled')
      const [entry] = JSON.parse(cancelled.outputs.results) as { 'request-id': string; status: string }[]
      expect(entry['request-id']).toMatch(/\S/)
      expect(cancelled.stdout).toContain(`The video of job ${entry['request-id']} was being restored from the cache`)
      expect(cancelled.stdout).not.toContain('keeps running')
    } finally {
      await cancel.close()
    }
  })

  it('a changed prompt is a miss: a new job is created', async () => {
    await run() // warm (or hit) the entry of the base request
    emulator.setScenario('xai-done')
    const changed = await run({ prompt: 'A lighthouse beam sweeps through thick fog.' })
    expect(changed.outputs['cache-hit']).toBe('false')
    expect(emulator.creates()).toHaveLength(1)
  })

  /** The cache-service calls that read an entry (a lookup, or a restore's first step). */
  const cacheReads = () => results.requests.filter((r) => r.path.endsWith('/GetCacheEntryDownloadURL'))

  describe('max-cost-usd counts only what would be created: a hit is free', () => {
    it('a hit with a budget far below its price is restored, with no API request', async () => {
      const prompt = 'A moth circles a porch light, seen once and then from the cache.'
      const first = await run({ prompt })
      expect(first.outputs['cache-hit']).toBe('false')

      emulator.setScenario('xai-done')
      const second = await run({ prompt, 'max-cost-usd': '0.01' })
      expect(second.exitCode, second.stdout).toBe(0)
      expect(emulator.requests).toEqual([])
      expect(second.outputs).toMatchObject({ status: 'done', 'cache-hit': 'true', 'cost-usd': '0' })
      // The estimate is still what the request would cost if it were made.
      expect(second.outputs['estimated-cost-usd']).toBe('0.052')
    })

    it('a miss with that budget is refused after the cache was asked, before any API request', async () => {
      const reads = cacheReads().length
      const refused = await run({ prompt: 'A moth never generated before.', 'max-cost-usd': '0.01' })
      expect(refused.exitCode).toBe(1)
      expect(emulator.requests).toEqual([])
      expect(cacheReads().length).toBe(reads + 1)
      expect(refused.stdout).toContain("exceeds 'max-cost-usd' ($0.01): nothing was sent.")
      expect(refused.outputs).toMatchObject({ status: '', 'cache-hit': 'false', 'estimated-cost-usd': '0.052' })
    })

    it('a batch: the cached job is free, so a budget for one new job lets both through; one job is created', async () => {
      const cachedPrompt = 'A heron lands on a post (batch, cached).'
      await run({ prompt: cachedPrompt })
      emulator.setScenario('xai-done')
      const jobs = [
        { name: 'cached', prompt: cachedPrompt },
        { name: 'fresh', prompt: 'A heron takes off from a post (batch, new).' },
      ]
      const batch = await run(
        { 'prompts-file': 'prompts.yml', 'max-cost-usd': '0.06' },
        { prepare: (dirs) => writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs)) },
      )
      expect(batch.exitCode, batch.stdout).toBe(0)
      expect(batch.stdout).toContain(
        "Estimated total $0.052 for 1 job to create (1 more is in the cache, at no cost), within 'max-cost-usd' ($0.06).",
      )
      expect(emulator.creates()).toHaveLength(1)
      expect(JSON.parse(emulator.creates()[0].body)).toMatchObject({ prompt: jobs[1].prompt })
      const entries = JSON.parse(batch.outputs.results) as { name: string; status: string; 'cost-usd': string }[]
      expect(entries.map((e) => [e.name, e.status, e['cost-usd']])).toEqual([
        ['cached', 'done', '0'],
        ['fresh', 'done', '0.05'],
      ])
    })

    it('a create the provider refused (HTTP 400) made nothing, so its money goes to the next job', async () => {
      const jobs = [1, 2].map((n) => ({ name: `refused-${n}`, prompt: `A heron wades, cached then evicted (${n}).` }))
      const keys = new Set<string>()
      for (const job of jobs) keys.add((await run({ prompt: job.prompt })).outputs['cache-key'])
      for (const entry of results.caches.filter((e) => keys.has(e.key)))
        results.blobs.delete(`actions-cache/${entry.id}`)
      emulator.setScenario({
        name: 'first-create-refused',
        create: [xaiError(400, 'invalid_argument', 'The prompt was refused.'), createAccepted],
        poll: [xaiDone],
      })
      const batch = await run(
        { 'prompts-file': 'prompts.yml', 'max-cost-usd': '0.06', 'max-concurrency': '1' },
        { prepare: (dirs) => writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs)) },
      )
      expect(emulator.creates()).toHaveLength(2)
      const entries = JSON.parse(batch.outputs.results) as { name: string; status: string; error?: string }[]
      expect(entries.map((e) => [e.name, e.status])).toEqual([
        ['refused-1', 'error'],
        ['refused-2', 'done'],
      ])
      expect(entries[0].error).toContain('The prompt was refused.')
    })

    it('a batch whose new jobs alone are over the budget is refused before any API request', async () => {
      const jobs = [
        { name: 'one', prompt: 'A heron over a lake (never generated, 1).' },
        { name: 'two', prompt: 'A heron over a lake (never generated, 2).' },
      ]
      const batch = await run(
        { 'prompts-file': 'prompts.yml', 'max-cost-usd': '0.06' },
        { prepare: (dirs) => writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs)) },
      )
      expect(batch.exitCode).toBe(1)
      expect(emulator.requests).toEqual([])
      expect(batch.stdout).toContain("The batch's estimated total, $0.104 for 2 jobs, exceeds 'max-cost-usd' ($0.06)")
    })

    it('a batch whose cached jobs then fail to restore: each create is checked against what is left', async () => {
      const jobs = [1, 2, 3].map((n) => ({
        name: `evicted-${n}`,
        prompt: `A heron preens, cached then evicted (${n}).`,
      }))
      const keys = new Set<string>()
      for (const job of jobs) keys.add((await run({ prompt: job.prompt })).outputs['cache-key'])
      // The entries are still listed, so the batch counts them as free, but their archives are gone: every
      // restore misses, and all three jobs reach their create at once.
      for (const entry of results.caches.filter((e) => keys.has(e.key)))
        results.blobs.delete(`actions-cache/${entry.id}`)
      emulator.setScenario('xai-done')
      const batch = await run(
        { 'prompts-file': 'prompts.yml', 'max-cost-usd': '0.06', 'max-concurrency': '3' },
        { prepare: (dirs) => writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs)) },
      )
      expect(batch.stdout).toContain(
        "Estimated total $0 for 0 jobs to create (3 more are in the cache, at no cost), within 'max-cost-usd' ($0.06).",
      )
      expect(emulator.creates()).toHaveLength(1)
      expect(batch.exitCode).toBe(1)
      const entries = JSON.parse(batch.outputs.results) as { status: string; 'request-id': string; error?: string }[]
      expect(entries.map((e) => e.status).sort()).toEqual(['done', 'error', 'error'])
      for (const refused of entries.filter((e) => e.status === 'error')) {
        expect(refused['request-id']).toBe('')
        expect(refused.error).toMatch(
          /^The estimated cost, \$0\.052 \(.*\), exceeds what is left of 'max-cost-usd' \(\$0\.06\): \$0\.008 after the 1 job this step created\. This job was not created\./,
        )
      }
      expect(batch.outputs.status).toBe('failed')
      expect(batch.stdout).toMatch(/::error::2 of 3 jobs failed: .*exceeds what is left of 'max-cost-usd'/)
    })
  })

  it('one changed byte of the image is a miss', async () => {
    const other = path.join(images, 'first-frame-edited.png')
    const bytes = await readFile(image)
    bytes[bytes.length - 5] ^= 0xff
    await writeFile(other, bytes)
    const changed = await run({ image: other })
    expect(changed.outputs['cache-hit']).toBe('false')
    expect(emulator.creates()).toHaveLength(1)
  })
})

describe('dry-run and max-cost-usd', () => {
  let emulator: Emulator
  let results: ResultsServiceFake
  let workspace: string
  beforeAll(async () => {
    emulator = await startEmulator()
    results = await startResultsService()
    workspace = await mkdtemp(path.join(os.tmpdir(), 'dry-run-'))
    await mkdir(workspace, { recursive: true })
  })
  afterAll(async () => {
    await emulator.close()
    await results.close()
    await rm(workspace, { recursive: true, force: true })
  })

  const run = (inputs: Record<string, string>, more: Pick<BundleOptions, 'prepare'> = {}) =>
    runBundle({
      ...more,
      inputs: {
        'api-key': emulator.apiKey,
        'base-url': emulator.xaiBaseUrl,
        prompt: 'A kite.',
        cache: 'true',
        ...inputs,
      },
      env: results.env,
    })

  it('dry-run prints the plan and the body, sets cache-key and estimated-cost-usd, and sends nothing', async () => {
    // The default base-url (CometAPI), so the key is the one pinned above; a dry run sends nothing anywhere.
    const comet = 'https://api.cometapi.com/grok/v1'
    const result = await run({ 'dry-run': 'true', duration: '5', resolution: '720p', 'base-url': comet })
    expect(result.exitCode).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(results.requests).toEqual([])
    expect(result.outputs['estimated-cost-usd']).toBe('0.35')
    expect(result.outputs['cache-key']).toBe(
      'grok-video-v1-d7f7f62088040df916fbb9f3b5081120d2d6653ebd52987013c7789b4782f536',
    )
    expect(result.stdout).toContain(
      `Would send: POST ${comet}/videos/generations\n  Authorization: Bearer ***\n  {\n    "prompt": "A kite.",`,
    )
    expect(result.stdout).toContain('Estimated cost: $0.35 (5 s × $0.07/s (grok-imagine-video, 720p))')
    const printed = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'))
    expect(printed.join('\n')).not.toContain(emulator.apiKey)
    expect(result.outputs['request-id']).toBe('')
    await rm(result.dirs.root, { recursive: true, force: true })
  })

  it('a dry run over max-cost-usd succeeds with status dry-run, and warns that a real run would refuse it', async () => {
    const result = await run({ 'dry-run': 'true', duration: '15', 'max-cost-usd': '0.5' })
    expect(result.exitCode).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(result.outputs).toMatchObject({ status: 'dry-run', 'estimated-cost-usd': '0.75' })
    expect(result.stdout).toContain(
      "::warning::Dry run: the estimate is over 'max-cost-usd' ($0.5): a real run would refuse it unless the cache holds it.",
    )
    await rm(result.dirs.root, { recursive: true, force: true })
  })

  it('a dry run with max-cost-usd and a model of no known price warns that a real run would refuse it', async () => {
    const single = await run({ 'dry-run': 'true', model: 'grok-imagine-video-9', 'max-cost-usd': '1' })
    const jobs = [{ name: 'one', prompt: 'A kite over a dune.', model: 'grok-imagine-video-9' }]
    const batch = await run(
      { 'dry-run': 'true', 'prompts-file': 'prompts.yml', 'max-cost-usd': '1', cache: 'false' },
      { prepare: (dirs) => writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs)) },
    )
    expect(emulator.requests).toEqual([])
    for (const result of [single, batch]) {
      expect(result.exitCode).toBe(0)
      expect(result.outputs.status).toBe('dry-run')
      await rm(result.dirs.root, { recursive: true, force: true })
    }
    expect(single.stdout).toContain(
      "::warning::Dry run: 'max-cost-usd' is set, but no price is known for model 'grok-imagine-video-9': a real run would refuse it.",
    )
    expect(batch.stdout).toContain(
      "::warning::Dry run: 'max-cost-usd' is set, but no price is known for every job's model: a real run would refuse the batch.",
    )
  })

  it('a batch dry run over max-cost-usd succeeds with status dry-run, and warns that a real run would refuse it', async () => {
    const jobs = [
      { name: 'one', prompt: 'A kite over a dune (1).' },
      { name: 'two', prompt: 'A kite over a dune (2).' },
    ]
    const result = await run(
      { 'dry-run': 'true', 'prompts-file': 'prompts.yml', 'max-cost-usd': '0.06', cache: 'false' },
      { prepare: (dirs) => writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs)) },
    )
    expect(result.exitCode).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(result.outputs).toMatchObject({ status: 'dry-run', 'estimated-cost-usd': '0.1' })
    expect(result.stdout).toContain(
      "::warning::Dry run: the estimated total is over 'max-cost-usd' ($0.06): a real run would refuse the batch.",
    )
    await rm(result.dirs.root, { recursive: true, force: true })
  })

  it('max-cost-usd refuses a dearer job before any API request, with the estimate still an output', async () => {
    const result = await run({ duration: '15', 'max-cost-usd': '0.5' })
    expect(result.exitCode).toBe(1)
    expect(emulator.requests).toEqual([])
    // With 'cache: true' the cache is asked first (a hit would be free); nothing is uploaded or saved.
    expect(results.requests.map((r) => r.path.split('/').pop())).toEqual(['GetCacheEntryDownloadURL'])
    expect(result.outputs['estimated-cost-usd']).toBe('0.75')
    expect(result.stdout).toContain(
      "::error::The estimated cost, $0.75 (15 s × $0.05/s (grok-imagine-video, 480p)), exceeds 'max-cost-usd' ($0.5): nothing was sent. Lower 'duration' or 'resolution', or raise 'max-cost-usd'.",
    )
    await rm(result.dirs.root, { recursive: true, force: true })
  })

  it('a batch counts what a created job cost by the provider, so a dearer bill refuses the next create', async () => {
    emulator.setScenario({
      name: 'dear',
      poll: [
        (ctx) => ({
          status: 200,
          body: {
            status: 'done',
            video: { url: ctx.videoUrl, duration: 1 },
            usage: { cost_in_usd_ticks: 900_000_000 },
          },
        }),
      ],
    })
    const jobs = [
      { name: 'first', prompt: 'A kite, billed dearer than estimated.' },
      { name: 'second', prompt: 'A kite that the money left cannot pay for.' },
    ]
    const result = await run(
      {
        'prompts-file': 'prompts.yml',
        'max-cost-usd': '0.11',
        'max-concurrency': '1',
        cache: 'false',
        'upload-artifact': 'false',
        'poll-interval-seconds': '0.05',
      },
      { prepare: (dirs) => writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs)) },
    )
    // By the estimates ($0.05 each) both fit; after the first job's bill of $0.09, $0.02 is left.
    expect(result.stdout).toContain("Estimated total $0.1 for 2 jobs, within 'max-cost-usd' ($0.11).")
    expect(emulator.creates()).toHaveLength(1)
    expect(result.exitCode).toBe(1)
    const entries = JSON.parse(result.outputs.results) as { name: string; status: string; error?: string }[]
    expect(entries.map((e) => [e.name, e.status])).toEqual([
      ['first', 'done'],
      ['second', 'error'],
    ])
    expect(entries[1].error).toContain("exceeds what is left of 'max-cost-usd' ($0.11): $0.02 after the 1 job")
    await rm(result.dirs.root, { recursive: true, force: true })
  })

  it('a resumed job creates nothing, so max-cost-usd does not refuse collecting it', async () => {
    emulator.setScenario('xai-done')
    const quiet = { cache: 'false', 'upload-artifact': 'false', 'poll-interval-seconds': '0.05', duration: '15' }
    const handedOff = await run({ ...quiet, wait: 'false' })
    const id = handedOff.outputs['request-id']
    expect(id).toMatch(/\S/)
    const creates = emulator.creates().length
    const result = await run({ ...quiet, 'request-id': id, 'max-cost-usd': '0.01' })
    expect(result.exitCode, result.stdout).toBe(0)
    expect(emulator.creates()).toHaveLength(creates)
    expect(result.outputs).toMatchObject({ status: 'done', 'request-id': id })
    await rm(handedOff.dirs.root, { recursive: true, force: true })
    await rm(result.dirs.root, { recursive: true, force: true })
  })

  it('max-cost-usd lets a job within budget through, and warns when the bill beats the estimate', async () => {
    emulator.setScenario({
      name: 'dear',
      poll: [
        (ctx) => ({
          status: 200,
          body: {
            status: 'done',
            video: { url: ctx.videoUrl, duration: 1 },
            usage: { cost_in_usd_ticks: 900_000_000 },
          },
        }),
      ],
    })
    const result = await run({
      'max-cost-usd': '1',
      cache: 'false',
      'upload-artifact': 'false',
      'poll-interval-seconds': '0.05',
    })
    expect(result.exitCode).toBe(0)
    expect(emulator.creates()).toHaveLength(1)
    expect(result.outputs['cost-usd']).toBe('0.09')
    expect(result.stdout).toContain('::warning::The job cost $0.09, more than the estimate of $0.05')
    await rm(result.dirs.root, { recursive: true, force: true })
  })
})

/**
 * The adapter (src/main.ts) through the real bundle: a `prompts-file` batch run as a runner runs it (concurrency,
 * a shared 429 hold, failures with and without fail-fast, the budget on the total, the `results` manifest, the
 * summary) and the pull-request comment against the GitHub REST fake. Every run is a fresh workflow run with its
 * own artifact service fake, so its artifacts are exactly the run's.
 */
import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import type { BatchEntry } from '../src/batch.js'
import { FFMPEG_WASM } from '../src/ffmpeg.js'
import { cometError, createAccepted, emptyAccepted, xaiDone, xaiFailed } from './emulator/scenarios.ts'
import {
  loadFixtureVideo,
  type JobContext,
  type RecordedRequest,
  type Scenario,
  type ScriptedResponse,
} from './emulator/server.ts'
import { commentMarker, legacyCommentMarker } from '../src/pr-comment.js'
import {
  BOT_LOGIN,
  startGitHubApi,
  type GitHubApiFake,
  type GitHubApiOptions,
  type PullRequestKey,
} from './fakes/github-rest.ts'
import { startResultsService, type StoredArtifact } from './fakes/results-service.ts'
import { startNpmRegistry } from './fakes/npm-registry.ts'
import { readZip } from './fakes/zip.ts'
import { bundleSession } from './harness/bundle-session.ts'
import { FFMPEG_TESTS, readGif, recordingFfmpeg, tarballFromNpmCache, toolsOnlyPath } from './harness/ffmpeg.ts'
import {
  CANCEL_BY_SIGNAL,
  makeRunnerDirs,
  signalOnOutput,
  type BundleOptions,
  type BundleRun,
  type RunnerDirs,
} from './harness/runner.ts'

const KEY = 'sk-main-test-5e4d3c2b1a09f8e7'
const GH_TOKEN = 'ghs_mainTestToken0123456789abcdefABCDEF'
const FIXTURE_SHA256 = createHash('sha256').update(loadFixtureVideo()).digest('hex')
const PROMPTS_FILE = 'prompts.yml'
/** The spec's keys of a `results` entry. */
const ENTRY_KEYS = [
  'name',
  'request-id',
  'status',
  'video-path',
  'video-sha256',
  'cost-usd',
  'artifact-id',
  'artifact-url',
]
const PR: PullRequestKey = { owner: 'octo-org', repo: 'films', number: 7 }
const WORKFLOW_FILE = '.github/workflows/preview.yml'
const FRAME = path.join(import.meta.dirname, 'fixtures', 'frame.png')
/** The pull request's own branch (GITHUB_HEAD_REF). */
const PR_HEAD = 'feature/new-intro'

const session = bundleSession({ emulator: { apiKey: KEY }, secrets: [KEY, GH_TOKEN] })
/** How many steps this file has run: each is a new workflow run, with a run id of its own. */
let runCount = 0

// ---------------------------------------------------------------------------------------------------------
// Helpers

interface Job {
  name: string
  prompt: string
}

/** clip-01 … clip-NN, each with a prompt of its own (the session.emulator tells jobs apart by it). */
const clips = (count: number): Job[] =>
  Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, '0')
    return { name: `clip-${n}`, prompt: `Shot ${n}: a paper boat drifts past a lamp post.` }
  })

interface ActionRun extends BundleRun {
  /** What the session.emulator received during this run (API and video host), in arrival order. */
  requests: RecordedRequest[]
  /** What this run's artifact service received. */
  artifacts: StoredArtifact[]
  jobs: Job[]
}

interface RunOptions {
  scenario: Scenario
  inputs?: Record<string, string>
  /** Written as the prompts file, turning the step into a batch. */
  jobs?: Job[]
  /** The raw prompts file, instead of `jobs` (made from the run's directories when a function). */
  promptsFile?: string | ((dirs: RunnerDirs) => string)
  /** Puts files in place before the step runs. */
  prepare?: (dirs: RunnerDirs) => Promise<void>
  /** The GitHub REST fake and the event this run is for; `workflow`: the workflow file (preview.yml by default). */
  github?: { api: GitHubApiFake; event: string; workflow?: string }
  /** Hooks on the process, e.g. to cancel it part-way. */
  process?: Pick<BundleOptions, 'onSpawn' | 'onOutput'>
  /** More environment (PATH, npm settings). */
  env?: Record<string, string>
}

/**
 * One step run as a runner runs it: the action's inputs, a new workflow run (its own artifact service). Every run
 * is checked for the API key or the GitHub token showing anywhere (log, outputs, summary, files).
 */
async function runAction(options: RunOptions): Promise<ActionRun> {
  session.emulator.setScenario(options.scenario)
  const results = await startResultsService()
  const dirs = await makeRunnerDirs('grok-main-')
  const jobs = options.jobs ?? []
  try {
    await options.prepare?.(dirs)
    const text =
      typeof options.promptsFile === 'function'
        ? options.promptsFile(dirs)
        : (options.promptsFile ?? (options.jobs ? stringify(jobs) : undefined))
    if (text !== undefined) await writeFile(path.join(dirs.workspace, PROMPTS_FILE), text)
    let githubEnv: Record<string, string> = {}
    if (options.github) {
      const eventPath = path.join(dirs.root, 'event.json')
      await writeFile(
        eventPath,
        JSON.stringify({
          pull_request: { number: PR.number },
          repository: { name: PR.repo, owner: { login: PR.owner } },
        }),
      )
      githubEnv = {
        GITHUB_EVENT_NAME: options.github.event,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_API_URL: options.github.api.apiUrl,
        GITHUB_JOB: 'render',
        GITHUB_WORKFLOW_REF: `${PR.owner}/${PR.repo}/${options.github.workflow ?? WORKFLOW_FILE}@refs/pull/${PR.number}/merge`,
        GITHUB_REPOSITORY: `${PR.owner}/${PR.repo}`,
        ...(options.github.event === 'pull_request' ? { GITHUB_HEAD_REF: PR_HEAD, GITHUB_BASE_REF: 'main' } : {}),
      }
    }
    const run = await session.run({
      dirs,
      inputs: {
        'api-key': KEY,
        'base-url': session.emulator.xaiBaseUrl,
        'poll-interval-seconds': '0.05',
        ...(text !== undefined ? { 'prompts-file': PROMPTS_FILE } : { prompt: 'A red kite over green hills.' }),
        ...options.inputs,
      },
      // A new run id per run, as every push makes a new workflow run (and artifact links differ).
      env: { ...results.env, GITHUB_RUN_ID: String(7000 + runCount++), ...githubEnv, ...options.env },
      ...options.process,
    })
    const actionRun: ActionRun = {
      ...run,
      requests: [...session.emulator.requests],
      artifacts: [...results.artifacts],
      jobs,
    }
    return actionRun
  } finally {
    await results.close()
  }
}

const annotations = (run: BundleRun, kind: 'error' | 'warning' | 'notice'): string[] =>
  run.stdout.split('\n').filter((line) => line.startsWith(`::${kind}::`))

function entriesOf(run: BundleRun): BatchEntry[] {
  const text = run.outputs.results
  expect(text, 'the results output').toBeTruthy()
  return JSON.parse(text) as BatchEntry[]
}

const apiRequests = (run: ActionRun): RecordedRequest[] => run.requests.filter((r) => r.host === 'api')
const isCreate = (r: RecordedRequest): boolean => r.method === 'POST'

/** The job a request belongs to: a create by its prompt, a status check by the request id in its path. */
function jobNamer(run: ActionRun): (r: RecordedRequest) => string {
  const byPrompt = new Map(run.jobs.map((job) => [job.prompt, job.name]))
  const byId = new Map(entriesOf(run).map((entry) => [entry['request-id'], entry.name]))
  return (r) => {
    const name = isCreate(r)
      ? byPrompt.get((JSON.parse(r.body) as { prompt: string }).prompt)
      : byId.get(decodeURIComponent(r.path.split('/').pop() as string))
    if (!name) throw new Error(`request ${r.method} ${r.path} belongs to no job`)
    return name
  }
}

/** The job that asked: the session.emulator hands responders the create body, and the prompts are unique. */
const nameOfPrompt = (jobs: Job[], ctx: JobContext): string =>
  jobs.find((job) => job.prompt === ctx.createBody?.['prompt'])?.name ?? '?'

/** A job: some status checks that find it running, then done. */
const finishing =
  (runningChecks = 2) =>
  (ctx: JobContext): ScriptedResponse =>
    ctx.pollIndex < runningChecks ? emptyAccepted() : xaiDone(ctx)

/** Each job in flight from its first create until its last status check. */
function inFlight(run: ActionRun): Map<string, { from: number; to: number }> {
  const jobOf = jobNamer(run)
  const spans = new Map<string, { from: number; to: number }>()
  for (const r of apiRequests(run)) {
    const name = jobOf(r)
    const span = spans.get(name)
    if (!span) spans.set(name, { from: r.at, to: r.at })
    else span.to = Math.max(span.to, r.at)
  }
  return spans
}

/** The most spans open at one moment (a start at the same millisecond as an end counts as overlapping). */
function maxOverlap(spans: Iterable<{ from: number; to: number }>): number {
  const events = [...spans].flatMap(({ from, to }) => [
    { at: from, delta: 1 },
    { at: to, delta: -1 },
  ])
  events.sort((a, b) => a.at - b.at || b.delta - a.delta)
  let open = 0
  let most = 0
  for (const { delta } of events) most = Math.max(most, (open += delta))
  return most
}

/** Every entry has the spec's keys; a done one points at its file and at the artifact this run's service holds. */
async function expectDoneEntry(run: ActionRun, entry: BatchEntry): Promise<void> {
  expect(Object.keys(entry).sort(), entry.name).toEqual([...ENTRY_KEYS].sort())
  expect(entry.status, entry.name).toBe('done')
  expect(entry['request-id'], entry.name).toMatch(/\S/)
  expect(entry['video-sha256'], entry.name).toBe(FIXTURE_SHA256)
  expect(entry['cost-usd'], entry.name).toBe('0.05')
  expect((await stat(entry['video-path'])).size, entry.name).toBe(loadFixtureVideo().length)
  const artifact = run.artifacts.find((a) => String(a.id) === entry['artifact-id'])
  expect(artifact, entry.name).toMatchObject({ name: `grok-video-${entry.name}.mp4`, sha256: entry['video-sha256'] })
  expect(entry['artifact-url'], entry.name).toMatch(new RegExp(`/actions/runs/\\d+/artifacts/${entry['artifact-id']}$`))
}

// ---------------------------------------------------------------------------------------------------------
// Batch

describe('batch: a prompts-file through the bundle', () => {
  it('10 jobs with max-concurrency 3: never more than 3 in flight, all done, results match the artifacts, one summary row each', async () => {
    const jobs = clips(10)
    const run = await runAction({
      scenario: { name: 'ten', poll: [finishing()] },
      jobs,
      inputs: { 'max-concurrency': '3' },
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(annotations(run, 'error')).toEqual([])

    const spans = inFlight(run)
    expect([...spans.keys()].sort()).toEqual(jobs.map((job) => job.name))
    expect(maxOverlap(spans.values())).toBe(3)
    expect(apiRequests(run).filter(isCreate)).toHaveLength(10)

    const entries = entriesOf(run)
    expect(entries.map((entry) => entry.name)).toEqual(jobs.map((job) => job.name))
    for (const entry of entries) await expectDoneEntry(run, entry)
    expect(new Set(entries.map((entry) => entry['request-id'])).size).toBe(10)
    // One artifact per job, each name once.
    expect(run.artifacts.map((a) => a.name).sort()).toEqual(jobs.map((job) => `grok-video-${job.name}.mp4`))
    expect(run.outputs).toMatchObject({ status: 'done', 'cost-usd': '0.5', 'estimated-cost-usd': '0.5' })

    const rows = run.summary.split('\n').filter((line) => /^\| ` clip-\d\d ` \|/.test(line))
    expect(rows.map((line) => line.split(' | ')[0])).toEqual(jobs.map((job) => `| \` ${job.name} \``))
    for (const [i, line] of rows.entries()) {
      const entry = entries[i]
      expect(line).toContain(' | done | ')
      expect(line).toContain(`\` ${entry['request-id']} \``)
      expect(line).toContain(`(${entry['artifact-url']})`)
    }
  }, 180_000) // ten paced jobs plus their uploads: a loaded 2-core machine needs more than the default minute

  it('a 429 storm holds every job until Retry-After has passed; all end done, each created exactly once', async () => {
    const RETRY_AFTER_MS = 1000
    const jobs = clips(6)
    // Which attempts are refused, per job: two creates of clip-03, one of clip-05, the second status check of clip-02.
    const refusedCreates: Record<string, number> = { 'clip-03': 2, 'clip-05': 1 }
    const refusedChecks: Record<string, number[]> = { 'clip-02': [1] }
    const tooMany = () =>
      cometError(429, 'Rate limit reached for requests', 'rate_limit', { 'Retry-After': String(RETRY_AFTER_MS / 1000) })
    const createAttempts = new Map<string, number>()
    const answered: { name: string; create: boolean; status: number }[] = []
    const answer = (name: string, create: boolean, response: ScriptedResponse): ScriptedResponse => {
      answered.push({ name, create, status: response.status })
      return response
    }
    const storm: Scenario = {
      name: '429-storm',
      create: [
        (ctx) => {
          const name = nameOfPrompt(jobs, ctx)
          const attempt = createAttempts.get(name) ?? 0
          createAttempts.set(name, attempt + 1)
          return answer(name, true, attempt < (refusedCreates[name] ?? 0) ? tooMany() : createAccepted(ctx))
        },
      ],
      poll: [
        (ctx) => {
          const name = nameOfPrompt(jobs, ctx)
          return answer(name, false, refusedChecks[name]?.includes(ctx.pollIndex) ? tooMany() : finishing()(ctx))
        },
      ],
    }
    const run = await runAction({ scenario: storm, jobs, inputs: { 'max-concurrency': '3' } })
    expect(run.exitCode).toBe(0)

    // None lost: every job done, with its own request id and artifact.
    const entries = entriesOf(run)
    expect(entries.map((entry) => [entry.name, entry.status])).toEqual(jobs.map((job) => [job.name, 'done']))
    for (const entry of entries) await expectDoneEntry(run, entry)
    expect(new Set(entries.map((entry) => entry['request-id'])).size).toBe(jobs.length)

    // Not billed twice: per job, the refused creates (nothing started) and then exactly one answered 200.
    for (const job of jobs) {
      const creates = answered.filter((a) => a.create && a.name === job.name).map((a) => a.status)
      expect(creates, job.name).toEqual([...Array<number>(refusedCreates[job.name] ?? 0).fill(429), 200])
    }
    expect(answered.filter((a) => a.status === 429)).toHaveLength(4)

    // Each recorded request, with its job and whether it was refused (a job's attempts are sequential, so its n-th
    // create is attempt n, and its n-th status check is check n).
    const jobOf = jobNamer(run)
    const seenPerJob = new Map<string, number>()
    const api = apiRequests(run).map((r) => {
      const name = jobOf(r)
      const key = `${name}:${isCreate(r) ? 'create' : 'check'}`
      const attempt = seenPerJob.get(key) ?? 0
      seenPerJob.set(key, attempt + 1)
      const refused = isCreate(r)
        ? attempt < (refusedCreates[name] ?? 0)
        : (refusedChecks[name]?.includes(attempt) ?? false)
      return { ...r, name, refused }
    })
    expect(api.filter((r) => r.refused)).toHaveLength(4)

    // After each 429, until its Retry-After has passed: nothing from the refused job, and from every other job at
    // most the one request it already had on its way (sent before the 429 reached the action). Without the shared
    // hold, the other jobs would keep checking every 0.05 s through the whole second.
    const spans = inFlight(run)
    let othersHeld = 0
    for (const [i, refusal] of api.entries()) {
      if (!refusal.refused) continue
      const during = api.slice(i + 1).filter((r) => r.at < refusal.at + RETRY_AFTER_MS)
      expect(
        during.filter((r) => r.name === refusal.name),
        `${refusal.name}'s own retry`,
      ).toEqual([])
      for (const job of jobs)
        expect(
          during.filter((r) => r.name === job.name).length,
          `${job.name} after ${refusal.name}'s 429`,
        ).toBeLessThanOrEqual(1)
      othersHeld += jobs.filter((job) => {
        const span = spans.get(job.name)
        return (
          job.name !== refusal.name &&
          span !== undefined &&
          span.from < refusal.at &&
          span.to > refusal.at + RETRY_AFTER_MS
        )
      }).length
    }
    // The holds did fall on other jobs that were running at the time.
    expect(othersHeld).toBeGreaterThan(0)
    expect(maxOverlap(spans.values())).toBeLessThanOrEqual(3)
  })

  it('a server that resets creates on reused keep-alive connections: every job done, each created once', async () => {
    const jobs = clips(6)
    const refused = jobs[1]
    let refusals = 0
    const run = await runAction({
      scenario: {
        name: 'idle-sockets-closed',
        resetsCreatesOnReusedConnections: true,
        // One 429 (a create refused before any work): the only case where a create is sent again.
        create: [
          (ctx) =>
            ctx.createBody?.['prompt'] === refused.prompt && refusals++ === 0
              ? cometError(429, 'Rate limit reached for requests', 'rate_limit', { 'Retry-After': '0' })
              : createAccepted(ctx),
        ],
        poll: [finishing(2)],
      },
      jobs,
      inputs: { 'max-concurrency': '3' },
    })
    expect(run.exitCode).toBe(0)
    const entries = entriesOf(run)
    expect(entries.map((entry) => entry.status)).toEqual(jobs.map(() => 'done'))
    for (const entry of entries) await expectDoneEntry(run, entry)
    const creates = apiRequests(run).filter(isCreate)
    expect(creates.map((r) => r.connection.request)).toEqual(creates.map(() => 1))
    const prompts = creates.map((r) => (JSON.parse(r.body) as { prompt: string }).prompt)
    expect(prompts.sort()).toEqual([...jobs.map((job) => job.prompt), refused.prompt].sort())
    // Status checks still ride kept-alive connections.
    const polls = apiRequests(run).filter((r) => !isCreate(r))
    expect(polls.filter((r) => r.connection.request > 1).length).toBeGreaterThan(polls.length / 2)
  })

  it('cancelled part-way: the resume line names only the jobs still running, not the finished one', async ({
    skip,
  }) => {
    skip(!CANCEL_BY_SIGNAL, 'Windows has no SIGTERM: the process would be ended, not signalled')
    const jobs = clips(3)
    const [quick] = jobs
    // clip-03 starts only once clip-01 has ended, so by its first line clip-01 is in the manifest as done.
    const cancel = signalOnOutput('[clip-03] Job created:')
    const run = await runAction({
      // clip-01 is done at its second check; the others run until the step is cancelled.
      scenario: {
        name: 'one-finishes',
        poll: [(ctx) => (ctx.createBody?.['prompt'] === quick.prompt ? finishing(1)(ctx) : emptyAccepted())],
      },
      jobs,
      inputs: { 'max-concurrency': '2' },
      process: cancel,
    })
    expect(cancel.sent()).toBe(true)
    expect(run.exitCode).toBe(1)
    const entries = entriesOf(run)
    expect(entries.map((entry) => entry.status)).toEqual(['done', 'pending', 'pending'])
    const [finished, ...running] = entries
    const errors = annotations(run, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('SIGTERM')
    for (const entry of running) expect(errors[0]).toContain(`'request-id: ${entry['request-id']}'`)
    expect(errors[0]).not.toContain(finished['request-id'])
  })

  const failing = clips(4)
  const FAILED = failing[1]
  const failOne: Scenario = {
    name: 'one-fails',
    poll: [
      (ctx) =>
        ctx.pollIndex === 0
          ? emptyAccepted()
          : ctx.createBody?.['prompt'] === FAILED.prompt
            ? xaiFailed('internal_error', 'Video generation failed. Please try again.')
            : xaiDone(ctx),
    ],
  }

  it.each([
    { failFast: 'false', concurrency: '2', statuses: ['done', 'failed', 'done', 'done'] },
    { failFast: 'true', concurrency: '1', statuses: ['done', 'failed', 'not-started', 'not-started'] },
  ])(
    'a failed job with fail-fast $failFast (max-concurrency $concurrency): statuses $statuses',
    async ({ failFast, concurrency, statuses }) => {
      const run = await runAction({
        scenario: failOne,
        jobs: failing,
        inputs: { 'fail-fast': failFast, 'max-concurrency': concurrency },
      })
      expect(run.exitCode).toBe(1)
      const entries = entriesOf(run)
      expect(entries.map((entry) => entry.status)).toEqual(statuses)
      for (const entry of entries) expect(Object.keys(entry), entry.name).toEqual(expect.arrayContaining(ENTRY_KEYS))
      const failed = entries.find((entry) => entry.name === FAILED.name) as BatchEntry
      expect(failed['request-id']).toMatch(/\S/)
      expect(failed.error).toContain('Video generation failed')
      for (const entry of entries.filter((e) => e.status === 'done')) await expectDoneEntry(run, entry)

      // Only the started jobs were created, each once.
      const started = failing.filter((_, i) => statuses[i] !== 'not-started')
      expect(
        apiRequests(run)
          .filter(isCreate)
          .map((r) => (JSON.parse(r.body) as { prompt: string }).prompt)
          .sort(),
      ).toEqual(started.map((job) => job.prompt).sort())

      // One error: the failed job with its request id, and the jobs never started.
      const errors = annotations(run, 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]).toContain(`'${FAILED.name}'`)
      expect(errors[0]).toContain(failed['request-id'])
      for (const [i, job] of failing.entries()) {
        if (statuses[i] === 'not-started') expect(errors[0]).toMatch(new RegExp(`not started.*'${job.name}'`))
        else if (statuses[i] === 'done') expect(errors[0]).not.toContain(`'${job.name}'`)
      }
      expect(run.outputs.status).toBe('failed')
    },
  )

  it('max-cost-usd below the total refuses before any request, though each job alone is within it', async () => {
    const jobs = clips(3)
    // 5 s at 480p: $0.25 a job, $0.75 in all.
    const run = await runAction({
      scenario: { name: 'unused', poll: [finishing()] },
      jobs,
      inputs: { duration: '5', 'max-cost-usd': '0.5' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.requests).toEqual([])
    expect(run.artifacts).toEqual([])
    expect(run.outputs['estimated-cost-usd']).toBe('0.75')
    const errors = annotations(run, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('$0.75 for 3 jobs')
    expect(errors[0]).toContain("'max-cost-usd' ($0.5)")
    expect(entriesOf(run).map((entry) => entry.status)).toEqual(['not-started', 'not-started', 'not-started'])
  })

  it('dry-run prints the plan of every job (an image by its name, not its bytes) and the total, and sends nothing', async () => {
    const image = 'frames/frame.png'
    const run = await runAction({
      scenario: { name: 'unused', poll: [finishing()] },
      prepare: async (dirs) => {
        await mkdir(path.join(dirs.workspace, 'frames'))
        await copyFile(FRAME, path.join(dirs.workspace, image))
      },
      promptsFile: stringify([
        { name: 'intro', prompt: 'p1' },
        { name: 'still', prompt: 'p2', image },
      ]),
      inputs: { 'dry-run': 'true' },
    })
    expect(run.exitCode).toBe(0)
    expect(run.requests).toEqual([])
    expect(run.artifacts).toEqual([])
    expect(run.stdout).toContain('[intro] Would send: POST')
    expect(run.stdout).toContain('[still] Would send: POST')
    expect(run.stdout).toContain(`"url": "${image} (image/png`)
    expect(run.stdout).not.toContain('base64,')
    expect(run.stdout).toContain('Dry run of 2 jobs: estimated total $0.102')
    expect(run.outputs['estimated-cost-usd']).toBe('0.102')
  })

  it.each([
    {
      why: 'a typo in a job key',
      file: stringify([
        { name: 'intro', prompt: 'p' },
        { name: 'outro', prompt: 'p', duraton: 5 },
      ]),
      says: /Input 'prompts-file' job #2 \('outro'\) has unknown keys 'duraton'/,
    },
    {
      why: 'a key with no value (YAML null)',
      file: '- name: intro\n  prompt: p\n  duration:\n',
      says: /Input 'prompts-file' job 'intro': 'duration' has no value/,
    },
    {
      why: "a job's image that is not an image",
      file: stringify([{ name: 'still', prompt: 'p', image: 'prompts.yml' }]),
      says: /Input 'prompts-file' job 'still': 'image' 'prompts\.yml' is not a PNG, JPEG or WebP/,
    },
  ])('an invalid prompts file ($why) fails with one error and sends nothing', async ({ file, says }) => {
    const run = await runAction({ scenario: { name: 'unused', poll: [finishing()] }, promptsFile: file })
    expect(run.exitCode).toBe(1)
    expect(run.requests).toEqual([])
    expect(annotations(run, 'error')).toHaveLength(1)
    expect(annotations(run, 'error')[0]).toMatch(says)
  })
})

describe('paths named inside a prompts file stay inside the workspace', () => {
  /** What a checkout leaves in `.git/config`: the job token, which must never be read, sent or shown. */
  const CHECKOUT_TOKEN = 'eC1hY2Nlc3MtdG9rZW46Z2hzX2NoZWNrb3V0VG9rZW4='
  const OUTSIDE_TEXT = 'A file beside the workspace, not meant for the provider.'

  /** A checked-out workspace with a prompt and a frame of its own, a file beside it, and symlinks out and into .git. */
  async function checkout(dirs: RunnerDirs): Promise<void> {
    const inWorkspace = (...parts: string[]) => path.join(dirs.workspace, ...parts)
    await mkdir(inWorkspace('.git'))
    await writeFile(
      inWorkspace('.git', 'config'),
      `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${CHECKOUT_TOKEN}\n`,
    )
    await mkdir(inWorkspace('prompts'))
    await writeFile(inWorkspace('prompts', 'intro.txt'), 'A lighthouse at dusk, waves below.')
    await mkdir(inWorkspace('frames'))
    await copyFile(FRAME, inWorkspace('frames', 'still.png'))
    await writeFile(path.join(dirs.root, 'outside.txt'), OUTSIDE_TEXT)
    await writeFile(path.join(dirs.runnerTemp, 'step-prompt.txt'), 'A kite over the dunes.')
    await copyFile(FRAME, path.join(dirs.runnerTemp, 'step-frame.png'))
    await symlink(path.join(dirs.root, 'outside.txt'), inWorkspace('prompts', 'link-out.txt'))
    await symlink(inWorkspace('.git'), inWorkspace('git-link'))
  }

  it.each<{
    why: string
    field: 'prompt-file' | 'image' | 'reference-images' | 'video'
    value: string | ((dirs: RunnerDirs) => string)
    says: RegExp
  }>([
    {
      why: "'..' out of the workspace",
      field: 'prompt-file',
      value: '../outside.txt',
      says: /leads out of the workspace/,
    },
    {
      why: 'an absolute path',
      field: 'prompt-file',
      value: (dirs) => path.join(dirs.root, 'outside.txt'),
      says: /is an absolute path/,
    },
    {
      why: 'an absolute image path',
      field: 'image',
      value: (dirs) => path.join(dirs.runnerTemp, 'step-frame.png'),
      says: /is an absolute path/,
    },
    { why: 'a symlink out', field: 'prompt-file', value: 'prompts/link-out.txt', says: /symlink that leads out/ },
    { why: '.git/config', field: 'prompt-file', value: '.git/config', says: /is under '\.git\/'/ },
    { why: 'a detour into .git', field: 'prompt-file', value: 'prompts/../.git/config', says: /is under '\.git\/'/ },
    { why: 'a symlink into .git', field: 'prompt-file', value: 'git-link/config', says: /symlink into '\.git\/'/ },
    { why: 'an image under .git', field: 'image', value: '.git/config', says: /is under '\.git\/'/ },
    { why: 'a video under .git', field: 'video', value: '.git/config', says: /is under '\.git\/'/ },
    { why: "a video by '..'", field: 'video', value: '../outside.txt', says: /leads out of the workspace/ },
    {
      why: 'a reference image through a symlink out',
      field: 'reference-images',
      value: 'prompts/link-out.txt',
      says: /symlink that leads out/,
    },
    {
      why: 'an absolute reference image',
      field: 'reference-images',
      value: (dirs) => path.join(dirs.runnerTemp, 'step-frame.png'),
      says: /is an absolute path/,
    },
  ])('$why ($field) is refused before any request, naming the job and the field', async ({ field, value, says }) => {
    let named = ''
    const run = await runAction({
      scenario: { name: 'unused', poll: [finishing()] },
      prepare: checkout,
      promptsFile: (dirs) => {
        named = typeof value === 'string' ? value : value(dirs)
        return stringify([
          { name: 'intro', prompt: 'A harbour at dawn.' },
          {
            name: 'sneaky',
            ...(field === 'prompt-file' ? {} : { prompt: 'p' }),
            ...(field === 'video' ? { operation: 'edit' } : {}),
            [field]: named,
          },
        ])
      },
    })
    expect(run.exitCode).toBe(1)
    expect(run.requests).toEqual([])
    const errors = annotations(run, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`Input 'prompts-file' job 'sneaky': '${field}' '${named}' `)
    expect(errors[0]).toMatch(says)
    for (const text of [run.stdout, run.stderr, run.summary]) {
      expect(text).not.toContain(CHECKOUT_TOKEN)
      expect(text).not.toContain(OUTSIDE_TEXT)
    }
  })

  it("the step's own inputs may name any path; a job's paths inside the workspace are read", async () => {
    const run = await runAction({
      scenario: { name: 'unused', poll: [finishing()] },
      prepare: checkout,
      promptsFile: stringify([
        { name: 'defaults' },
        { name: 'own', 'prompt-file': 'prompts/intro.txt', image: 'frames/still.png' },
      ]),
      // Outside the workspace (in RUNNER_TEMP, beside it), as a previous step's output would be.
      inputs: {
        'dry-run': 'true',
        'prompt-file': '../runner-temp/step-prompt.txt',
        image: '../runner-temp/step-frame.png',
      },
    })
    expect(run.exitCode).toBe(0)
    expect(annotations(run, 'error')).toEqual([])
    expect(run.requests).toEqual([])
    const plan = (job: string) =>
      run.stdout
        .split('\n')
        .filter((line) => line.startsWith(`[${job}]`))
        .join('\n')
    expect(plan('defaults')).toContain('"prompt": "A kite over the dunes."')
    expect(plan('defaults')).toContain('"url": "../runner-temp/step-frame.png (image/png')
    expect(plan('own')).toContain('"prompt": "A lighthouse at dusk, waves below."')
    expect(plan('own')).toContain('"url": "frames/still.png (image/png')
  })
})

// ---------------------------------------------------------------------------------------------------------
// Pull request comment

describe('comment-on-pr through the bundle', () => {
  let api: GitHubApiFake | undefined
  afterEach(async () => {
    const running = api
    api = undefined
    try {
      // What the action wrote to GitHub holds no secret either.
      for (const request of running?.requests ?? [])
        for (const secret of [KEY, GH_TOKEN]) expect(request.body).not.toContain(secret)
    } finally {
      await running?.close()
    }
  })
  const startApi = async (options: GitHubApiOptions = {}): Promise<GitHubApiFake> =>
    (api = await startGitHubApi({ token: GH_TOKEN, ...options }))

  const commenting = { 'comment-on-pr': 'true', 'github-token': GH_TOKEN, 'artifact-name': 'preview' }
  const quick: Scenario = { name: 'quick', poll: [finishing(1)] }
  // A GraphQL query (who the token is) only reads.
  const writes = (fake: GitHubApiFake): string[] =>
    fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql').map((r) => r.method)

  it('the first run adds one comment with the request id and a link to the artifact; the next run edits it', async () => {
    const fake = await startApi()
    const first = await runAction({ scenario: quick, inputs: commenting, github: { api: fake, event: 'pull_request' } })
    expect(first.exitCode).toBe(0)
    const [created] = fake.comments(PR)
    expect(fake.comments(PR)).toHaveLength(1)
    expect(created?.body).toContain(first.outputs['request-id'])
    expect(created?.body).toContain(`](${first.outputs['artifact-url']})`)
    expect(writes(fake)).toEqual(['POST'])
    for (const request of fake.requests)
      expect(request.headers.authorization).toMatch(new RegExp(`^(token|bearer) ${GH_TOKEN}$`, 'i'))

    const second = await runAction({
      scenario: quick,
      inputs: commenting,
      github: { api: fake, event: 'pull_request' },
    })
    expect(second.exitCode).toBe(0)
    expect(second.outputs['request-id']).not.toBe(first.outputs['request-id'])
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.id).toBe(created?.id)
    expect(comments[0]?.body).toContain(second.outputs['request-id'])
    expect(comments[0]?.body).toContain(`](${second.outputs['artifact-url']})`)
    expect(comments[0]?.body).not.toContain(first.outputs['request-id'])
    expect(writes(fake)).toEqual(['POST', 'PATCH'])
  })

  it('prompt and provider text stay inert: code in the summary and the comment, no tag, emphasis or @mention', async () => {
    const fake = await startApi()
    const hostile = '<img src=x> | *loud* @someone'
    const run = await runAction({
      scenario: { name: 'hostile', poll: [() => xaiFailed('internal_error', `Rejected: ${hostile}`)] },
      inputs: { ...commenting, prompt: hostile },
      github: { api: fake, event: 'pull_request' },
    })
    expect(run.exitCode).toBe(1)
    const [comment] = fake.comments(PR)
    const escaped = '<img src=x> \\| *loud* @someone'
    expect(run.summary).toContain(`| Prompt | \` ${escaped} \` |`)
    const errorLine = run.summary.split('\n').find((line) => line.startsWith('> **Error:**'))
    expect(errorLine).toMatch(/^> \*\*Error:\*\* ` .* `$/)
    expect(errorLine).toContain(`Rejected: ${escaped}`)
    expect(comment?.body).toContain(`| Prompt | \` ${escaped} \` |`)
    for (const markdown of [run.summary, comment?.body ?? '']) {
      // Outside code spans (which GitHub shows as typed) none of it is left to render.
      const rendered = markdown.replace(/` [^`]* `/g, 'CODE')
      for (const piece of ['<img', '*loud*', '@someone']) expect(rendered).not.toContain(piece)
      for (const row of markdown.split('\n').filter((line) => line.startsWith('| Prompt')))
        expect(row.split(/(?<!\\)\|/)).toHaveLength(4)
    }
  })

  it("edits only its own workflow's comment, written by its own identity; a pasted marker is left alone", async () => {
    const marker = commentMarker(WORKFLOW_FILE, 'render', 'preview')
    const pasted = [
      `${marker}\nSomeone copied the marker.`,
      `${legacyCommentMarker('render', 'preview')}\nSomeone copied the old marker.`,
    ]
    const fake = await startApi({ seed: pasted.map((body) => ({ ...PR, body, login: 'octocat' })) })
    const github = { api: fake, event: 'pull_request' }
    const first = await runAction({ scenario: quick, inputs: commenting, github })
    const nightly = '.github/workflows/nightly.yml'
    const other = await runAction({ scenario: quick, inputs: commenting, github: { ...github, workflow: nightly } })
    const again = await runAction({ scenario: quick, inputs: commenting, github })
    for (const run of [first, other, again]) expect(run.exitCode).toBe(0)

    const comments = fake.comments(PR)
    expect(comments.map((c) => c.body).slice(0, 2)).toEqual(pasted)
    expect(comments.slice(2).map((c) => c.user.login)).toEqual([BOT_LOGIN, BOT_LOGIN])
    expect(comments[2]?.body.startsWith(marker)).toBe(true)
    expect(comments[2]?.body).toContain(again.outputs['request-id'])
    expect(comments[3]?.body.startsWith(commentMarker(nightly, 'render', 'preview'))).toBe(true)
    expect(comments[3]?.body).toContain(other.outputs['request-id'])
    expect(writes(fake)).toEqual(['POST', 'POST', 'PATCH'])
  })

  it('a batch gets one comment with a row per job', async () => {
    const fake = await startApi()
    const jobs = clips(3)
    const run = await runAction({
      scenario: quick,
      jobs,
      inputs: commenting,
      github: { api: fake, event: 'pull_request' },
    })
    expect(run.exitCode).toBe(0)
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(1)
    const body = comments[0]?.body
    expect(body).toContain('3 of 3 done')
    const entries = entriesOf(run)
    const rows = body.split('\n').filter((line) => line.startsWith('| ` clip-'))
    expect(rows).toHaveLength(jobs.length)
    for (const [i, entry] of entries.entries()) {
      expect(rows[i]).toContain(`\` ${entry.name} \``)
      expect(rows[i]).toContain(entry['request-id'])
      expect(rows[i]).toContain(`](${entry['artifact-url']})`)
    }
    expect(writes(fake)).toEqual(['POST'])
  })

  it.each([
    {
      why: 'a push event: no request to GitHub, a notice',
      event: 'push',
      options: {},
      kind: 'notice' as const,
      says: /not for a pull request \(event 'push'\): no comment/,
      reachesGitHub: false,
    },
    {
      why: "a fork's read-only token: a warning",
      event: 'pull_request',
      options: { readOnly: true },
      kind: 'warning' as const,
      says: /HTTP 403.*'pull-requests: write'.*fork/,
      reachesGitHub: true,
    },
  ])('$why; the video is still done and the step succeeds', async ({ event, options, kind, says, reachesGitHub }) => {
    const fake = await startApi(options)
    const run = await runAction({ scenario: quick, inputs: commenting, github: { api: fake, event } })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('done')
    expect(annotations(run, 'error')).toEqual([])
    expect(annotations(run, kind).filter((line) => says.test(line))).toHaveLength(1)
    expect(fake.comments(PR)).toEqual([])
    expect(fake.requests.length > 0).toBe(reachesGitHub)
  })
})

// ---------------------------------------------------------------------------------------------------------
// Secrets

describe('secrets', () => {
  it('the API key and the GitHub token are masked before the step prints anything else', async () => {
    const github = await startGitHubApi({ token: GH_TOKEN })
    try {
      const run = await runAction({
        scenario: { name: 'quick', poll: [finishing(1)] },
        inputs: { 'comment-on-pr': 'true', 'github-token': GH_TOKEN },
        github: { api: github, event: 'pull_request' },
      })
      expect(run.exitCode).toBe(0)
      expect(github.comments(PR)).toHaveLength(1)
      const first = run.stdout.split('\n').slice(0, 2)
      expect(first.sort()).toEqual([`::add-mask::${GH_TOKEN}`, `::add-mask::${KEY}`].sort())
    } finally {
      await github.close()
    }
  })
})

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
    expect((await ffmpeg.calls()).length).toBeGreaterThanOrEqual(3)
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

/**
 * What the bundle tests of the adapter (src/main.ts) share: one step run as a runner runs it, with a prompts file,
 * a pull-request event against the GitHub REST fake, and a new workflow run (its own artifact service fake) each
 * time, so a run's artifacts are exactly its own; and the readers of what a batch did.
 *
 * Importing this module starts the file's bundle session (its emulator, in beforeAll): each test file that imports
 * it gets its own, as vitest loads modules afresh for every file.
 */
import { createHash } from 'node:crypto'
import { stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { expect } from 'vitest'
import { stringify } from 'yaml'
import type { BatchEntry } from '../../src/batch.js'
import { emptyAccepted, xaiDone } from '../emulator/scenarios.ts'
import {
  loadFixtureVideo,
  type JobContext,
  type RecordedRequest,
  type Scenario,
  type ScriptedResponse,
} from '../emulator/server.ts'
import { type GitHubApiFake, type PullRequestKey } from '../fakes/github-rest.ts'
import { startResultsService, type StoredArtifact } from '../fakes/results-service.ts'
import { bundleSession } from '../harness/bundle-session.ts'
import { makeRunnerDirs, type BundleOptions, type BundleRun, type RunnerDirs } from '../harness/runner.ts'

export const KEY = 'sk-main-test-5e4d3c2b1a09f8e7'
export const GH_TOKEN = 'ghs_mainTestToken0123456789abcdefABCDEF'
const FIXTURE_SHA256 = createHash('sha256').update(loadFixtureVideo()).digest('hex')
const PROMPTS_FILE = 'prompts.yml'
/** The spec's keys of a `results` entry. */
export const ENTRY_KEYS = [
  'name',
  'request-id',
  'status',
  'video-path',
  'video-sha256',
  'cost-usd',
  'artifact-id',
  'artifact-url',
]
export const PR: PullRequestKey = { owner: 'octo-org', repo: 'films', number: 7 }
export const WORKFLOW_FILE = '.github/workflows/preview.yml'
export const FRAME = path.join(import.meta.dirname, '..', 'fixtures', 'frame.png')
/** The pull request's own branch (GITHUB_HEAD_REF). */
export const PR_HEAD = 'feature/new-intro'

export const session = bundleSession({ emulator: { apiKey: KEY }, secrets: [KEY, GH_TOKEN] })
/** How many steps this file has run: each is a new workflow run, with a run id of its own. */
let runCount = 0

// ---------------------------------------------------------------------------------------------------------
// Helpers

export interface Job {
  name: string
  prompt: string
}

/** clip-01 … clip-NN, each with a prompt of its own (the session.emulator tells jobs apart by it). */
export const clips = (count: number): Job[] =>
  Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, '0')
    return { name: `clip-${n}`, prompt: `Shot ${n}: a paper boat drifts past a lamp post.` }
  })

export interface ActionRun extends BundleRun {
  /** What the session.emulator received during this run (API and video host), in arrival order. */
  requests: RecordedRequest[]
  /** What this run's artifact service received. */
  artifacts: StoredArtifact[]
  jobs: Job[]
}

export interface RunOptions {
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
export async function runAction(options: RunOptions): Promise<ActionRun> {
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

export const annotations = (run: BundleRun, kind: 'error' | 'warning' | 'notice'): string[] =>
  run.stdout.split('\n').filter((line) => line.startsWith(`::${kind}::`))

export function entriesOf(run: BundleRun): BatchEntry[] {
  const text = run.outputs.results
  expect(text, 'the results output').toBeTruthy()
  return JSON.parse(text) as BatchEntry[]
}

export const apiRequests = (run: ActionRun): RecordedRequest[] => run.requests.filter((r) => r.host === 'api')
export const isCreate = (r: RecordedRequest): boolean => r.method === 'POST'

/** The job a request belongs to: a create by its prompt, a status check by the request id in its path. */
export function jobNamer(run: ActionRun): (r: RecordedRequest) => string {
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
export const nameOfPrompt = (jobs: Job[], ctx: JobContext): string =>
  jobs.find((job) => job.prompt === ctx.createBody?.['prompt'])?.name ?? '?'

/** A job: some status checks that find it running, then done. */
export const finishing =
  (runningChecks = 2) =>
  (ctx: JobContext): ScriptedResponse =>
    ctx.pollIndex < runningChecks ? emptyAccepted() : xaiDone(ctx)

/** Each job in flight from its first create until its last status check. */
export function inFlight(run: ActionRun): Map<string, { from: number; to: number }> {
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
export function maxOverlap(spans: Iterable<{ from: number; to: number }>): number {
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
export async function expectDoneEntry(run: ActionRun, entry: BatchEntry): Promise<void> {
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

/**
 * A `prompts-file` batch through the real bundle, as a runner runs it: concurrency, a shared 429 hold, failures with
 * and without fail-fast, the budget on the total, the `results` manifest, the summary, and the paths a prompts file
 * may name.
 */
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import type { BatchEntry } from '../../src/batch.js'
import { cometError, createAccepted, emptyAccepted, xaiDone, xaiFailed } from '../emulator/scenarios.ts'
import { type Scenario, type ScriptedResponse } from '../emulator/server.ts'
import { CANCEL_BY_SIGNAL, signalOnOutput, type RunnerDirs } from '../harness/runner.ts'
import {
  ENTRY_KEYS,
  FRAME,
  clips,
  runAction,
  annotations,
  entriesOf,
  apiRequests,
  isCreate,
  jobNamer,
  nameOfPrompt,
  finishing,
  inFlight,
  maxOverlap,
  expectDoneEntry,
} from './action-run.ts'

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

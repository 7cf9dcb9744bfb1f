/**
 * Waiting: how soon a finished job is noticed, and how many status requests it took, for the action's wait loop
 * and for the fixed pollers users would otherwise write (xai-sdk-python polls every 1 s; xai-sdk-ts and the Vercel
 * AI SDK every 5 s; both check once right after create, then sleep between checks).
 *
 * The emulator plays jobs of several shapes (see SHAPES), each finishing at about 12 s, 24 s and 200 s (the times
 * the API reference gives for 1 s, 5 s and 15 s of video, which are the durations the jobs ask for). Every job is
 * played at a few phases (its end moved by a fraction of 5 s), so no poller's figures hinge on one alignment of
 * its checks with the job's end. Time is scaled by SCALE (every duration, interval and lag alike), so a 200 s job
 * takes 200 × SCALE s; lags are reported in unscaled seconds.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { GrokClient } from '../src/grok/client.ts'
import { pollUntilDone, type StatusSource } from '../src/wait/loop.ts'
import { jobTimePrior } from '../src/wait/prior.ts'
import { cometTask, cometTaskSuccess, json, xaiDone } from '../test/emulator/scenarios.ts'
import { startEmulator, type JobContext, type ScriptedResponse } from '../test/emulator/server.ts'
import {
  INTERVAL_MS,
  makeJobs,
  POLLERS,
  SHAPES,
  summarize,
  type Job,
  type JobOutcome,
  type Poller,
  type WaitBenchOptions,
  type WaitBenchResult,
} from '../test/harness/job-shapes.ts'
import { seededRandom } from '../test/harness/stats.ts'

/** Shapes played at once. */
const SHAPES_PER_ROUND = 2

export async function benchWait(options: WaitBenchOptions): Promise<WaitBenchResult> {
  const { today, shapes } = makeJobs(options)
  // In rounds of a few hundred requests a second at most, so a crowded event loop does not skew the lags.
  const todayOutcomes = await playJobs(today, options.scale)
  const shapeOutcomes: JobOutcome[] = []
  for (let i = 0; i < SHAPES.length; i += SHAPES_PER_ROUND) {
    const names = new Set(SHAPES.slice(i, i + SHAPES_PER_ROUND).map((spec) => spec.name))
    shapeOutcomes.push(
      ...(await playJobs(
        shapes.filter((job) => names.has(job.shape)),
        options.scale,
      )),
    )
  }
  return summarize(todayOutcomes, shapeOutcomes, options.repetitions)
}

/** Plays every job for every poller at once against one emulator. */
async function playJobs(jobs: readonly Job[], scale: number): Promise<JobOutcome[]> {
  const byTag = new Map<string, Job>()
  const noise = new Map<string, () => number>()
  const emulator = await startEmulator({
    scenario: {
      name: 'bench-shapes',
      poll: [
        (ctx: JobContext): ScriptedResponse => {
          const job = byTag.get(String(ctx.createBody?.user)) as Job
          const elapsedMs = ctx.elapsedMs / scale
          if (elapsedMs >= job.finishMs) return job.comet ? cometTaskSuccess(ctx) : xaiDone(ctx)
          let random = noise.get(ctx.requestId)
          if (!random) noise.set(ctx.requestId, (random = seededRandom(job.seed)))
          const progress = job.progressAt(elapsedMs, random)
          if (job.comet) {
            const status = progress ? 'IN_PROGRESS' : 'QUEUED'
            return cometTask(ctx, status, { progress: `${progress ?? 0}%` })
          }
          return json(202, progress === undefined ? { status: 'pending' } : { status: 'pending', progress })
        },
      ],
    },
  })
  const clients = {
    xai: new GrokClient({ baseUrl: emulator.xaiBaseUrl, apiKey: emulator.apiKey }),
    comet: new GrokClient({ baseUrl: emulator.cometBaseUrl, apiKey: emulator.apiKey }),
  }
  try {
    const runs: Promise<JobOutcome>[] = []
    jobs.forEach((job, index) => {
      for (const poller of POLLERS) {
        const tag = `${poller}-${index}`
        byTag.set(tag, job)
        runs.push(runJob(job.comet ? clients.comet : clients.xai, poller, tag, job, scale))
      }
    })
    return await Promise.all(runs)
  } finally {
    clients.xai.close()
    clients.comet.close()
    await emulator.close()
  }
}

async function runJob(client: GrokClient, poller: Poller, tag: string, job: Job, scale: number): Promise<JobOutcome> {
  const deadline = Date.now() + job.finishMs * scale * 3 + 10_000
  const request = { prompt: 'bench', model: 'grok-imagine-video', duration: job.durationSeconds, user: tag }
  const requestId = await client.create(request, deadline)
  const createdAt = Date.now()
  let requests = 0
  const counting: StatusSource = {
    getStatus: (...args) => {
      requests++
      return client.getStatus(...args)
    },
  }
  if (poller === 'ours') {
    const prior = jobTimePrior({ operation: 'generate', duration: job.durationSeconds })
    await pollUntilDone(counting, requestId, {
      deadline,
      maxIntervalMs: INTERVAL_MS * scale,
      minIntervalMs: 1000 * scale,
      startedAt: createdAt,
      justCreated: true,
      timeoutSeconds: 0,
      prior: { ...prior, medianMs: prior.medianMs * scale },
    })
  } else {
    const interval = (poller === 'fixed1s' ? 1000 : INTERVAL_MS) * scale
    // What the SDKs do: check at once, then sleep a fixed interval between checks.
    while ((await counting.getStatus(requestId, { deadline })).state === 'pending') await sleep(interval)
  }
  const noticedAt = Date.now()
  return { job, poller, lagMs: (noticedAt - (createdAt + job.finishMs * scale)) / scale, requests }
}

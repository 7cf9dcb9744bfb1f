/**
 * Waiting: how soon a finished job is noticed, and how many status requests it took, for the action's wait loop
 * and for the fixed pollers users would otherwise write (xai-sdk-python polls every 1 s; xai-sdk-ts and the Vercel
 * AI SDK every 5 s; both check once right after create, then sleep between checks).
 *
 * The emulator plays realistic jobs: a queue at 0 %, then progress rising unevenly to 100 %, finishing at about
 * 12 s, 24 s and 200 s. Time is scaled by SCALE (every duration, interval and lag alike), so a 200 s job takes
 * 200 × SCALE s; lags are reported in unscaled seconds.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { GrokClient } from '../src/grok/client.ts'
import { pollUntilDone } from '../src/wait.ts'
import { json, xaiDone } from '../test/emulator/scenarios.ts'
import { startEmulator, type JobContext } from '../test/emulator/server.ts'
import { mean, median, seededRandom } from './stats.ts'

export interface WaitBenchOptions {
  scale: number
  repetitions: number
  finishSeconds: readonly number[]
}

interface JobProfile {
  finishMs: number
  queueMs: number
  /** > 1: progress speeds up towards the end; < 1: slows down. */
  curve: number
  seed: number
}

/** Progress the emulator reports at `elapsedMs`: 0 while queued, then uneven steps, never 100 before done. */
function progressAt(job: JobProfile, elapsedMs: number, noise: () => number): number {
  if (elapsedMs < job.queueMs) return 0
  const x = (elapsedMs - job.queueMs) / (job.finishMs - job.queueMs)
  const jitter = (noise() - 0.5) * 6
  return Math.max(1, Math.min(99, Math.round(100 * x ** job.curve + jitter)))
}

function makeProfiles(options: WaitBenchOptions): JobProfile[] {
  const random = seededRandom(20261125)
  const profiles: JobProfile[] = []
  for (let rep = 0; rep < options.repetitions; rep++) {
    for (const seconds of options.finishSeconds) {
      const finishMs = seconds * 1000 * (0.9 + random() * 0.2)
      profiles.push({
        finishMs,
        queueMs: finishMs * (0.1 + random() * 0.25),
        curve: 0.8 + random() * 0.5,
        seed: Math.floor(random() * 2 ** 31),
      })
    }
  }
  return profiles
}

type Poller = 'ours' | 'fixed1s' | 'fixed5s'

interface JobOutcome {
  poller: Poller
  rep: number
  lagMs: number
  requests: number
}

export interface WaitBenchResult {
  lagSeconds: Record<Poller, number>
  requests: Record<Poller, number>
  jobs: number
}

export async function benchWait(options: WaitBenchOptions): Promise<WaitBenchResult> {
  const { scale } = options
  const profiles = makeProfiles(options)
  const byId = new Map<string, JobProfile>()
  const noise = new Map<string, () => number>()
  const emulator = await startEmulator({
    scenario: {
      name: 'bench-realistic',
      poll: [
        (ctx: JobContext) => {
          const job = byId.get(String(ctx.createBody?.user)) as JobProfile
          const finishMs = job.finishMs * scale
          if (ctx.elapsedMs >= finishMs) return xaiDone(ctx)
          const random = noise.get(ctx.requestId) ?? seededRandom(job.seed)
          noise.set(ctx.requestId, random)
          return json(202, { status: 'pending', progress: progressAt(job, ctx.elapsedMs / scale, random) })
        },
      ],
    },
  })
  const client = new GrokClient({ baseUrl: emulator.xaiBaseUrl, apiKey: emulator.apiKey })
  try {
    const runs: Promise<JobOutcome>[] = []
    profiles.forEach((job, index) => {
      const rep = Math.floor(index / options.finishSeconds.length)
      for (const poller of ['ours', 'fixed1s', 'fixed5s'] as const) {
        const tag = `${poller}-${index}`
        byId.set(tag, job)
        runs.push(runJob(client, poller, tag, job, rep, scale))
      }
    })
    const outcomes = await Promise.all(runs)
    return summarise(outcomes, options.repetitions)
  } finally {
    client.close()
    await emulator.close()
  }
}

async function runJob(
  client: GrokClient,
  poller: Poller,
  tag: string,
  job: JobProfile,
  rep: number,
  scale: number,
): Promise<JobOutcome> {
  const deadline = Date.now() + job.finishMs * scale * 3 + 10_000
  const requestId = await client.create(
    { prompt: 'bench', model: 'grok-imagine-video', duration: 1, user: tag },
    deadline,
  )
  const createdAt = Date.now()
  let requests = 0
  const counting = {
    getStatus: (id: string, until: number, tolerate?: boolean) => {
      requests++
      return client.getStatus(id, until, tolerate)
    },
  }
  if (poller === 'ours') {
    await pollUntilDone(counting, requestId, {
      deadline,
      maxIntervalMs: 5000 * scale,
      minIntervalMs: 1000 * scale,
      startedAt: createdAt,
      justCreated: true,
      timeoutSeconds: 0,
    })
  } else {
    const interval = (poller === 'fixed1s' ? 1000 : 5000) * scale
    // What the SDKs do: check at once, then sleep a fixed interval between checks.
    while ((await counting.getStatus(requestId, deadline)).state === 'pending') await sleep(interval)
  }
  const noticedAt = Date.now()
  return { poller, rep, lagMs: (noticedAt - (createdAt + job.finishMs * scale)) / scale, requests }
}

/** Per repetition: mean lag over its jobs and total requests; then the median over repetitions. */
function summarise(outcomes: JobOutcome[], repetitions: number): WaitBenchResult {
  const lagSeconds = {} as Record<Poller, number>
  const requests = {} as Record<Poller, number>
  for (const poller of ['ours', 'fixed1s', 'fixed5s'] as const) {
    const perRep = Array.from({ length: repetitions }, (_, rep) =>
      outcomes.filter((o) => o.poller === poller && o.rep === rep),
    )
    lagSeconds[poller] = median(perRep.map((jobs) => mean(jobs.map((j) => j.lagMs)) / 1000))
    requests[poller] = median(perRep.map((jobs) => jobs.reduce((n, j) => n + j.requests, 0)))
  }
  return { lagSeconds, requests, jobs: outcomes.length }
}

/**
 * Batch: jobs through the bundle, each taking `jobSeconds` at the emulator (queued at 0 % for a sixth of it, then
 * progress rising evenly). The ideal is ceil(jobs / concurrency) rounds of one job's time; the ratio shows what
 * waiting, downloading, uploading and starting add to it. The emulator's log of requests gives the rate the step
 * sent at (peak: the most in any one second) and the longest gap between two status checks of one job.
 *
 * Pacing: the same jobs waited for in this process through one client and its shared pacer, as a batch step does,
 * so the pacer's hold of each status check is known, as a multiple of the pause its job chose before asking.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { GrokClient } from '../src/grok/client.ts'
import { Pacer } from '../src/grok/pacer.ts'
import { pollUntilDone } from '../src/wait/loop.ts'
import { jobTimePrior } from '../src/wait/prior.ts'
import { json, xaiDone } from '../test/emulator/scenarios.ts'
import { startEmulator, type JobContext, type RecordedRequest, type Scenario } from '../test/emulator/server.ts'
import { startResultsService } from '../test/fakes/results-service.ts'
import { runBundle } from '../test/harness/runner.ts'

export interface BatchBenchResult {
  wallSeconds: number
  idealSeconds: number
  /** Requests per second: the most in any one second, the most in any ten (per second), and over the whole run. */
  requestsPerSecond: { peak: number; peak10s: number; mean: number }
  /** The longest time between two status checks of the same job. */
  longestCheckGapSeconds: number
}

export async function benchBatch(options: {
  jobs: number
  concurrency: number
  jobSeconds: number
}): Promise<BatchBenchResult> {
  const emulator = await startEmulator({ scenario: evenJob(options.jobSeconds * 1000) })
  const results = await startResultsService()
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-batch-'))
  try {
    const jobs = Array.from(
      { length: options.jobs },
      (_, i) => `- name: clip-${i + 1}\n  prompt: Shot ${i + 1} of a flower opening.\n`,
    ).join('')
    const started = performance.now()
    const run = await runBundle({
      inputs: {
        'api-key': emulator.apiKey,
        'base-url': emulator.xaiBaseUrl,
        'prompts-file': 'prompts.yml',
        'max-concurrency': String(options.concurrency),
      },
      env: results.env,
      prepare: (dirs) => writeFile(path.join(dirs.workspace, 'prompts.yml'), jobs),
      killAfterMs: 10 * 60_000,
    })
    const wallSeconds = (performance.now() - started) / 1000
    if (run.exitCode !== 0) throw new Error(`the batch failed:\n${run.stdout.slice(-2000)}`)
    await rm(run.dirs.root, { recursive: true, force: true })
    const api = emulator.requests.filter((r) => r.host === 'api')
    return {
      wallSeconds,
      idealSeconds: Math.ceil(options.jobs / options.concurrency) * options.jobSeconds,
      requestsPerSecond: requestRates(api.map((r) => r.at)),
      longestCheckGapSeconds: longestGap(api.filter((r) => r.method === 'GET')) / 1000,
    }
  } finally {
    await emulator.close()
    await results.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/** A job that is queued at 0 % for a sixth of `jobMs`, then rises evenly, and is done after `jobMs`. */
export function evenJob(jobMs: number): Scenario {
  return {
    name: 'bench-batch',
    poll: [
      (ctx: JobContext) => {
        if (ctx.elapsedMs >= jobMs) return xaiDone(ctx)
        const queued = jobMs / 6
        const progress =
          ctx.elapsedMs < queued ? 0 : Math.min(99, Math.round((100 * (ctx.elapsedMs - queued)) / (jobMs - queued)))
        return json(202, { status: 'pending', progress })
      },
    ],
  }
}

export interface PacingBenchResult {
  /** The longest hold of a status check by the pacer, as a multiple of the pause its job chose before it. */
  worstHoldVsOwnPause: number
  /** That hold, in seconds, and the pause it followed. */
  worstHold: { holdSeconds: number; pauseSeconds: number }
  requestsPerSecond: BatchBenchResult['requestsPerSecond']
  checks: number
}

/** The step's pacer, noting how long it held each status check (a create says no patience and is not noted). */
class RecordingPacer extends Pacer {
  readonly holds: { holdMs: number; pauseMs: number }[] = []

  override async slot(patienceMs?: number): Promise<void> {
    const askedAt = performance.now()
    await super.slot(patienceMs)
    if (patienceMs !== undefined) this.holds.push({ holdMs: performance.now() - askedAt, pauseMs: patienceMs })
  }
}

/**
 * `jobs` jobs created at once and waited for together through one client with a shared pacer (what a batch step at
 * `max-concurrency: jobs` does), each wait checking at most every `intervalMs`.
 */
export async function benchPacing(options: {
  jobs: number
  jobSeconds: number
  intervalMs: number
}): Promise<PacingBenchResult> {
  const emulator = await startEmulator({ scenario: evenJob(options.jobSeconds * 1000) })
  const pacer = new RecordingPacer()
  const client = new GrokClient({ baseUrl: emulator.xaiBaseUrl, apiKey: emulator.apiKey, pacer })
  const request = { prompt: 'bench', model: 'grok-imagine-video' }
  try {
    const deadline = Date.now() + options.jobSeconds * 1000 * 5
    await Promise.all(
      Array.from({ length: options.jobs }, async () => {
        const requestId = await client.create(request, deadline)
        await pollUntilDone(client, requestId, {
          deadline,
          maxIntervalMs: options.intervalMs,
          startedAt: Date.now(),
          justCreated: true,
          timeoutSeconds: options.jobSeconds * 5,
          // What the pipeline gives a job of the action's default length.
          prior: jobTimePrior({ operation: 'generate' }),
        })
      }),
    )
    const ratio = ({ holdMs, pauseMs }: { holdMs: number; pauseMs: number }) => holdMs / Math.max(1, pauseMs)
    const worst = pacer.holds.reduce((a, b) => (ratio(b) > ratio(a) ? b : a))
    return {
      worstHoldVsOwnPause: ratio(worst),
      worstHold: { holdSeconds: worst.holdMs / 1000, pauseSeconds: worst.pauseMs / 1000 },
      requestsPerSecond: requestRates(emulator.requests.filter((r) => r.host === 'api').map((r) => r.at)),
      checks: pacer.holds.length,
    }
  } finally {
    client.close()
    await emulator.close()
  }
}

/** Requests per second as the emulator received them. */
function requestRates(times: number[]): BatchBenchResult['requestsPerSecond'] {
  const sorted = [...times].sort((a, b) => a - b)
  const most = (windowMs: number) => {
    let count = 0
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while (sorted[i] - sorted[j] >= windowMs) j++
      count = Math.max(count, i - j + 1)
    }
    return count
  }
  const span = (sorted[sorted.length - 1] - sorted[0]) / 1000
  return { peak: most(1000), peak10s: most(10_000) / 10, mean: span > 0 ? sorted.length / span : sorted.length }
}

/** The longest time between two consecutive status checks of one job (its path names it). */
function longestGap(checks: readonly RecordedRequest[]): number {
  const last = new Map<string, number>()
  let longest = 0
  for (const check of [...checks].sort((a, b) => a.at - b.at)) {
    const previous = last.get(check.path)
    if (previous !== undefined) longest = Math.max(longest, check.at - previous)
    last.set(check.path, check.at)
  }
  return longest
}

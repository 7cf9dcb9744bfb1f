/**
 * Batch: 20 jobs at `max-concurrency: 5` through the bundle, each taking JOB_SECONDS at the emulator (queued at
 * 0 % for a sixth of it, then progress rising evenly). The ideal is ceil(20 / 5) rounds of one job's time; the
 * ratio shows what waiting, downloading, uploading and starting add to it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { json, xaiDone } from '../test/emulator/scenarios.ts'
import { startEmulator, type JobContext } from '../test/emulator/server.ts'
import { startResultsService } from '../test/fakes/results-service.ts'
import { runBundle } from '../test/harness/runner.ts'

export interface BatchBenchResult {
  wallSeconds: number
  idealSeconds: number
}

export async function benchBatch(options: {
  jobs: number
  concurrency: number
  jobSeconds: number
}): Promise<BatchBenchResult> {
  const jobMs = options.jobSeconds * 1000
  const emulator = await startEmulator({
    scenario: {
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
    },
  })
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
    return { wallSeconds, idealSeconds: Math.ceil(options.jobs / options.concurrency) * options.jobSeconds }
  } finally {
    await emulator.close()
    await results.close()
    await rm(dir, { recursive: true, force: true })
  }
}

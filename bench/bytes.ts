/**
 * Bytes: a large MP4 from the emulator's video host to the artifact service fake. The action (dist/index.js, the
 * whole run: create, one status check, download, upload) against the baseline a user would script: `curl -o`
 * followed by a bare `uploadArtifact()` of that file in its own Node process. Wall time of the whole thing, and the
 * peak RSS of the Node process doing the upload.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEmulator } from '../test/emulator/server.ts'
import { emptyAccepted, xaiDone } from '../test/emulator/scenarios.ts'
import { loadFixtureVideo } from '../test/emulator/server.ts'
import { startResultsService } from '../test/fakes/results-service.ts'
import { ROOT, runBundle } from '../test/harness/runner.ts'
import { median } from '../test/harness/stats.ts'

export interface BytesBenchOptions {
  /** Size of the big file in MB (10^6 bytes). */
  megabytes: number
  repetitions: number
}

export interface BytesBenchResult {
  wallSeconds: { ours: number; baseline: number }
  peakRssMb: { ours: number; baseline: number; oursSmall: number; baselineSmall: number }
}

/** A file the action accepts as an MP4 (a real `ftyp` box first), padded to `bytes` with random data. */
function fakeMp4(bytes: number): Buffer {
  const head = loadFixtureVideo().subarray(0, 32)
  return Buffer.concat([head, randomBytes(bytes - head.length)])
}

async function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`)
}

const lastRss = async (file: string): Promise<number> => {
  const lines = (await readFile(file, 'utf8')).trim().split('\n')
  return Number(lines[lines.length - 1]) / 1024
}

export async function benchBytes(options: BytesBenchOptions): Promise<BytesBenchResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-bytes-'))
  const rssFile = path.join(dir, 'rss')
  const big = fakeMp4(options.megabytes * 1_000_000)
  const small = fakeMp4(1_000_000)
  const emulator = await startEmulator({ video: big, scenario: { name: 'bench-done', poll: [(ctx) => xaiDone(ctx)] } })
  const samples = {
    ours: [] as number[],
    baseline: [] as number[],
    oursRss: [] as number[],
    baselineRss: [] as number[],
    oursSmallRss: [] as number[],
    baselineSmallRss: [] as number[],
  }
  try {
    for (let rep = 0; rep < options.repetitions; rep++) {
      for (const side of rep % 2
        ? (['baseline', 'ours', 'small', 'baselineSmall'] as const)
        : (['ours', 'baseline', 'baselineSmall', 'small'] as const)) {
        // A fresh fake each time, so the uploads of earlier runs do not pile up in memory.
        const results = await startResultsService()
        const env = {
          ...process.env,
          ...results.env,
          BENCH_RSS_FILE: rssFile,
          NODE_OPTIONS: `--import=${path.join(ROOT, 'bench', 'rss-probe.mjs')}`,
        }
        try {
          if (side === 'baseline' || side === 'baselineSmall') {
            emulator.setScenario({
              name: 'bench-done',
              poll: [(ctx) => xaiDone(ctx)],
              video: { bytes: side === 'baseline' ? big : small },
            })
            const file = path.join(dir, 'baseline.mp4')
            const started = performance.now()
            await runProcess('curl', ['-sf', '-o', file, `${emulator.videoOrigin}/videos/baseline.mp4`], env)
            await runProcess(process.execPath, [path.join(ROOT, 'bench', 'baseline-upload.mjs'), file], env)
            if (side === 'baseline') samples.baseline.push((performance.now() - started) / 1000)
            ;(side === 'baseline' ? samples.baselineRss : samples.baselineSmallRss).push(await lastRss(rssFile))
            await rm(file)
          } else {
            emulator.setScenario({
              name: 'bench-done',
              poll: [emptyAccepted(), (ctx) => xaiDone(ctx)],
              video: { bytes: side === 'ours' ? big : small },
            })
            const started = performance.now()
            const run = await runBundle({
              inputs: {
                'api-key': emulator.apiKey,
                'base-url': emulator.xaiBaseUrl,
                prompt: 'bench',
                // Like for like: the baseline makes no preview (its own section measures what one adds).
                preview: 'false',
                'poll-interval-seconds': '0.01',
                'output-dir': path.join(dir, 'out'),
              },
              env: { ...results.env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: env.NODE_OPTIONS },
            })
            if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.stdout}\n${run.stderr}`)
            if (side === 'ours') samples.ours.push((performance.now() - started) / 1000)
            ;(side === 'ours' ? samples.oursRss : samples.oursSmallRss).push(await lastRss(rssFile))
            await rm(run.dirs.root, { recursive: true, force: true })
            await rm(path.join(dir, 'out'), { recursive: true, force: true })
          }
        } finally {
          await results.close()
        }
      }
    }
  } finally {
    await emulator.close()
    await rm(dir, { recursive: true, force: true })
  }
  return {
    wallSeconds: { ours: median(samples.ours), baseline: median(samples.baseline) },
    peakRssMb: {
      ours: median(samples.oursRss),
      baseline: median(samples.baselineRss),
      oursSmall: median(samples.oursSmallRss),
      baselineSmall: median(samples.baselineSmallRss),
    },
  }
}

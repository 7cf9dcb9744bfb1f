/**
 * `npm run bench`: the action against what users would use instead, measured side by side in one run, on
 * loopback only. Prints the figures, then `name: value` lines (the last lines of the output) for tools to read.
 *
 *   npm run bench               # the full run (about 5 minutes on 2 cores)
 *   npm run bench -- --quick    # fewer repetitions and a 20 MB file, for a quick look
 *
 * It measures dist/index.js as built: run `npm run build` first after changing src/.
 */
import { benchBatch } from './batch.ts'
import { benchBytes } from './bytes.ts'
import { benchStart } from './start.ts'
import { round } from './stats.ts'
import { benchWait } from './wait.ts'

const quick = process.argv.includes('--quick')
/** Every duration of the waiting section is multiplied by this, so the 200 s job takes 50 s. */
const WAIT_SCALE = 0.25

console.log(`Waiting: jobs finishing at ~12 s, ~24 s and ~200 s (±10 %), time scaled by ${WAIT_SCALE}…`)
const wait = await benchWait({ scale: WAIT_SCALE, repetitions: quick ? 3 : 8, finishSeconds: [12, 24, 200] })
for (const poller of ['ours', 'fixed1s', 'fixed5s'] as const) {
  console.log(
    `  ${poller.padEnd(8)} lag ${wait.lagSeconds[poller].toFixed(2)} s (unscaled), ${wait.requests[poller]} status requests per set of 3 jobs`,
  )
}

const megabytes = quick ? 20 : 100
console.log(`Bytes: a ${megabytes} MB MP4, download + artifact upload vs curl -o + a bare uploadArtifact()…`)
const bytes = await benchBytes({ megabytes, repetitions: quick ? 2 : 5 })
console.log(
  `  ours     ${bytes.wallSeconds.ours.toFixed(2)} s, peak RSS ${bytes.peakRssMb.ours.toFixed(1)} MB (${bytes.peakRssMb.oursSmall.toFixed(1)} MB with a 1 MB file)`,
)
console.log(
  `  baseline ${bytes.wallSeconds.baseline.toFixed(2)} s, peak RSS ${bytes.peakRssMb.baseline.toFixed(1)} MB (${bytes.peakRssMb.baselineSmall.toFixed(1)} MB with a 1 MB file)`,
)

console.log('Start: node dist/index.js until its first request vs a bundle of @actions/core alone…')
const start = await benchStart(quick ? 5 : 15)
console.log(`  ours ${start.msToFirstRequest.ours} ms, core only ${start.msToFirstRequest.coreOnly} ms`)

console.log('Batch: 20 jobs of 12 s each at max-concurrency 5, through the bundle, against the ideal of 4 rounds…')
const batch = await benchBatch({ jobs: 20, concurrency: 5, jobSeconds: 12 })
console.log(`  ${batch.wallSeconds.toFixed(1)} s, ideal ${batch.idealSeconds} s`)

const figures: Record<string, number> = {
  'wait.lag_ratio_vs_fixed5s': wait.lagSeconds.ours / wait.lagSeconds.fixed5s,
  'wait.requests_ratio_vs_fixed5s': wait.requests.ours / wait.requests.fixed5s,
  'wait.requests_ratio_vs_fixed1s': wait.requests.ours / wait.requests.fixed1s,
  'wait.lag_delta_vs_fixed1s_s': wait.lagSeconds.ours - wait.lagSeconds.fixed1s,
  'bytes.wall_ratio_vs_baseline': bytes.wallSeconds.ours / bytes.wallSeconds.baseline,
  'bytes.peak_rss_ratio_vs_baseline': bytes.peakRssMb.ours / bytes.peakRssMb.baseline,
  [`bytes.rss_growth_mb_1mb_to_${megabytes}mb`]: bytes.peakRssMb.ours - bytes.peakRssMb.oursSmall,
  'start.ratio_vs_core_only': start.msToFirstRequest.ours / start.msToFirstRequest.coreOnly,
  'batch.wall_ratio_vs_ideal': batch.wallSeconds / batch.idealSeconds,
}
console.log('')
for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${round(value)}`)

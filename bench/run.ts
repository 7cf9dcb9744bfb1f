/**
 * `npm run bench`: the action against what users would use instead, measured side by side in one run, on
 * loopback only. Prints the figures, then `name: value` lines (the last lines of the output) for tools to read.
 *
 *   npm run bench               # the full run (how long it takes: docs/performance.md)
 *   npm run bench -- --quick    # fewer repetitions and a 20 MB file, for a quick look
 *   npm run bench -- --only=wait,batch   # some sections only (wait, replay, bytes, preview, start, batch)
 *   npm run bench -- --only=replay       # the waiting jobs on a simulated clock, in about 15 s
 *   npm run bench -- --only=bound        # what a schedule knowing the benchmark's draws could do (not in the full run)
 *
 * It measures dist/index.js as built: run `npm run build` first after changing src/.
 */
import { POLLERS, type ShapeFigures, type WaitBenchResult } from '../test/harness/job-shapes.ts'
import { round } from '../test/harness/stats.ts'
import { benchBatch, benchPacing, type BatchBenchResult } from './batch.ts'
import { benchBytes } from './bytes.ts'
import { benchPreview } from './preview.ts'
import { benchStart } from './start.ts'
import { benchWait } from './wait.ts'
import { boundShapes } from './wait-bound.ts'
import { replayWait } from './wait-replay.ts'

const quick = process.argv.includes('--quick')
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
const runs = (section: string) => !only || only.includes(section)
/** Every duration of the waiting section is multiplied by this, so the 200 s job takes 50 s. */
const WAIT_SCALE = 0.25
const figures: Record<string, number> = {}

/** Prints the waiting figures (today's sets, then one line per shape) and records them under `prefix`. */
function reportWait(wait: WaitBenchResult, prefix: string, unit: string) {
  for (const poller of POLLERS) {
    const lag = wait.lagSeconds[poller].toFixed(2)
    console.log(`  ${poller.padEnd(8)} lag ${lag} s${unit}, ${wait.requests[poller]} status requests per set of 3 jobs`)
  }
  console.log('  Per shape (mean per job: status checks, lag in s):')
  for (const shape of wait.shapes) {
    const cells = POLLERS.map((poller) => {
      const { requests, lagSeconds } = shape.pollers[poller]
      return `${poller} ${requests.toFixed(1).padStart(5)} checks ${lagSeconds.toFixed(2).padStart(5)} s`
    })
    console.log(`  ${shape.name.padEnd(15)} ${cells.join(' | ')}  (${shape.jobs} jobs: ${shape.description})`)
  }
  const ratio = (shape: ShapeFigures, of: 'requests' | 'lagSeconds') =>
    shape.pollers.ours[of] / shape.pollers.fixed5s[of]
  const total = (of: 'requests' | 'lagSeconds', poller: 'ours' | 'fixed5s') =>
    wait.shapes.reduce((sum, shape) => sum + shape.pollers[poller][of], 0)
  Object.assign(figures, {
    [`${prefix}.lag_ratio_vs_fixed5s`]: wait.lagSeconds.ours / wait.lagSeconds.fixed5s,
    [`${prefix}.requests_ratio_vs_fixed5s`]: wait.requests.ours / wait.requests.fixed5s,
    [`${prefix}.requests_ratio_vs_fixed1s`]: wait.requests.ours / wait.requests.fixed1s,
    [`${prefix}.lag_delta_vs_fixed1s_s`]: wait.lagSeconds.ours - wait.lagSeconds.fixed1s,
    [`${prefix}.worst_shape_requests_ratio_vs_fixed5s`]: Math.max(...wait.shapes.map((s) => ratio(s, 'requests'))),
    [`${prefix}.worst_shape_lag_delta_vs_fixed5s_s`]: Math.max(
      ...wait.shapes.map((s) => s.pollers.ours.lagSeconds - s.pollers.fixed5s.lagSeconds),
    ),
    [`${prefix}.all_shapes_lag_ratio_vs_fixed5s`]: total('lagSeconds', 'ours') / total('lagSeconds', 'fixed5s'),
    [`${prefix}.all_shapes_requests_ratio_vs_fixed5s`]: total('requests', 'ours') / total('requests', 'fixed5s'),
  })
}

/** The waiting section's jobs: today's smooth sets and every shape's, each at a few phases of the 5 s grid. */
const WAIT_JOBS = {
  repetitions: quick ? 3 : 8,
  shapeRepetitions: quick ? 1 : 2,
  phases: quick ? 2 : 3,
  finishSeconds: [12, 24, 200],
}
/** How many times more jobs the replay also plays, so its figures no longer hinge on the draw of a few jobs. */
const REPLAY_MORE = 5

if (runs('wait')) {
  console.log(`Waiting: jobs finishing at ~12 s, ~24 s and ~200 s (±10 %), time scaled by ${WAIT_SCALE}…`)
  reportWait(await benchWait({ scale: WAIT_SCALE, ...WAIT_JOBS }), 'wait', ' (unscaled)')
}

if (runs('replay')) {
  console.log('Waiting, the same jobs replayed on a simulated clock (no request trips or timer delays)…')
  reportWait(await replayWait({ scale: 1, ...WAIT_JOBS }), 'replay', '')
  const more = {
    ...WAIT_JOBS,
    repetitions: WAIT_JOBS.repetitions * REPLAY_MORE,
    shapeRepetitions: WAIT_JOBS.shapeRepetitions * REPLAY_MORE,
  }
  console.log(`Waiting, replayed with ${REPLAY_MORE} times as many jobs (the same shapes, more draws)…`)
  reportWait(await replayWait({ scale: 1, ...more }), 'replay_more', '')
}

// Not part of the full run: a reference for the waiting figures, not a measurement of the action.
if (only?.includes('bound')) {
  console.log("Waiting: the best schedule under the action's rules that knew how the benchmark draws each end…")
  for (const { name, best, fixed5s } of boundShapes()) {
    console.log(
      `  ${name.padEnd(32)} best ${best.checks.toFixed(1)} checks ${best.lagSeconds.toFixed(2)} s | ` +
        `fixed5s ${fixed5s.checks.toFixed(1)} checks ${fixed5s.lagSeconds.toFixed(2)} s`,
    )
    figures[`bound.${name.replace(/\W+/g, '_')}.lag_s`] = best.lagSeconds
  }
}

if (runs('bytes')) {
  const megabytes = quick ? 20 : 100
  console.log(`Bytes: a ${megabytes} MB MP4, download + artifact upload vs curl -o + a bare uploadArtifact()…`)
  const bytes = await benchBytes({ megabytes, repetitions: quick ? 2 : 5 })
  console.log(
    `  ours     ${bytes.wallSeconds.ours.toFixed(2)} s, peak RSS ${bytes.peakRssMb.ours.toFixed(1)} MB (${bytes.peakRssMb.oursSmall.toFixed(1)} MB with a 1 MB file)`,
  )
  console.log(
    `  baseline ${bytes.wallSeconds.baseline.toFixed(2)} s, peak RSS ${bytes.peakRssMb.baseline.toFixed(1)} MB (${bytes.peakRssMb.baselineSmall.toFixed(1)} MB with a 1 MB file)`,
  )
  Object.assign(figures, {
    'bytes.wall_ratio_vs_baseline': bytes.wallSeconds.ours / bytes.wallSeconds.baseline,
    'bytes.peak_rss_ratio_vs_baseline': bytes.peakRssMb.ours / bytes.peakRssMb.baseline,
    [`bytes.rss_growth_mb_1mb_to_${megabytes}mb`]: bytes.peakRssMb.ours - bytes.peakRssMb.oursSmall,
  })
}

if (runs('preview')) {
  const [jobSeconds, clipSeconds] = [12, 10]
  console.log(
    `Preview: a ${jobSeconds} s job whose video is a ${clipSeconds} s 720p clip, a run with a poster and GIF vs one without…`,
  )
  const preview = await benchPreview({ jobSeconds, clipSeconds, repetitions: quick ? 2 : 5 })
  if ('skipped' in preview) console.log(`  skipped: ${preview.skipped}`)
  else {
    const { wallSeconds } = preview
    console.log(`  with a preview ${wallSeconds.preview.toFixed(2)} s, without ${wallSeconds.none.toFixed(2)} s`)
    console.log(`  GIF: ${preview.gif}; ffmpeg ${preview.ffmpeg}`)
    figures['preview.added_wall_ratio'] = wallSeconds.preview / wallSeconds.none
  }
}

if (runs('start')) {
  console.log('Start: node dist/index.js until its first request vs a bundle of @actions/core alone…')
  const start = await benchStart(quick ? 5 : 15)
  console.log(`  ours ${start.msToFirstRequest.ours} ms, core only ${start.msToFirstRequest.coreOnly} ms`)
  figures['start.ratio_vs_core_only'] = start.msToFirstRequest.ours / start.msToFirstRequest.coreOnly
}

if (runs('batch')) {
  const perSecond = ({ requestsPerSecond: rate }: Pick<BatchBenchResult, 'requestsPerSecond'>) =>
    `requests per second: peak ${rate.peak} in any 1 s, ${rate.peak10s} over any 10 s, mean ${rate.mean.toFixed(2)}`
  const rates = (batch: BatchBenchResult) =>
    `${perSecond(batch)}; longest gap between two checks of a job ${batch.longestCheckGapSeconds.toFixed(1)} s`
  console.log('Batch: 20 jobs of 12 s each at max-concurrency 5, through the bundle, against the ideal of 4 rounds…')
  const batch = await benchBatch({ jobs: 20, concurrency: 5, jobSeconds: 12 })
  console.log(`  ${batch.wallSeconds.toFixed(1)} s, ideal ${batch.idealSeconds} s; ${rates(batch)}`)
  console.log('Batch: 20 jobs of 60 s each at max-concurrency 20 (more checks than 2 per second would allow)…')
  const crowd = await benchBatch({ jobs: 20, concurrency: 20, jobSeconds: 60 })
  console.log(`  ${crowd.wallSeconds.toFixed(1)} s, ideal ${crowd.idealSeconds} s; ${rates(crowd)}`)
  console.log('Batch pacing: 20 jobs of 60 s created at once, waited for through one client with the shared pacer…')
  const pacing = await benchPacing({ jobs: 20, jobSeconds: 60, intervalMs: 5_000 })
  const { holdSeconds, pauseSeconds } = pacing.worstHold
  console.log(
    `  ${pacing.checks} checks; longest hold ${holdSeconds.toFixed(2)} s ` +
      `after a pause of ${pauseSeconds.toFixed(2)} s ` +
      `(${pacing.worstHoldVsOwnPause.toFixed(3)} of the job's own interval); ${perSecond(pacing)}`,
  )
  Object.assign(figures, {
    'batch.wall_ratio_vs_ideal': batch.wallSeconds / batch.idealSeconds,
    'batch.peak_requests_per_s': batch.requestsPerSecond.peak,
    'batch.peak_requests_per_s_over_10s': batch.requestsPerSecond.peak10s,
    'batch.mean_requests_per_s': batch.requestsPerSecond.mean,
    'batch20.wall_ratio_vs_ideal': crowd.wallSeconds / crowd.idealSeconds,
    'batch20.peak_requests_per_s': crowd.requestsPerSecond.peak,
    'batch20.peak_requests_per_s_over_10s': crowd.requestsPerSecond.peak10s,
    'batch20.mean_requests_per_s': crowd.requestsPerSecond.mean,
    'batch20.longest_check_gap_vs_interval': crowd.longestCheckGapSeconds / 5,
    'pacing20.worst_check_delay_vs_own_interval': pacing.worstHoldVsOwnPause,
    'pacing20.peak_requests_per_s': pacing.requestsPerSecond.peak,
    'pacing20.peak_requests_per_s_over_10s': pacing.requestsPerSecond.peak10s,
    'pacing20.mean_requests_per_s': pacing.requestsPerSecond.mean,
  })
}

console.log('')
for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${round(value)}`)

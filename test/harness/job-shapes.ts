/**
 * The jobs the benchmark's waiting section plays and the tests replay: shapes of progress (a queue, a stall at
 * 99 %, no progress at all, uneven jumps…), each at the end times the provider's documentation gives for 1 s, 5 s
 * and 15 s of video, and how the outcomes of each poller on them are summed up. Seeded, so every run plays the
 * same jobs.
 */
import { mean, median, seededRandom } from './stats.ts'

export interface WaitBenchOptions {
  scale: number
  /** Sets of smooth jobs (one per finish time) for today's aggregate figures. */
  repetitions: number
  /** Sets of jobs per other shape. */
  shapeRepetitions: number
  /** Each job is played with its end moved by 0, 1/phases, 2/phases… of the fixed 5 s interval. */
  phases: number
  finishSeconds: readonly number[]
}

/** The fixed interval users pick (and the action's `poll-interval-seconds` default), unscaled. */
export const INTERVAL_MS = 5_000
/** The video length each finish time stands for (API reference: 1 s ≈ 12 s, 5 s ≈ 17–24 s, 15 s ≈ 195–201 s). */
const DURATION_FOR_FINISH: Record<number, number> = { 12: 1, 24: 5, 200: 15 }

/** One job as the emulator plays it, in unscaled milliseconds. */
export interface Job {
  shape: ShapeName
  finishMs: number
  durationSeconds: number
  /** The reported progress at `elapsedMs` (undefined: the shape reports none); `noise` is the job's own sequence. */
  progressAt: (elapsedMs: number, noise: () => number) => number | undefined
  /** Answer in CometAPI's task wrapper, progress as a string such as "45%". */
  comet?: boolean
  /** Seeds the job's own noise sequence. */
  seed: number
  /** For the smooth sets: which set the job belongs to; -1 for the shapes' jobs. */
  set: number
}

interface ShapeSpec {
  name: ShapeName
  description: string
  /** Unscaled end time for a nominal finish time, and the progress curve. */
  make: (finishMs: number, random: () => number) => Curve
}

type Curve = Pick<Job, 'finishMs' | 'progressAt' | 'comet'>

const clampProgress = (p: number) => Math.max(0, Math.min(99, Math.round(p)))

/** Today's jobs: a queue at 0 %, then progress rising unevenly (speeding up or slowing down), never 100 before done. */
function smooth(finishMs: number, random: () => number): Curve {
  const queueMs = finishMs * (0.1 + random() * 0.25)
  const curve = 0.8 + random() * 0.5
  return {
    finishMs,
    progressAt: (elapsedMs, noise) => {
      if (elapsedMs < queueMs) return 0
      const x = (elapsedMs - queueMs) / (finishMs - queueMs)
      const jitter = (noise() - 0.5) * 6
      return Math.max(1, Math.min(99, Math.round(100 * x ** curve + jitter)))
    },
  }
}

export const SHAPES: readonly ShapeSpec[] = [
  { name: 'smooth', description: 'queue at 0 %, then an uneven rise', make: smooth },
  {
    name: 'queue-then-run',
    description: 'a long queue at 0 % (40–70 %), then an even run',
    make: (finishMs, random) => {
      const queueMs = finishMs * (0.4 + random() * 0.3)
      return {
        finishMs,
        progressAt: (t) => (t < queueMs ? 0 : clampProgress((100 * (t - queueMs)) / (finishMs - queueMs))),
      }
    },
  },
  {
    name: 'stall-99',
    description: 'an even run to 99 %, then 99 % for 10–20 s',
    make: (runMs, random) => {
      const stallMs = 10_000 + random() * 10_000
      return { finishMs: runMs + stallMs, progressAt: (t) => clampProgress((99 * t) / runMs) }
    },
  },
  {
    name: 'no-progress',
    description: 'no progress field at all',
    make: (finishMs) => ({ finishMs, progressAt: () => undefined }),
  },
  {
    name: 'uneven-jumps',
    description: 'a few jumps of uneven size at uneven times',
    make: (finishMs, random) => {
      const count = 3 + Math.floor(random() * 5)
      const times = Array.from({ length: count }, () => 0.05 + random() * 0.9).sort((a, b) => a - b)
      const levels = Array.from({ length: count }, () => 1 + random() * 98).sort((a, b) => a - b)
      return {
        finishMs,
        progressAt: (t) => {
          const reached = times.filter((x) => x * finishMs <= t).length
          return reached === 0 ? 0 : Math.round(levels[reached - 1])
        },
      }
    },
  },
  {
    name: 'string-percent',
    description: 'CometAPI\'s task wrapper, "45%" strings, queue then an even run',
    make: (finishMs, random) => {
      const queueMs = finishMs * (0.05 + random() * 0.2)
      return {
        finishMs,
        comet: true,
        progressAt: (t) => (t < queueMs ? 0 : clampProgress((100 * (t - queueMs)) / (finishMs - queueMs))),
      }
    },
  },
  {
    name: 'ends-early',
    description: 'an even run that ends at 70–95 %',
    make: (finishMs, random) => {
      const last = 70 + random() * 25
      return { finishMs, progressAt: (t) => clampProgress((last * t) / finishMs) }
    },
  },
  {
    name: 'slow-start',
    description: 'progress ∝ t³',
    make: (finishMs) => ({ finishMs, progressAt: (t) => clampProgress(100 * (t / finishMs) ** 3) }),
  },
]

export type ShapeName =
  | 'smooth'
  | 'queue-then-run'
  | 'stall-99'
  | 'no-progress'
  | 'uneven-jumps'
  | 'string-percent'
  | 'ends-early'
  | 'slow-start'

/** Today's smooth sets first (seeded as before, so their figures stay comparable), then every shape's phases. */
export function makeJobs(options: WaitBenchOptions): { today: Job[]; shapes: Job[] } {
  const today: Job[] = []
  const random = seededRandom(20261125)
  for (let set = 0; set < options.repetitions; set++) {
    for (const seconds of options.finishSeconds) {
      const finishMs = seconds * 1000 * (0.9 + random() * 0.2)
      const curve = smooth(finishMs, random)
      const seed = Math.floor(random() * 2 ** 31)
      today.push({ ...curve, shape: 'smooth', durationSeconds: DURATION_FOR_FINISH[seconds], seed, set })
    }
  }
  const shapes: Job[] = []
  const shapeRandom = seededRandom(20261129)
  for (const spec of SHAPES) {
    for (let rep = 0; rep < options.shapeRepetitions; rep++) {
      for (const seconds of options.finishSeconds) {
        const nominalMs = seconds * 1000 * (0.9 + shapeRandom() * 0.2)
        const seed = Math.floor(shapeRandom() * 2 ** 31)
        for (let phase = 0; phase < options.phases; phase++) {
          const shifted = nominalMs + (phase * INTERVAL_MS) / options.phases
          const curve = spec.make(shifted, seededRandom(seed))
          shapes.push({ ...curve, shape: spec.name, durationSeconds: DURATION_FOR_FINISH[seconds], seed, set: -1 })
        }
      }
    }
  }
  return { today, shapes }
}

export type Poller = 'ours' | 'fixed1s' | 'fixed5s'
export const POLLERS: readonly Poller[] = ['ours', 'fixed1s', 'fixed5s']

export interface JobOutcome {
  job: Job
  poller: Poller
  /** Unscaled milliseconds from the job's end to the check that saw it. */
  lagMs: number
  requests: number
}

export interface PollerFigures {
  lagSeconds: number
  /** Status requests per job. */
  requests: number
}

export interface ShapeFigures {
  name: ShapeName
  description: string
  jobs: number
  pollers: Record<Poller, PollerFigures>
}

export interface WaitBenchResult {
  /** Today's figures over the smooth sets: median over sets of the mean lag and of the total requests. */
  lagSeconds: Record<Poller, number>
  requests: Record<Poller, number>
  shapes: ShapeFigures[]
}

/** Today's figures (median over the smooth sets) and each shape's means, from every job's outcome per poller. */
export function summarize(
  todayOutcomes: readonly JobOutcome[],
  shapeOutcomes: readonly JobOutcome[],
  repetitions: number,
): WaitBenchResult {
  const lagSeconds = {} as Record<Poller, number>
  const requests = {} as Record<Poller, number>
  for (const poller of POLLERS) {
    const perSet = Array.from({ length: repetitions }, (_, set) =>
      todayOutcomes.filter((o) => o.poller === poller && o.job.set === set),
    )
    lagSeconds[poller] = median(perSet.map((jobs) => mean(jobs.map((j) => j.lagMs)) / 1000))
    requests[poller] = median(perSet.map((jobs) => jobs.reduce((n, j) => n + j.requests, 0)))
  }
  const figures = SHAPES.map((spec): ShapeFigures => {
    const of = shapeOutcomes.filter((o) => o.job.shape === spec.name)
    const pollers = {} as Record<Poller, PollerFigures>
    for (const poller of POLLERS) {
      const mine = of.filter((o) => o.poller === poller)
      pollers[poller] = {
        lagSeconds: mean(mine.map((o) => o.lagMs)) / 1000,
        requests: mean(mine.map((o) => o.requests)),
      }
    }
    return { name: spec.name, description: spec.description, jobs: of.length / POLLERS.length, pollers }
  })
  return { lagSeconds, requests, shapes: figures }
}

/**
 * What a test file that runs the bundle shares: one emulator, one results-service fake (the artifact and cache
 * backend) when the file uploads, and the runner folders of its runs, removed once the file is done.
 */
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll } from 'vitest'
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/server.ts'
import { startResultsService, type ResultsServiceFake } from '../fakes/results-service.ts'
import type { BundleRun } from './runner.ts'

export interface BundleSession {
  /** The file's emulator (started before its first test). */
  readonly emulator: Emulator
  /** The file's results service; only when the session was asked for one. */
  readonly results: ResultsServiceFake
  /** Keeps `run`'s folders until the file ends (then removes them), and returns the run. */
  keep<T extends BundleRun>(run: T): T
}

export function bundleSession(options: { emulator?: EmulatorOptions; results?: boolean } = {}): BundleSession {
  let emulator: Emulator | undefined
  let results: ResultsServiceFake | undefined
  const runs: BundleRun[] = []
  beforeAll(async () => {
    emulator = await startEmulator(options.emulator)
    if (options.results) results = await startResultsService()
  })
  afterAll(async () => {
    await emulator?.close()
    await results?.close()
    await Promise.all(runs.map((run) => rm(run.dirs.root, { recursive: true, force: true })))
  })
  const started = <T>(value: T | undefined, what: string): T => {
    if (!value) throw new Error(`${what} starts in beforeAll; use it inside a test or hook`)
    return value
  }
  return {
    get emulator() {
      return started(emulator, 'the emulator')
    },
    get results() {
      return started(results, 'the results service (bundleSession({ results: true }))')
    },
    keep(run) {
      runs.push(run)
      return run
    },
  }
}

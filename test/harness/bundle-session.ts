/**
 * What a test file that runs the bundle shares: one emulator, one results-service fake (the artifact and cache
 * backend) when the file uploads, the runner folders of its runs (removed once the file is done), and the check
 * that no run shows the file's secrets.
 */
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll } from 'vitest'
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/server.ts'
import { startResultsService, type ResultsServiceFake } from '../fakes/results-service.ts'
import { expectNoSecretShown } from './leaks.ts'
import { runBundle, type BundleOptions, type BundleRun } from './runner.ts'

export interface BundleSession {
  /** The file's emulator (started before its first test). */
  readonly emulator: Emulator
  /** The file's results service; only when the session was asked for one. */
  readonly results: ResultsServiceFake
  /** Keeps `run`'s folders until the file ends (then removes them), and returns the run. */
  keep<T extends BundleRun>(run: T): T
  /**
   * Runs the bundle with the results service's environment (when there is one), keeps its folders, and checks
   * that none of the session's `secrets` shows in what it printed, its outputs, its summary or its files.
   */
  run(options: BundleOptions): Promise<BundleRun>
}

export interface BundleSessionOptions {
  emulator?: EmulatorOptions
  /** Start a results service for the file's runs. */
  results?: boolean
  /** What no run may show (the API key, a token). */
  secrets?: string[]
}

export function bundleSession(options: BundleSessionOptions = {}): BundleSession {
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
    async run(bundle) {
      const run = await runBundle({ ...bundle, env: { ...results?.env, ...bundle.env } })
      runs.push(run)
      await expectNoSecretShown(run, options.secrets ?? [])
      return run
    },
  }
}

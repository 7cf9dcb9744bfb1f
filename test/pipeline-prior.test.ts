/**
 * What the wait is told to expect: the pipeline builds the prior on a job's total time from what the job was asked
 * to do (its operation, its length and resolution, an edit's input length), and gives none to a resumed job.
 * The wait loop itself runs unchanged; it is only watched, to read the options the pipeline passed it.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { readInputs } from '../src/inputs.js'
import { generateVideo } from '../src/pipeline.js'
import { pollUntilDone, type WaitOptions } from '../src/wait/loop.js'
import { jobTimePrior, type JobHint } from '../src/wait/prior.js'
import { scenarios } from './emulator/scenarios.ts'
import { resolvePlaceholders, startEmulator, type Emulator } from './emulator/server.ts'

vi.mock('../src/wait/loop.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/wait/loop.js')>()
  return { ...actual, pollUntilDone: vi.fn(actual.pollUntilDone) }
})

let emulator: Emulator
let workspace: string

beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'pipeline-prior-'))
})
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true })
})

/**
 * Runs one job of `scenario` with its demo inputs (and `inputs`); returns its request id and its wait's prior.
 * `resume`: the emulator keeps the jobs it knows (a new scenario would forget them).
 */
async function waitOf(scenario: keyof typeof scenarios, inputs: Record<string, string> = {}, resume = false) {
  if (!resume) emulator.setScenario(scenario)
  vi.mocked(pollUntilDone).mockClear()
  const demo = resolvePlaceholders(scenarios[scenario].demo ?? {}, { videoOrigin: emulator.videoOrigin })
  const all: Record<string, string> = {
    'api-key': emulator.apiKey,
    'base-url': emulator.xaiBaseUrl,
    prompt: 'A candle flickers on a wooden table.',
    'poll-interval-seconds': '0.02',
    'timeout-seconds': '20',
    'output-dir': path.join(workspace, 'out'),
    'upload-artifact': 'false',
    preview: 'false',
    ...(demo as Record<string, string>),
    ...inputs,
  }
  const config = await readInputs({
    getInput: (name) => all[name] ?? '',
    mask: () => {},
    env: { GITHUB_WORKSPACE: workspace },
  })
  const result = await generateVideo(config, { output: () => {}, info: () => {}, warning: () => {} })
  expect(result.error).toBeUndefined()
  expect(result.status).toBe('done')
  expect(pollUntilDone).toHaveBeenCalledOnce()
  const [, requestId, options] = vi.mocked(pollUntilDone).mock.calls[0] as [unknown, string, WaitOptions]
  return { requestId, prior: options.prior }
}
const priorOf = async (...args: Parameters<typeof waitOf>) => (await waitOf(...args)).prior

describe('the prior the wait is given', () => {
  it.each<{ name: string; scenario: keyof typeof scenarios; inputs?: Record<string, string>; hint: JobHint }>([
    {
      name: 'a 1 s generation (the default length)',
      scenario: 'xai-done',
      hint: { operation: 'generate', duration: 1 },
    },
    {
      name: 'a 15 s generation at 720p',
      scenario: 'xai-done',
      inputs: { duration: '15', resolution: '720p' },
      hint: { operation: 'generate', duration: 15, resolution: '720p' },
    },
    // The fixture is 3 s long: an edit remakes those 3 s.
    { name: 'an edit of a local 3 s video', scenario: 'xai-edit', hint: { operation: 'edit', inputSeconds: 3 } },
    {
      name: 'an extension adding 6 s to it',
      scenario: 'xai-extend',
      // An extension reads its input, so only the seconds it adds set the prior.
      hint: { operation: 'extend', duration: 6 },
    },
  ])('for $name, is the one its operation and lengths call for', async ({ scenario, inputs, hint }) => {
    const prior = await priorOf(scenario, inputs)

    expect(prior).toEqual(jobTimePrior(hint))
  })

  it('differs by operation for the same length: an edit is expected no sooner and less surely', async () => {
    const edit = await priorOf('xai-edit')
    const generation = jobTimePrior({ operation: 'generate', duration: 3 })

    expect(edit?.medianMs).toBeGreaterThanOrEqual(generation.medianMs)
    expect(edit?.spread).toBeGreaterThan(generation.spread)
  })

  it('is none for a resumed job, whose start is unknown', async () => {
    const { requestId } = await waitOf('xai-done')

    const resumed = await waitOf('xai-done', { 'request-id': requestId }, true)

    expect(resumed.requestId).toBe(requestId)
    expect(resumed.prior).toBeUndefined()
  })
})

/**
 * The Actions adapter (src/main.ts) on its own: @actions/core is a fake that records what the step would show
 * the runner, and the pipeline is a stand-in that reports what a run reports. What a real run looks like end to end
 * is in test/bundle/.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { JobEndedError } from '../src/errors.js'
import type { PipelineEvents } from '../src/pipeline.js'
import type { RunResult } from '../src/report.js'
import { actionDefaults } from './harness/runner.ts'
import { commandsIn } from './harness/workflow-commands.ts'

/** Every call the action made to @actions/core, in order, and the inputs the fake runner hands it. */
const core = vi.hoisted(() => {
  const calls: { fn: string; args: unknown[] }[] = []
  const inputs: Record<string, string> = {}
  const record =
    (fn: string) =>
    (...args: unknown[]): void =>
      void calls.push({ fn, args })
  const summary = {
    addRaw(text: string) {
      calls.push({ fn: 'summary.addRaw', args: [text] })
      return summary
    },
    write: () => Promise.resolve(summary),
  }
  return {
    calls,
    inputs,
    fake: {
      getInput: (name: string): string => {
        calls.push({ fn: 'getInput', args: [name] })
        return inputs[name] ?? ''
      },
      setSecret: record('setSecret'),
      setOutput: record('setOutput'),
      setFailed: record('setFailed'),
      info: record('info'),
      warning: record('warning'),
      notice: record('notice'),
      debug: record('debug'),
      group: async <T>(title: string, work: () => Promise<T>): Promise<T> => {
        calls.push({ fn: 'group', args: [title] })
        return work()
      },
      summary,
    },
  }
})
vi.mock('@actions/core', () => core.fake)

const pipeline = vi.hoisted(() => ({
  generateVideo: vi.fn<(config: unknown, events: PipelineEvents) => Promise<RunResult>>(),
}))
vi.mock('../src/pipeline.js', () => pipeline)

const { run } = await import('../src/main.js')

const KEY = 'sk-main-unit-7f6e5d4c3b2a'
const DEFAULTS = await actionDefaults()
const done = (requestId: string): RunResult => ({
  status: 'done',
  requestId,
  provider: 'xAI',
  baseUrl: 'https://api.x.ai/v1',
  timings: { startedAt: new Date() },
})

const callsTo = (fn: string): unknown[][] => core.calls.filter((call) => call.fn === fn).map((call) => call.args)
const outputs = (): Record<string, unknown> =>
  Object.fromEntries(callsTo('setOutput').map(([name, value]) => [String(name), value]))
const failures = (): string[] => callsTo('setFailed').map(([message]) => String(message))

beforeEach(() => {
  core.calls.length = 0
  for (const name of Object.keys(core.inputs)) delete core.inputs[name]
  Object.assign(core.inputs, DEFAULTS, { 'api-key': KEY, prompt: 'A red kite over green hills.' })
  pipeline.generateVideo.mockReset()
  vi.stubEnv('GITHUB_STEP_SUMMARY', '/dev/null')
  vi.stubEnv('GITHUB_EVENT_NAME', 'push')
})
afterEach(() => {
  vi.unstubAllEnvs()
})

describe('run', () => {
  it('masks the API key before it shows the runner anything', async () => {
    pipeline.generateVideo.mockImplementation((_config, events) => {
      events.info('Created the job.')
      events.output('request-id', 'req-1')
      return Promise.resolve(done('req-1'))
    })
    await run()
    const shown = core.calls.filter((call) => call.fn !== 'getInput')
    expect(shown[0]).toEqual({ fn: 'setSecret', args: [KEY] })
    expect(failures()).toEqual([])
  })

  it('a bad input fails the step naming the input and what it accepts; no job runs and no status is set', async () => {
    core.inputs['duration'] = 'forty'
    await run()
    expect(pipeline.generateVideo).not.toHaveBeenCalled()
    expect(callsTo('setOutput')).toEqual([])
    expect(failures()).toHaveLength(1)
    expect(failures()[0]).toContain("'duration'")
    expect(failures()[0]).toContain('forty')
  })

  it('sets the request id the moment the pipeline knows it, then passes with the outputs and the summary', async () => {
    let idBeforeTheEnd: unknown
    pipeline.generateVideo.mockImplementation((_config, events) => {
      events.output('request-id', 'req-42')
      idBeforeTheEnd = outputs()['request-id']
      events.output('status', 'done')
      return Promise.resolve(done('req-42'))
    })
    await run()
    expect(idBeforeTheEnd).toBe('req-42')
    expect(outputs()).toMatchObject({ 'request-id': 'req-42', status: 'done' })
    expect(failures()).toEqual([])
    const summaries = callsTo('summary.addRaw').map(([text]) => String(text))
    expect(summaries).toHaveLength(1)
    expect(summaries[0]).toContain('req-42')
  })

  it("a job that ended failed fails the step with the provider's words, which the runner cannot take for a command", async () => {
    const error = new JobEndedError('failed', 'req-7', '::add-mask::\n::error::Content rejected', 'Change the prompt.')
    pipeline.generateVideo.mockImplementation((_config, events) => {
      events.output('request-id', 'req-7')
      events.output('status', 'failed')
      return Promise.resolve({ ...done('req-7'), status: 'failed', error })
    })
    await run()
    expect(outputs()).toMatchObject({ 'request-id': 'req-7', status: 'failed' })
    expect(failures()).toHaveLength(1)
    expect(failures()[0]).toContain('req-7')
    expect(failures()[0]).toContain('Content rejected')
    expect(commandsIn(failures()[0])).toEqual([])
  })

  it('what the pipeline logs reaches the runner inert: no line of outside text is a command', async () => {
    pipeline.generateVideo.mockImplementation((_config, events) => {
      events.info('Provider status: ::stop-commands::token')
      events.info('::add-mask::nothing')
      events.warning('::set-output name=status::done')
      events.debug?.('##[error]not an error')
      return Promise.resolve(done('req-3'))
    })
    await run()
    const logged = [...callsTo('info'), ...callsTo('warning'), ...callsTo('debug')].map(([line]) => String(line))
    expect(logged.join('\n')).toContain('stop-commands')
    expect(logged.flatMap((line) => commandsIn(line))).toEqual([])
  })

  it("an unexpected fault fails the step with status 'error' and says it is unexpected", async () => {
    pipeline.generateVideo.mockRejectedValue(new TypeError('Cannot read properties of undefined'))
    await run()
    expect(outputs()).toMatchObject({ status: 'error' })
    expect(failures()).toHaveLength(1)
    expect(failures()[0]).toMatch(/^Unexpected error: TypeError: Cannot read properties of undefined/)
  })
})

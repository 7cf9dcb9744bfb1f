// action.yml is what users write workflows against: its input names are the published interface (a renamed input
// breaks workflows, so the list below changes only with a new major version), its defaults are the ones the code
// applies (one table, src/input-names.ts), and its outputs are the ones the code sets.

import { describe, expect, it } from 'vitest'
import { RUN_STATUSES } from '../src/errors.js'
import { isRetryable } from '../src/grok/retry.js'
import { INPUT_DEFAULTS } from '../src/input-names.js'
import { OUTPUT_NAMES } from '../src/report.js'
import { readActionYaml } from './harness/runner.ts'

/** The published input names, in action.yml's order. */
const PUBLISHED_INPUTS = [
  'api-key',
  'base-url',
  'operation',
  'prompt',
  'prompt-file',
  'model',
  'duration',
  'aspect-ratio',
  'resolution',
  'image',
  'reference-images',
  'reference-voices',
  'video',
  'user',
  'upload-url',
  'public-url',
  'public-url-expires-seconds',
  'request-id',
  'wait',
  'timeout-seconds',
  'poll-interval-seconds',
  'output-dir',
  'artifact-name',
  'upload-artifact',
  'archive',
  'retention-days',
  'release-tag',
  'cache',
  'dry-run',
  'max-cost-usd',
  'prompts-file',
  'max-concurrency',
  'fail-fast',
  'preview',
  'preview-branch',
  'comment-on-pr',
  'github-token',
  'attachment-token',
  'compare-with-base',
]

const SPEC_OUTPUTS = [
  'request-id',
  'status',
  'video-url',
  'video-path',
  'video-sha256',
  'video-bytes',
  'duration',
  'cost-usd',
  'metadata-path',
  'artifact-id',
  'artifact-url',
  'artifact-digest',
  'cache-hit',
  'cache-key',
  'estimated-cost-usd',
  'results',
  'poster-path',
  'preview-path',
  'preview-url',
  'video-attachment-url',
  'public-url',
  'release-asset-url',
]

const BOOLEAN_INPUTS = ['wait', 'upload-artifact', 'archive', 'cache', 'dry-run', 'fail-fast', 'comment-on-pr']

const action = await readActionYaml()
const raw = action as unknown as {
  name?: unknown
  description?: unknown
  branding?: { icon?: unknown; color?: unknown }
  runs?: { using?: unknown; main?: unknown }
}

describe('action.yml', () => {
  it('runs dist/index.js on node24', () => {
    expect(raw.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('has a name, a description and branding for the Marketplace', () => {
    expect(raw.name).toEqual(expect.any(String))
    expect(String(raw.description).trim()).not.toBe('')
    expect(raw.branding?.icon).toEqual(expect.any(String))
    expect(raw.branding?.color).toEqual(expect.any(String))
  })

  it('has exactly the published inputs, in the order of the table the code reads its defaults from', () => {
    expect(Object.keys(action.inputs)).toEqual(PUBLISHED_INPUTS)
    expect(Object.keys(INPUT_DEFAULTS)).toEqual(PUBLISHED_INPUTS)
  })

  it("has exactly the spec's outputs, which are the ones the code sets", () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...SPEC_OUTPUTS].sort())
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
  })

  it.each(PUBLISHED_INPUTS)('input %s has a description', (name) => {
    expect(String(action.inputs[name]?.description ?? '').trim()).not.toBe('')
  })

  it.each(SPEC_OUTPUTS)('output %s has a description', (name) => {
    expect(String(action.outputs[name]?.description ?? '').trim()).not.toBe('')
  })

  it.each(Object.entries(INPUT_DEFAULTS))('input %s has the default the code applies (%s)', (name, expected) => {
    const value = action.inputs[name]?.default
    expect(value === undefined ? undefined : String(value)).toBe(expected)
  })

  it.each(BOOLEAN_INPUTS)('boolean input %s has a default of true or false', (name) => {
    // getBooleanInput throws on an empty value, so a boolean without a default breaks every workflow that omits it.
    expect(['true', 'false']).toContain(String(action.inputs[name]?.default))
  })

  it('requires api-key and nothing else', () => {
    const required = Object.entries(action.inputs).filter(([, spec]) => spec.required === true)
    expect(required.map(([name]) => name)).toEqual(['api-key'])
  })
})

describe('README', () => {
  /** The rows of the Markdown table under `## <heading>`: first cell (without backticks) → second cell. */
  async function tableUnder(heading: string): Promise<Map<string, string>> {
    const { readFile } = await import('node:fs/promises')
    const { ROOT } = await import('./harness/runner.ts')
    const text = await readFile(`${ROOT}/README.md`, 'utf8')
    const section = text.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
    const rows = section.split('\n').filter((line) => /^\| `[^`]+` \|/.test(line))
    return new Map(
      rows.map((line) => {
        const cells = line.split(' | ')
        return [cells[0].replace(/^\| `|`$/g, ''), (cells[1] ?? '').replace(/`/g, '').trim()]
      }),
    )
  }

  it('documents exactly the inputs of action.yml, with their defaults', async () => {
    const table = await tableUnder('Inputs')
    expect([...table.keys()].sort()).toEqual(Object.keys(action.inputs).sort())
    for (const [name, spec] of Object.entries(action.inputs)) {
      if (spec.default !== undefined) expect(table.get(name), name).toBe(String(spec.default))
    }
  })

  it('documents exactly the outputs of action.yml', async () => {
    const table = await tableUnder('Outputs')
    expect([...table.keys()].sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it('lists every status value, as action.yml does, and which ones pass the step', async () => {
    const readme = (await tableUnder('Outputs')).get('status') ?? ''
    const yml = String(action.outputs.status?.description ?? '').replace(/`/g, '')
    for (const status of RUN_STATUSES) {
      expect(readme, status).toMatch(new RegExp(`(^|[ ;(])${status}[ ;(,.]`))
      expect(yml, status).toMatch(new RegExp(`(^|[ ;(])${status}[ ;(,.]`))
    }
    for (const text of [readme, yml])
      expect(text).toContain('done, pending and dry-run pass the step; every other value fails it.')
  })

  it('names exactly the HTTP statuses on which a status check is retried', async () => {
    const { readFile } = await import('node:fs/promises')
    const { ROOT } = await import('./harness/runner.ts')
    const text = (await readFile(`${ROOT}/README.md`, 'utf8')).replace(/\s+/g, ' ')
    const listed = /Status checks are retried, within the deadline, on exactly these HTTP statuses: ([\d, ]+);/.exec(
      text,
    )
    expect(listed, 'the sentence in "What you can rely on"').not.toBeNull()
    const documented = (listed?.[1] ?? '').split(', ').map(Number)
    const retried = Array.from({ length: 500 }, (_, i) => 100 + i).filter((httpStatus) =>
      isRetryable('GET', { httpStatus }),
    )
    expect(documented).toEqual(retried)
  })
})

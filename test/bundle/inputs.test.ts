// Bad inputs and the step's own paths through dist/index.js: the step fails naming the input, and sends nothing.

import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/server.ts'
import { BAD, FIXTURES, populateWorkspace, VALID } from '../harness/bad-inputs.ts'
import { makeRunnerDirs, runBundle, type RunnerDirs } from '../harness/runner.ts'

describe('bad inputs through the bundle', () => {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: 'xai-done' })
  })
  afterAll(() => emulator.close())

  it('fail the step with exit code 1 and the input named, before any request', async () => {
    const runs = await mapLimit(BAD, 4, async (row) => {
      const dirs = await makeRunnerDirs()
      const run = await runBundle({
        dirs,
        inputs: { ...VALID, 'base-url': emulator.xaiBaseUrl, ...row.inputs },
        env: row.env?.(dirs.workspace),
        prepare: (dirs) => populateWorkspace(dirs.workspace),
      })
      await rm(run.dirs.root, { recursive: true, force: true })
      return { row, run }
    })
    for (const { row, run } of runs) {
      expect(run.exitCode, row.why).toBe(1)
      const errorLine = run.stdout.split('\n').find((line) => line.startsWith('::error::'))
      expect(errorLine, row.why).toContain(`'${row.input}'`)
      expect(errorLine, row.why).toMatch(row.says)
      expect(run.outputs['request-id'] ?? '', row.why).toBe('')
    }
    expect(emulator.requests).toEqual([])
  }, 300_000) // one bundle run per row, four at a time
})

describe("the step's own paths and the links in a checkout, through the bundle", () => {
  /** What a checkout leaves in `.git/config`: the job token, which must never be read, sent or shown. */
  const CHECKOUT_TOKEN = 'eC1hY2Nlc3MtdG9rZW46Z2hzX3N0ZXBQYXRoVG9rZW4='
  const OUTSIDE_TEXT = 'A file beside the workspace, not meant for the provider.'
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: 'xai-done' })
  })
  afterAll(() => emulator.close())

  /**
   * A checkout a pull request changed: its files turned into links to `.git/config` and out of the workspace.
   * Beside it, another repository's `.git` and a previous step's files in RUNNER_TEMP.
   */
  async function checkout(dirs: RunnerDirs): Promise<void> {
    const inWorkspace = (...parts: string[]) => path.join(dirs.workspace, ...parts)
    await mkdir(inWorkspace('.git'))
    await writeFile(
      inWorkspace('.git', 'config'),
      `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${CHECKOUT_TOKEN}\n`,
    )
    await mkdir(path.join(dirs.root, 'other', '.git'), { recursive: true })
    await writeFile(path.join(dirs.root, 'other', '.git', 'config'), `token ${CHECKOUT_TOKEN}\n`)
    await writeFile(path.join(dirs.root, 'outside.txt'), OUTSIDE_TEXT)
    await copyFile(path.join(FIXTURES, 'clip-3s.mp4'), path.join(dirs.root, 'outside.mp4'))
    await copyFile(path.join(FIXTURES, 'frame.png'), path.join(dirs.root, 'outside.png'))
    for (const name of ['prompt.txt', 'frame.png', 'prompts.yml'])
      await symlink(inWorkspace('.git', 'config'), inWorkspace(name))
    await symlink(path.join(dirs.root, 'outside.mp4'), inWorkspace('clip.mp4'))
    await symlink(path.join(dirs.root, 'outside.png'), inWorkspace('reference.png'))
    // What a workflow may name: a previous step's prompt in RUNNER_TEMP, and a link that stays in the workspace.
    await writeFile(path.join(dirs.runnerTemp, 'step-prompt.txt'), 'A kite over the dunes.')
    await copyFile(path.join(FIXTURES, 'frame.png'), inWorkspace('still.png'))
    await symlink(inWorkspace('still.png'), inWorkspace('still-link.png'))
    await symlink(dirs.workspace, path.join(dirs.root, 'workspace-alias'))
  }

  it.each<{
    why: string
    inputs: Record<string, string> | ((dirs: RunnerDirs) => Record<string, string>)
    input: string
    says: RegExp
  }>([
    {
      why: 'prompt-file turned into a link to .git/config',
      inputs: { prompt: '', 'prompt-file': 'prompt.txt' },
      input: 'prompt-file',
      says: /'prompt\.txt' is a symlink into '\.git\/'/,
    },
    {
      why: 'image turned into a link to .git/config',
      inputs: { image: 'frame.png' },
      input: 'image',
      says: /'frame\.png' is a symlink into '\.git\/'/,
    },
    {
      why: 'prompts-file turned into a link to .git/config',
      inputs: { prompt: '', 'prompts-file': 'prompts.yml' },
      input: 'prompts-file',
      says: /'prompts\.yml' is a symlink into '\.git\/'/,
    },
    {
      why: 'a video that is a link out of the workspace',
      inputs: { operation: 'extend', video: 'clip.mp4' },
      input: 'video',
      says: /'clip\.mp4' is a symlink that leads out of the workspace/,
    },
    {
      why: 'a reference image that is a link out of the workspace',
      inputs: { 'reference-images': 'still.png\nreference.png' },
      input: 'reference-images',
      says: /'reference\.png' is a symlink that leads out of the workspace/,
    },
    {
      why: "a literal path under the workspace's .git",
      inputs: { prompt: '', 'prompt-file': '.git/config' },
      input: 'prompt-file',
      says: /'\.git\/config' is under '\.git\/'/,
    },
    {
      why: "a literal absolute path under another repository's .git",
      inputs: (dirs) => ({ prompt: '', 'prompt-file': path.join(dirs.root, 'other', '.git', 'config') }),
      input: 'prompt-file',
      says: /is under '\.git\/'/,
    },
  ])('refuses $why before any request, naming $input', async (row) => {
    const dirs = await makeRunnerDirs('grok-step-paths-')
    try {
      await checkout(dirs)
      const inputs = typeof row.inputs === 'function' ? row.inputs(dirs) : row.inputs
      const before = emulator.requests.length
      const run = await runBundle({ dirs, inputs: { ...VALID, 'base-url': emulator.xaiBaseUrl, ...inputs } })
      expect(run.exitCode).toBe(1)
      expect(emulator.requests.slice(before)).toEqual([])
      const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
      expect(errors).toHaveLength(1)
      expect(errors[0]).toContain(`Input '${row.input}' `)
      expect(errors[0]).toMatch(row.says)
      expect(run.outputs['request-id'] ?? '').toBe('')
      for (const text of [run.stdout, run.stderr, run.summary]) {
        expect(text).not.toContain(CHECKOUT_TOKEN)
        expect(text).not.toContain(OUTSIDE_TEXT)
      }
    } finally {
      await rm(dirs.root, { recursive: true, force: true })
    }
  })

  it('reads a literal path outside the workspace and a link that stays inside, the workspace named through a link', async () => {
    const dirs = await makeRunnerDirs('grok-step-paths-')
    try {
      await checkout(dirs)
      const before = emulator.requests.length
      const run = await runBundle({
        dirs,
        inputs: {
          ...VALID,
          'base-url': emulator.xaiBaseUrl,
          'dry-run': 'true',
          prompt: '',
          'prompt-file': path.join(dirs.runnerTemp, 'step-prompt.txt'),
          image: 'still-link.png',
        },
        // As on macOS, where the workspace's path leads through /var, a link to /private/var.
        env: { GITHUB_WORKSPACE: path.join(dirs.root, 'workspace-alias') },
      })
      expect(run.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(emulator.requests.slice(before)).toEqual([])
      expect(run.stdout).toContain('"prompt": "A kite over the dunes."')
      expect(run.stdout).toContain('"url": "still-link.png (image/png')
    } finally {
      await rm(dirs.root, { recursive: true, force: true })
    }
  })
})

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * CONTRIBUTING.md's Layout section and the tree agree: every source, script and bench file is named (a test folder by
 * its folder), and every path named exists.
 */
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './harness/runner.ts'

const contributing = await readFile(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8')
const layout = /## Layout\n[\s\S]*?```\n([\s\S]*?)```/.exec(contributing)?.[1] ?? ''
/** The first word of each line that names a path (continuation lines start with spaces). */
const named = layout
  .split('\n')
  .filter((line) => /^\S/.test(line))
  .map((line) => line.split(/\s+/)[0])

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
}

describe("CONTRIBUTING.md's Layout", () => {
  it('has a code block naming paths', () => {
    expect(named.length).toBeGreaterThan(10)
  })

  it('names every file of src/', async () => {
    const missing = (await filesUnder('src')).filter((file) => !named.includes(file))
    expect(missing).toEqual([])
  })

  it('names every folder of test/, and the test files by their pattern', async () => {
    const folders = new Set(
      (await filesUnder('test')).map((file) => path.posix.dirname(file)).filter((dir) => dir !== 'test'),
    )
    const coveredBy = (dir: string) =>
      named.some((entry) => entry.endsWith('/') && !entry.includes('*') && `${dir}/`.startsWith(entry))
    expect([...folders].filter((dir) => dir !== 'test/grok' && !coveredBy(dir))).toEqual([])
    expect(named).toContain('test/*.test.ts')
  })

  it('names every script, the bench folder and the CI entry point', async () => {
    for (const file of await filesUnder('scripts')) expect(named, file).toContain(file)
    expect(named).toContain('bench/')
    expect(named).toContain('.ci/run')
  })

  it('names only paths that exist', () => {
    const paths = named.filter((entry) => !entry.includes('*'))
    expect(paths.filter((entry) => !existsSync(path.join(ROOT, entry)))).toEqual([])
  })
})

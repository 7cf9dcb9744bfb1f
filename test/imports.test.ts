/**
 * Which way imports go between the tests and the benchmark: the benchmark plays the test harness's job shapes and
 * emulator, and no test depends on bench/, so the tests run (and move) without it.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './harness/runner.ts'

async function testSources(): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, 'test'), { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
}

describe('what the tests import', () => {
  it('no test or harness file imports from bench/', async () => {
    const importing: string[] = []
    for (const file of await testSources()) {
      const text = await readFile(file, 'utf8')
      if (/\bfrom\s+['"](?:\.\.\/)+bench\//.test(text) || /import\(\s*['"](?:\.\.\/)+bench\//.test(text)) {
        importing.push(path.relative(ROOT, file))
      }
    }
    expect(importing).toEqual([])
  })
})

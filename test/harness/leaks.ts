/**
 * The check that a run kept its secrets: no API key, token or signed URL shows in what the step printed (but for
 * the `::add-mask::` commands that hide it), its outputs, its job summary, or any file it left behind.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { expect } from 'vitest'
import type { BundleRun } from './runner.ts'

export async function expectNoSecretShown(run: BundleRun, secrets: readonly string[]): Promise<void> {
  for (const secret of secrets) {
    // A mask command is read by the runner, never shown.
    const printed = (run.stdout + run.stderr).split('\n').filter((line) => !line.startsWith('::add-mask::'))
    expect(printed.join('\n'), 'the log').not.toContain(secret)
    expect(JSON.stringify(run.outputs), 'the outputs').not.toContain(secret)
    expect(run.summary, 'the job summary').not.toContain(secret)
    for (const file of await filesUnder(run.dirs.root))
      expect(await readFile(file, 'latin1'), file).not.toContain(secret)
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
}

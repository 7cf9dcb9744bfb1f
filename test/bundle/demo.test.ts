/**
 * `npm run demo` (scripts/demo.ts) is a newcomer's first look at the product: it must show the log as a runner
 * shows it, every output, and the job summary the run wrote.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../harness/runner.ts'

describe('npm run demo', () => {
  it('prints the log as a runner shows it, the outputs and the job summary it wrote', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/demo.ts'], { cwd: ROOT, encoding: 'utf8' })
    const lines = stdout.split('\n')

    // No raw workflow commands: groups show as their title, masks and debug lines not at all.
    expect(lines.filter((line) => line.startsWith('::'))).toEqual([])
    expect(lines).toContain('▸ Uploading the artifact (the MP4)')
    expect(lines).toContain('    Finalizing artifact upload')

    const requestId = /^ {2}request-id: (\S+)$/m.exec(stdout)?.[1]
    expect(requestId).toBeDefined()
    const summary = lines.slice(lines.indexOf("Job summary (Markdown, shown on the run's page):") + 1)
    expect(summary[0]).toMatch(/^ {2}## .*Grok video: done$/)
    expect(summary).toContain(`  | Request id | \` ${requestId} \` |`)
    expect(summary.some((line) => /^ {2}\| Status \| done\b/.test(line))).toBe(true)
  })
})

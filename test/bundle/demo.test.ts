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

  it("pr: the comment a reviewer sees, the base's run having filled the cache: before and after, unchanged, new, removed", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/demo.ts', 'pr'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    const lines = stdout.split('\n')
    expect(stdout).toContain('the provider was asked for intro and teaser only')
    const comment = lines.slice(lines.indexOf('The pull request comment a reviewer sees (Markdown):') + 2)
    expect(comment[1]).toBe('  ### 🎬 Grok video preview: 3 of 3 done')
    expect(comment[3]).toBe('  2 new or changed: $0.1 · 1 from the cache: $0')
    expect(comment.find((line) => line.startsWith('  | ` outro `'))).toMatch(/\| unchanged \|$/)
    expect(comment.find((line) => line.startsWith('  | ` teaser `'))).toMatch(/\| new \|$/)
    const section = comment.slice(comment.indexOf('  #### Before and after'))
    expect(section.find((line) => line.startsWith('  | ` intro `'))).toMatch(
      /^ {2}\| ` intro ` \| ` A paper boat drifts down a rainy street at dusk\. `<br>\[▶️ Before\]\(https:\/\/github\.com\/octo-org\/films\/actions\/runs\/5002\/artifacts\/\d+\) \| ` A paper boat drifts down a rainy street at dawn, gulls overhead\. `<br>\[▶️ After\]/,
    )
    expect(comment).toContain(
      '  Removed (asked for by the base, not by this pull request): ` credits ` (` Titles over a slow pan across wet cobblestones. `)',
    )
    expect(stdout).toMatch(/Artifacts of the pull request's run: .*preview-intro@base\.mp4/)
    // With attachment-token the base's video plays under the before-and-after table, its URL alone on its line.
    const player = /preview-intro@base\.mp4 → (https:\/\/github\.com\/user-attachments\/assets\/[0-9a-f-]{36})/.exec(
      stdout,
    )?.[1]
    expect(player).toBeDefined()
    const at = section.indexOf('  **` intro `**, before (the base):')
    expect(section.slice(at, at + 3)).toEqual(['  **` intro `**, before (the base):', '', `  ${player}`])
  })
})

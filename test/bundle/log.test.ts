/**
 * The step's log as a reader scans it (src/log.ts, and how main.ts uses it), through the bundle: in a single run the
 * artifact and cache clients' chatter sits in collapsed groups and the wait's progress and the result stand outside
 * them; in a batch there are no groups and every line a job writes, the libraries' included, starts with the job's
 * name.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bundleSession } from '../harness/bundle-session.ts'
import type { BundleRun } from '../harness/runner.ts'

const session = bundleSession({ emulator: { scenario: 'comet-task-success' }, results: true })

async function run(inputs: Record<string, string>, files: Record<string, string> = {}): Promise<BundleRun> {
  const result = await session.run({
    inputs: {
      'api-key': session.emulator.apiKey,
      'base-url': session.emulator.cometBaseUrl,
      'poll-interval-seconds': '0.05',
      cache: 'true',
      ...inputs,
    },
    prepare: async (dirs) => {
      for (const [name, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dirs.workspace, name)), { recursive: true })
        await writeFile(path.join(dirs.workspace, name), text)
      }
    },
  })
  expect(result.stderr).toBe('')
  expect(result.exitCode).toBe(0)
  return result
}

/** The printed lines, each with the title of the group it is in (undefined outside any group). */
function placed(stdout: string): { line: string; group?: string }[] {
  const lines: { line: string; group?: string }[] = []
  let group: string | undefined
  for (const line of stdout.split('\n')) {
    if (line.startsWith('::group::')) {
      expect(group, `'${line}' opens a group inside '${group}'`).toBeUndefined()
      group = line.slice('::group::'.length)
    } else if (line === '::endgroup::') {
      expect(group, 'an ::endgroup:: without a group').toBeDefined()
      group = undefined
    } else lines.push({ line, group })
  }
  expect(group, 'a group left open').toBeUndefined()
  return lines
}

// Lines the artifact and cache clients print (not ours): the chatter a reader should not have to scroll past.
const CHATTER = [
  /^Found \d+ artifact\(s\)$/,
  /^Artifact name is valid!$/,
  /^Finalizing artifact upload$/,
  /^\[command\].*tar /,
  /^Sent \d+ of \d+/,
]

describe('a single run', () => {
  let single: BundleRun
  beforeAll(async () => {
    // A prompt of its own: a cache miss, so the run looks up, generates, saves to the cache and uploads.
    single = await run({ prompt: `A lantern on a pier, ${Date.now()}.` })
  })

  it("folds the artifact and cache clients' chatter into groups; progress and session.results stand outside", () => {
    const lines = placed(single.stdout)
    const groupOf = (pattern: RegExp) => lines.filter(({ line }) => pattern.test(line)).map(({ group }) => group)

    const titles = [...new Set(lines.flatMap(({ group }) => group ?? []))]
    expect(titles).toEqual([
      expect.stringMatching(/^Looking up the cache \(grok-video-v1-[0-9a-f]{64}\)$/),
      'Checking which artifact names this run has taken',
      expect.stringMatching(/^Saving to the cache \(grok-video-v1-[0-9a-f]{64}\)$/),
      'Uploading the artifact (the MP4)',
    ])
    for (const pattern of CHATTER) {
      expect(groupOf(pattern).length, String(pattern)).toBeGreaterThan(0)
      for (const group of groupOf(pattern)) expect(group, String(pattern)).toBeDefined()
    }
    // What a reader looks for: never inside a collapsed group.
    for (const pattern of [
      /^Creating a 1 s video/,
      /^Job created: /,
      /elapsed; next check in/,
      /^Job \S+ is done after/,
      /^Saved \/.*\.mp4 \(2748 bytes/,
      /^Saved to the cache as /,
      /^Uploaded artifact '/,
    ]) {
      expect(groupOf(pattern).length, String(pattern)).toBeGreaterThan(0)
      expect(groupOf(pattern), String(pattern)).toEqual(groupOf(pattern).map(() => undefined))
    }
  })

  it('keeps its own detail (request body, video URL, timings) in debug lines, which a runner shows only on request', () => {
    const { stdout } = single
    const debug = stdout.split('\n').filter((line) => line.startsWith('::debug::'))
    expect(debug).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^::debug::Request body: \{"prompt":"A lantern on a pier, \d+\.","model":/),
        expect.stringMatching(
          new RegExp(`^::debug::Video URL: ${session.emulator.videoOrigin.replaceAll('.', '\\.')}/videos/\\S+\\.mp4$`),
        ),
        expect.stringMatching(/^::debug::Timings: \{"startedAt":.*"totalMs":\d+\}$/),
      ]),
    )
    for (const detail of ['Request body:', 'Video URL:', 'Timings:'])
      expect(stdout.split('\n').filter((line) => line.includes(detail) && !line.startsWith('::debug::'))).toEqual([])
  })
})

describe('a batch', () => {
  it("has no groups, and every line a job writes, the clients' included, starts with that job's name", async () => {
    const names = ['kite', 'boat', 'tree']
    const prompts = names.map((name) => `- {name: ${name}, prompt: 'A ${name} at dusk, ${Date.now()}.'}`).join('\n')
    const { stdout } = await run({ 'prompts-file': 'prompts.yml', 'max-concurrency': '3' }, { 'prompts.yml': prompts })
    const lines = stdout.split('\n').filter(Boolean)

    expect(lines.filter((line) => /^::(end)?group::/.test(line))).toEqual([])
    const jobOf = (line: string): string | undefined =>
      /^(?:::(?:debug|notice|warning|error)(?: [^:]*)?::)?\[([a-z]+)\] /.exec(line)?.[1]
    const unnamed = lines.filter((line) => !jobOf(line) && !line.startsWith('::add-mask::'))
    // Only the batch's own lines (before the jobs start, after they end) name no job.
    expect(unnamed).toEqual(['Running 3 jobs, at most 3 at once.'])
    for (const pattern of CHATTER) {
      const text = (line: string) => line.replace(/^\[[a-z]+\] /, '')
      const found = lines.filter((line) => jobOf(line) && pattern.test(text(line)))
      expect(found.map(jobOf).sort(), String(pattern)).toEqual([...names].sort())
    }
    // The clients' debug lines are attributed too.
    expect(lines.filter((line) => line.startsWith('::debug::') && !jobOf(line))).toEqual([])
  })
})

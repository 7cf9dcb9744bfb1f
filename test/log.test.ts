/**
 * The step's log as a reader scans it (src/log.ts, and how main.ts uses it): in a single run the artifact and
 * cache clients' chatter sits in collapsed groups and the wait's progress and the result stand outside them; in a
 * batch there are no groups and every line a job writes, the libraries' included, starts with the job's name.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Writable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import { asJob, inert, prefixJobLines, prefixLine } from '../src/log.js'
import { bundleSession } from './harness/bundle-session.ts'
import type { BundleRun } from './harness/runner.ts'
import { commandsIn } from './harness/workflow-commands.ts'

describe('prefixLine', () => {
  it.each([
    ['plain text', 'Uploaded bytes 2748', '[kite] Uploaded bytes 2748'],
    ['a debug line, after its command', '::debug::Cache Paths:', '::debug::[kite] Cache Paths:'],
    ['a warning with properties', '::warning file=a.ts,line=3::Slow', '::warning file=a.ts,line=3::[kite] Slow'],
    ['an error', '::error::Job failed', '::error::[kite] Job failed'],
    ['a line that already has the name', '[kite] Job created: 1', '[kite] Job created: 1'],
    ['a warning that already has it', '::warning::[kite] Slow', '::warning::[kite] Slow'],
    ["another job's name is not this one's", '[boat] x', '[kite] [boat] x'],
    ['an empty line', '', ''],
    // The runner reads these exactly: a prefix would mask the wrong text or break the command.
    ['add-mask', '::add-mask::s3cr3t', '::add-mask::s3cr3t'],
    ['group', '::group::Uploading', '::group::Uploading'],
    ['endgroup', '::endgroup::', '::endgroup::'],
  ])('%s', (_what, line, expected) => {
    expect(prefixLine(line, 'kite')).toBe(expected)
  })
})

describe('prefixJobLines', () => {
  /** A stream that records what reaches it, and a prefixer installed on it. */
  function recorder() {
    const chunks: string[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'))
        done()
      },
    })
    const undo = prefixJobLines(stream)
    return { stream, text: () => chunks.join(''), undo }
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve))

  it('names the job on every line it writes, across awaits and with two jobs interleaved; other lines stay', async () => {
    const { stream, text, undo } = recorder()
    stream.write('Running 2 jobs.\n')
    await Promise.all(
      ['kite', 'boat'].map((name) =>
        asJob(name, async () => {
          stream.write('Uploading artifact\n')
          await tick()
          stream.write('::debug::two\nlines\n')
          await tick()
          stream.write(Buffer.from('[command]/usr/bin/tar -cf\n'))
        }),
      ),
    )
    stream.write('Done.\n')
    undo()
    expect(text().split('\n')).toEqual([
      'Running 2 jobs.',
      '[kite] Uploading artifact',
      '[boat] Uploading artifact',
      '::debug::[kite] two',
      '[kite] lines',
      '::debug::[boat] two',
      '[boat] lines',
      '[kite] [command]/usr/bin/tar -cf',
      '[boat] [command]/usr/bin/tar -cf',
      'Done.',
      '',
    ])
  })

  it('prefixes a line once when it arrives in pieces, and stops when undone', async () => {
    const { stream, text, undo } = recorder()
    await asJob('kite', () => {
      stream.write('Sent 10 of ')
      stream.write('20\n')
      undo()
      stream.write('after\n')
      return Promise.resolve()
    })
    expect(text()).toBe('[kite] Sent 10 of 20\nafter\n')
    expect(Object.hasOwn(stream, 'write')).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------------------
// Through the bundle

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

describe('inert', () => {
  it.each([
    { line: '::add-mask::secret' },
    { line: '  \t::error title=x::y' },
    { line: '\u00a0\u2003::stop-commands::token' },
    { line: '\x85::warning::y' },
    { line: 'text ##[add-mask]secret' },
    { line: '###[stop-commands]token' },
  ])('leaves the runner no command in $line, on every line, and reads the same', ({ line }) => {
    for (const text of [line, `first\n${line}`, `first\r${line}`, `first\r\n${line}\nlast`]) {
      const safe = inert(text)
      expect(commandsIn(safe)).toEqual([])
      expect(safe.replace(/\u200b/g, '')).toBe(text)
    }
  })

  it('leaves text without a command as it is', () => {
    const text = 'Job abc-123 is done: https://example.com/a::b ##x [y]'
    expect(inert(text)).toBe(text)
  })
})

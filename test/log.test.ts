/**
 * How the step's log reads (src/log.ts): a line named by its job, every line a job writes named however it
 * arrives, and outside text made inert. What a reader of a real run sees is in test/bundle/log.test.ts.
 */
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { asJob, inert, prefixJobLines, prefixLine } from '../src/log.js'
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

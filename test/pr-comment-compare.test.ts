/**
 * What the comment says the pull request changes and costs (pr-comment-compare.ts), and how renderComment fits a
 * comparison into GitHub's size limit: the before-and-after section shortens, then lists fewer jobs, before any row goes.
 */
import { describe, expect, it } from 'vitest'
import { COMMENT_LIMIT, renderComment, type CommentRow } from '../src/pr-comment-body.js'
import {
  changeCell,
  compareSection,
  costLine,
  NO_COMPARE,
  SHORT_COMPARE,
  WHOLE_COMPARE,
} from '../src/pr-comment-compare.js'

const MARKER = '<!-- grok-video-action workflow=w job=j artifact= -->'
const ART = 'https://github.com/octo-org/films/actions/runs/7/artifacts/'
const row = (name: string, overrides: Partial<CommentRow> = {}): CommentRow => ({
  name,
  prompt: `A shot of ${name}.`,
  parameters: '5 s',
  status: 'done',
  costTicks: 2_500_000_000,
  videoUrl: `${ART}1`,
  ...overrides,
})

describe('costLine', () => {
  it('without a comparison: what this run generated, the pending estimate, and the cache at $0', () => {
    const line = costLine([
      row('a', { costTicks: 5_200_000_000 }),
      row('b', { costTicks: 5_200_000_000 }),
      row('c', { status: 'pending', costTicks: undefined, estimatedUsd: 0.5 }),
      row('d', { fromCache: true, costTicks: undefined }),
      row('e', { fromCache: true, costTicks: undefined }),
    ])
    expect(line).toBe('3 generated: $1.04 (+ $0.5 estimated for 1 pending) · 2 from the cache: $0')
  })

  it('with a comparison: new and changed jobs, an unchanged one generated again counted apart', () => {
    const line = costLine([
      row('a', { compare: { change: 'changed', basePrompt: 'old' } }),
      row('b', { compare: { change: 'new' } }),
      row('c', { compare: { change: 'unchanged' } }),
      row('d', { fromCache: true, costTicks: undefined, compare: { change: 'unchanged' } }),
    ])
    expect(line).toBe('2 new or changed: $0.5 · 1 unchanged, generated again: $0.25 · 1 from the cache: $0')
  })

  it('a video the provider did not price: counted at the estimate, marked as one, never as $0', () => {
    expect(costLine([row('a', { costTicks: undefined, estimatedUsd: 0.05 })])).toBe(
      '1 generated: ≈ $0.05 estimated · 0 from the cache: $0',
    )
    expect(
      costLine([
        row('a', { costTicks: undefined, estimatedUsd: 0.05, compare: { change: 'new' } }),
        row('b', { compare: { change: 'changed', basePrompt: 'old' } }),
        row('c', { status: 'failed', costTicks: undefined, estimatedUsd: 0.05, compare: { change: 'new' } }),
      ]),
    ).toBe('3 new or changed: $0.25 + ≈ $0.05 estimated · 0 from the cache: $0')
  })

  it('everything from the cache', () => {
    expect(costLine([row('a', { fromCache: true, costTicks: undefined })])).toBe(
      '0 generated: $0 · 1 from the cache: $0',
    )
  })
})

describe('the comparison in the comment', () => {
  const compared = [
    row('same', { compare: { change: 'unchanged' } }),
    row('edit', {
      compare: { change: 'changed', basePrompt: 'The old <b>shot</b> | of edit.', baseVideoUrl: `${ART}2` },
    }),
    row('never', { compare: { change: 'changed', basePrompt: 'Never made.', baseMissing: true } }),
    row('added', { compare: { change: 'new' } }),
  ]

  it('each row says where it stands; a changed one shows both prompts as code and both videos', () => {
    const body = renderComment(MARKER, compared, undefined, [{ name: 'gone', prompt: 'A removed @someone shot.' }])
    const lines = body.split('\n')
    expect(lines.find((l) => l.startsWith('| ` same `'))).toMatch(/\| unchanged \|$/)
    expect(lines.find((l) => l.startsWith('| ` never `'))).toMatch(/\| changed \(not generated on the base\) \|$/)
    expect(lines.find((l) => l.startsWith('| ` added `'))).toMatch(/\| new \|$/)
    const section = lines.slice(lines.indexOf('#### Before and after'))
    expect(section.slice(0, 6)).toEqual([
      '#### Before and after',
      '',
      '| Job | Before (base) | After (this pull request) |',
      '|---|---|---|',
      `| \` edit \` | \` The old <b>shot</b> \\| of edit. \`<br>[▶️ Before](${ART}2) | \` A shot of edit. \`<br>[▶️ After](${ART}1) |`,
      '| ` never ` | ` Never made. `<br>not generated on the base | ` A shot of never. `<br>[▶️ After](' + ART + '1) |',
    ])
    expect(body).toContain(
      'Removed (asked for by the base, not by this pull request): ` gone ` (` A removed @someone shot. `)',
    )
  })

  it('a base video in the attachment store plays under the table, alone on its line; a URL that is not https does not', () => {
    const player = 'https://github.com/user-attachments/assets/0b6f3a52-1111-4222-8333-944455556666'
    const lines = compareSection(
      [
        row('edit', { compare: { change: 'changed', basePrompt: 'p', basePlayerUrl: player } }),
        row('odd', { compare: { change: 'changed', basePrompt: 'p', basePlayerUrl: 'http://example.com/x.mp4' } }),
      ],
      [],
      SHORT_COMPARE,
    )
    const at = lines.indexOf('**` edit `**, before (the base):')
    expect(lines.slice(at, at + 4)).toEqual(['**` edit `**, before (the base):', '', player, ''])
    expect(lines.join('\n')).not.toContain('odd `**')
    expect(
      compareSection([row('edit', { compare: { change: 'changed', basePlayerUrl: player } })], [], NO_COMPARE),
    ).toEqual([])
  })

  it('a link goes only to an https URL', () => {
    const lines = compareSection(
      [row('x', { compare: { change: 'changed', basePrompt: 'p', baseVideoUrl: 'javascript:alert(1)' } })],
      [],
      WHOLE_COMPARE,
    )
    expect(lines.join('\n')).not.toContain('](javascript')
    expect(lines.join('\n')).toContain('▶️ Before')
  })

  it('no comparison: no column, no section', () => {
    const body = renderComment(MARKER, [row('a'), row('b')])
    expect(body).not.toContain('Against the base')
    expect(body).not.toContain('Before and after')
    expect(changeCell(undefined)).toBe('—')
  })

  it('too long for one comment: the section shortens, then lists fewer jobs, said in the note, before any row goes', () => {
    const long = (i: number) => `Shot ${i}: ${'a slow dolly through a neon market at night, '.repeat(8)}`
    const rows = Array.from({ length: 100 }, (_, i) =>
      row(`job-${i}`, {
        prompt: long(i),
        // A reference image's URL in the parameters: never shortened.
        parameters: `5 s, 720p, https://cdn.example.com/${'refs/'.repeat(40)}${i}.png`,
        requestId: `4f1c2a9e-${String(i).padStart(4, '0')}-4b7d-9c3e-1a2b3c4d5e6f`,
        compare: { change: 'changed', basePrompt: `Old ${long(i)}`, baseVideoUrl: `${ART}${i}` },
      }),
    )
    const body = renderComment(MARKER, rows)
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    // Every row is still there, and says it changed.
    expect(body).not.toContain('are not listed')
    expect(body.split('\n').filter((l) => l.startsWith('| ` job-') && l.endsWith('| changed |'))).toHaveLength(100)
    const listed = body.split('\n').filter((l) => /^\| ` job-\d+ ` \| ` Old /.test(l)).length
    expect(listed).toBeGreaterThan(0)
    expect(listed).toBeLessThan(100)
    expect(body).toContain(`${100 - listed} of 100 changed jobs are not in the before-and-after section here`)

    const fewer = renderComment(MARKER, rows.slice(0, 60))
    expect(fewer.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    const pairs = fewer.split('\n').slice(fewer.split('\n').indexOf('#### Before and after') + 4)
    expect(pairs[0]).toMatch(/^\| ` job-0 ` \| ` Old Shot 0: a slow dolly.{30,60}… `<br>/)
  })
})

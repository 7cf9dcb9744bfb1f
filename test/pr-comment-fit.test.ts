/**
 * How renderComment fits a large batch with a comparison into GitHub's size limit: the comparison gives up its parts
 * step by step (shorter prompts, fewer base players, fewer rows, the removed jobs named then counted) so that this
 * pull request's players and previews come back, and the note names every kind of thing left out.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { COMMENT_LIMIT, renderComment, type CommentRow } from '../src/pr-comment-body.js'
import type { RemovedJob } from '../src/pr-comment-compare.js'

const MARKER = '<!-- grok-video-action workflow=w job=j artifact= -->'
const RUN_URL = 'https://github.com/octo-org/films/actions/runs/12345678901'
const hex = (seed: string): string => createHash('sha256').update(seed).digest('hex')
const uuid = (seed: string): string => {
  const h = hex(seed)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}
const player = (seed: string): string => `https://github.com/user-attachments/assets/${uuid(seed)}`
const long = (i: number): string =>
  `Shot ${i}: a slow dolly through a rain-soaked neon market at night, ${'steam rising from food stalls, '.repeat(6)}`

/** A changed job as a real run reports it: a long prompt, its player, its GIF, and its base's video and player. */
const changedRow = (i: number, overrides: Partial<CommentRow> = {}): CommentRow => ({
  name: `clip-${String(i).padStart(3, '0')}`,
  prompt: long(i),
  parameters: '5 s, 16:9, 720p',
  status: 'done',
  costTicks: 2_500_000_000,
  requestId: uuid(`request ${i}`),
  videoUrl: `https://github.com/octo-org/films/actions/runs/12345678901/artifacts/${3_000_000_000 + i}`,
  previewUrl: `https://github.com/octo-org/films/blob/grok-video-previews/${hex(String(i))}.gif?raw=true`,
  playerUrl: player(`after ${i}`),
  compare: {
    change: 'changed',
    basePrompt: `Old ${long(i)}`,
    baseVideoUrl: `https://github.com/octo-org/films/actions/runs/12345678000/artifacts/${2_000_000_000 + i}`,
    basePlayerUrl: player(`before ${i}`),
  },
  ...overrides,
})
const rows = (count: number): CommentRow[] => Array.from({ length: count }, (_, i) => changedRow(i + 1))
const removedJobs = (count: number): RemovedJob[] =>
  Array.from({ length: count }, (_, i) => ({ name: `gone-${String(i + 1).padStart(3, '0')}`, prompt: long(i) }))

/** The lines that are, alone, a player of this pull request's videos (not the base's). */
const players = (body: string): number =>
  body.split('\n').filter((line) => line.startsWith('https://github.com/user-attachments/assets/')).length -
  basePlayers(body)
const basePlayers = (body: string): number => body.split('\n').filter((l) => l.endsWith(', before (the base):')).length
const gifs = (body: string): number => body.split('<td align="center">').length - 1
const note = (body: string): string =>
  body.split('\n').find((line) => line.startsWith('<sub>') && line.includes("GitHub's size limit")) ?? ''

describe('a batch with a comparison, too large for one comment', () => {
  it('100 changed jobs with players, GIFs, base players and long prompts, and 100 removed jobs: players stay, the comparison stays in some form, the note names all that was left out', () => {
    const started = performance.now()
    const body = renderComment(MARKER, rows(100), RUN_URL, removedJobs(100))
    const elapsed = performance.now() - started

    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(body).toMatch(/^### .*100 of 100 done$/m)
    // Every row is listed, and every player of this pull request plays.
    expect(body.split('\n').filter((l) => /^\| ` clip-.* \| changed \|$/.test(l))).toHaveLength(100)
    expect(players(body)).toBe(100)
    // The comparison is still there: some of its rows, and the removed jobs at least counted.
    expect(body).toContain('#### Before and after')
    const pairs = body.split('\n').filter((l) => /^\| ` clip-\d+ ` \| ` Old /.test(l)).length
    expect(pairs).toBeGreaterThan(0)
    expect(body).toMatch(/^Removed \(asked for by the base, not by this pull request\): /m)

    const said = note(body)
    expect(said).not.toContain('videos are not listed')
    expect(said).not.toContain('players are not shown')
    expect(said).toContain(`${100 - gifs(body)} previews are not shown`)
    if (pairs < 100)
      expect(said).toContain(`${100 - pairs} of 100 changed jobs are not in the before-and-after section`)
    expect(said).toContain(`${100 - basePlayers(body)} players of the base's videos are not shown`)
    expect(said).toMatch(/the 100 removed jobs are (only counted|listed by name only)/)
    expect(said).toContain("The workflow run's summary lists every video, with its artifact link.")
    // Bounded: a handful of binary searches, not a render per count.
    expect(elapsed).toBeLessThan(15_000)
  })

  it('the same rows without a comparison keep every player and some previews, and the note says only previews', () => {
    const plain = rows(100).map(({ compare: _, ...rest }) => rest)
    const body = renderComment(MARKER, plain, RUN_URL)
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(players(body)).toBe(100)
    expect(gifs(body)).toBeGreaterThan(0)
    expect(note(body)).toMatch(/^<sub>\d+ previews are not shown here, to keep this comment within GitHub's size limit/)
  })

  it('when only the comparison had to give way, the note says so, and nothing else', () => {
    // Small rows (no players, no GIFs) and a comparison too large whole: only its parts are left out.
    const small = Array.from({ length: 40 }, (_, i) =>
      changedRow(i + 1, {
        previewUrl: undefined,
        playerUrl: undefined,
        compare: { change: 'changed', basePrompt: `Old ${long(i)}`, basePlayerUrl: player(`before ${i}`) },
      }),
    )
    const removed = Array.from({ length: 600 }, (_, i) => ({ name: `gone-${i}`, prompt: long(i) }))
    const body = renderComment(MARKER, small, RUN_URL, removed)
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    const said = note(body)
    expect(said).not.toBe('')
    expect(said).not.toMatch(
      /videos are not listed|previews are not shown|players are not shown here|\d+ players are not shown/,
    )
    expect(said).toMatch(/the 600 removed jobs are (only counted|listed by name only)/)
    expect(body).toContain('#### Before and after')
  })

  it('a comparison that fits whole: no note at all', () => {
    const body = renderComment(MARKER, rows(3), RUN_URL, removedJobs(2))
    expect(note(body)).toBe('')
    expect(basePlayers(body)).toBe(3)
    expect(body).toContain('` gone-001 ` (` Shot 0:')
  })
})

/**
 * The pull-request preview comment's Markdown: one row per video (prompt, parameters, status, cost, the link that
 * plays the MP4), rendered so the body always fits GitHub's size limit. Pure: no API, no runner.
 */
import { httpsLink } from './links.js'
import { link, literal, plain, shorten } from './markdown.js'
import {
  changeCell,
  compareLeftOut,
  compareSection,
  costLine,
  NO_COMPARE,
  SHORT_COMPARE,
  WHOLE_COMPARE,
  type CompareFit,
  type RemovedJob,
  type RowComparison,
} from './pr-comment-compare.js'
import { describeParameters, saysDone, statusText, ticksToUsd, type RunResult } from './report.js'
import { previewGrid, previewImage } from './summary.js'

export interface CommentRow {
  /** The batch job's name; unused for a single video. */
  name?: string
  prompt: string
  /** e.g. "5 s, 16:9, 720p"; shown as code, since it may hold image URLs. */
  parameters: string
  status: string
  costUsd?: string
  requestId?: string
  /** The artifact URL that plays the MP4 (an unzipped upload is served as video/mp4). */
  videoUrl?: string
  /** The published GIF (or poster), shown inline and linking to `videoUrl`. */
  previewUrl?: string
  /** The MP4 in GitHub's attachment store: alone on its line, it renders as a player. */
  playerUrl?: string
  /** The provider's lasting public copy (`public-url: true`); linked only when https. */
  publicUrl?: string
  error?: string
  /** Restored from the cache: nothing billed by this run. */
  fromCache?: boolean
  /** What the provider billed for it in this run. */
  costTicks?: number
  /** The price table's estimate, for a job still pending. */
  estimatedUsd?: number
  /** Its standing against the pull request's base; absent without a comparison. */
  compare?: RowComparison
}

const PROMPT_LIMIT = 200
const ERROR_LIMIT = 300
/** What prompts and errors are cut to when the whole comment would not fit in `COMMENT_LIMIT`. */
const SHORT_PROMPT_LIMIT = 60
const SHORT_ERROR_LIMIT = 120

/** GitHub refuses (422) a comment body longer than this many characters. */
export const COMMENT_LIMIT = 65_536

function videoLink(url: string | undefined, label: string): string {
  return url ? link(label, url) : '—'
}

/** Done, whether generated now or restored ("done (from the cache)"). */
const isDone = (row: CommentRow): boolean => saysDone(row.status)

function statusCell(row: CommentRow): string {
  const icon = isDone(row) ? '✅' : row.status === 'pending' ? '⏳' : '⚠️'
  return `${icon} ${plain(row.status)}`
}

const cost = (row: CommentRow): string => (row.costUsd ? plain(`$${row.costUsd}`) : '—')

/** How much of the rows one rendering shows. */
interface Fit {
  promptLimit: number
  errorLimit: number
  /** The indexes of the rows shown, in order; the others are counted in a note. */
  shown: number[]
  /** How many of the shown rows' previews the grid holds; the others are counted in a note. */
  tiles: number
  /** How much of the comparison with the base is shown (pr-comment-compare.ts). */
  compare: CompareFit
  /** How many of the shown rows' players are shown (the first ones); the others are counted in a note. */
  players: number
}

/** The comment of a batch refused before anything was sent: its status and why (the estimate against the limit). */
export function renderRefusal(marker: string, reason: string, runUrl?: string): string {
  const lines = [marker, '### 🎬 Grok video preview: refused', '', `> ${plain(reason)}`, '']
  lines.push('Nothing was generated for this push; the videos of earlier pushes are not shown.', '')
  if (runUrl) lines.push(videoLink(runUrl, 'Workflow run'), '')
  return lines.join('\n')
}

/**
 * The comment's Markdown: the marker, a heading, a table (one row per video for a batch) and the run's link, kept
 * within `COMMENT_LIMIT` whatever the rows hold. The size is measured on the finished body, so the budget holds
 * whatever a row grows to show. What gives way, and in what order: the full length of prompts and errors; then the
 * comparison with the base, part by part (the removed jobs' prompts, then their names, then the base's players, then
 * the before-and-after rows), each step tried with every player of this pull request; the previews fill what room is
 * left. Only when no form of the comparison leaves room for every player do players go, then rows (the failed ones
 * kept first). A note names each kind of thing left out. Each step is one render or a binary search, so the renders
 * stay few. `length` counts UTF-16 units, never fewer than the characters GitHub counts. `removed`: the jobs only the
 * pull request's base has.
 */
export function renderComment(marker: string, rows: CommentRow[], runUrl?: string, removed: RemovedJob[] = []): string {
  const all = rows.map((_, index) => index)
  const tileCount = rows.filter((row) => row.previewUrl).length
  const playerCount = rows.filter((row) => row.playerUrl).length
  const render = (fit: Fit): string => renderBody(marker, rows, runUrl, fit, removed)
  const fits = (fit: Fit): boolean => render(fit).length <= COMMENT_LIMIT

  const limits = { promptLimit: PROMPT_LIMIT, errorLimit: ERROR_LIMIT }
  const whole: Fit = { ...limits, shown: all, tiles: tileCount, players: playerCount, compare: WHOLE_COMPARE }
  if (fits(whole)) return render(whole)
  const short: Fit = { ...whole, promptLimit: SHORT_PROMPT_LIMIT, errorLimit: SHORT_ERROR_LIMIT }
  const withCompare = (compare: CompareFit): Fit => ({ ...short, tiles: 0, compare })
  // The previews come last: each row's link plays the same video.
  const withTiles = (fit: Fit): string =>
    render({ ...fit, tiles: largest(tileCount, (tiles) => fits({ ...fit, tiles })) ?? 0 })

  const changed = rows.filter((row) => row.compare?.change === 'changed')
  const basePlayerCount = changed.filter((row) => row.compare?.basePlayerUrl).length
  const names: CompareFit = { ...SHORT_COMPARE, removed: 'names' }
  const counted: CompareFit = { ...SHORT_COMPARE, removed: 'count' }
  const noBasePlayers: CompareFit = { ...counted, basePlayers: 0 }
  // Each step gives up more of the comparison than the one before, and is kept if every player then fits.
  const steps: (() => CompareFit | undefined)[] = [
    () => SHORT_COMPARE,
    () => (removed.length ? names : undefined),
    () => (removed.length ? counted : undefined),
    () => {
      const count = largest(basePlayerCount - 1, (basePlayers) => fits(withCompare({ ...counted, basePlayers })))
      return count === undefined ? undefined : { ...counted, basePlayers: count }
    },
    () => {
      const count = largest(changed.length - 1, (rows) => fits(withCompare({ ...noBasePlayers, rows })))
      return count === undefined ? undefined : { ...noBasePlayers, rows: count }
    },
  ]
  if (fits({ ...short, compare: SHORT_COMPARE })) return render({ ...short, compare: SHORT_COMPARE })
  for (const step of changed.length || removed.length ? steps : steps.slice(0, 1)) {
    const compare = step()
    if (compare && fits(withCompare(compare))) return withTiles(withCompare(compare))
  }
  // Players go after the previews (a player shows more), last to first, with the least of the comparison.
  const least: CompareFit = { ...noBasePlayers, rows: 0 }
  const players = largest(playerCount - 1, (players) => fits({ ...withCompare(least), players }))
  if (players !== undefined) return render({ ...withCompare(least), players })
  // The comparison goes before any row does: each row still says whether it changed.
  const noSection: Fit = { ...short, tiles: 0, players: 0, compare: NO_COMPARE }
  if (fits(noSection)) return render(noSection)
  // A job that did not end done matters most to the reader: such rows are the last to go.
  const byPriority = [...all.filter((i) => !isDone(rows[i])), ...all.filter((i) => isDone(rows[i]))]
  const firstRows = (count: number): Fit => ({
    ...noSection,
    shown: byPriority.slice(0, count).sort((a, b) => a - b),
  })
  return render(firstRows(largest(rows.length - 1, (count) => fits(firstRows(count))) ?? 0))
}

/** The largest count in 0..max for which `fits` holds (it holds for every smaller one too), else undefined. */
function largest(max: number, fits: (count: number) => boolean): number | undefined {
  let [low, high] = [0, max]
  if (max < 0 || !fits(0)) return undefined
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (fits(middle)) low = middle
    else high = middle - 1
  }
  return low
}

function renderBody(
  marker: string,
  allRows: CommentRow[],
  runUrl: string | undefined,
  fit: Fit,
  removed: RemovedJob[],
): string {
  const lines = [marker]
  const rows = fit.shown.map((index) => allRows[index])
  const rowsLeftOut = allRows.length - rows.length
  const compared = allRows.some((row) => row.compare)
  if (allRows.length === 1) {
    const row = allRows[0]
    lines.push(`### 🎬 Grok video preview: ${plain(row.status)}`, '', costLine(allRows), '')
    const player = fit.players > 0 && playerLine(row.playerUrl)
    if (player) lines.push(player, '')
    const image = row.previewUrl && fit.tiles > 0 && previewImage(row.previewUrl, row.videoUrl, 'Preview of the video')
    if (image) lines.push(image, '')
    const table: [string, string][] = [
      ['Prompt', literal(shorten(row.prompt, fit.promptLimit))],
      ['Parameters', literal(row.parameters)],
      ['Status', statusCell(row)],
      ['Cost', cost(row)],
      ['Request id', row.requestId ? literal(row.requestId) : '—'],
      ['Video', videoLink(row.videoUrl, '▶️ Play the MP4')],
    ]
    if (row.publicUrl) table.push(['Public URL', link('🔗 Public copy', row.publicUrl)])
    if (row.error) table.push(['Error', literal(shorten(row.error, fit.errorLimit))])
    if (compared) table.push(['Against the base', changeCell(row.compare)])
    if (rows.length > 0) lines.push('| | |', '|---|---|', ...table.map(([k, v]) => `| ${k} | ${v} |`))
  } else {
    const done = allRows.filter(isDone).length
    lines.push(`### 🎬 Grok video preview: ${done} of ${allRows.length} done`, '', costLine(allRows), '')
    const tiles = fit.shown
      .map((index) => ({
        name: allRows[index].name ?? String(index + 1),
        imageUrl: allRows[index].previewUrl,
        linkUrl: allRows[index].videoUrl,
      }))
      .filter((tile) => tile.imageUrl)
    lines.push(...previewGrid(tiles.slice(0, fit.tiles)))
    const withErrors = rows.some((row) => row.error)
    const header = [
      'Name',
      'Prompt',
      'Parameters',
      'Status',
      'Cost',
      'Request id',
      'Video',
      ...(compared ? ['Against the base'] : []),
      ...(withErrors ? ['Error'] : []),
    ]
    if (rows.length > 0) lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---|').join('')}`)
    rows.forEach((row, position) => {
      const index = fit.shown[position]
      const cells = [
        row.name ? literal(row.name) : String(index + 1),
        literal(shorten(row.prompt, fit.promptLimit)),
        literal(row.parameters),
        statusCell(row),
        cost(row),
        row.requestId ? literal(row.requestId) : '—',
        videoLink(row.videoUrl, '▶️ Play') + (row.publicUrl ? ` · ${link('🔗 Public', row.publicUrl)}` : ''),
        ...(compared ? [changeCell(row.compare)] : []),
        ...(withErrors ? [row.error ? literal(shorten(row.error, fit.errorLimit)) : ''] : []),
      ]
      lines.push(`| ${cells.join(' | ')} |`)
    })
    // A table cell cannot hold a player: each goes under the table, its job's name above it.
    const players = fit.shown.filter((index) => allRows[index].playerUrl).slice(0, fit.players)
    if (players.length > 0) lines.push('')
    for (const index of players) {
      const player = playerLine(allRows[index].playerUrl)
      if (player) lines.push(`**${literal(allRows[index].name ?? String(index + 1))}**`, '', player, '')
    }
  }
  lines.push('')
  if (rows.length > 0) lines.push(...compareSection(allRows, removed, fit.compare))
  const tilesLeftOut = allRows.filter((row) => row.previewUrl).length - fit.tiles
  const playersLeftOut = allRows.filter((row) => row.playerUrl).length - fit.players
  const leftOut = [
    ...(rowsLeftOut > 0 ? [`${rowsLeftOut} of ${allRows.length} videos are not listed`] : []),
    ...(tilesLeftOut > 0 ? [`${tilesLeftOut} previews are not shown`] : []),
    ...(playersLeftOut > 0 ? [`${playersLeftOut} players are not shown`] : []),
    ...(compared || removed.length > 0
      ? compareLeftOut(allRows, removed, rows.length > 0 ? fit.compare : NO_COMPARE)
      : []),
  ]
  // The run's summary has every video's row and artifact link, but no player and nothing of the comparison.
  const inSummary = rowsLeftOut > 0 || tilesLeftOut > 0 || playersLeftOut > 0
  if (leftOut.length > 0)
    lines.push(
      `<sub>${leftOut.join(', and ')} here, to keep this comment within GitHub's size limit.` +
        (inSummary ? " The workflow run's summary lists every video, with its artifact link.</sub>" : '</sub>'),
      '',
    )
  if (rows.some((row) => row.videoUrl))
    lines.push('<sub>The link opens the uploaded artifact, which plays in the browser.</sub>', '')
  if (runUrl) lines.push(videoLink(runUrl, 'Workflow run'), '')
  return lines.join('\n')
}

/** A player: GitHub renders an attachment store URL alone on its line as one. Only a checked https URL. */
function playerLine(url: string | undefined): string | undefined {
  return url ? httpsLink(url) : undefined
}

/** A comment row for one finished (or failed) video. */
export function commentRowOf(result: RunResult, name?: string): CommentRow {
  return {
    ...(name ? { name } : {}),
    prompt: result.request?.prompt ?? '',
    parameters: result.request ? describeParameters(result.request) : '',
    status: statusText(result),
    ...(result.costTicks !== undefined ? { costUsd: ticksToUsd(result.costTicks) } : {}),
    ...(result.requestId ? { requestId: result.requestId } : {}),
    ...(result.artifact ? { videoUrl: result.artifact.url } : {}),
    ...(result.preview?.url ? { previewUrl: result.preview.url } : {}),
    ...(result.publicUrl ? { publicUrl: result.publicUrl.url } : {}),
    ...(result.error ? { error: result.error.message } : {}),
    ...(result.cacheHit ? { fromCache: true } : {}),
    ...(result.costTicks !== undefined && !result.cacheHit ? { costTicks: result.costTicks } : {}),
    ...(result.estimatedCostUsd !== undefined ? { estimatedUsd: result.estimatedCostUsd } : {}),
  }
}

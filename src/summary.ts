/**
 * The job summary's Markdown, for one video and for a batch, and the previews' Markdown (the inline GIF and the
 * grid) that the pull-request comment shares. Pure functions from a `RunResult` to strings. User and provider text
 * is shown as code, so none of it is read as Markdown.
 */
import type { UploadedArtifact } from './artifact.js'
import { formatBytes, formatDuration } from './format.js'
import type { PreviewOutcome } from './preview.js'
import type { PublicUrl } from './public-url.js'
import { httpsLink } from './links.js'
import { escapeHtml, link, literal, plain } from './markdown.js'
import { formatUsd } from './pricing.js'
import { FROM_CACHE, parametersMarkdown, statusText, ticksToUsd, type RunResult, type RunTimings } from './report.js'

/** What the summary needs to know of the step besides its results. */
export interface SummaryContext {
  /** `preview-branch` is set: a preview that is not shown failed to publish, and a warning said why. */
  previewBranch?: boolean
  /** `archive: true`: the zip carries the previews. */
  archive?: boolean
}

/** The job summary, as Markdown. User and provider text is shown as code, so none of it is read as Markdown. */
export function summaryOf(result: RunResult, context: SummaryContext = {}): string {
  const ok = result.status === 'done' || result.status === 'dry-run' || (result.status === 'pending' && !result.error)
  const heading = `## ${ok ? '🎬' : '⚠️'} Grok video: ${plain(statusText(result))}`
  const rows: [string, string | undefined][] = []
  const add = (name: string, value: string | undefined): void => {
    if (value) rows.push([name, value])
  }
  const request = result.request
  add('Operation', result.operation && result.operation !== 'generate' ? plain(result.operation) : undefined)
  add('Input video', result.inputVideo && literal(result.inputVideo.label))
  add('Prompt', request && literal(request.prompt))
  add('Model', literal(result.model ?? request?.model ?? ''))
  add('Parameters', request && parametersMarkdown(request))
  add('Provider', `${plain(result.provider)} (${literal(result.baseUrl)})`)
  add('Request id', result.requestId && literal(result.requestId))
  add(
    'Status',
    result.status &&
      (result.providerStatus
        ? `${plain(result.status)} (provider: ${literal(result.providerStatus)})`
        : plain(result.status)),
  )
  add('Video length', result.durationSeconds !== undefined ? `${result.durationSeconds} s` : undefined)
  add('Cost', describeCost(result))
  add(
    'Cache',
    result.cacheKey &&
      `${result.cacheHit ? 'hit: ' : ''}${literal(result.cacheKey)}${result.cacheHit ? ' (no API call)' : ''}`,
  )
  add('File', result.video && `${literal(result.video.path)} (${formatBytes(result.video.bytes)})`)
  add('Delivered to', request?.output && result.status === 'done' ? plain("'upload-url' (not shown)") : undefined)
  add('SHA-256', result.video && literal(result.video.sha256))
  add('Artifact', result.artifact && artifactLink(result.artifact))
  add('Public URL', result.publicUrl && publicUrlLink(result.publicUrl))
  add('Release asset', result.release && releaseLink(result.release))
  add('Timings', describeTimings(result.timings))

  const lines = [heading, '']
  const shown = result.preview?.url
  const image = shown && previewImage(shown, result.artifact?.url, 'Preview of the video')
  if (image) lines.push(image, '')
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '')
  const hint = previewHint([result.preview], context)
  if (hint) lines.push(hint, '')
  if (result.error) lines.push(`> **Error:** ${literal(result.error.message)}`, '')
  return lines.join('\n')
}

/** The provider's public copy, linked only when https (as `link` does), with its expiry when it has one. */
function publicUrlLink(publicUrl: PublicUrl): string {
  const expiry = publicUrl.expiryUnknown
    ? ' (expiry unknown)'
    : publicUrl.expiresAt
      ? ` (until ${plain(publicUrl.expiresAt)})`
      : ' (permanent)'
  return `${link(publicUrl.url, publicUrl.url, true)}${expiry}`
}

function artifactLink(artifact: UploadedArtifact): string {
  return link(artifact.name, artifact.url ?? '', true)
}

/** The release's tag, linked to the MP4 asset (only an https URL is linked). */
function releaseLink(release: NonNullable<RunResult['release']>): string {
  return link(release.tag, release.assetUrl ?? '', true)
}

function describeCost(result: RunResult | undefined): string | undefined {
  if (!result) return undefined
  const estimate =
    result.estimatedCostUsd !== undefined ? `estimated $${formatUsd(result.estimatedCostUsd)}` : undefined
  if (result.sameAs !== undefined && result.costTicks === 0) return `$0 (the video of job ${result.sameAs})`
  if (result.cacheHit) return `$0 (${FROM_CACHE}; it cost $${ticksToUsd(result.cachedCostTicks ?? 0)} when made)`
  if (result.costTicks !== undefined) return `$${ticksToUsd(result.costTicks)}${estimate ? ` (${estimate})` : ''}`
  return estimate
}

function describeTimings(t: RunTimings): string | undefined {
  const parts: string[] = []
  if (t.createMs !== undefined) parts.push(`create ${formatDuration(t.createMs)}`)
  if (t.waitMs !== undefined) parts.push(`generation ${formatDuration(t.waitMs)}`)
  if (t.downloadMs !== undefined) parts.push(`download ${formatDuration(t.downloadMs)}`)
  if (t.uploadMs !== undefined) parts.push(`upload ${formatDuration(t.uploadMs)}`)
  if (t.totalMs !== undefined) parts.push(`total ${formatDuration(t.totalMs)}`)
  return parts.length ? parts.join(', ') : undefined
}

export interface BatchRow {
  name: string
  result?: RunResult
  /** The id known so far for a job that never finished (fail-fast), if any. */
  requestId?: string
}

/** The job summary of a batch: the previews as a grid, one row per job, then the errors. */
export function batchSummaryOf(rows: BatchRow[], context: SummaryContext = {}): string {
  const done = rows.filter((row) => row.result?.status === 'done').length
  const pending = rows.filter((row) => row.result?.status === 'pending').length
  const cost = rows.reduce((sum, row) => sum + (row.result?.costTicks ?? 0), 0)
  const icon = done === rows.length ? '🎬' : done + pending === rows.length ? '⏳' : '⚠️'
  const lines = [
    `## ${icon} Grok video batch: ${done} of ${rows.length} done${pending ? `, ${pending} pending` : ''}, $${ticksToUsd(cost)} reported`,
    '',
    ...previewGrid(
      rows.map(({ name, result }) => ({ name, imageUrl: result?.preview?.url, linkUrl: result?.artifact?.url })),
    ),
    '| job | status | request id | cost | file | artifact |',
    '|---|---|---|---|---|---|',
  ]
  for (const { name, result, requestId } of rows) {
    const id = result?.requestId ?? requestId
    const cells = [
      literal(name),
      plain(statusText(result, id)),
      id ? literal(id) : '',
      describeCost(result) ?? '',
      result?.video
        ? `${formatBytes(result.video.bytes)}, sha256 ${literal(`${result.video.sha256.slice(0, 12)}…`)}`
        : '',
      [
        result?.artifact && artifactLink(result.artifact),
        result?.publicUrl && link('public URL', result.publicUrl.url),
        result?.release && `release ${releaseLink(result.release)}`,
      ]
        .filter(Boolean)
        .join(' · '),
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  lines.push('')
  const hint = previewHint(
    rows.map((row) => row.result?.preview),
    context,
  )
  if (hint) lines.push(hint, '')
  for (const { name, result } of rows)
    if (result?.error) lines.push(`> **${plain(name)}:** ${literal(result.error.message)}`, '')
  return lines.join('\n')
}

// ---------------------------------------------------------------------------------------------------------
// Previews, shared by the summary and the pull request comment

/**
 * The published GIF (or poster) inline; a click opens the MP4's artifact, which plays in the browser. Only an
 * https URL is shown or linked (see httpsLink).
 */
export function previewImage(imageUrl: string, artifactUrl: string | undefined, alt: string): string {
  const source = httpsLink(imageUrl)
  if (!source) return ''
  const image = `![${alt.replace(/[[\]\\]/g, '')}](${source})`
  const target = artifactUrl && httpsLink(artifactUrl)
  return target ? `[${image}](${target})` : image
}

export interface PreviewTile {
  name: string
  /** The published GIF (or poster); tiles without one are left out. */
  imageUrl?: string
  /** The MP4's artifact. */
  linkUrl?: string
}

/** A batch's published previews, three to a row, each linking to its artifact and named below. */
export function previewGrid(tiles: PreviewTile[]): string[] {
  const cells = tiles.flatMap(({ name, imageUrl, linkUrl }) => {
    const source = imageUrl && httpsLink(imageUrl)
    if (!source) return []
    const image = `<img src="${escapeHtml(source)}" width="240" alt="${escapeHtml(name)}">`
    const target = linkUrl && httpsLink(linkUrl)
    const linked = target ? `<a href="${escapeHtml(target)}">${image}</a>` : image
    return [`<td align="center">${linked}<br><code>${escapeHtml(name)}</code></td>`]
  })
  if (cells.length === 0) return []
  const lines = ['<table>']
  for (let i = 0; i < cells.length; i += 3) lines.push(`<tr>${cells.slice(i, i + 3).join('')}</tr>`)
  lines.push('</table>', '')
  return lines
}

/**
 * One line on how to see previews here, when none is shown: no ffmpeg (or another reason nothing was made), or no
 * `preview-branch`. Nothing when a branch is set but publishing failed: the warning says why, in one place.
 */
function previewHint(outcomes: (PreviewOutcome | undefined)[], context: SummaryContext): string | undefined {
  const known = outcomes.filter((outcome): outcome is PreviewOutcome => outcome !== undefined)
  if (known.length === 0 || known.some((outcome) => outcome.url)) return undefined
  const made = known.some((outcome) => outcome.files)
  if (!made) {
    const reason = known.find((outcome) => outcome.skipped)?.skipped
    // The reason may quote ffmpeg, which quotes the video's own metadata: code, like all outside text.
    return reason ? `<sub>No preview: ${literal(reason)}</sub>` : undefined
  }
  if (context.previewBranch) return undefined
  return (
    `<sub>The poster and the GIF are on the runner${context.archive ? ' and in the zip' : ''} ` +
    '(`poster-path`, `preview-path`). To show them here and in the pull request, set `preview-branch` to a branch ' +
    'of their own and give the job `contents: write`.</sub>'
  )
}

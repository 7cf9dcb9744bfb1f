/**
 * What a run tells the world: the step outputs, the metadata JSON written next to the MP4, the job summary, and
 * the one wording of each status. Pure functions from a `RunResult` to strings, testable without a runner.
 */
import type { UploadedArtifact } from './artifact.js'
import type { DownloadedVideo } from './download.js'
import type { RunStatus } from './errors.js'
import { formatBytes, formatDuration } from './format.js'
import type { Provider } from './grok/provider.js'
import type { CreateVideoRequest, Operation, VideoSource } from './grok/request.js'
import type { PreviewOutcome } from './preview.js'
import { httpsLink } from './links.js'
import { escapeHtml, link, literal, plain } from './markdown.js'
import { formatUsd } from './pricing.js'

export const OUTPUT_NAMES = [
  'request-id',
  'status',
  'video-url',
  'video-path',
  'video-sha256',
  'video-bytes',
  'duration',
  'cost-usd',
  'metadata-path',
  'artifact-id',
  'artifact-url',
  'artifact-digest',
  'cache-hit',
  'cache-key',
  'estimated-cost-usd',
  'results',
  'poster-path',
  'preview-path',
  'preview-url',
] as const
export type OutputName = (typeof OUTPUT_NAMES)[number]

export interface RunTimings {
  startedAt: Date
  /** Milliseconds spent in each stage that ran. */
  createMs?: number
  waitMs?: number
  downloadMs?: number
  uploadMs?: number
  totalMs?: number
}

export interface RunResult {
  status?: RunStatus
  requestId?: string
  provider: Provider
  baseUrl: string
  /** `generate`, `edit` or `extend` (absent: generate). */
  operation?: Operation
  /** The input video of an edit or extension. */
  inputVideo?: VideoSource
  /** The request as sent, with data URLs replaced by their labels and the upload URL hidden. */
  request?: CreateVideoRequest
  providerStatus?: string
  providerMessage?: string
  model?: string
  videoUrl?: string
  durationSeconds?: number
  costTicks?: number
  video?: DownloadedVideo
  metadataPath?: string
  artifact?: UploadedArtifact
  /** The content-addressed key of the request (set whenever the request is known). */
  cacheKey?: string
  /** The video came from the cache: no API call, nothing billed by this run. */
  cacheHit?: boolean
  /** A batch job that reused this earlier job's video (the same request): its name. */
  sameAs?: string
  /** What the cached video cost when it was made. */
  cachedCostTicks?: number
  /** From the price table; undefined when the model has no known price. */
  estimatedCostUsd?: number
  /** The poster and GIF, where they were published, or why there are none; undefined with `preview: false`. */
  preview?: PreviewOutcome
  timings: RunTimings
  error?: Error
}

const TICKS_PER_USD = 10_000_000_000n

/** `usage.cost_in_usd_ticks` → dollars as exact decimal text: 500000000 → "0.05". */
export function ticksToUsd(ticks: number): string {
  const t = BigInt(Math.round(ticks))
  const whole = t / TICKS_PER_USD
  const fraction = (t % TICKS_PER_USD).toString().padStart(10, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : `${whole}`
}

/** Every output, empty where the run did not get that far. */
export function outputsOf(result: RunResult): Record<OutputName, string> {
  return {
    'request-id': result.requestId ?? '',
    status: result.status ?? '',
    'video-url': result.videoUrl ?? '',
    'video-path': result.video?.path ?? '',
    'video-sha256': result.video?.sha256 ?? '',
    'video-bytes': result.video ? String(result.video.bytes) : '',
    duration: result.durationSeconds !== undefined ? String(result.durationSeconds) : '',
    'cost-usd': result.costTicks !== undefined ? ticksToUsd(result.costTicks) : '',
    'metadata-path': result.metadataPath ?? '',
    'artifact-id': result.artifact ? String(result.artifact.id) : '',
    'artifact-url': result.artifact?.url ?? '',
    'artifact-digest': result.artifact?.digest ?? '',
    'cache-hit': result.cacheHit ? 'true' : 'false',
    'cache-key': result.cacheKey ?? '',
    'estimated-cost-usd': result.estimatedCostUsd !== undefined ? formatUsd(result.estimatedCostUsd) : '',
    results: '',
    'poster-path': result.preview?.files?.posterPath ?? '',
    'preview-path': result.preview?.files?.gifPath ?? '',
    'preview-url': result.preview?.url ?? '',
  }
}

/** The JSON record written next to the MP4. Holds no secret: the key is never part of a RunResult. */
export function metadataOf(result: RunResult): Record<string, unknown> {
  return {
    requestId: result.requestId ?? null,
    status: result.status ?? null,
    provider: result.provider,
    baseUrl: result.baseUrl,
    operation: result.operation ?? 'generate',
    inputVideo: result.inputVideo
      ? { label: result.inputVideo.label, ...result.inputVideo.identity, seconds: result.inputVideo.seconds ?? null }
      : null,
    request: result.request ?? null,
    model: result.model ?? result.request?.model ?? null,
    video: {
      url: result.videoUrl ?? null,
      path: result.video?.path ?? null,
      bytes: result.video?.bytes ?? null,
      sha256: result.video?.sha256 ?? null,
      durationSeconds: result.durationSeconds ?? null,
    },
    sameAs: result.sameAs ?? null,
    costUsd: result.costTicks !== undefined ? Number(ticksToUsd(result.costTicks)) : null,
    costInUsdTicks: result.costTicks ?? null,
    estimatedCostUsd: result.estimatedCostUsd ?? null,
    cache: {
      key: result.cacheKey ?? null,
      hit: result.cacheHit ?? false,
      originalCostInUsdTicks: result.cachedCostTicks ?? null,
    },
    timings: {
      startedAt: result.timings.startedAt.toISOString(),
      createMs: result.timings.createMs ?? null,
      waitMs: result.timings.waitMs ?? null,
      downloadMs: result.timings.downloadMs ?? null,
    },
  }
}

const FROM_CACHE = 'from the cache'

/**
 * The one wording of where a job got to, for the summary, the batch table and the PR comment: its status, and
 * where its video came from when it was not made for it. "not started" only for a job that never got a request
 * id; `requestId` is the id known for a batch job still running (it has no result yet).
 */
export function statusText(result: RunResult | undefined, requestId?: string): string {
  if (!result) return requestId ? 'running' : 'not started'
  const status = result.status ?? (result.requestId ? 'error' : 'not started')
  if (result.sameAs !== undefined) return `${status} (same as ${result.sameAs})`
  return result.cacheHit ? `${status} (${FROM_CACHE})` : status
}

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

function artifactLink(artifact: UploadedArtifact): string {
  return link(artifact.name, artifact.url ?? '', true)
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

/** "5 s, 16:9, 720p": the request's parameters in a few words (an edit keeps its input's length). */
export function describeParameters(request: CreateVideoRequest): string {
  return parameterParts(request, (url) => url).join(', ')
}

/** describeParameters() as Markdown: the image URLs (from a user or a prompts file) shown as code. */
export function parametersMarkdown(request: CreateVideoRequest): string {
  return parameterParts(request, literal, plain).join(', ')
}

function parameterParts(
  request: CreateVideoRequest,
  url: (text: string) => string,
  ours: (text: string) => string = (text) => text,
): string[] {
  const parts = [ours(request.duration !== undefined ? `${request.duration} s` : 'length of the input video')]
  if (request.aspect_ratio) parts.push(ours(request.aspect_ratio))
  if (request.resolution) parts.push(ours(request.resolution))
  if (request.image) parts.push(`first frame: ${url(request.image.url)}`)
  if (request.reference_images) {
    parts.push(`reference images: ${request.reference_images.map((image) => url(image.url)).join(', ')}`)
  }
  return parts
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
      result?.artifact ? artifactLink(result.artifact) : '',
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

/**
 * What a job should cost before it is created, for `dry-run` and `max-cost-usd`. The provider's own figure
 * (`usage.cost_in_usd_ticks`) is what the `cost-usd` output reports afterwards; this table only predicts it.
 *
 * Prices are US dollars per second of generated video, by model and resolution, plus a fixed price per input
 * image. Sources (read 2026-11-25):
 * - grok-imagine-video, 480p: $0.05/s, from the API contract's example bills ("$0.05 for 1 s at 480p; $0.25 for
 *   5 s"), matched by API易's mirror of xAI's list price (docs.apiyi.com, Grok Imagine video overview), which also
 *   gives the input image price, $0.002 per image.
 * - grok-imagine-video, 720p: $0.07/s, from Venice's published clip prices (docs.venice.ai, Grok Imagine), which
 *   put 720p at 1.4× their 480p price; applied to xAI's 480p price.
 * - grok-imagine-video-1.5 (and its -preview alias): $0.08 / $0.14 / $0.25 per second at 480p / 720p / 1080p,
 *   from muapi.ai's Grok Imagine Video 1.5 page; the top of API易's "$0.02–0.25/s" range agrees.
 * - grok-imagine-video-1.5-lite: 25 % of 1.5's prices (muapi.ai: "每秒价格为标准档的 25%"), $0.02 at 480p matching
 *   the bottom of API易's range.
 * - An input video (edit, extend): about $0.01 per second on top of the output's price (a third party quoting
 *   xAI's page). An edit's output is as long as its input; an extension's added part is priced at the output
 *   price. Both keep their input's resolution, at most 720p: the estimate takes 720p, the dearest they can be.
 *   A URL input is counted at the longest the operation accepts (8.7 s for an edit, 15 s for an extension).
 * Update the table when xAI's price list changes; an unknown model has no estimate.
 */
import { INPUT_VIDEO_SECONDS, type Operation } from './grok/request.js'

export type Resolution = '480p' | '720p' | '1080p'

/** USD per second of video. */
const PRICE_PER_SECOND: Record<string, Partial<Record<Resolution, number>>> = {
  'grok-imagine-video': { '480p': 0.05, '720p': 0.07 },
  'grok-imagine-video-1.5': { '480p': 0.08, '720p': 0.14, '1080p': 0.25 },
  'grok-imagine-video-1.5-preview': { '480p': 0.08, '720p': 0.14, '1080p': 0.25 },
  'grok-imagine-video-1.5-lite': { '480p': 0.02, '720p': 0.035, '1080p': 0.0625 },
}

/** USD per first-frame or reference image sent with the request. */
const PRICE_PER_INPUT_IMAGE = 0.002

/** USD per second of an input video (edit, extend). */
const PRICE_PER_INPUT_VIDEO_SECOND = 0.01

/** What an edit or extension produces at most: the estimate's resolution for them. */
const INPUT_VIDEO_OUTPUT_RESOLUTION: Resolution = '720p'

/** What the providers generate when no resolution is sent. */
export const DEFAULT_RESOLUTION: Resolution = '480p'

export interface CostEstimate {
  usd: number
  /** How the figure was reached, for logs and messages: "5 s × $0.05/s (grok-imagine-video, 480p)". */
  explanation: string
}

export interface PricedRequest {
  model: string
  /** Generated seconds (`generate`), or the added part (`extend`); absent for an edit. */
  duration?: number
  resolution?: string
  image?: unknown
  reference_images?: unknown[]
}

/** An edit's or extension's input video: its length when read from the file, else the longest accepted. */
export interface PricedInput {
  operation: Operation
  videoSeconds?: number
}

/** The estimate for one job, or undefined when the table has no price for its model and resolution. */
export function estimateCost(
  request: PricedRequest,
  input: PricedInput = { operation: 'generate' },
): CostEstimate | undefined {
  if (input.operation !== 'generate') return estimateWithInputVideo(request, input.operation, input.videoSeconds)
  const resolution = (request.resolution ?? DEFAULT_RESOLUTION) as Resolution
  const perSecond = PRICE_PER_SECOND[request.model]?.[resolution]
  if (perSecond === undefined) return undefined
  const images = (request.image ? 1 : 0) + (request.reference_images?.length ?? 0)
  const duration = request.duration ?? 1
  const usd = roundUsd(duration * perSecond + images * PRICE_PER_INPUT_IMAGE)
  const imageNote = !images
    ? ''
    : images === 1 && request.image
      ? ` + $${PRICE_PER_INPUT_IMAGE} for the input image`
      : ` + ${images} × $${PRICE_PER_INPUT_IMAGE} for the reference images`
  return { usd, explanation: `${duration} s × $${perSecond}/s (${request.model}, ${resolution})${imageNote}` }
}

function estimateWithInputVideo(
  request: PricedRequest,
  operation: Exclude<Operation, 'generate'>,
  videoSeconds: number | undefined,
): CostEstimate | undefined {
  const perSecond = PRICE_PER_SECOND[request.model]?.[INPUT_VIDEO_OUTPUT_RESOLUTION]
  if (perSecond === undefined) return undefined
  const inputSeconds = videoSeconds ?? INPUT_VIDEO_SECONDS[operation].max
  const outputSeconds = operation === 'edit' ? inputSeconds : (request.duration ?? 6)
  const usd = roundUsd(outputSeconds * perSecond + inputSeconds * PRICE_PER_INPUT_VIDEO_SECOND)
  const what = operation === 'edit' ? 'edited' : 'added'
  const known = videoSeconds === undefined ? ', its length unknown: the longest accepted' : ''
  return {
    usd,
    explanation:
      `${round(outputSeconds)} s ${what} × $${perSecond}/s (${request.model}, at most ${INPUT_VIDEO_OUTPUT_RESOLUTION}) + ` +
      `${round(inputSeconds)} s of input video × $${PRICE_PER_INPUT_VIDEO_SECOND}/s${known}`,
  }
}

const round = (seconds: number): number => Math.round(seconds * 100) / 100

/** Dollars to 6 decimal places, as text without float noise: 0.25 → "0.25". */
export function formatUsd(usd: number): string {
  return String(roundUsd(usd))
}

const roundUsd = (usd: number): number => Math.round(usd * 1e6) / 1e6

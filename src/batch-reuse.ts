/**
 * A batch job whose request is the same as an earlier job's of the batch: it gets that job's outcome instead of a
 * job of its own, so an identical request is neither sent nor paid for twice.
 */
import { deliverVideo, placeVideo, unusedFileStem, writeMetadata, type DeliveryContext } from './delivery.js'
import { SameRequestError } from './errors.js'
import { fileStem, startingResult } from './job.js'
import { recordFailure } from './pipeline.js'
import type { RunResult } from './report.js'

/**
 * The earlier job's outcome, with its video copied under this job's own names and uploaded as this job's own
 * artifact. Nothing is sent to the API for it, so it costs nothing.
 */
export async function reuseVideoJob(job: DeliveryContext, source: RunResult, sourceName: string): Promise<RunResult> {
  const { config, events } = job
  const startedAt = Date.now()
  const result: RunResult = {
    ...startingResult(config, startedAt),
    cacheKey: source.cacheKey,
    estimatedCostUsd: 0,
    sameAs: sourceName,
  }
  let stem: string | undefined
  try {
    const { requestId, video } = source
    if (requestId) {
      result.requestId = requestId
      result.costTicks = 0
      events.requestId(requestId)
    }
    if (source.status !== 'done' || !video || !requestId) {
      result.status = source.status
      if (source.error) {
        result.error = new SameRequestError(
          `The same request as job '${sourceName}', which ended ${source.status ? `with status '${source.status}'` : 'without a status'}: not sent again. ${source.error.message}`,
          source.status,
        )
      }
      events.info(`The same request as job '${sourceName}': sharing its outcome (${source.status ?? 'none'}).`)
      if (requestId) result.metadataPath = await writeMetadata(config, result, fileStem(config, requestId))
      return result
    }
    stem = await unusedFileStem(config, requestId, events)
    result.video = await placeVideo(config, stem, video)
    result.videoUrl = source.videoUrl
    result.publicUrl = source.publicUrl
    result.durationSeconds = source.durationSeconds
    result.model = source.model
    result.cacheHit = source.cacheHit
    result.status = 'done'
    events.info(
      `The same request as job '${sourceName}': its video (job ${requestId}) is used again; nothing was sent.`,
    )
    stem = await deliverVideo(job, result, { video: result.video, requestId, stem })
  } catch (error) {
    await recordFailure(job, result, error as Error, stem)
  }
  result.timings.totalMs = Date.now() - startedAt
  return result
}

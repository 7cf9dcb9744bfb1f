/**
 * What happens to a finished video: its file name (a free one when another step of the run took the default), the
 * metadata JSON beside it, the artifact upload (another name when a job of the run took this one meanwhile), the
 * preview made while it uploads, and the release assets of `release-tag`. A created, a cached and a reused video
 * all leave through here.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { artifactNameOf, artifactNamesInRun, uploadVideo } from './artifact.js'
import type { DownloadedVideo } from './download.js'
import { ArtifactUploadError } from './errors.js'
import type { ActionConfig } from './inputs.js'
import { fileStem, inLogGroup, type JobContext, type JobEvents } from './job.js'
import type { PreviewLog } from './preview.js'
import { attachToRelease, releaseFileNames, type ReleaseTarget } from './release.js'
import { metadataOf, type RunResult } from './report.js'

/** What delivery reads of a job: a reused video has no client, budget or deadline of its own. */
export type DeliveryContext = Pick<JobContext, 'config' | 'events' | 'previewer'>

/** How many names `<stem>-2`, `<stem>-3`… are tried when the default name is taken. */
const NAME_ATTEMPTS = 20

/**
 * The stem of this job's files and artifact. A name the user chose is kept as it is (a clash is their error to
 * see). The default name, `grok-video-<request-id>`, can be taken already in this run (two steps restoring one
 * cache entry, or collecting one job): then the first free `<name>-2`, `<name>-3`… is used, so every step ends with
 * an artifact of its own.
 */
export async function unusedFileStem(config: ActionConfig, requestId: string, events: JobEvents): Promise<string> {
  const base = fileStem(config, requestId)
  if (!config.uploadArtifact || config.artifactNameFixed) return base
  const taken = await inLogGroup(events, 'Checking which artifact names this run has taken', artifactNamesInRun)
  const stem = candidateStems(base).find((s) => !taken.has(artifactNameOf(s, config.archive))) ?? base
  if (stem !== base) {
    events.info(
      `This workflow run already has an artifact named '${artifactNameOf(base, config.archive)}'; using '${artifactNameOf(stem, config.archive)}'.`,
    )
  }
  return stem
}

function candidateStems(base: string): string[] {
  return [base, ...Array.from({ length: NAME_ATTEMPTS - 1 }, (_, i) => `${base}-${i + 2}`)]
}

/** Copies an existing video (a cache entry's, or an identical batch job's) to this job's own file. */
export async function placeVideo(
  config: ActionConfig,
  stem: string,
  source: DownloadedVideo,
): Promise<DownloadedVideo> {
  await mkdir(config.outputDir, { recursive: true })
  const videoPath = path.join(config.outputDir, `${stem}.mp4`)
  if (path.resolve(source.path) !== path.resolve(videoPath)) await copyFile(source.path, videoPath)
  return { path: videoPath, bytes: source.bytes, sha256: source.sha256 }
}

/** Writes the result as the metadata JSON `<name>.json` in `output-dir`; returns its path. */
export async function writeMetadata(config: ActionConfig, result: RunResult, name: string): Promise<string> {
  await mkdir(config.outputDir, { recursive: true })
  const file = path.join(config.outputDir, `${name}.json`)
  await writeFile(file, `${JSON.stringify(metadataOf(result), null, 2)}\n`)
  return file
}

/** The video to deliver: the file this job holds, whose job it is, and the stem it was saved under. */
export interface Delivery {
  video: DownloadedVideo
  requestId: string
  stem: string
}

/**
 * Writes the metadata JSON next to the MP4, then uploads the artifact when asked to. Returns the stem finally
 * used: when another job of the run took the default name in the meantime (409), the files are copied to the next
 * free name and uploaded again. The preview is made while the MP4 uploads; a zip (`archive: true`) carries the
 * poster and the GIF, so that upload waits for them. The result gets each file the moment it exists, so a failed
 * upload still reports the metadata JSON and the preview. Then, with `release-tag`, the files go to the release.
 */
export async function deliverVideo(job: DeliveryContext, result: RunResult, delivery: Delivery): Promise<string> {
  const stem = await keepAsArtifact(job, result, delivery)
  if (job.config.release && result.video) await attachVideo(job, result, job.config.release, result.video)
  return stem
}

/** The video's files on the release of `release-tag`, once the artifact (if any) and the preview are done. */
async function attachVideo(
  { events }: DeliveryContext,
  result: RunResult,
  target: ReleaseTarget,
  video: DownloadedVideo,
): Promise<void> {
  const files = releaseFileNames(video.sha256, {
    videoPath: video.path,
    metadataPath: result.metadataPath,
    posterPath: result.preview?.files?.posterPath,
    gifPath: result.preview?.files?.gifPath,
  })
  const title = `Attaching ${files.length} file(s) to release '${target.tag}'`
  const attached = await inLogGroup(events, title, () => attachToRelease(target, files, events.info))
  result.release = { tag: target.tag, assetUrl: attached.assetUrl }
  const skipped = attached.skipped.length ? `; ${attached.skipped.length} already there (skipped)` : ''
  events.info(`Release '${target.tag}': ${attached.uploaded.length} file(s) attached${skipped}.`)
}

async function keepAsArtifact(job: DeliveryContext, result: RunResult, delivery: Delivery): Promise<string> {
  const { config, events } = job
  let { video, stem } = delivery
  result.video = video
  let metadataPath = await writeMetadata(config, result, stem)
  result.metadataPath = metadataPath
  // The preview's lines are told after the upload, so they do not land inside its (folded) log group.
  const held: [keyof PreviewLog, string][] = []
  const heldPreviewLog: PreviewLog = {
    info: (message) => held.push(['info', message]),
    warning: (message) => held.push(['warning', message]),
  }
  // Of the files as first named: a 409 retry below renames them while the preview is made.
  const [videoPath, previewStem] = [video.path, stem]
  const preview = job.previewer().then((previewer) => previewer.make(videoPath, previewStem, heldPreviewLog))
  try {
    if (!config.uploadArtifact) return stem
    const files = config.archive ? (await preview).files : undefined
    const uploadStart = Date.now()
    // Counted from the default name, so a race lost on `<name>-2` goes on to `<name>-3`.
    const candidates = candidateStems(fileStem(config, delivery.requestId))
    for (let i = Math.max(0, candidates.indexOf(stem)); ; i++) {
      try {
        const [name, mp4, metadata] = [stem, video.path, metadataPath]
        const title = `Uploading the artifact (${config.archive ? 'a zip' : 'the MP4'})`
        result.artifact = await inLogGroup(events, title, () =>
          uploadVideo({
            name,
            videoPath: mp4,
            metadataPath: metadata,
            extraFiles: files ? [files.posterPath, ...(files.gifPath ? [files.gifPath] : [])] : [],
            archive: config.archive,
            retentionDays: config.retentionDays,
          }),
        )
        break
      } catch (error) {
        const next = candidates[i + 1]
        if (!(error instanceof ArtifactUploadError && error.nameTaken) || config.artifactNameFixed || !next) throw error
        events.info(
          `Artifact '${artifactNameOf(stem, config.archive)}' was taken meanwhile; trying '${artifactNameOf(next, config.archive)}'.`,
        )
        video = await placeVideo(config, next, video)
        result.video = video
        metadataPath = await writeMetadata(config, result, next)
        result.metadataPath = metadataPath
        stem = next
      }
    }
    result.timings.uploadMs = Date.now() - uploadStart
    const where = result.artifact.url ? `: ${result.artifact.url}` : ''
    events.info(`Uploaded artifact '${result.artifact.name}' (id ${result.artifact.id})${where}`)
    events.artifactUploaded?.(result.artifact)
    return stem
  } finally {
    result.preview = config.preview === 'false' ? undefined : await preview
    for (const [kind, message] of held) events[kind](message)
  }
}

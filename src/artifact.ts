/**
 * Keep the video as a workflow artifact: the MP4 itself (served as video/mp4, so it plays in the browser) or a
 * zip of the MP4 and its metadata JSON.
 */
import path from 'node:path'
import { ArtifactUploadError } from './errors.js'
import { artifactUrl } from './links.js'

export interface UploadRequest {
  /** The artifact's name for a zip; an unzipped upload is named after the file (`<artifact-name>.mp4`). */
  name: string
  videoPath: string
  metadataPath: string
  /** More files of the MP4's folder for the zip (the poster and the GIF); an unzipped upload is the MP4 alone. */
  extraFiles?: string[]
  archive: boolean
  retentionDays?: number
}

export interface UploadedArtifact {
  id: number
  /** The name the artifact has on the run's page. */
  name: string
  /** Hex SHA-256 of what was uploaded (the MP4, or the zip). */
  digest: string
  /** The artifact's page; undefined outside a runner (see links.ts). */
  url?: string
}

const NO_SERVICE =
  "The runner's artifact service is not available here (ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL are not set). " +
  "Set 'upload-artifact: false' to keep the video on the runner only."

const serviceAvailable = (env: NodeJS.ProcessEnv): boolean =>
  Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL)

/** The artifact's name on the run's page: an unzipped upload is named after its file. */
export function artifactNameOf(stem: string, archive: boolean): string {
  return archive ? stem : `${stem}.mp4`
}

/**
 * The names of the artifacts the workflow run holds so far (every job's, through the results service's
 * ListArtifacts). Empty when they cannot be listed: the upload's own 409 then tells.
 */
export async function artifactNamesInRun(): Promise<Set<string>> {
  if (!serviceAvailable(process.env)) return new Set()
  try {
    const { DefaultArtifactClient } = await import('@actions/artifact')
    const { artifacts } = await new DefaultArtifactClient().listArtifacts()
    return new Set(artifacts.map((artifact) => artifact.name))
  } catch {
    return new Set()
  }
}

export async function uploadVideo(request: UploadRequest): Promise<UploadedArtifact> {
  // The artifact client reads its settings from the process environment; so does this check.
  const env = process.env
  if (!serviceAvailable(env)) throw new ArtifactUploadError(NO_SERVICE)
  // Loaded on demand: a run with `upload-artifact: false` never pays for the artifact client's start-up.
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const client = new DefaultArtifactClient()
  const root = path.dirname(request.videoPath)
  const files = request.archive
    ? [request.videoPath, request.metadataPath, ...(request.extraFiles ?? [])]
    : [request.videoPath]
  const name = request.archive ? request.name : path.basename(request.videoPath)
  let uploaded
  try {
    uploaded = await client.uploadArtifact(name, files, root, {
      skipArchive: !request.archive,
      ...(request.retentionDays !== undefined ? { retentionDays: request.retentionDays } : {}),
    })
  } catch (error) {
    const message = (error as Error).message
    // The service answers 409 Conflict for a name the run already holds (the client does not retry it).
    if (/\(409\)|already exists/i.test(message)) {
      throw new ArtifactUploadError(
        `The workflow run already has an artifact named '${name}': give this step its own 'artifact-name'. ` +
          `The video is on the runner at ${request.videoPath}.`,
        true,
      )
    }
    throw new ArtifactUploadError(
      `Uploading artifact '${name}' failed: ${message}. The video is on the runner at ${request.videoPath}.`,
    )
  }
  if (uploaded.id === undefined) throw new ArtifactUploadError(`Uploading artifact '${name}' returned no artifact id.`)
  return { id: uploaded.id, name, digest: uploaded.digest ?? '', url: artifactUrl(uploaded.id, env) }
}

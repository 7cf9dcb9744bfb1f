/**
 * What one job carries through its stages: the step's config, the client, where its lines go, its deadline and the
 * step's shared previewer and budget, in one context instead of argument lists. Also how a job's result starts and
 * what its files are named after, which a created job and a reused one share.
 */
import type { UploadedArtifact } from './artifact.js'
import type { GrokClient, CreateVideoRequest } from './grok/client.js'
import { displayedRequest } from './grok/request.js'
import type { ActionConfig } from './inputs.js'
import type { Budget } from './plan.js'
import type { Previewer, PreviewLog } from './preview.js'
import type { RunResult } from './report.js'

/** Where a run's lines go. */
export interface LogEvents {
  info: (message: string) => void
  warning: (message: string) => void
  /** Detail for someone debugging a run (the runner shows it with debug logging on). */
  debug?: (message: string) => void
  /** Runs `work` with what it logs (the artifact and cache clients' chatter) folded under `title`. */
  group?: <T>(title: string, work: () => Promise<T>) => Promise<T>
  /** A notice worth more than a log line (where a Zero Data Retention video went); `info` when absent. */
  notice?: (message: string) => void
}

/** What one job reports while it runs. */
export interface JobEvents extends LogEvents {
  /** The job's id, the moment create answers (or the cached job's id on a cache hit). */
  requestId: (id: string) => void
  /** The provider's job ended done: from here on a cancelled run loses only the download, not the job. */
  jobDone?: (id: string) => void
  /** The video comes from the cache: job `id` was an earlier run's, and nothing runs at the provider for this one. */
  fromCache?: (id: string) => void
  /** A create request went out (true) or came back, answered or not (false): while one is out, a job may exist. */
  creating?: (inFlight: boolean) => void
  /** The video is whole on disk at `path`: from here on a cancelled run has lost nothing but its upload. */
  videoSaved?: (path: string) => void
  /** The artifact is uploaded: its outputs can be set at once, before the preview or the comment. */
  artifactUploaded?: (artifact: UploadedArtifact) => void
}

/** Knobs for tests and benchmarks; the action uses the defaults. */
export interface PipelineOptions {
  requestTimeoutMs?: number
  downloadAttempts?: number
  downloadIdleTimeoutMs?: number
  heartbeatMs?: number
  userAgent?: string
  /** The pause between retries of a request or a download (the wait between status checks is the wait loop's). */
  retrySleep?: (ms: number) => Promise<unknown>
}

/** One job's context, made once when it starts and read by every stage. */
export interface JobContext {
  config: ActionConfig
  /** The caller's client: a batch's jobs share one, so one 429 slows them all. */
  client: GrokClient
  events: JobEvents
  options: PipelineOptions
  /** The step's previewer (see `stepPreviewer`): a batch's jobs share one, so ffmpeg is looked for once per step. */
  previewer: () => Promise<Previewer>
  /** The step's `max-cost-usd` ledger: a batch's jobs share one. */
  budget: Budget
  startedAt: number
  /** Waiting and downloading share `timeout-seconds`, counted from the start. */
  deadline: number
}

/**
 * The step's previewer, made on first use: the ffmpeg code loads only when a video is delivered, not when the
 * action starts.
 */
export function stepPreviewer(
  config: ActionConfig,
  log: PreviewLog,
  env: NodeJS.ProcessEnv = process.env,
): () => Promise<Previewer> {
  let previewer: Promise<Previewer> | undefined
  return () =>
    (previewer ??= (async () => {
      const { Previewer } = await import('./preview.js')
      // Hosted runners ship no ffmpeg: `auto` fetches the pinned one when the preview has somewhere to be shown.
      const fetch = config.previewTarget !== undefined || (await attachesToComment(config, env))
      return new Previewer(config.preview, log, { cwd: config.workspace, fetch })
    })())
}

/**
 * Whether the GIF can go to the attachment store and into a comment: a pull request's run that comments with a
 * token, and an attachment token the store takes (never an installation token).
 */
async function attachesToComment(config: ActionConfig, env: NodeJS.ProcessEnv): Promise<boolean> {
  const token = config.attachmentToken
  if (!token || token.startsWith('ghs_') || !config.commentOnPr || !config.githubToken) return false
  const { pullRequestFromEvent } = await import('./pr-comment.js')
  return pullRequestFromEvent(env) !== undefined
}

/** Runs `work` in a log group when the caller folds its lines (a single run), else as it is (a batch). */
export function inLogGroup<T>(events: LogEvents, title: string, work: () => Promise<T>): Promise<T> {
  return events.group ? events.group(title, work) : work()
}

/** What every result of this step starts from: where it is sent, and the request as it may be shown. */
export function startingResult(config: ActionConfig, startedAt: number): RunResult {
  return {
    provider: config.provider,
    baseUrl: config.baseUrl,
    operation: config.operation,
    inputVideo: config.video,
    request: shownRequest(config),
    timings: { startedAt: new Date(startedAt) },
  }
}

/** The request as logs, the summary and the metadata show it: data URLs as labels, the upload URL hidden. */
function shownRequest(config: ActionConfig): CreateVideoRequest | undefined {
  if (!config.request) return undefined
  return displayedRequest(config.request, {
    image: config.image?.label,
    referenceImages: config.referenceImages?.map((image) => image.label),
    video: config.video,
  })
}

/** The MP4, its JSON and a zip artifact are named after `artifact-name`, else after the request id. */
export function fileStem(config: ActionConfig, requestId: string): string {
  return config.artifactName ?? `grok-video-${requestId.replace(/[^A-Za-z0-9._-]/g, '-')}`
}

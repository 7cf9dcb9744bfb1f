/**
 * The GitHub Actions adapter: the only module that knows it runs inside a runner. It reads the inputs, runs the
 * pipeline (one video, or a batch), and turns the result into outputs, a job summary, an optional pull-request
 * comment and one clear failure.
 */
import * as core from '@actions/core'
import { BudgetError, GrokVideoError, InputError } from './errors.js'
import { readInputs, type ActionConfig } from './inputs.js'
import { inert, prefixJobLines } from './log.js'
import { scrubAnswer } from './secrets.js'
import { generateVideo, type PipelineEvents } from './pipeline.js'
import { OUTPUT_NAMES } from './report.js'
import type { ReviewedJob } from './pr-review.js'
import type { SummaryContext } from './summary.js'

export async function run(): Promise<void> {
  const tracker = jobTracker()
  // Which ids the cancel line speaks of: the single run's, or a batch's jobs not yet ended.
  let current: () => string[] = () => []
  const stopListening = onCancel(() => tracker.unfinished(current()))
  try {
    const config = await readInputs({
      getInput: (name) => core.getInput(name),
      mask: (secret) => core.setSecret(secret),
    })
    // Every line the pipeline logs may carry outside text: none of it may reach the runner as a command, and a
    // secret it echoes (plain or percent-encoded, which the runner's mask would miss) is scrubbed.
    const secrets = [config.apiKey, config.uploadUrl, config.githubToken, config.attachmentToken]
    const shown = (message: string) => inert(scrubAnswer(message, secrets))
    const log = {
      info: (message: string) => core.info(shown(message)),
      warning: (message: string) => core.warning(shown(message)),
      debug: (message: string) => core.debug(shown(message)),
    }
    let failure: Error | undefined
    if (config.batch) {
      // Loaded only for a batch: a single run does not pay for the YAML parser's start-up.
      const { readBatch } = await import('./prompts-file.js')
      const { batchOutputs, runBatch } = await import('./batch.js')
      const jobs = await readBatch(config)
      let latest: string[] = []
      current = () => latest
      // Jobs log at once: each line, the artifact and cache clients' too, carries its job's name (no groups).
      const stopPrefixing = prefixJobLines()
      const batch = await runBatch(config, jobs, {
        ...log,
        ...tracker.events,
        progress: (entries) => {
          // The manifest is an output from the first request id on, so a cancelled run loses none of them.
          core.setOutput('results', JSON.stringify(entries))
          // On cancel, only the jobs still running at the provider need collecting; finished ones are in the outputs.
          latest = entries.filter((entry) => entry.status === 'pending').map((entry) => entry['request-id'])
        },
      }).finally(stopPrefixing)
      const outputs = batchOutputs(batch)
      for (const name of OUTPUT_NAMES) core.setOutput(name, outputs[name])
      const rows = jobs.map((job, i) => ({
        name: job.name,
        result: batch.results[i],
        requestId: batch.entries[i]?.['request-id'],
      }))
      await writeSummary(({ batchSummaryOf }) => batchSummaryOf(rows, summaryContext(config)))
      if (!config.dryRun) {
        await commentOn(
          config,
          rows.flatMap(({ name, result }) => (result ? [{ result, name }] : [])),
          shown,
        )
        // The comment's uploads come last: `results` is set again with each job's attachment URL.
        if (batch.results.some((result) => result?.attachmentUrl)) {
          batch.results.forEach((result, i) => {
            const entry = batch.entries[i]
            if (result?.attachmentUrl && entry) entry['video-attachment-url'] = result.attachmentUrl
          })
          core.setOutput('results', JSON.stringify(batch.entries))
        }
      }
      // A batch refused before any request still tells the pull request, over the earlier push's comment.
      if (!config.dryRun && batch.error instanceof BudgetError && !batch.results.some(Boolean))
        await commentRefusal(config, batch.error.message, shown)
      failure = batch.error
    } else {
      let requestId: string | undefined
      current = () => (requestId ? [requestId] : [])
      const events: PipelineEvents = {
        ...log,
        ...tracker.events,
        videoSaved: (path) => {
          if (requestId) tracker.events.videoSaved(requestId, path)
          // Set at once, like request-id: a run cancelled while it uploads still hands the file on.
          core.setOutput('video-path', path)
        },
        artifactUploaded: (artifact) => {
          core.setOutput('artifact-id', String(artifact.id))
          core.setOutput('artifact-url', artifact.url ?? '')
          core.setOutput('artifact-digest', artifact.digest)
        },
        notice: (message) => core.notice(shown(message)),
        // The artifact and cache clients' chatter folds away, so the wait's progress and the result stand out.
        group: (title, work) => core.group(title, work),
        output: (name, value) => {
          core.setOutput(name, value)
          if (name === 'request-id' && value) requestId = value
        },
      }
      const result = await generateVideo(config, events)
      await writeSummary(({ summaryOf }) => summaryOf(result, summaryContext(config)))
      if (!config.dryRun && result.requestId) {
        await commentOn(config, [{ result }], shown)
        if (result.attachmentUrl) core.setOutput('video-attachment-url', result.attachmentUrl)
      } else if (!config.dryRun && result.error instanceof BudgetError) {
        // Refused before the create, like a batch: the earlier push's comment must not stand as this one's.
        await commentRefusal(config, result.error.message, shown)
      }
      failure = result.error
    }
    if (failure) core.setFailed(shown(failure.message))
  } catch (error) {
    // Bad inputs land here, before any request; anything else is a fault of this action, reported as it is, and
    // like every run past validation it ends with a status.
    if (!(error instanceof InputError)) core.setOutput('status', 'error')
    core.setFailed(
      inert(
        error instanceof GrokVideoError
          ? error.message
          : `Unexpected error: ${(error as Error).stack ?? String(error)}`,
      ),
    )
  } finally {
    stopListening()
  }
}

/** Tells the pull request that this push's run was refused before anything was sent (`max-cost-usd`). */
async function commentRefusal(config: ActionConfig, reason: string, shown: (message: string) => string): Promise<void> {
  const { commentRefusalOnPullRequest } = await import('./pr-review.js')
  await commentRefusalOnPullRequest(config, reason, {
    info: (message) => core.info(shown(message)),
    notice: (message) => core.notice(shown(message)),
    warning: (message) => core.warning(shown(message)),
  })
}

/**
 * Jobs a cancelled step leaves behind: still running at the provider, done there but not yet downloaded, or (a
 * cache hit) made by an earlier run, with nothing at the provider for this one.
 */
interface UnfinishedJobs {
  running: string[]
  collecting: string[]
  restoring: string[]
  /** Create requests sent and not yet answered: each may have made a job whose id the run never learnt. */
  creating: number
  /** Videos whole on disk (a single run's `video-path` is set): only their upload, preview or comment was cut. */
  saved: { id: string; path: string }[]
}

/**
 * What the cancel line must know of each job, learnt from the pipeline's events: one tracker for a single run and
 * a batch alike, so both word a cancel the same way.
 */
function jobTracker() {
  const restored = new Set<string>()
  const finished = new Set<string>()
  const saved = new Map<string, string>()
  let creating = 0
  return {
    events: {
      fromCache: (id: string) => void restored.add(id),
      creating: (inFlight: boolean) => void (creating += inFlight ? 1 : -1),
      jobDone: (id: string) => void finished.add(id),
      videoSaved: (id: string, path: string) => void saved.set(id, path),
    },
    /** Of the jobs `ids` (those not yet ended), where each stands. */
    unfinished: (ids: string[]): UnfinishedJobs => {
      const ours = ids.filter((id) => !restored.has(id))
      return {
        running: ours.filter((id) => !finished.has(id)),
        collecting: ours.filter((id) => finished.has(id) && !saved.has(id)),
        restoring: ids.filter((id) => restored.has(id)),
        creating,
        saved: ours.flatMap((id) => (saved.has(id) ? [{ id, path: saved.get(id) as string }] : [])),
      }
    },
  }
}

/**
 * How a runner cancels a step: SIGINT, then SIGTERM. Trap: Windows has no SIGTERM; there the runner sends Ctrl+C
 * (SIGINT in Node) and then Ctrl+Break (SIGBREAK). Listening for all three is safe on every OS.
 */
const CANCEL_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGBREAK']

/**
 * A cancelled workflow sends SIGINT, then SIGTERM. The jobs are billed at the provider either way, so say how to
 * collect them before the runner kills the process. Their ids are already in the outputs by then; `status` says
 * `cancelled`.
 */
function onCancel(unfinished: () => UnfinishedJobs): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    const { running, collecting, restoring, creating, saved } = unfinished()
    const rerun = (ids: string[]) => ids.map((id) => `'request-id: ${id}'`).join(', ')
    const them = (ids: string[]) => (ids.length === 1 ? 'it' : 'them')
    const lines = [`Stopped by ${signal} (the workflow run was cancelled or timed out).`]
    if (running.length) {
      const jobs = running.length === 1 ? `Job ${running[0]} keeps` : `Jobs ${running.join(', ')} keep`
      lines.push(
        `${jobs} running at the provider: re-run with ${rerun(running)} to collect ${them(running)} without paying again.`,
      )
    }
    if (collecting.length) {
      const jobs = collecting.length === 1 ? `Job ${collecting[0]} is` : `Jobs ${collecting.join(', ')} are`
      lines.push(
        `${jobs} done at the provider, but the video was not saved: re-run with ${rerun(collecting)} to download ${them(collecting)} without paying again.`,
      )
    }
    if (restoring.length) {
      const videos =
        restoring.length === 1
          ? `The video of job ${restoring[0]} was`
          : `The videos of jobs ${restoring.join(', ')} were`
      lines.push(
        `${videos} being restored from the cache: nothing runs at the provider for this run, and a re-run restores ${them(restoring)} again at no cost.`,
      )
    }
    for (const video of saved) {
      lines.push(
        `Job ${video.id} is done and its video was saved to ${video.path}; the step stopped before it ` +
          'finished the artifact, the preview or the comment. A re-run with ' +
          `'request-id: ${video.id}' fetches and uploads it again without paying again, while the provider's URL lives.`,
      )
    }
    if (creating) {
      const requests = creating === 1 ? 'A create request was' : `${creating} create requests were`
      lines.push(
        `${requests} under way (sent, or about to be) and unanswered: the provider may have made (and will ` +
          "bill) a job whose id this run never received. Look for it in the provider's dashboard before " +
          're-running: a re-run creates a new job.',
      )
    }
    // The request id (a batch's `results`) is an output already: the status says how the run ended.
    core.setOutput('status', 'cancelled')
    core.setFailed(inert(lines.join(' ')))
    process.exit(1)
  }
  for (const signal of CANCEL_SIGNALS) process.once(signal, handler)
  return () => {
    for (const signal of CANCEL_SIGNALS) process.off(signal, handler)
  }
}

/** The pull request comment, its lines made inert and scrubbed like every other (a prompt is outside text). */
async function commentOn(config: ActionConfig, jobs: ReviewedJob[], shown: (message: string) => string): Promise<void> {
  if (!config.commentOnPr) return
  // Loaded only when a comment is asked for: most runs do not pay for it at start-up.
  const { commentOnPullRequest } = await import('./pr-review.js')
  await commentOnPullRequest(config, jobs, {
    info: (message) => core.info(shown(message)),
    notice: (message) => core.notice(shown(message)),
    warning: (message) => core.warning(shown(message)),
  })
}

function summaryContext(config: ActionConfig): SummaryContext {
  return { previewBranch: config.previewTarget !== undefined, archive: config.archive }
}

async function writeSummary(render: (summary: typeof import('./summary.js')) => string): Promise<void> {
  // Outside a runner (a local run) there is no summary file: skip quietly rather than fail the step.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  // Loaded when the run ends: the summary's Markdown is no part of getting the first request out.
  const markdown = render(await import('./summary.js'))
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    core.warning(inert(`Could not write the job summary: ${(error as Error).message}`))
  }
}

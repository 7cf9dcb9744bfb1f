/**
 * The GitHub Actions adapter: the only module that knows it runs inside a runner. It reads the inputs, runs the
 * pipeline, and turns the result into outputs, a job summary and one clear failure.
 */
import * as core from '@actions/core'
import { GrokVideoError } from './errors.js'
import { readInputs } from './inputs.js'
import { generateVideo } from './pipeline.js'
import { summaryOf, type RunResult } from './report.js'

export async function run(): Promise<void> {
  let requestId: string | undefined
  const stopListening = onCancel(() => requestId)
  try {
    const config = await readInputs({ getInput: (name) => core.getInput(name), mask: (secret) => core.setSecret(secret) })
    const result = await generateVideo(config, {
      output: (name, value) => {
        core.setOutput(name, value)
        if (name === 'request-id' && value) requestId = value
      },
      info: (message) => core.info(message),
      warning: (message) => core.warning(message),
    })
    await writeSummary(result)
    if (result.error) core.setFailed(result.error.message)
  } catch (error) {
    // Bad inputs land here, before any request; anything else is a fault of this action, reported as it is.
    core.setFailed(error instanceof GrokVideoError ? error.message : `Unexpected error: ${(error as Error).stack ?? String(error)}`)
  } finally {
    stopListening()
  }
}

/**
 * A cancelled workflow sends SIGINT, then SIGTERM. The job keeps running (and is billed) at the provider, so say
 * how to collect it before the runner kills the process. `request-id` is already in the outputs by then.
 */
function onCancel(currentRequestId: () => string | undefined): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    const id = currentRequestId()
    const resume = id
      ? ` Job ${id} keeps running at the provider: re-run with 'request-id: ${id}' to collect it without paying again.`
      : ''
    core.setFailed(`Stopped by ${signal} (the workflow run was cancelled or timed out).${resume}`)
    process.exit(1)
  }
  process.once('SIGINT', handler)
  process.once('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}

async function writeSummary(result: RunResult): Promise<void> {
  // Outside a runner (a local run) there is no summary file: skip quietly rather than fail the step.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(summaryOf(result)).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}

/**
 * The response shapes other projects have seen from the live API and its gateways, each played by the emulator
 * and read by dist/index.js as a runner runs it: the `status` output, the exit code, and the provider's own words
 * in the one error line.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { loadFixtureVideo, type ScenarioName } from '../emulator/server.ts'
import { bundleSession } from '../harness/bundle-session.ts'
import type { BundleRun } from '../harness/runner.ts'

const KEY = 'sk-shapes-test-31d2c4b5a697'
const SHA256 = createHash('sha256').update(loadFixtureVideo()).digest('hex')
const session = bundleSession({ emulator: { apiKey: KEY }, secrets: [KEY] })

/** Runs the bundle on `scenario`; every run is checked for the key showing anywhere (log, outputs, summary, files). */
async function runAction(scenario: ScenarioName, root: 'xai' | 'comet'): Promise<BundleRun> {
  session.emulator.setScenario(scenario)
  return session.run({
    inputs: {
      'api-key': KEY,
      'base-url': root === 'xai' ? session.emulator.xaiBaseUrl : session.emulator.cometBaseUrl,
      prompt: 'A paper boat drifts down a rainy street.',
      'poll-interval-seconds': '0.05',
      'upload-artifact': 'false',
    },
  })
}

const errorLines = (run: BundleRun): string[] => run.stdout.split('\n').filter((line) => line.startsWith('::error::'))

interface Row {
  scenario: ScenarioName
  root: 'xai' | 'comet'
  status: 'done' | 'failed' | 'moderated'
  /** The provider's words (or ours, when it gave none) that the error line must carry. */
  says?: string
  /** Words that must not appear in the error line: a generic reason that lost, or advice that does not apply. */
  notSays?: string
  costUsd?: string
}

const rows: Row[] = [
  { scenario: 'poll-202-not-json', root: 'xai', status: 'done', costUsd: '0.05' },
  {
    scenario: 'done-without-url',
    root: 'xai',
    status: 'failed',
    says: 'The job finished without a video URL.',
    notSays: 'moderation',
    costUsd: '0.05',
  },
  { scenario: 'done-top-level-url', root: 'xai', status: 'done', costUsd: '0.05' },
  { scenario: 'done-without-status', root: 'xai', status: 'done', costUsd: '0.05' },
  {
    scenario: 'failed-without-status',
    root: 'xai',
    status: 'failed',
    says: 'Duration must be between 2 and 10 seconds',
  },
  {
    scenario: 'moderated-without-status',
    root: 'comet',
    status: 'moderated',
    says: 'Generated video rejected by content moderation.',
    costUsd: '0.25',
  },
  {
    scenario: 'comet-task-failure-generic',
    root: 'comet',
    status: 'moderated',
    says: 'Generated video rejected by content moderation.',
    notSays: 'upstream returned error',
    costUsd: '0.25',
  },
  {
    scenario: 'comet-task-failure-bare-inner',
    root: 'comet',
    status: 'failed',
    says: 'Channel quota exhausted, please try again later.',
    notSays: 'gave no reason',
  },
  {
    scenario: 'xai-failed-content-policy',
    root: 'xai',
    status: 'moderated',
    says: 'The prompt violates our content policy.',
  },
  {
    scenario: 'comet-flat-safety-system',
    root: 'comet',
    status: 'moderated',
    says: 'Your request was rejected by our safety system.',
  },
  // The URL is {origin}/v1/videos/{id}/content while base-url is {origin}/grok/v1: the origin is what counts.
  { scenario: 'video-on-api-origin', root: 'comet', status: 'done', costUsd: '0.05' },
  { scenario: 'video-on-api-origin-redirect', root: 'comet', status: 'done', costUsd: '0.05' },
]

describe('shapes seen elsewhere, through dist/index.js', () => {
  it.each(rows)('$scenario: $status', async ({ scenario, root, status, says, notSays, costUsd }) => {
    const run = await runAction(scenario, root)

    expect(run.outputs.status).toBe(status)
    expect(run.outputs['request-id']).toMatch(/\S/)
    if (costUsd) expect(run.outputs['cost-usd']).toBe(costUsd)
    if (status === 'done') {
      expect(run.exitCode).toBe(0)
      expect(errorLines(run)).toEqual([])
      expect(run.outputs['video-sha256']).toBe(SHA256)
      expect(
        createHash('sha256')
          .update(await readFile(run.outputs['video-path']))
          .digest('hex'),
      ).toBe(SHA256)
    } else {
      expect(run.exitCode).toBe(1)
      expect(errorLines(run)).toHaveLength(1)
      const [line] = errorLines(run)
      expect(line).toContain(run.outputs['request-id'])
      expect(line).toContain(`status '${status}'`)
      expect(line).toContain(says)
      if (notSays) expect(line).not.toContain(notSays)
      expect(line).not.toMatch(/\.\./)
      expect(run.outputs['video-path']).toBe('')
    }
    // One create, however the job ended: nothing was billed twice.
    expect(session.emulator.creates()).toHaveLength(1)
  })

  it('a video on base-url’s origin is fetched with the key, and the log says so', async () => {
    const run = await runAction('video-on-api-origin', 'comet')

    expect(run.outputs.status).toBe('done')
    expect(session.emulator.apiVideoRequests().map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`])
    expect(session.emulator.videoRequests()).toEqual([])
    expect(run.stdout).toContain(
      `The video is on base-url's origin (${session.emulator.apiOrigin}): the API key is sent with its download.`,
    )
  })

  it('a redirect from base-url’s origin to the storage host drops the key there, and the log says so', async () => {
    const run = await runAction('video-on-api-origin-redirect', 'comet')

    expect(run.outputs.status).toBe('done')
    expect(session.emulator.apiVideoRequests().map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`])
    expect(session.emulator.videoRequests()).toHaveLength(1)
    expect(JSON.stringify(session.emulator.videoRequests()[0].headers)).not.toContain(KEY)
    expect(run.stdout).toContain(
      `Redirected to ${session.emulator.videoOrigin}: not base-url's origin, so the API key is not sent there.`,
    )
  })

  it('a video on another origin never gets the key, and the log says so', async () => {
    const run = await runAction('xai-done', 'xai')

    expect(run.outputs.status).toBe('done')
    expect(session.emulator.videoRequests()).toHaveLength(1)
    expect(JSON.stringify(session.emulator.videoRequests()[0].headers)).not.toContain(KEY)
    expect(run.stdout).toContain(
      `Downloading the video from ${session.emulator.videoOrigin}: not base-url's origin, so the API key is not sent there.`,
    )
  })
})

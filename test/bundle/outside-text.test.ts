/**
 * Outside text (a prompts file's model and image URLs, the provider's request ids, status words and messages) is
 * shown, never obeyed: no line of the log is read by the runner as a workflow command, and the summary and the pull
 * request comment show it as code, with no link and no @mention. Through dist/index.js, against the emulator.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { literal } from '../../src/markdown.js'
import { cometTask, xaiDone, xaiDoneBody, xaiFailed, xaiRunning, type CometTaskStatus } from '../emulator/scenarios.ts'
import type { Scenario } from '../emulator/server.ts'
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-rest.ts'
import { bundleSession } from '../harness/bundle-session.ts'
import { makeRunnerDirs, type BundleRun } from '../harness/runner.ts'
import { expectNoCommandFromData as expectNoCommand } from '../harness/workflow-commands.ts'

const KEY = 'sk-outside-text-0a1b2c3d4e5f'
const GH_TOKEN = 'ghs_outsideTextToken0123456789abcdef'
const session = bundleSession({ emulator: { apiKey: KEY }, results: true, secrets: [KEY, GH_TOKEN] })

/** Marks every command an attacker tries to smuggle in, so one of ours is never mistaken for it. */
const MARK = 'INJECTED'
/** Workflow commands as the runner reads them: at a line's start, after whitespace, and the legacy form anywhere. */
const COMMANDS = [
  `::error title=${MARK}::pwned`,
  `  \t::add-mask::${MARK}-mask`,
  `##[stop-commands]${MARK}-token`,
  `see ##[add-mask]${MARK}-legacy`,
].join('\n')
const PHISH = 'https://phish.example/login'
const MARKDOWN = `@octocat @acme/security [Re-authenticate here](${PHISH})`
/** The same, as a URL's path holds it unchanged (no space to encode). */
const MARKDOWN_PATH = `@octocat/@acme/security/[Re-authenticate-here](${PHISH})`

/** No line of the run's log is a command that came from the hostile text. */
const expectNoCommandFromData = (run: BundleRun): void => expectNoCommand(run.stdout, MARK)

/** The Markdown outside its code spans (CommonMark: a run of n backticks ends at the next run of exactly n). */
function outsideCode(markdown: string): string {
  let out = ''
  let i = 0
  while (i < markdown.length) {
    if (markdown[i] !== '`') {
      out += markdown[i++]
      continue
    }
    const fence = /^`+/.exec(markdown.slice(i))![0]
    const rest = markdown.slice(i + fence.length)
    const close = new RegExp(`(?<!\`)${fence}(?!\`)`).exec(rest)
    if (!close) {
      out += fence
      i += fence.length
      continue
    }
    i += fence.length + close.index + fence.length
  }
  return out
}

/** `markdown` shows `text` only as code: no link to the phishing page, no @mention outside a code span. */
function expectInert(markdown: string): void {
  const plain = outsideCode(markdown)
  expect(plain).not.toContain('phish.example')
  expect(plain).not.toMatch(/@octocat|@acme/)
  expect(plain).not.toContain(MARK)
}

// ---------------------------------------------------------------------------------------------------------
// Running the bundle

const PROMPTS_FILE = 'prompts.yml'
let runCount = 0

interface RunOptions {
  scenario?: Scenario
  inputs?: Record<string, string>
  /** Written as the prompts file, turning the step into a batch. */
  jobs?: Record<string, unknown>[]
  /** The GitHub REST fake: the run is for a pull request and comments on it. */
  github?: GitHubApiFake
}

async function runAction(options: RunOptions): Promise<BundleRun> {
  session.emulator.setScenario(options.scenario ?? { name: 'quick', poll: [(ctx) => xaiDone(ctx)] })
  const dirs = await makeRunnerDirs('grok-outside-')
  const eventPath = path.join(dirs.root, 'event.json')
  if (options.jobs) await writeFile(path.join(dirs.workspace, PROMPTS_FILE), stringify(options.jobs))
  const github = options.github
  if (github) {
    await writeFile(
      eventPath,
      JSON.stringify({ pull_request: { number: 7 }, repository: { name: 'films', owner: { login: 'octo-org' } } }),
    )
  }
  return session.run({
    dirs,
    inputs: {
      'api-key': KEY,
      'base-url': session.emulator.xaiBaseUrl,
      'poll-interval-seconds': '0.05',
      ...(options.jobs ? { 'prompts-file': PROMPTS_FILE } : { prompt: 'A red kite over green hills.' }),
      ...(github ? { 'comment-on-pr': 'true', 'github-token': GH_TOKEN } : {}),
      ...options.inputs,
    },
    env: {
      GITHUB_RUN_ID: String(9100 + runCount++),
      GITHUB_REPOSITORY: 'octo-org/films',
      ...(github
        ? {
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: eventPath,
            GITHUB_API_URL: github.apiUrl,
            GITHUB_JOB: 'render',
          }
        : {}),
    },
  })
}

// ---------------------------------------------------------------------------------------------------------

describe('outside text is shown, never obeyed (dist/index.js)', () => {
  let api: GitHubApiFake | undefined
  afterEach(async () => {
    await api?.close()
    api = undefined
  })

  it.each([
    { what: 'workflow commands on new lines', model: `grok-imagine-video\n${COMMANDS}` },
    { what: 'a Markdown link and @mentions', model: `grok-imagine-video ${MARKDOWN}` },
  ])('a prompts-file model with $what is refused, naming the input, before any request', async ({ model }) => {
    const run = await runAction({ jobs: [{ name: 'intro', prompt: 'A lighthouse at dusk.', model }] })
    expect(run.exitCode).toBe(1)
    expect(session.emulator.creates()).toHaveLength(0)
    expect(run.stdout).toMatch(/^::error::Input 'prompts-file' job 'intro': 'model' must be a model id/m)
    expectNoCommandFromData(run)
  })

  it('a prompts-file image URL with a line break is refused, naming the input, before any request', async () => {
    const image = `https://img.example/frame.png\n${COMMANDS}`
    const run = await runAction({ jobs: [{ name: 'intro', prompt: 'A lighthouse at dusk.', image }] })
    expect(run.exitCode).toBe(1)
    expect(session.emulator.creates()).toHaveLength(0)
    expect(run.stdout).toMatch(/^::error::Input 'prompts-file' job 'intro': 'image' holds a line break/m)
    expectNoCommandFromData(run)
  })

  it('a prompts-file image URL with Markdown and @mentions is code in the comment: no link, no mention', async () => {
    api = await startGitHubApi({ token: GH_TOKEN })
    // Markdown in the path, which is shown, and in the fragment, which is not (a URL is shown without either part).
    const image = `https://img.example/${MARKDOWN_PATH}/frame.png#${MARKDOWN}`
    const shown = `https://img.example/${MARKDOWN_PATH}/frame.png?…`
    const run = await runAction({
      jobs: [{ name: 'intro', prompt: 'A lighthouse at dusk.', image }],
      github: api,
      inputs: { 'artifact-name': 'outside-text' },
    })
    expect(run.exitCode).toBe(0)
    // Still sent as given: the provider gets the URL the file names.
    const sent = JSON.parse(session.emulator.creates()[0].body) as { image: unknown; duration: number }
    expect(sent.image).toEqual({ url: image })
    const [comment] = api.comments({ owner: 'octo-org', repo: 'films', number: 7 })
    const parameters = comment.body.split('\n').find((line) => line.startsWith('| Parameters |'))
    expect(parameters).toBe(`| Parameters | ${literal(`${sent.duration} s, first frame: ${shown}`)} |`)
    expectInert(comment.body)
    expectInert(run.summary)
    expectNoCommandFromData(run)
  })

  it('an image URL with Markdown and @mentions is code in the summary’s Parameters cell', async () => {
    const image = `https://img.example/${MARKDOWN_PATH}/frame.png#${MARKDOWN}`
    const shown = `https://img.example/${MARKDOWN_PATH}/frame.png?…`
    const run = await runAction({ inputs: { image, 'artifact-name': 'outside-text-image' } })
    expect(run.exitCode).toBe(0)
    const sent = JSON.parse(session.emulator.creates()[0].body) as { duration: number }
    const parameters = run.summary.split('\n').find((line) => line.startsWith('| Parameters |'))
    expect(parameters).toBe(`| Parameters | ${sent.duration} s, first frame: ${literal(shown)} |`)
    expectInert(run.summary)
  })

  it('a provider status word with commands and Markdown is logged inert while the job runs', async () => {
    const status = `queued ${MARKDOWN}\n${COMMANDS}`
    const run = await runAction({
      scenario: { name: 'hostile-status', poll: [() => xaiRunning(status, { progress: 5 })] },
      inputs: { 'timeout-seconds': '0.5' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.status).toBe('timeout')
    expect(run.stdout).toContain(`queued ${MARKDOWN}`)
    expectNoCommandFromData(run)
    expectInert(run.summary)
  })

  it('a provider status word with commands and Markdown is code in the summary’s Status row', async () => {
    const outer = `DONE ${MARKDOWN}\n${COMMANDS}` as CometTaskStatus
    const run = await runAction({
      scenario: { name: 'hostile-task', poll: [(ctx) => cometTask(ctx, outer, { inner: xaiDoneBody(ctx) })] },
      inputs: { 'base-url': session.emulator.cometBaseUrl, 'artifact-name': 'outside-text-status' },
    })
    expect(run.exitCode).toBe(0)
    const row = run.summary.split('\n').find((line) => line.startsWith('| Status |'))
    expect(row).toBe(`| Status | done (provider: ${literal(`${outer.toUpperCase()}/done`)}) |`)
    expectInert(run.summary)
    expectNoCommandFromData(run)
  })

  it('a provider error message with commands and Markdown: logged inert, shown as code', async () => {
    const message = `Rejected: ${MARKDOWN}\n${COMMANDS}`
    const run = await runAction({
      scenario: { name: 'hostile-error', poll: [() => xaiFailed('internal_error', message)] },
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('Rejected: @octocat')
    expectNoCommandFromData(run)
    const error = run.summary.split('\n').find((line) => line.startsWith('> **Error:**'))
    expect(error).toMatch(/^> \*\*Error:\*\* ` .* `$/)
    // The message, its lines folded, inside that one code span.
    expect(error).toContain(literal(message).slice(2, -2))
    expectInert(run.summary)
  })

  it('a request id from the provider of another form is refused: not polled, not created again, logged inert', async () => {
    const run = await runAction({
      scenario: {
        name: 'hostile-id',
        create: [() => ({ status: 200, body: { request_id: `req-1\n${COMMANDS}` } })],
        acceptUnknownIds: true,
        poll: [(ctx) => xaiDone(ctx)],
      },
    })
    expect(run.exitCode).toBe(1)
    expect(session.emulator.creates()).toHaveLength(1)
    expect(session.emulator.polls()).toHaveLength(0)
    expect(run.stdout).toMatch(/^::error::.*gave a request id of an unexpected form/m)
    expect(run.outputs['request-id'] ?? '').toBe('')
    expectNoCommandFromData(run)
    expectInert(run.summary)
  })

  it("a 'request-id' of another form is refused, naming the input, before any request", async () => {
    const run = await runAction({ inputs: { prompt: '', 'request-id': `req-1 ${MARKDOWN}` } })
    expect(run.exitCode).toBe(1)
    expect(session.emulator.requests).toHaveLength(0)
    expect(run.stdout).toMatch(/^::error::Input 'request-id' must be the id of a video job/m)
    expectNoCommandFromData(run)
  })
})

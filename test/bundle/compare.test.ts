/**
 * `compare-with-base` through the bundle: a pull request's run reads what its base commit asked for through the
 * contents API fake, finds the base's videos in the cache a run on the base filled, and shows each job as unchanged,
 * changed (before and after), new or removed. Nothing of the base is ever sent to the provider, and a base that
 * cannot be read is one warning and the comment as without a comparison.
 */
import { existsSync } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { emptyAccepted, xaiDone } from '../emulator/scenarios.ts'
import type { Scenario } from '../emulator/server.ts'
import { attachmentStore, type AttachmentStoreFake } from '../fakes/github-attachments.ts'
import { ContentsStore, type ContentsMode } from '../fakes/github-contents.ts'
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-rest.ts'
import { bundleSession } from '../harness/bundle-session.ts'
import { makeRunnerDirs, type BundleRun } from '../harness/runner.ts'

const KEY = 'sk-compare-test-0a1b2c3d4e5f6789'
const GH_TOKEN = 'ghs_compareTestToken0123456789abcdefABCD'
const OWNER = 'octo-org'
const REPO = 'films'
const PR_NUMBER = 9
const ATTACH_TOKEN = 'github_pat_11COMPARE0123456789_abcdefghijklmnopqrstuvwxyzABCDEF'
const session = bundleSession({ emulator: { apiKey: KEY }, results: true, secrets: [KEY, GH_TOKEN, ATTACH_TOKEN] })

/** Each job: one check that finds it running, then done. */
const SCENARIO: Scenario = { name: 'compare', poll: [(ctx) => (ctx.pollIndex < 1 ? emptyAccepted() : xaiDone(ctx))] }

let contents: ContentsStore
let store: AttachmentStoreFake
let github: GitHubApiFake
let runs = 0
beforeAll(async () => {
  contents = new ContentsStore()
  store = attachmentStore({ token: ATTACH_TOKEN })
  github = await startGitHubApi({ token: GH_TOKEN, contents, attachments: store })
})
afterAll(async () => {
  await github.close()
})

/** A base commit of its own for each test: its files never meet another test's. */
let shaCount = 0
const newSha = (): string => (++shaCount).toString(16).padStart(40, 'b')

interface StepOptions {
  /** Files of the workspace (the head's checkout). */
  files: Record<string, string>
  inputs: Record<string, string>
  /** `pull_request` with this base sha; `push` without one. */
  event: string
  base?: string
  /** Another step of the same workflow run (its artifacts are the run's). */
  runId?: string
}

interface Step extends BundleRun {
  creates: string[]
  contentsRequests: string[]
  comment?: string
  warnings: string[]
}

/** One step of a workflow run (its own run id, so artifact links differ), against the file's shared cache. */
async function step(options: StepOptions): Promise<Step> {
  session.emulator.setScenario(SCENARIO)
  const dirs = await makeRunnerDirs('grok-compare-')
  for (const [file, text] of Object.entries(options.files)) {
    await mkdir(path.dirname(path.join(dirs.workspace, file)), { recursive: true })
    await writeFile(path.join(dirs.workspace, file), text)
  }
  const eventPath = path.join(dirs.root, 'event.json')
  await writeFile(
    eventPath,
    JSON.stringify({
      ...(options.base ? { pull_request: { number: PR_NUMBER, base: { sha: options.base, ref: 'main' } } } : {}),
      repository: { full_name: `${OWNER}/${REPO}`, name: REPO, owner: { login: OWNER } },
    }),
  )
  const asked = contents.requests.length
  const pr = { owner: OWNER, repo: REPO, number: PR_NUMBER }
  const before = github.comments(pr).length
  const run = await session.run({
    dirs,
    inputs: {
      'api-key': KEY,
      'base-url': session.emulator.xaiBaseUrl,
      'poll-interval-seconds': '0.05',
      cache: 'true',
      'comment-on-pr': 'true',
      'github-token': GH_TOKEN,
      ...options.inputs,
    },
    env: {
      GITHUB_EVENT_NAME: options.event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_JOB: 'render',
      GITHUB_WORKFLOW_REF: `${OWNER}/${REPO}/.github/workflows/preview.yml@refs/heads/main`,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_RUN_ID: options.runId ?? String(9100 + runs++),
      GITHUB_REPOSITORY_ID: '424242',
    },
  })
  const comments = github.comments(pr)
  return {
    ...run,
    creates: session.emulator.creates().map((r) => (JSON.parse(r.body) as { prompt: string }).prompt),
    contentsRequests: contents.requests.slice(asked),
    comment: comments.length > before || options.base ? comments.at(-1)?.body : undefined,
    warnings: run.stdout.split('\n').filter((line) => line.startsWith('::warning::')),
  }
}

const PROMPTS = 'prompts.yml'
const jobsFile = (jobs: Record<string, string>): string =>
  stringify(Object.entries(jobs).map(([name, prompt]) => ({ name, prompt })))

describe('compare-with-base through the bundle', () => {
  it('a batch: one job changed, one unchanged (no create), one removed, one new, and one never generated on the base', async () => {
    const tag = 'batch'
    const base = {
      keep: `${tag}: a kite over the dunes.`,
      edit: `${tag}: a lighthouse at dusk.`,
      gone: `${tag}: a tram in the rain.`,
      never: `${tag}: a fox in the snow.`,
    }
    // The base branch's run filled the cache (all but 'never', which the base never ran).
    const seed = await step({
      files: { [PROMPTS]: jobsFile({ keep: base.keep, edit: base.edit, gone: base.gone }) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': `${tag}-main` },
      event: 'push',
    })
    expect(seed.exitCode, seed.stdout).toBe(0)
    expect(seed.contentsRequests).toEqual([])
    const sha = newSha()
    contents.put(OWNER, REPO, sha, { [PROMPTS]: jobsFile(base) })

    const head = {
      keep: base.keep,
      edit: `${tag}: a lighthouse at dawn, gulls overhead.`,
      never: `${tag}: a fox in the snow, at night.`,
      added: `${tag}: a paper boat on a puddle.`,
    }
    const run = await step({
      files: { [PROMPTS]: jobsFile(head) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': `${tag}-pr` },
      event: 'pull_request',
      base: sha,
    })
    expect(run.exitCode, run.stdout).toBe(0)
    // The unchanged job came from the cache: only the three others were created, and nothing of the base was sent.
    expect(run.creates.sort()).toEqual([head.edit, head.never, head.added].sort())
    for (const request of session.emulator.requests)
      for (const text of [base.edit, base.gone, base.never]) expect(request.body ?? '').not.toContain(text)
    expect(run.contentsRequests).toEqual([`/repos/${OWNER}/${REPO}/contents/${PROMPTS}?ref=${sha}`])
    expect(run.warnings).toEqual([])

    const body = run.comment ?? ''
    const row = (name: string) => body.split('\n').find((line) => line.startsWith(`| \` ${name} \``)) ?? ''
    expect(row('keep')).toMatch(/\| unchanged \|$/)
    expect(row('edit')).toMatch(/\| changed \|$/)
    expect(row('never')).toMatch(/\| changed \(not generated on the base\) \|$/)
    expect(row('added')).toMatch(/\| new \|$/)
    expect(body).toContain('3 new or changed: $0.15 · 1 from the cache: $0')
    // Before and after: the base's prompt and video beside the head's.
    const baseArtifact = session.results.artifacts.find((a) => a.name === `${tag}-pr-edit@base.mp4`)
    expect(baseArtifact).toBeDefined()
    const section = body.split('\n').slice(body.split('\n').indexOf('#### Before and after'))
    const pair = section.find((line) => line.startsWith('| ` edit ` | ` '))
    expect(pair).toContain(`\` ${base.edit} \`<br>[▶️ Before](`)
    expect(pair).toMatch(new RegExp(`/actions/runs/\\d+/artifacts/${baseArtifact?.id}\\)`))
    expect(pair).toContain(`\` ${head.edit} \`<br>[▶️ After](`)
    const missing = section.find((line) => line.startsWith('| ` never ` | ` '))
    expect(missing).toContain(`\` ${base.never} \`<br>not generated on the base |`)
    expect(body).toContain(`Removed (asked for by the base, not by this pull request): \` gone \` (\` ${base.gone} \`)`)
    // The base's MP4 waits under RUNNER_TEMP, never in output-dir.
    const baseDir = path.join(run.dirs.runnerTemp, 'grok-video-base')
    const restored = (await readdir(baseDir, { recursive: true })).filter((file) => file.endsWith('@base.mp4'))
    expect(restored.map((file) => path.basename(file))).toEqual([`${tag}-pr-edit@base.mp4`])
    expect((await readdir(path.join(run.dirs.runnerTemp, 'grok-video'))).some((f) => f.includes('base'))).toBe(false)
  })

  it("a single run whose prompt-file changed: the base's video before, the new one after", async () => {
    const before = 'single: a red kite over green hills.'
    const after = 'single: a red kite over green hills, in a storm.'
    const seed = await step({
      files: { 'prompts/intro.txt': before },
      inputs: { 'prompt-file': 'prompts/intro.txt', 'artifact-name': 'single-main' },
      event: 'push',
    })
    expect(seed.exitCode, seed.stdout).toBe(0)
    const sha = newSha()
    contents.put(OWNER, REPO, sha, { 'prompts/intro.txt': before })
    const run = await step({
      files: { 'prompts/intro.txt': after },
      inputs: { 'prompt-file': 'prompts/intro.txt', 'artifact-name': 'single-pr' },
      event: 'pull_request',
      base: sha,
    })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.creates).toEqual([after])
    expect(run.contentsRequests).toEqual([`/repos/${OWNER}/${REPO}/contents/prompts/intro.txt?ref=${sha}`])
    const body = run.comment ?? ''
    expect(body).toContain('| Against the base | changed |')
    expect(body).toContain('1 new or changed: $0.05 · 0 from the cache: $0')
    const pair = body.split('\n').find((line) => line.startsWith('| 1 | '))
    expect(pair).toContain(`\` ${before} \`<br>[▶️ Before](`)
    expect(pair).toContain(`\` ${after} \`<br>[▶️ After](`)
    expect(session.results.artifacts.map((a) => a.name)).toContain('single-pr@base.mp4')
  })

  it("with attachment-token, a changed job's base video is uploaded too and plays under the before-and-after table", async () => {
    const before = 'players: a heron lifts off a misty pond.'
    const after = 'players: a heron lands on a misty pond.'
    const seed = await step({
      files: { [PROMPTS]: jobsFile({ heron: before }) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': 'players-main' },
      event: 'push',
    })
    expect(seed.exitCode, seed.stdout).toBe(0)
    const sha = newSha()
    contents.put(OWNER, REPO, sha, { [PROMPTS]: jobsFile({ heron: before }) })
    const uploaded = store.uploads.length
    const run = await step({
      files: { [PROMPTS]: jobsFile({ heron: after }) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': 'players-pr', 'attachment-token': ATTACH_TOKEN },
      event: 'pull_request',
      base: sha,
    })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.warnings).toEqual([])
    // The emulator makes every video of the same bytes: the head's MP4 reuses the base's upload, by its hash.
    const [base] = store.uploads.slice(uploaded)
    expect(base).toMatchObject({ name: 'players-pr-heron@base.mp4', contentType: 'video/mp4', token: ATTACH_TOKEN })
    const lines = (run.comment ?? '').split('\n')
    const at = lines.indexOf('**` heron `**, before (the base):')
    expect(at).toBeGreaterThan(lines.indexOf('#### Before and after'))
    expect(lines.slice(at, at + 4)).toEqual(['**` heron `**, before (the base):', '', base?.url, ''])
    expect(run.comment).not.toContain(ATTACH_TOKEN)
  })

  it("a changed job's base video gets an artifact name no job can have: a job named '<job>-base' beside it clashes with nothing", async () => {
    const before = 'clash: a crane stands in the reeds.'
    const after = 'clash: a crane wades through the reeds.'
    const other = 'clash: a second crane, new in this pull request.'
    const seed = await step({
      files: { [PROMPTS]: jobsFile({ crane: before }) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': 'clash-main' },
      event: 'push',
    })
    expect(seed.exitCode, seed.stdout).toBe(0)
    const sha = newSha()
    contents.put(OWNER, REPO, sha, { [PROMPTS]: jobsFile({ crane: before }) })
    const run = await step({
      files: { [PROMPTS]: jobsFile({ crane: after, 'crane-base': other }) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': 'clash-pr' },
      event: 'pull_request',
      base: sha,
    })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.warnings).toEqual([])
    const names = session.results.artifacts.map((a) => a.name).filter((name) => name.startsWith('clash-pr'))
    expect(names.sort()).toEqual(['clash-pr-crane-base.mp4', 'clash-pr-crane.mp4', 'clash-pr-crane@base.mp4'])
    const pair = (run.comment ?? '').split('\n').find((line) => line.startsWith(`| \` crane \` | \` ${before} \``))
    expect(pair).toMatch(/\[▶️ Before\]\(https:\/\/github\.com\/.*\/artifacts\/\d+\)/)
  })

  it("another step of the run took the base artifact's name: a warning that says so, no 'Before' link, exit 0", async () => {
    const before = 'taken: a swan glides.'
    const after = 'taken: a swan takes off.'
    const seed = await step({
      files: { 'prompts/swan.txt': before },
      inputs: { 'prompt-file': 'prompts/swan.txt', 'artifact-name': 'taken-main' },
      event: 'push',
    })
    expect(seed.exitCode, seed.stdout).toBe(0)
    const runId = '9999'
    const first = await step({
      files: {},
      inputs: { prompt: 'taken: another step.', 'artifact-name': 'taken@base' },
      event: 'pull_request',
      base: newSha(),
      runId,
    })
    expect(first.exitCode, first.stdout).toBe(0)
    const sha = newSha()
    contents.put(OWNER, REPO, sha, { 'prompts/swan.txt': before })
    const run = await step({
      files: { 'prompts/swan.txt': after },
      inputs: { 'prompt-file': 'prompts/swan.txt', 'artifact-name': 'taken' },
      event: 'pull_request',
      base: sha,
      runId,
    })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.warnings).toEqual([
      "::warning::Could not upload the base's video: this workflow run already has an artifact named " +
        "'taken@base.mp4', so another step of the run uses the same 'artifact-name': give each step its own. " +
        'The comment links no video before.',
    ])
    expect(run.comment).toContain('| Against the base | changed |')
    expect(run.comment).not.toContain('▶️ Before](')
  })

  it('a single run with an inline prompt the pull request changed: no comparison (the base workflow is not read)', async () => {
    const before = 'inline: a fox trots through snow.'
    const after = 'inline: a fox trots through deep snow.'
    const seed = await step({ files: {}, inputs: { prompt: before, 'artifact-name': 'inline-main' }, event: 'push' })
    expect(seed.exitCode, seed.stdout).toBe(0)
    const run = await step({
      files: {},
      inputs: { prompt: after, 'artifact-name': 'inline-pr' },
      event: 'pull_request',
      base: newSha(),
    })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.creates).toEqual([after])
    expect(run.contentsRequests).toEqual([])
    expect(run.warnings).toEqual([])
    const body = run.comment ?? ''
    expect(body).not.toContain('Against the base')
    expect(body).not.toContain('unchanged')
    expect(body).not.toContain('Before and after')
    expect(body).toContain('1 generated: $0.05 · 0 from the cache: $0')
  })

  const huge = `- name: a\n  prompt: "${'x'.repeat(1024 * 1024)}"\n`
  it.each<{ why: string; mode?: ContentsMode; file?: string; says: RegExp }>([
    {
      why: 'contents 403',
      mode: 'forbidden',
      says: /HTTP 403, the 'github-token' may not read the repository's contents/,
    },
    { why: 'the prompts file missing at the base (404)', says: /'prompts\.yml' does not exist/ },
    { why: 'a 5xx', mode: 'server-error', says: /HTTP 502/ },
    { why: 'a 503 with Retry-After: 0 (not retried)', mode: 'busy', says: /HTTP 503/ },
    { why: 'a reset socket', mode: 'reset', says: /Could not read 'prompts\.yml' at the base/ },
    { why: 'a body that never ends', mode: 'endless', says: /larger than 1\.0 MiB/ },
    { why: 'a huge base prompts file', file: huge, says: /larger than 1\.0 MiB/ },
    { why: 'a malformed base prompts file', file: '- name: [unclosed\n', says: /not valid YAML or JSON/ },
  ])('$why: one warning, no comparison, the run as without it', async ({ mode, file, says }) => {
    const sha = newSha()
    if (file !== undefined) contents.put(OWNER, REPO, sha, { [PROMPTS]: file })
    contents.mode = mode ?? 'ok'
    const prompt = `fallback ${sha.slice(-4)}: a heron lifts off a misty pond.`
    const run = await step({
      files: { [PROMPTS]: jobsFile({ heron: prompt }) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': `fallback-${sha.slice(-4)}` },
      event: 'pull_request',
      base: sha,
    }).finally(() => (contents.mode = 'ok'))
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.outputs.status).toBe('done')
    expect(run.creates).toEqual([prompt])
    expect(run.warnings).toHaveLength(1)
    expect(run.warnings[0]).toMatch(/Not comparing with the base 'main'/)
    expect(run.warnings[0]).toMatch(says)
    expect(run.comment).toContain('1 generated: $0.05 · 0 from the cache: $0')
    expect(run.comment).not.toContain('Against the base')
    expect(run.comment).not.toContain('Before and after')
  })

  it.each<{ why: string; inputs: Record<string, string>; event: string; base?: boolean }>([
    { why: "'compare-with-base: false'", inputs: { 'compare-with-base': 'false' }, event: 'pull_request', base: true },
    { why: "'cache: false'", inputs: { cache: 'false' }, event: 'pull_request', base: true },
    { why: 'a push event', inputs: {}, event: 'push' },
  ])('$why: no contents request at all', async ({ inputs, event, base }) => {
    const sha = newSha()
    contents.put(OWNER, REPO, sha, { [PROMPTS]: jobsFile({ owl: 'off: an owl blinks.' }) })
    const prompt = `off ${sha.slice(-4)}: an owl blinks twice.`
    const run = await step({
      files: { [PROMPTS]: jobsFile({ owl: prompt }) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': `off-${sha.slice(-4)}`, ...inputs },
      event,
      ...(base ? { base: sha } : {}),
    })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.contentsRequests).toEqual([])
    expect(run.creates).toEqual([prompt])
    if (run.comment) expect(run.comment).not.toContain('Against the base')
  })

  it('a base that names a file outside the repository: refused unread, one warning', async () => {
    const sha = newSha()
    contents.put(OWNER, REPO, sha, {
      [PROMPTS]: stringify([{ name: 'owl', 'prompt-file': '../../etc/passwd' }]),
    })
    const prompt = 'escape: an owl blinks.'
    const run = await step({
      files: { [PROMPTS]: jobsFile({ owl: prompt }) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': 'escape' },
      event: 'pull_request',
      base: sha,
    })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.contentsRequests).toEqual([`/repos/${OWNER}/${REPO}/contents/${PROMPTS}?ref=${sha}`])
    expect(run.warnings).toHaveLength(1)
    expect(run.warnings[0]).toMatch(/'\.\.\/\.\.\/etc\/passwd' leads out of the (workspace|repository)/)
    expect(existsSync(path.join(run.dirs.runnerTemp, 'grok-video-base'))).toBe(false)
  })

  it("a comment too long with the removed jobs' names: they are counted, the note says so, and nothing else", async () => {
    // Six changed jobs whose first-frame URLs (never shortened) fill most of the comment, and 94 jobs only the base
    // has: their names no longer fit, their number does.
    const wide = (i: number): string => `https://cdn.example.com/${'frames/'.repeat(1450)}${i}.png`
    const head = Array.from({ length: 6 }, (_, i) => ({
      name: `wide-${i}`,
      prompt: `fit: a new shot ${i}.`,
      image: wide(i),
    }))
    const gone = Array.from({ length: 94 }, (_, i) => ({
      name: `gone-${'x'.repeat(54)}-${i}`,
      prompt: `fit: gone ${i}.`,
    }))
    const sha = newSha()
    contents.put(OWNER, REPO, sha, {
      [PROMPTS]: stringify([...head.map(({ name }, i) => ({ name, prompt: `fit: an old shot ${i}.` })), ...gone]),
    })
    const run = await step({
      files: { [PROMPTS]: stringify(head) },
      inputs: { 'prompts-file': PROMPTS, 'artifact-name': 'fit' },
      event: 'pull_request',
      base: sha,
    })
    expect(run.exitCode, run.stdout).toBe(0)
    const body = run.comment ?? ''
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(
      body.split('\n').filter((line) => /^\| ` wide-\d ` .*\| changed \(not generated on the base\) \|$/.test(line)),
    ).toHaveLength(6)
    expect(body).toContain('#### Before and after')
    expect(body).toContain('Removed (asked for by the base, not by this pull request): 94 jobs.')
    expect(body).not.toContain('` gone-')
    expect(body).toContain(
      "<sub>the 94 removed jobs are only counted here, to keep this comment within GitHub's size limit.</sub>",
    )
  })
})

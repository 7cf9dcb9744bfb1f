/**
 * `npm run demo -- pr`: what a reviewer sees on a pull request that changes a prompts file. A first run on the base
 * branch (a push to main) fills the cache; the pull request then changes one job, keeps one, drops one and adds one.
 * The bundle runs both against the API emulator, the artifact and cache service fake and the GitHub REST fake (its
 * contents API holds the base commit's files, its attachment store the videos that play inside the comment), and the
 * comment it wrote is printed. No key, no network.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { stringify } from 'yaml'
import { startEmulator } from '../test/emulator/server.ts'
import { attachmentStore } from '../test/fakes/github-attachments.ts'
import { ContentsStore } from '../test/fakes/github-contents.ts'
import { startGitHubApi } from '../test/fakes/github-rest.ts'
import { startResultsService } from '../test/fakes/results-service.ts'
import { makeRunnerDirs, runBundle, type BundleRun } from '../test/harness/runner.ts'

const OWNER = 'octo-org'
const REPO = 'films'
const PR = { owner: OWNER, repo: REPO, number: 42 }
/** A person's token for GitHub's attachment store (the fake's), so the videos play inside the comment. */
const ATTACHMENT_TOKEN = 'github_pat_11DEMO0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'
const BASE_SHA = '5f0c6b1e2d3a4958677a8b9c0d1e2f3a4b5c6d7e'
const BASE_JOBS = [
  { name: 'intro', prompt: 'A paper boat drifts down a rainy street at dusk.' },
  { name: 'outro', prompt: 'The boat reaches a calm harbour at night, lanterns on the water.' },
  { name: 'credits', prompt: 'Titles over a slow pan across wet cobblestones.' },
]
const HEAD_JOBS = [
  { name: 'intro', prompt: 'A paper boat drifts down a rainy street at dawn, gulls overhead.' },
  BASE_JOBS[1],
  { name: 'teaser', prompt: 'A paper boat spins in a puddle, seen from above.' },
]

/** Runs the demo; the exit code of the pull request's run. */
export async function demoPullRequest(): Promise<number> {
  const emulator = await startEmulator({ scenario: 'xai-done' })
  const results = await startResultsService()
  const contents = new ContentsStore()
  const store = attachmentStore({ token: ATTACHMENT_TOKEN })
  const github = await startGitHubApi({ contents, attachments: store })
  try {
    contents.put(OWNER, REPO, BASE_SHA, { 'prompts.yml': stringify(BASE_JOBS) })
    const step = async (event: string, jobs: typeof BASE_JOBS, artifactName: string): Promise<BundleRun> => {
      emulator.setScenario('xai-done')
      const dirs = await makeRunnerDirs('grok-demo-pr-')
      await writeFile(path.join(dirs.workspace, 'prompts.yml'), stringify(jobs))
      const eventPath = path.join(dirs.root, 'event.json')
      await mkdir(path.dirname(eventPath), { recursive: true })
      await writeFile(
        eventPath,
        JSON.stringify({
          ...(event === 'pull_request'
            ? { pull_request: { number: PR.number, base: { sha: BASE_SHA, ref: 'main' } } }
            : {}),
          repository: { full_name: `${OWNER}/${REPO}`, name: REPO, owner: { login: OWNER } },
        }),
      )
      return runBundle({
        dirs,
        inputs: {
          'api-key': emulator.apiKey,
          'base-url': emulator.xaiBaseUrl,
          'poll-interval-seconds': '0.05',
          'prompts-file': 'prompts.yml',
          cache: 'true',
          'comment-on-pr': 'true',
          'github-token': github.token,
          'artifact-name': artifactName,
          ...(event === 'pull_request' ? { 'attachment-token': ATTACHMENT_TOKEN } : {}),
          // No GIF here: with a place to show one, 'auto' would fetch ffmpeg (docs/previews.md); `npm run demo` shows it.
          preview: 'false',
        },
        env: {
          ...results.env,
          GITHUB_EVENT_NAME: event,
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_API_URL: github.apiUrl,
          GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
          GITHUB_REPOSITORY_ID: '424242',
          GITHUB_JOB: 'preview',
          GITHUB_RUN_ID: event === 'push' ? '5001' : '5002',
        },
      })
    }

    console.log(
      `The base branch 'main' (${BASE_SHA.slice(0, 7)}) asks for: ${BASE_JOBS.map((j) => j.name).join(', ')}.`,
    )
    const seed = await step('push', BASE_JOBS, 'main')
    console.log(
      `A push to main filled the cache: exit code ${seed.exitCode}, ${emulator.creates().length} videos generated.\n`,
    )

    console.log('The pull request changes intro, keeps outro, removes credits and adds teaser.')
    const run = await step('pull_request', HEAD_JOBS, 'preview')
    const made = emulator
      .creates()
      .map((r) => HEAD_JOBS.find((job) => job.prompt === (JSON.parse(r.body) as { prompt: string }).prompt)?.name)
    console.log(
      `Its run: exit code ${run.exitCode}; the provider was asked for ${made.sort().join(' and ')} only (outro came from ` +
        "the cache; nothing of the base was sent); the base's files were read through the contents API: " +
        `${contents.requests.join(', ')}.`,
    )
    for (const line of run.stdout.split('\n').filter((l) => /^::(warning|error)::/.test(l))) console.log(line)
    const comment = github.comments(PR).at(-1)
    console.log('\nThe pull request comment a reviewer sees (Markdown):\n')
    console.log(
      (comment?.body ?? '(no comment was written)')
        .split('\n')
        .map((line) => `  ${line}`.trimEnd())
        .join('\n'),
    )
    console.log(`\nUploaded to the attachment store: ${store.uploads.map((u) => `${u.name} → ${u.url}`).join(', ')}`)
    console.log(
      `Artifacts of the pull request's run: ${results.artifacts
        .filter((a) => a.name.startsWith('preview-'))
        .map((a) => a.name)
        .join(', ')}`,
    )
    return run.exitCode ?? 1
  } finally {
    await emulator.close()
    await results.close()
    await github.close()
  }
}

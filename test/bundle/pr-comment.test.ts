/**
 * The pull-request comment through the real bundle, against the GitHub REST fake, and the masking of the key and the
 * token before the step prints anything else.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { json, xaiDoneBody, xaiFailed } from '../emulator/scenarios.ts'
import { type Scenario } from '../emulator/server.ts'
import { commentMarker, legacyCommentMarker } from '../../src/pr-comment.js'
import { BOT_LOGIN, startGitHubApi, type GitHubApiFake, type GitHubApiOptions } from '../fakes/github-rest.ts'
import { KEY, GH_TOKEN, PR, WORKFLOW_FILE, clips, runAction, annotations, entriesOf, finishing } from './action-run.ts'

describe('comment-on-pr through the bundle', () => {
  let api: GitHubApiFake | undefined
  afterEach(async () => {
    const running = api
    api = undefined
    try {
      // What the action wrote to GitHub holds no secret either.
      for (const request of running?.requests ?? [])
        for (const secret of [KEY, GH_TOKEN]) expect(request.body).not.toContain(secret)
    } finally {
      await running?.close()
    }
  })
  const startApi = async (options: GitHubApiOptions = {}): Promise<GitHubApiFake> =>
    (api = await startGitHubApi({ token: GH_TOKEN, ...options }))

  const commenting = { 'comment-on-pr': 'true', 'github-token': GH_TOKEN, 'artifact-name': 'preview' }
  const quick: Scenario = { name: 'quick', poll: [finishing(1)] }
  // A GraphQL query (who the token is) only reads.
  const writes = (fake: GitHubApiFake): string[] =>
    fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql').map((r) => r.method)

  it('the first run adds one comment with the request id and a link to the artifact; the next run edits it', async () => {
    const fake = await startApi()
    const first = await runAction({ scenario: quick, inputs: commenting, github: { api: fake, event: 'pull_request' } })
    expect(first.exitCode).toBe(0)
    const [created] = fake.comments(PR)
    expect(fake.comments(PR)).toHaveLength(1)
    expect(created?.body).toContain(first.outputs['request-id'])
    expect(created?.body).toContain(`](${first.outputs['artifact-url']})`)
    expect(writes(fake)).toEqual(['POST'])
    for (const request of fake.requests)
      expect(request.headers.authorization).toMatch(new RegExp(`^(token|bearer) ${GH_TOKEN}$`, 'i'))

    const second = await runAction({
      scenario: quick,
      inputs: commenting,
      github: { api: fake, event: 'pull_request' },
    })
    expect(second.exitCode).toBe(0)
    expect(second.outputs['request-id']).not.toBe(first.outputs['request-id'])
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.id).toBe(created?.id)
    expect(comments[0]?.body).toContain(second.outputs['request-id'])
    expect(comments[0]?.body).toContain(`](${second.outputs['artifact-url']})`)
    expect(comments[0]?.body).not.toContain(first.outputs['request-id'])
    expect(writes(fake)).toEqual(['POST', 'PATCH'])
  })

  it('prompt and provider text stay inert: code in the summary and the comment, no tag, emphasis or @mention', async () => {
    const fake = await startApi()
    const hostile = '<img src=x> | *loud* @someone'
    const run = await runAction({
      scenario: { name: 'hostile', poll: [() => xaiFailed('internal_error', `Rejected: ${hostile}`)] },
      inputs: { ...commenting, prompt: hostile },
      github: { api: fake, event: 'pull_request' },
    })
    expect(run.exitCode).toBe(1)
    const [comment] = fake.comments(PR)
    const escaped = '<img src=x> \\| *loud* @someone'
    expect(run.summary).toContain(`| Prompt | \` ${escaped} \` |`)
    const errorLine = run.summary.split('\n').find((line) => line.startsWith('> **Error:**'))
    expect(errorLine).toMatch(/^> \*\*Error:\*\* ` .* `$/)
    expect(errorLine).toContain(`Rejected: ${escaped}`)
    expect(comment?.body).toContain(`| Prompt | \` ${escaped} \` |`)
    for (const markdown of [run.summary, comment?.body ?? '']) {
      // Outside code spans (which GitHub shows as typed) none of it is left to render.
      const rendered = markdown.replace(/` [^`]* `/g, 'CODE')
      for (const piece of ['<img', '*loud*', '@someone']) expect(rendered).not.toContain(piece)
      for (const row of markdown.split('\n').filter((line) => line.startsWith('| Prompt')))
        expect(row.split(/(?<!\\)\|/)).toHaveLength(4)
    }
  })

  it("edits only its own workflow's comment, written by its own identity; a pasted marker is left alone", async () => {
    const marker = commentMarker(WORKFLOW_FILE, 'render', 'preview')
    const pasted = [
      `${marker}\nSomeone copied the marker.`,
      `${legacyCommentMarker('render', 'preview')}\nSomeone copied the old marker.`,
    ]
    const fake = await startApi({ seed: pasted.map((body) => ({ ...PR, body, login: 'octocat' })) })
    const github = { api: fake, event: 'pull_request' }
    const first = await runAction({ scenario: quick, inputs: commenting, github })
    const nightly = '.github/workflows/nightly.yml'
    const other = await runAction({ scenario: quick, inputs: commenting, github: { ...github, workflow: nightly } })
    const again = await runAction({ scenario: quick, inputs: commenting, github })
    for (const run of [first, other, again]) expect(run.exitCode).toBe(0)

    const comments = fake.comments(PR)
    expect(comments.map((c) => c.body).slice(0, 2)).toEqual(pasted)
    expect(comments.slice(2).map((c) => c.user.login)).toEqual([BOT_LOGIN, BOT_LOGIN])
    expect(comments[2]?.body.startsWith(marker)).toBe(true)
    expect(comments[2]?.body).toContain(again.outputs['request-id'])
    expect(comments[3]?.body.startsWith(commentMarker(nightly, 'render', 'preview'))).toBe(true)
    expect(comments[3]?.body).toContain(other.outputs['request-id'])
    expect(writes(fake)).toEqual(['POST', 'POST', 'PATCH'])
  })

  it("a batch refused up front by 'max-cost-usd': the previous push's comment is updated to say so, with the estimate; nothing created", async () => {
    const fake = await startApi()
    const jobs = clips(2)
    const github = { api: fake, event: 'pull_request' }
    const first = await runAction({ scenario: quick, jobs, inputs: commenting, github })
    expect(first.exitCode).toBe(0)
    const [before] = fake.comments(PR)
    const refused = await runAction({
      scenario: quick,
      jobs: clips(3),
      inputs: { ...commenting, 'max-cost-usd': '0.01' },
      github,
    })
    expect(refused.exitCode).toBe(1)
    expect(refused.requests.filter((r) => r.method === 'POST')).toEqual([])
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.id).toBe(before?.id)
    const body = comments[0]?.body ?? ''
    expect(body).toContain('### 🎬 Grok video preview: refused')
    expect(body).toMatch(
      /The batch's estimated total, \$0\.\d+ for 3 jobs, exceeds 'max-cost-usd' \(\$0\.01\): nothing was sent/,
    )
    expect(body).not.toContain(first.outputs['request-id'] || entriesOf(first)[0]['request-id'])
    expect(writes(fake)).toEqual(['POST', 'PATCH'])
  })

  it("a batch refused by 'max-cost-usd' on a push: no comment, no request to GitHub", async () => {
    const fake = await startApi()
    const refused = await runAction({
      scenario: quick,
      jobs: clips(2),
      inputs: { ...commenting, 'max-cost-usd': '0.01' },
      github: { api: fake, event: 'push' },
    })
    expect(refused.exitCode).toBe(1)
    expect(fake.requests).toEqual([])
  })

  it("a single run refused by 'max-cost-usd': the previous push's comment is updated to say so, with the estimate; nothing created", async () => {
    const fake = await startApi()
    const github = { api: fake, event: 'pull_request' }
    const first = await runAction({ scenario: quick, inputs: commenting, github })
    expect(first.exitCode).toBe(0)
    const [before] = fake.comments(PR)
    expect(before?.body).toContain(first.outputs['request-id'])
    const refused = await runAction({ scenario: quick, inputs: { ...commenting, 'max-cost-usd': '0.01' }, github })
    expect(refused.exitCode).toBe(1)
    expect(refused.outputs['request-id'] ?? '').toBe('')
    expect(refused.requests.filter((r) => r.method === 'POST')).toEqual([])
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.id).toBe(before?.id)
    const body = comments[0]?.body ?? ''
    expect(body).toContain('### 🎬 Grok video preview: refused')
    expect(body).toMatch(/The estimated cost, \$0\.\d+ \(.+\), exceeds 'max-cost-usd' \(\$0\.01\): nothing was sent/)
    expect(body).not.toContain(first.outputs['request-id'])
    expect(writes(fake)).toEqual(['POST', 'PATCH'])
  })

  it("a single run refused by 'max-cost-usd' on a push: no comment, no request to GitHub", async () => {
    const fake = await startApi()
    const refused = await runAction({
      scenario: quick,
      inputs: { ...commenting, 'max-cost-usd': '0.01' },
      github: { api: fake, event: 'push' },
    })
    expect(refused.exitCode).toBe(1)
    expect(refused.requests.filter((r) => r.method === 'POST')).toEqual([])
    expect(fake.requests).toEqual([])
  })

  it('a batch gets one comment with a row per job', async () => {
    const fake = await startApi()
    const jobs = clips(3)
    const run = await runAction({
      scenario: quick,
      jobs,
      inputs: commenting,
      github: { api: fake, event: 'pull_request' },
    })
    expect(run.exitCode).toBe(0)
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(1)
    const body = comments[0]?.body
    expect(body).toContain('3 of 3 done')
    const entries = entriesOf(run)
    const rows = body.split('\n').filter((line) => line.startsWith('| ` clip-'))
    expect(rows).toHaveLength(jobs.length)
    for (const [i, entry] of entries.entries()) {
      expect(rows[i]).toContain(`\` ${entry.name} \``)
      expect(rows[i]).toContain(entry['request-id'])
      expect(rows[i]).toContain(`](${entry['artifact-url']})`)
    }
    expect(writes(fake)).toEqual(['POST'])
  })

  it('a video the provider did not price (no usage): the cost line shows the estimate, marked so, not $0', async () => {
    const fake = await startApi()
    const unpriced: Scenario = {
      name: 'unpriced',
      poll: [
        (ctx) => {
          const { usage: _, ...body } = xaiDoneBody(ctx)
          return json(200, body)
        },
      ],
    }
    const run = await runAction({
      scenario: unpriced,
      inputs: commenting,
      github: { api: fake, event: 'pull_request' },
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['cost-usd']).toBe('')
    expect(run.outputs['estimated-cost-usd']).toBe('0.05')
    const body = fake.comments(PR)[0]?.body ?? ''
    expect(body).toContain('1 generated: ≈ $0.05 estimated · 0 from the cache: $0')
    expect(body).not.toContain('1 generated: $0 ')
  })

  it.each([
    {
      why: 'a push event: no request to GitHub, a notice',
      event: 'push',
      options: {},
      kind: 'notice' as const,
      says: /not for a pull request \(event 'push'\): no comment/,
      reachesGitHub: false,
    },
    {
      why: "a fork's read-only token: a warning",
      event: 'pull_request',
      options: { readOnly: true },
      kind: 'warning' as const,
      says: /HTTP 403.*'pull-requests: write'.*fork/,
      reachesGitHub: true,
    },
  ])('$why; the video is still done and the step succeeds', async ({ event, options, kind, says, reachesGitHub }) => {
    const fake = await startApi(options)
    const run = await runAction({ scenario: quick, inputs: commenting, github: { api: fake, event } })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('done')
    expect(annotations(run, 'error')).toEqual([])
    expect(annotations(run, kind).filter((line) => says.test(line))).toHaveLength(1)
    expect(fake.comments(PR)).toEqual([])
    expect(fake.requests.length > 0).toBe(reachesGitHub)
  })
})

// ---------------------------------------------------------------------------------------------------------
// Secrets

describe('secrets', () => {
  it('the API key and the GitHub token are masked before the step prints anything else', async () => {
    const github = await startGitHubApi({ token: GH_TOKEN })
    try {
      const run = await runAction({
        scenario: { name: 'quick', poll: [finishing(1)] },
        inputs: { 'comment-on-pr': 'true', 'github-token': GH_TOKEN },
        github: { api: github, event: 'pull_request' },
      })
      expect(run.exitCode).toBe(0)
      expect(github.comments(PR)).toHaveLength(1)
      const first = run.stdout.split('\n').slice(0, 2)
      expect(first.sort()).toEqual([`::add-mask::${GH_TOKEN}`, `::add-mask::${KEY}`].sort())
    } finally {
      await github.close()
    }
  })
})

describe('public-url in the comment, through the bundle', () => {
  let fake: GitHubApiFake | undefined
  afterEach(async () => {
    await fake?.close()
    fake = undefined
  })
  const commenting = { 'comment-on-pr': 'true', 'github-token': GH_TOKEN, 'artifact-name': 'preview' }
  const quick: Scenario = { name: 'quick', poll: [finishing(1)] }

  it('links the public URL of a video in the comment: one video, and each job of a batch', async () => {
    const api = (fake = await startGitHubApi({ token: GH_TOKEN }))
    const single = await runAction({
      scenario: quick,
      inputs: { ...commenting, 'public-url': 'true' },
      github: { api, event: 'pull_request' },
    })
    expect(single.exitCode).toBe(0)
    const url = single.outputs['public-url']
    expect(url).toMatch(/^https:\/\/files\.example\.com\/file-[^/]+\/preview\.mp4$/)
    expect(api.comments(PR)[0]?.body).toContain(`| Public URL | [🔗 Public copy](${url}) |`)

    const batch = await runAction({
      scenario: quick,
      jobs: clips(2),
      inputs: { ...commenting, 'public-url': 'true' },
      github: { api, event: 'pull_request' },
    })
    expect(batch.exitCode).toBe(0)
    const body = api.comments(PR)[0]?.body ?? ''
    for (const entry of entriesOf(batch)) {
      expect(entry['public-url']).toMatch(/^https:\/\/files\.example\.com\//)
      expect(body).toContain(`[🔗 Public](${entry['public-url']})`)
    }
  })
})

// The PR preview comment: the event parsing, the marker, the Markdown, and create-or-update driven through the
// real @actions/github client against a loopback fake of the GitHub REST API.

import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  commentMarker,
  JOB_TOKEN_LOGIN,
  legacyCommentMarker,
  pullRequestFromEvent,
  upsertPullRequestComment,
  workflowOf,
  type PullRequestRef,
} from '../src/pr-comment.ts'
import { COMMENT_LIMIT, renderComment, type CommentRow } from '../src/pr-comment-body.ts'
import { PullRequestCommentError } from '../src/errors.js'
import {
  BOT_LOGIN,
  COMMENT_BODY_LIMIT,
  startGitHubApi,
  type GitHubApiFake,
  type GitHubApiOptions,
} from './fakes/github-rest.ts'

const TOKEN = 'ghs_prCommentTestToken9f8e7d6c5b4a'
const PR: PullRequestRef = { owner: 'octo-org', repo: 'films', number: 42 }
const WORKFLOW = '.github/workflows/preview.yml'
const MARKER = commentMarker(WORKFLOW, 'render', undefined)

const row = (overrides: Partial<CommentRow> = {}): CommentRow => ({
  prompt: 'A candle flickers on a wooden table.',
  parameters: '5 s, 16:9, 720p',
  status: 'done',
  costUsd: '0.05',
  costTicks: 500_000_000,
  requestId: 'req-0001',
  videoUrl: 'https://github.com/octo-org/films/actions/runs/7/artifacts/99',
  ...overrides,
})

let api: GitHubApiFake | undefined
afterEach(async () => {
  const running = api
  api = undefined
  await running?.close()
})

async function startApi(options: GitHubApiOptions = {}): Promise<GitHubApiFake> {
  api = await startGitHubApi({ token: TOKEN, ...options })
  return api
}

const LEGACY = legacyCommentMarker('render', undefined)

function upsert(fake: GitHubApiFake, body: string, marker = MARKER, token = TOKEN) {
  const log: string[] = []
  const result = upsertPullRequestComment({
    token,
    apiUrl: fake.apiUrl,
    pr: PR,
    marker,
    legacyMarker: LEGACY,
    body,
    log: (m) => log.push(m),
  })
  return { result, log }
}

async function failureOf(promise: Promise<unknown>): Promise<PullRequestCommentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(PullRequestCommentError)
  return error as PullRequestCommentError
}

/** Everything an error could show in a log: message, stack, and its inspected form (own properties, cause). */
const printed = (error: Error): string => `${error.message}\n${error.stack}\n${inspect(error, { depth: 10 })}`

/** The methods of the requests that change something (a GraphQL query only reads). */
const writes = (fake: GitHubApiFake): string[] =>
  fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql').map((r) => r.method)

describe('upsertPullRequestComment', () => {
  it('creates the comment on the first run, with the token in the Authorization header', async () => {
    const fake = await startApi()
    const body = renderComment(MARKER, [row()])
    const { result, log } = upsert(fake, body)

    const created = await result
    expect(created.action).toBe('created')
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0]).toMatchObject({ id: created.id, html_url: created.url, body, user: { login: BOT_LOGIN } })
    expect(writes(fake)).toEqual(['POST'])
    expect(fake.requests[0].headers.authorization).toMatch(new RegExp(`^(token|bearer) ${TOKEN}$`, 'i'))
    expect(log.join('\n')).toContain(created.url)
  })

  it('updates the same comment on a re-run (a PATCH, and still exactly one comment)', async () => {
    const fake = await startApi()
    const first = await upsert(fake, renderComment(MARKER, [row({ status: 'pending' })])).result
    const secondBody = renderComment(MARKER, [row({ requestId: 'req-0002' })])
    const second = await upsert(fake, secondBody).result

    expect(second).toEqual({ id: first.id, url: first.url, action: 'updated' })
    expect(writes(fake)).toEqual(['POST', 'PATCH'])
    expect(fake.requests.at(-1)!.path).toBe(`/repos/${PR.owner}/${PR.repo}/issues/comments/${first.id}`)
    expect(fake.comments(PR).map((c) => c.body)).toEqual([secondBody])
  })

  it('adds a second comment for another step of the job (another artifact-name)', async () => {
    const fake = await startApi()
    const firstBody = renderComment(MARKER, [row()])
    await upsert(fake, firstBody).result
    const otherMarker = commentMarker(WORKFLOW, 'render', 'teaser')
    const other = await upsert(fake, renderComment(otherMarker, [row()]), otherMarker).result

    expect(other.action).toBe('created')
    expect(fake.comments(PR)).toHaveLength(2)
    expect(fake.comments(PR)[0].body).toBe(firstBody)
  })

  it('leaves alone a comment that quotes the marker but does not start with it', async () => {
    const quoted = `Why does the bot write \`${MARKER}\` at the top of its comment?`
    const fake = await startApi({ seed: [{ ...PR, body: quoted }] })
    const result = await upsert(fake, renderComment(MARKER, [row()])).result

    expect(result.action).toBe('created')
    expect(fake.comments(PR).map((c) => c.body)).toEqual([quoted, renderComment(MARKER, [row()])])
  })

  it('finds its comment on the second page of a long thread (150 comments, 100 per page)', async () => {
    const markedIndex = 120
    const seed = Array.from({ length: 150 }, (_, i) => ({
      ...PR,
      body: i === markedIndex ? renderComment(MARKER, [row({ status: 'pending' })]) : `Comment ${i}`,
      login: i === markedIndex ? BOT_LOGIN : 'octocat',
    }))
    const fake = await startApi({ seed })
    const markedId = fake.comments(PR)[markedIndex].id
    const body = renderComment(MARKER, [row()])

    const result = await upsert(fake, body).result

    expect(result).toMatchObject({ id: markedId, action: 'updated' })
    const listed = fake.requests
      .filter((r) => r.method === 'GET' && r.path.includes('/comments'))
      .map((r) => new URL(r.path, fake.apiUrl).searchParams)
    expect(listed.map((q) => [q.get('per_page'), q.get('page') ?? '1'])).toEqual([
      ['100', '1'],
      ['100', '2'],
    ])
    expect(fake.comments(PR)).toHaveLength(150)
    expect(fake.comments(PR)[markedIndex].body).toBe(body)
  })

  it("edits only a comment written by the token's identity: a person's comment with the marker is left alone", async () => {
    const planted = renderComment(MARKER, [row({ requestId: 'req-planted' })])
    const fake = await startApi({ seed: [{ ...PR, body: planted, login: 'octocat' }] })
    const body = renderComment(MARKER, [row()])
    const result = await upsert(fake, body).result

    expect(result.action).toBe('created')
    expect(fake.comments(PR).map((c) => [c.user.login, c.body])).toEqual([
      ['octocat', planted],
      [JOB_TOKEN_LOGIN, body],
    ])
    // The job token may not call GET /user; the action asked once, then wrote as github-actions[bot].
    expect(fake.requests.filter((r) => r.path === '/user')).toHaveLength(1)
  })

  it("a personal token: GET /user names the identity; its comment is edited, the bot's with the same marker is not", async () => {
    const botBody = renderComment(MARKER, [row({ requestId: 'req-bot' })])
    const mineBody = renderComment(MARKER, [row({ requestId: 'req-mine' })])
    const fake = await startApi({
      user: 'release-captain',
      seed: [
        { ...PR, body: botBody, login: JOB_TOKEN_LOGIN },
        { ...PR, body: mineBody, login: 'release-captain' },
      ],
    })
    const [bot, mine] = fake.comments(PR)
    const body = renderComment(MARKER, [row()])
    const result = await upsert(fake, body).result

    expect(result).toMatchObject({ id: mine?.id, action: 'updated' })
    expect(fake.comments(PR).map((c) => [c.id, c.body])).toEqual([
      [bot?.id, botBody],
      [mine?.id, body],
    ])
  })

  it("a GitHub App's installation token, run twice, keeps one comment (GraphQL's viewer names the app)", async () => {
    const fake = await startApi({ app: 'film-previews' })
    const first = await upsert(fake, renderComment(MARKER, [row({ status: 'pending' })])).result
    const body = renderComment(MARKER, [row({ requestId: 'req-0002' })])
    const second = await upsert(fake, body).result

    expect(first.action).toBe('created')
    expect(second).toEqual({ id: first.id, url: first.url, action: 'updated' })
    expect(fake.comments(PR).map((c) => [c.user.login, c.body])).toEqual([['film-previews[bot]', body]])
    expect(writes(fake)).toEqual(['POST', 'PATCH'])
  })

  it("a GitHub App's token leaves alone the marker planted by a person, by another app and by the job's bot", async () => {
    const planted = [
      { login: 'octocat', body: renderComment(MARKER, [row({ requestId: 'req-person' })]) },
      { login: 'other-app[bot]', body: renderComment(MARKER, [row({ requestId: 'req-other-app' })]) },
      { login: BOT_LOGIN, body: renderComment(MARKER, [row({ requestId: 'req-job-token' })]) },
    ]
    const fake = await startApi({ app: 'film-previews', seed: planted.map((p) => ({ ...PR, ...p })) })
    const body = renderComment(MARKER, [row()])
    const result = await upsert(fake, body).result

    expect(result.action).toBe('created')
    expect(fake.comments(PR).map((c) => [c.user.login, c.user.type, c.body])).toEqual([
      ['octocat', 'User', planted[0]?.body],
      ['other-app[bot]', 'Bot', planted[1]?.body],
      [BOT_LOGIN, 'Bot', planted[2]?.body],
      ['film-previews[bot]', 'Bot', body],
    ])
    expect(writes(fake)).toEqual(['POST'])
  })

  it("when GraphQL is refused too, the token is taken for the job's bot: its comment is edited, no other", async () => {
    const planted = renderComment(MARKER, [row({ requestId: 'req-other-app' })])
    const fake = await startApi({
      viewerRefused: true,
      seed: [
        { ...PR, body: planted, login: 'other-app[bot]' },
        { ...PR, body: renderComment(MARKER, [row({ status: 'pending' })]), login: BOT_LOGIN },
      ],
    })
    const mine = fake.comments(PR)[1]
    const body = renderComment(MARKER, [row()])
    const result = await upsert(fake, body).result

    expect(result).toMatchObject({ id: mine?.id, action: 'updated' })
    expect(fake.comments(PR).map((c) => c.body)).toEqual([planted, body])
    expect(fake.requests.filter((r) => r.path === '/graphql')).toHaveLength(1)
  })

  it('a comment with the old marker (no workflow) by the same identity is adopted once, not duplicated', async () => {
    const oldBody = renderComment(LEGACY, [row({ requestId: 'req-old' })])
    const strangersOld = renderComment(LEGACY, [row({ requestId: 'req-stranger' })])
    const fake = await startApi({
      seed: [
        { ...PR, body: strangersOld, login: 'octocat' },
        { ...PR, body: oldBody, login: JOB_TOKEN_LOGIN },
      ],
    })
    const [stranger, old] = fake.comments(PR)

    // This workflow takes over its old comment: the body now opens with the new marker.
    const first = await upsert(fake, renderComment(MARKER, [row({ requestId: 'req-1' })])).result
    expect(first).toMatchObject({ id: old?.id, action: 'updated' })
    // A second workflow with the same job id and artifact name finds no old comment left: it adds its own.
    const otherMarker = commentMarker('.github/workflows/nightly.yml', 'render', undefined)
    const other = await upsert(fake, renderComment(otherMarker, [row({ requestId: 'req-2' })]), otherMarker).result
    expect(other.action).toBe('created')
    // The first workflow's next run edits the comment it adopted.
    const again = await upsert(fake, renderComment(MARKER, [row({ requestId: 'req-3' })])).result
    expect(again).toMatchObject({ id: old?.id, action: 'updated' })

    const comments = fake.comments(PR)
    expect(comments).toHaveLength(3)
    expect(comments[0]).toMatchObject({ id: stranger?.id, body: strangersOld })
    expect(comments[1]?.body.startsWith(MARKER)).toBe(true)
    expect(comments[1]?.body).toContain('req-3')
    expect(comments[2]?.body.startsWith(otherMarker)).toBe(true)
    expect(writes(fake)).toEqual(['PATCH', 'POST', 'PATCH'])
  })

  it('explains a read-only token (forked PR): the permission to add and why forks cannot comment', async () => {
    const fake = await startApi({ readOnly: true })
    const error = await failureOf(upsert(fake, renderComment(MARKER, [row()])).result)

    expect(error.httpStatus).toBe(403)
    expect(error.message).toContain(`Could not add a comment on pull request ${PR.owner}/${PR.repo}#${PR.number}`)
    expect(error.message).toContain('Resource not accessible by integration')
    expect(error.message).toContain('pull-requests: write')
    expect(error.message).toMatch(/fork.*read-only token/)
    expect(fake.comments(PR)).toEqual([])
  })

  it('says which update failed when the existing comment cannot be edited', async () => {
    const fake = await startApi({
      readOnly: true,
      seed: [{ ...PR, body: renderComment(MARKER, [row()]), login: BOT_LOGIN }],
    })
    const id = fake.comments(PR)[0].id
    const error = await failureOf(upsert(fake, renderComment(MARKER, [row({ status: 'failed' })])).result)

    expect(error.message).toContain(`Could not update comment ${id}`)
    expect(error.message).toContain('pull-requests: write')
  })

  it.each([
    ['a refused token (401)', { token: 'ghs_wrongTokenAbcdef123456' }, 401, /invalid or has expired/],
    ['a read-only token (403)', { readOnly: true }, 403, /pull-requests: write/],
    ['a wrong API URL (404)', { apiPath: '/not-the-api' }, 404, /pull-requests: write/],
  ])('never shows the token in the error for %s', async (_, variant, status, hint) => {
    const fake = await startApi({ readOnly: 'readOnly' in variant })
    const token = 'token' in variant ? variant.token : TOKEN
    const apiUrl = fake.apiUrl + ('apiPath' in variant ? variant.apiPath : '')
    const error = await failureOf(upsertPullRequestComment({ token, apiUrl, pr: PR, marker: MARKER, body: 'x' }))

    expect(error.httpStatus).toBe(status)
    expect(error.message).toMatch(hint)
    expect(printed(error)).not.toContain(token)
    expect(printed(error)).not.toContain(TOKEN)
  })

  it('masks the token when the API echoes it back in its message', async () => {
    const fake = await startApi({ failWith: { status: 422, message: `Validation failed for ${TOKEN}` } })
    const error = await failureOf(upsert(fake, 'x').result)
    expect(error.message).toContain('Validation failed for ***')
    expect(printed(error)).not.toContain(TOKEN)
  })

  it('refuses an empty token before any request', async () => {
    const fake = await startApi()
    const error = await failureOf(upsert(fake, 'x', MARKER, '').result)
    expect(error.message).toContain("'github-token' is empty")
    expect(fake.requests).toEqual([])
  })

  it('reports an unreachable API at its first request, finding out whose the token is', async () => {
    const fake = await startApi()
    await fake.close()
    const error = await failureOf(upsert(fake, 'x').result)
    expect(error.httpStatus).toBeUndefined()
    expect(error.message).toContain(
      `Could not find out whose token 'github-token' is on pull request ${PR.owner}/${PR.repo}#${PR.number}`,
    )
    expect(printed(error)).not.toContain(TOKEN)
  })
})

describe('workflowOf', () => {
  it.each([
    [
      'the file of GITHUB_WORKFLOW_REF, without the ref',
      {
        GITHUB_WORKFLOW_REF: 'octo-org/films/.github/workflows/preview.yml@refs/pull/7/merge',
        GITHUB_WORKFLOW: 'Preview',
      },
      '.github/workflows/preview.yml',
    ],
    ['the name when there is no ref', { GITHUB_WORKFLOW: 'Preview' }, 'Preview'],
    ['empty outside a runner', {}, ''],
  ])('%s', (_, env, expected) => {
    expect(workflowOf(env)).toBe(expected)
  })
})

describe('pullRequestFromEvent', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pr-event-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  async function eventEnv(name: string, payload: unknown, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
    const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.json`)
    await writeFile(path, typeof payload === 'string' ? payload : JSON.stringify(payload))
    return { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path, ...extra }
  }

  const prPayload = { pull_request: { number: 7 }, repository: { name: 'films', owner: { login: 'octo-org' } } }

  it.each(['pull_request', 'pull_request_target'])('reads the PR of a %s event', async (name) => {
    expect(pullRequestFromEvent(await eventEnv(name, prPayload))).toEqual({
      owner: 'octo-org',
      repo: 'films',
      number: 7,
    })
  })

  it('falls back to GITHUB_REPOSITORY when the payload has no repository', async () => {
    const env = await eventEnv('pull_request', { pull_request: { number: 8 } }, { GITHUB_REPOSITORY: 'someone/else' })
    expect(pullRequestFromEvent(env)).toEqual({ owner: 'someone', repo: 'else', number: 8 })
  })

  it.each([
    ['a push event', () => eventEnv('push', prPayload)],
    ['a payload without a PR number', () => eventEnv('pull_request', { repository: prPayload.repository })],
    ['a payload that is not JSON', () => eventEnv('pull_request', '{not json')],
    ['no repository anywhere', () => eventEnv('pull_request', { pull_request: { number: 9 } })],
    [
      'a payload file that does not exist',
      () => ({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(dir, 'missing.json') }),
    ],
    ['no GITHUB_EVENT_PATH', () => ({ GITHUB_EVENT_NAME: 'pull_request' })],
  ])('is undefined for %s', async (_, makeEnv) => {
    expect(pullRequestFromEvent(await makeEnv())).toBeUndefined()
  })
})

describe('commentMarker', () => {
  /** What lies between `<!--` and `-->`. */
  const inside = (marker: string): string => {
    expect(marker.startsWith('<!--') && marker.endsWith('-->')).toBe(true)
    return marker.slice(4, -3)
  }

  it('holds the workflow, the job id and the artifact name, empty when not set', () => {
    expect(commentMarker(WORKFLOW, 'render', 'teaser')).toBe(
      `<!-- grok-video-action workflow=${WORKFLOW} job=render artifact=teaser -->`,
    )
    expect(commentMarker(WORKFLOW, 'render', undefined)).toBe(
      `<!-- grok-video-action workflow=${WORKFLOW} job=render artifact= -->`,
    )
    expect(commentMarker(WORKFLOW, 'render', '')).toBe(commentMarker(WORKFLOW, 'render', undefined))
    expect(legacyCommentMarker('render', 'teaser')).toBe('<!-- grok-video-action job=render artifact=teaser -->')
  })

  it('gives two workflows with the same job and artifact name different markers', () => {
    expect(commentMarker('.github/workflows/a.yml', 'render', 'x')).not.toBe(
      commentMarker('.github/workflows/b.yml', 'render', 'x'),
    )
  })

  it.each(['x --> <b>hi</b>', 'a--b', '-->', 'a->b', 'line\nbreak'])('keeps %j inside the comment', (name) => {
    const body = inside(commentMarker(name, 'job-1', name))
    expect(body).not.toMatch(/--|>|\n/)
  })

  it('gives different names different markers', () => {
    const names = ['a--b', 'a-%2Db', 'a b', 'a%20b', 'a', 'a-', '\u2028', ' 28']
    expect(new Set(names.map((name) => commentMarker('w', 'j', name))).size).toBe(names.length)
    expect(new Set(names.map((name) => commentMarker(name, 'j', 'a'))).size).toBe(names.length)
  })
})

describe('renderComment', () => {
  /** Splits a table line on the pipes GFM treats as cell borders (not `\|`). */
  const cells = (line: string): string[] => line.split(/(?<!\\)\|/).slice(1, -1)
  const tableLines = (body: string): string[] => body.split('\n').filter((line) => line.startsWith('|'))

  it('renders one video as a small table with the marker first and a play link', () => {
    const body = renderComment(MARKER, [row()], 'https://github.com/octo-org/films/actions/runs/7')
    expect(body.split('\n')[0]).toBe(MARKER)
    expect(body).toMatch(/^### .*done$/m)
    expect(body).toContain('| Prompt | ` A candle flickers on a wooden table. ` |')
    expect(body).toContain('| Cost | $0.05 |')
    expect(body).toContain('| Request id | ` req-0001 ` |')
    expect(body).toContain('[▶️ Play the MP4](https://github.com/octo-org/films/actions/runs/7/artifacts/99)')
    expect(body).toContain('[Workflow run](https://github.com/octo-org/films/actions/runs/7)')
    expect(body).not.toMatch(/<video/)
  })

  it('keeps user text in its cell: pipes escaped, line breaks folded, no HTML or @mention', () => {
    const prompt = 'A | B\nthen @octocat <img src=x> `code`'
    const body = renderComment(MARKER, [row({ prompt, parameters: '5 s | <b>', error: 'bad\r\nthing | here' })])
    const lines = tableLines(body)
    for (const line of lines) expect(cells(line)).toHaveLength(2)
    const promptLine = lines.find((line) => line.startsWith('| Prompt'))!
    expect(promptLine).toBe('| Prompt | `` A \\| B then @octocat <img src=x> `code` `` |')
    expect(body).toContain('| Parameters | ` 5 s \\| <b> ` |')
    expect(body).toContain('| Error | ` bad thing \\| here ` |')
  })

  it('keeps a URL with spaces or parentheses inside its link', () => {
    const body = renderComment(
      MARKER,
      [row({ videoUrl: 'https://example.com/a (1)|x.mp4' })],
      'https://example.com/run )',
    )
    expect(body).toContain('[▶️ Play the MP4](https://example.com/a%20%281%29%7Cx.mp4)')
    expect(body).toContain('[Workflow run](https://example.com/run%20%29)')
  })

  it('shortens a long prompt with an ellipsis', () => {
    const body = renderComment(MARKER, [row({ prompt: '🎥'.repeat(150) + 'x'.repeat(150) })])
    const shown = /\| Prompt \| ` (.*) ` \|/.exec(body)![1]
    expect(Array.from(shown)).toHaveLength(200)
    expect(shown.endsWith('x…')).toBe(true)
  })

  it('renders a batch as one table with a row per video', () => {
    const rows = [
      row({ name: 'intro' }),
      row({ name: 'pipe | name', status: 'failed', error: 'moderated', videoUrl: undefined, costUsd: undefined }),
      row({ name: 'outro', requestId: 'req-0003' }),
    ]
    const body = renderComment(MARKER, rows, 'https://github.com/octo-org/films/actions/runs/7')
    const [header, separator, ...videos] = tableLines(body)

    expect(body.split('\n')[0]).toBe(MARKER)
    expect(body).toMatch(/^### .*2 of 3 done$/m)
    expect(cells(header).map((c) => c.trim())).toEqual([
      'Name',
      'Prompt',
      'Parameters',
      'Status',
      'Cost',
      'Request id',
      'Video',
      'Error',
    ])
    expect(cells(separator)).toHaveLength(8)
    expect(videos).toHaveLength(rows.length)
    for (const line of videos) expect(cells(line)).toHaveLength(8)
    expect(videos[1]).toContain('` pipe \\| name `')
    expect(videos[1]).toContain('` moderated `')
    expect(videos.filter((line) => line.includes('[▶️ Play]('))).toHaveLength(2)
    expect(body).toContain('[Workflow run](https://github.com/octo-org/films/actions/runs/7)')
  })

  it('links the public URL in the single and the batch layouts, only when it is https', () => {
    const publicUrl = 'https://files.x.ai/public/intro (1).mp4'
    const single = renderComment(MARKER, [row({ publicUrl })])
    expect(single).toContain('| Public URL | [🔗 Public copy](https://files.x.ai/public/intro%20%281%29.mp4) |')
    const batch = renderComment(MARKER, [row({ name: 'intro', publicUrl }), row({ name: 'outro' })])
    const [first, second] = tableLines(batch).slice(2)
    expect(first).toContain(
      '[▶️ Play](https://github.com/octo-org/films/actions/runs/7/artifacts/99) · [🔗 Public](https://files.x.ai/public/intro%20%281%29.mp4)',
    )
    expect(second).not.toContain('Public')
    const insecure = renderComment(MARKER, [row({ publicUrl: 'http://files.x.ai/a.mp4' })])
    expect(insecure).toContain('| Public URL | 🔗 Public copy |')
    expect(insecure).not.toContain('http://files.x.ai')
    expect(renderComment(MARKER, [row()])).not.toContain('Public')
  })

  it('shows the published GIF under the heading, inside the link that plays the MP4', () => {
    const gif = 'https://github.com/octo-org/films/blob/grok-video-previews/ab12.gif?raw=true'
    const body = renderComment(MARKER, [row({ previewUrl: gif })])
    expect(body.split('\n').slice(1, 7)).toEqual([
      '### 🎬 Grok video preview: done',
      '',
      '1 generated: $0.05 · 0 from the cache: $0',
      '',
      `[![Preview of the video](${gif})](https://github.com/octo-org/films/actions/runs/7/artifacts/99)`,
      '',
    ])
    expect(renderComment(MARKER, [row()])).not.toContain('![')
  })

  it("shows a batch's published GIFs as a grid above the table, each linking to its MP4", () => {
    const gif = (name: string): string => `https://github.com/octo-org/films/blob/p/${name}.gif?raw=true`
    const body = renderComment(MARKER, [
      row({ name: 'intro', previewUrl: gif('intro') }),
      row({ name: 'outro', previewUrl: gif('outro'), videoUrl: undefined }),
      row({ name: 'failed', status: 'failed' }),
    ])
    const art = 'https://github.com/octo-org/films/actions/runs/7/artifacts/99'
    expect(body.split('\n').slice(3, 9)).toEqual([
      '3 generated: $0.15 · 0 from the cache: $0',
      '',
      '<table>',
      `<tr><td align="center"><a href="${art}"><img src="${gif('intro')}" width="240" alt="intro"></a>` +
        `<br><code>intro</code></td><td align="center"><img src="${gif('outro')}" width="240" alt="outro">` +
        '<br><code>outro</code></td></tr>',
      '</table>',
      '',
    ])
  })
})

describe("the comment stays within GitHub's size limit", () => {
  /** A batch job as a real run reports it: a long prompt, an artifact link and a published GIF. */
  const batchRow = (i: number, overrides: Partial<CommentRow> = {}): CommentRow =>
    row({
      name: `clip-${String(i).padStart(3, '0')}`,
      prompt: `Shot ${i}: a slow dolly through a rain-soaked neon market at night, reflections on the wet stones, ${'steam rising from food stalls, '.repeat(4)}`,
      requestId: `4f1c2a9e-${String(i).padStart(4, '0')}-4b7d-9c3e-1a2b3c4d5e6f`,
      videoUrl: `https://github.com/octo-org/films/actions/runs/12345678901/artifacts/${3_000_000_000 + i}`,
      previewUrl: `https://github.com/octo-org/films/blob/grok-video-previews/${createHash('sha256').update(String(i)).digest('hex')}.gif?raw=true`,
      ...overrides,
    })
  const batch = (count: number, overrides: (i: number) => Partial<CommentRow> = () => ({})): CommentRow[] =>
    Array.from({ length: count }, (_, i) => batchRow(i + 1, overrides(i + 1)))
  const RUN_URL = 'https://github.com/octo-org/films/actions/runs/12345678901'
  const tableRows = (body: string): string[] => body.split('\n').filter((line) => /^\| ` clip-/.test(line))
  const tiles = (body: string): number => body.split('<td align="center">').length - 1

  it('agrees with the fake on the limit', () => {
    expect(COMMENT_LIMIT).toBe(COMMENT_BODY_LIMIT)
  })

  it('a batch of 150 jobs with previews: one comment GitHub accepts, every row listed, the previews left out counted', async () => {
    const fake = await startApi()
    const body = renderComment(MARKER, batch(150), RUN_URL)
    const created = await upsert(fake, body).result

    expect(created.action).toBe('created')
    expect(fake.comments(PR).map((c) => c.body)).toEqual([body])
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(body.split('\n')[0]).toBe(MARKER)
    expect(body).toMatch(/^### .*150 of 150 done$/m)
    expect(tableRows(body)).toHaveLength(150)
    const shownTiles = tiles(body)
    expect(shownTiles).toBeGreaterThan(0)
    expect(shownTiles).toBeLessThan(150)
    expect(body).toContain(`<sub>${150 - shownTiles} previews are not shown here, to keep this comment within GitHub's`)
    // Prompts were shortened first.
    expect(body).not.toContain('steam rising from food stalls, steam')
    expect(body).toContain(`[Workflow run](${RUN_URL})`)
  })

  it('a batch too long even without previews: rows are left out and counted, those that did not end done kept', () => {
    const failed = new Set([7, 200, 299])
    const rows = batch(300, (i) =>
      failed.has(i)
        ? { status: 'failed', error: `moderated ${'x'.repeat(400)}`, videoUrl: undefined, previewUrl: undefined }
        : {},
    )
    const body = renderComment(MARKER, rows, RUN_URL)
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(body).toMatch(/^### .*297 of 300 done$/m)
    expect(tiles(body)).toBe(0)
    const listed = tableRows(body)
    expect(listed.length).toBeGreaterThan(100)
    expect(listed.length).toBeLessThan(300)
    expect(body).toContain(
      `<sub>${300 - listed.length} of 300 videos are not listed, and 297 previews are not shown here, to keep`,
    )
    const names = listed.map((line) => Number(/clip-(\d+)/.exec(line)![1]))
    for (const i of failed) expect(names).toContain(i)
    // The table keeps the batch's order; the first done jobs fill what is left.
    expect(names).toEqual([...names].sort((a, b) => a - b))
    expect(names.slice(0, 5)).toEqual([1, 2, 3, 4, 5])
  })

  it('one video whose request id alone is over the limit: the heading and a note, under the limit', () => {
    const body = renderComment(MARKER, [row({ requestId: 'r'.repeat(COMMENT_LIMIT) })], RUN_URL)
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(body.split('\n').slice(0, 2)).toEqual([MARKER, '### 🎬 Grok video preview: done'])
    expect(body).toContain("<sub>1 of 1 videos are not listed here, to keep this comment within GitHub's size limit")
  })

  it('a batch of 75 with previews fits whole: every row and preview, at full length, nothing said left out', () => {
    const rows = batch(75)
    const full = renderComment(MARKER, rows, RUN_URL)
    expect(full.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(tableRows(full)).toHaveLength(75)
    expect(tiles(full)).toBe(75)
    expect(full).not.toContain('size limit')
  })

  it('renders a small batch whole, prompts at full length', () => {
    const body = renderComment(MARKER, batch(3), RUN_URL)
    expect(tableRows(body)).toHaveLength(3)
    expect(body).toContain('steam rising from food stalls, steam rising')
    expect(body).not.toContain('size limit')
  })
})

describe('players from the attachment store', () => {
  const PLAYER = (i: number): string =>
    `https://github.com/user-attachments/assets/${createHash('sha256').update(`v${i}`).digest('hex').slice(0, 8)}-0000-4000-8000-${String(i).padStart(12, '0')}`
  const lines = (body: string): string[] => body.split('\n')

  it('a single video: the player is its URL alone on a line, with a blank line on each side', () => {
    const body = renderComment(MARKER, [row({ playerUrl: PLAYER(1) })])
    const at = lines(body).indexOf(PLAYER(1))
    expect(at).toBeGreaterThan(0)
    expect(lines(body)[at - 1]).toBe('')
    expect(lines(body)[at + 1]).toBe('')
  })

  it("a batch: each job's player under the table, its name above it as code in bold", () => {
    const rows = [1, 2].map((i) => row({ name: `clip-${i}`, playerUrl: PLAYER(i) }))
    const body = lines(renderComment(MARKER, rows))
    const lastRow = body.findLastIndex((line) => line.startsWith('| '))
    for (const i of [1, 2]) {
      const at = body.indexOf(PLAYER(i))
      expect(at).toBeGreaterThan(lastRow)
      expect(body.slice(at - 2, at)).toEqual([`**\` clip-${i} \`**`, ''])
    }
  })

  it('a player URL that is not https is not shown', () => {
    const body = renderComment(MARKER, [row({ playerUrl: 'http://github.com/user-attachments/assets/x' })])
    expect(body).not.toContain('user-attachments')
  })

  it('a batch too long for every player: the previews go first, then players last to first, each counted', () => {
    const rows = Array.from({ length: 250 }, (_, i) =>
      row({
        name: `clip-${String(i + 1).padStart(3, '0')}`,
        previewUrl: `https://github.com/octo-org/films/blob/previews/${i}.gif?raw=true`,
        playerUrl: PLAYER(i + 1),
      }),
    )
    const body = renderComment(MARKER, rows)
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(body).not.toContain('<td align="center">')
    const shown = rows.filter((r) => lines(body).includes(r.playerUrl ?? '')).map((r) => r.name)
    expect(shown.length).toBeGreaterThan(0)
    expect(shown.length).toBeLessThan(250)
    // The first ones stay.
    expect(shown).toEqual(rows.slice(0, shown.length).map((r) => r.name))
    expect(body).toContain(`250 previews are not shown, and ${250 - shown.length} players are not shown here`)
    expect(lines(body).filter((line) => /^\| ` clip-/.test(line))).toHaveLength(250)
  })
})

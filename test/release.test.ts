import { describe, expect, it } from 'vitest'
import { InputError } from '../src/errors.js'
import { assetUrlOf, releaseFileNames, releaseTargetFrom, uploadUrlOf } from '../src/release.js'

const RUNNER = {
  GITHUB_REPOSITORY: 'octo-org/films',
  GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
  GITHUB_RUN_ID: '4242',
  GITHUB_WORKFLOW: 'Nightly `videos`',
}

describe('releaseTargetFrom', () => {
  it('reads the tag, the repository, GITHUB_SHA and a body naming the workflow and its run', () => {
    expect(releaseTargetFrom('videos/nightly', 'ghs_token', RUNNER)).toEqual({
      tag: 'videos/nightly',
      token: 'ghs_token',
      apiUrl: 'https://api.github.com',
      repository: { owner: 'octo-org', repo: 'films' },
      sha: RUNNER.GITHUB_SHA,
      body: 'Videos attached by grok-video-action of workflow `Nightly videos`, run https://github.com/octo-org/films/actions/runs/4242.',
    })
  })

  it('is undefined without a tag, whatever else is missing', () => {
    expect(releaseTargetFrom('', undefined, {})).toBeUndefined()
  })

  it.each([
    ['no token', undefined, RUNNER, /needs 'github-token'/],
    ['no repository', 'ghs_token', { GITHUB_SHA: RUNNER.GITHUB_SHA }, /needs GITHUB_REPOSITORY/],
    ['a tag of 201 characters', 'ghs_token', RUNNER, /not a valid tag name/, 'v'.repeat(201)],
  ])('refuses %s with an InputError naming release-tag', (_, token, env, says, tag = 'nightly') => {
    const attempt = () => releaseTargetFrom(tag, token, env)
    expect(attempt).toThrow(InputError)
    expect(attempt).toThrow(says)
    expect(attempt).toThrow("Input 'release-tag'")
  })

  it('takes a tag of 200 characters', () => {
    expect(releaseTargetFrom('v'.repeat(200), 'ghs_token', RUNNER)?.tag).toHaveLength(200)
  })
})

describe('releaseFileNames', () => {
  const sha = 'ab'.repeat(32)
  it("names every file of a video by the MP4's hash, the MP4 first; files not made are left out", () => {
    expect(
      releaseFileNames(sha, {
        videoPath: '/t/v.mp4',
        metadataPath: '/t/v.json',
        posterPath: '/t/v.poster.png',
        gifPath: '/t/v.preview.gif',
      }),
    ).toEqual([
      { name: 'abababababababab.mp4', path: '/t/v.mp4' },
      { name: 'abababababababab.poster.png', path: '/t/v.poster.png' },
      { name: 'abababababababab.preview.gif', path: '/t/v.preview.gif' },
      { name: 'abababababababab.json', path: '/t/v.json' },
    ])
    expect(releaseFileNames(sha, { videoPath: '/t/v.mp4', metadataPath: '/t/v.json' }).map((f) => f.name)).toEqual([
      'abababababababab.mp4',
      'abababababababab.json',
    ])
  })
})

describe('uploadUrlOf', () => {
  it.each([
    [
      'github.com: uploads beside api',
      'https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}',
      'https://api.github.com',
      'https://uploads.github.com/repos/o/r/releases/1/assets',
    ],
    [
      'GitHub Enterprise Server: the API host itself',
      'https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets{?name,label}',
      'https://ghe.example.com/api/v3',
      'https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets',
    ],
    [
      'a loopback fake',
      'http://127.0.0.1:4000/repos/o/r/releases/1/assets{?name,label}',
      'http://127.0.0.1:4000',
      'http://127.0.0.1:4000/repos/o/r/releases/1/assets',
    ],
  ])('accepts %s', (_, template, api, expected) => {
    expect(uploadUrlOf(template, api)).toBe(expected)
  })

  it.each([
    ['another host', 'https://uploads.example.com/repos/o/r/releases/1/assets{?name,label}', 'https://api.github.com'],
    ['another port', 'http://127.0.0.1:4001/r/assets{?name,label}', 'http://127.0.0.1:4000'],
    ['plain http to GitHub', 'http://uploads.github.com/r/assets{?name,label}', 'https://api.github.com'],
    ['credentials', 'https://u:p@uploads.github.com/r/assets{?name,label}', 'https://api.github.com'],
    ['a query of its own', 'https://uploads.github.com/r/assets?to=x{?name,label}', 'https://api.github.com'],
    ['a line break', 'https://uploads.github.com/r/\nassets{?name,label}', 'https://api.github.com'],
  ])('refuses %s: the token is not sent there', (_, template, api) => {
    expect(uploadUrlOf(template, api)).toBeUndefined()
  })
})

describe('assetUrlOf', () => {
  it.each([
    ['github.com', 'https://github.com/o/r/releases/download/t/a.mp4', 'https://api.github.com'],
    [
      'GitHub Enterprise Server',
      'https://ghe.example.com/o/r/releases/download/t/a.mp4',
      'https://ghe.example.com/api/v3',
    ],
    ['a GHE.com tenant', 'https://octo.ghe.com/o/r/releases/download/t/a.mp4', 'https://api.octo.ghe.com'],
    ['a loopback test server', 'http://127.0.0.1:4000/o/r/releases/download/t/a.mp4', 'http://127.0.0.1:4000'],
  ])("keeps a download URL on %s's web host", (_, url, api) => {
    expect(assetUrlOf(url, api)).toBe(url)
  })

  it.each([
    ['another host', 'https://downloads.elsewhere.example/o/r/a.mp4'],
    ['plain http', 'http://github.com/o/r/releases/download/t/a.mp4'],
    ['credentials', 'https://user:pw@github.com/o/r/releases/download/t/a.mp4'],
    ['not a URL', 'javascript:alert(1)'],
  ])('drops one with %s', (_, url) => {
    expect(assetUrlOf(url, 'https://api.github.com')).toBeUndefined()
  })
})

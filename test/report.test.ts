// What a run tells the user: step outputs, the metadata JSON and the job summary, from a RunResult.

import { describe, expect, it } from 'vitest'
import { metadataOf, OUTPUT_NAMES, outputsOf, ticksToUsd, type RunResult } from '../src/report.js'
import { batchSummaryOf, summaryOf } from '../src/summary.js'

const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const API_KEY = 'sk-cometapi-9f8e7d6c5b4a39281706f5e4d3c2b1a0'

/** A result that got nowhere: the job was never created. */
const notStarted: RunResult = {
  provider: 'CometAPI',
  baseUrl: 'https://api.cometapi.com/grok/v1',
  timings: { startedAt: new Date('2026-05-04T10:00:00.000Z') },
}

/** A run that went all the way: created, waited, downloaded, uploaded. */
const done: RunResult = {
  ...notStarted,
  status: 'done',
  requestId: 'c4d5e6f7-req',
  request: {
    prompt: 'A candle flickers on a wooden table | slow dolly in',
    model: 'grok-imagine-video',
    duration: 5,
    aspect_ratio: '16:9',
    resolution: '720p',
  },
  providerStatus: 'SUCCESS',
  model: 'grok-imagine-video',
  videoUrl: 'https://vidgen.x.ai/xai-vidgen-bucket/c4d5e6f7.mp4',
  durationSeconds: 5,
  costTicks: 6_400_000_000,
  video: { path: '/runner/temp/grok-video/grok-video-c4d5e6f7-req.mp4', bytes: 2748, sha256: SHA },
  metadataPath: '/runner/temp/grok-video/grok-video-c4d5e6f7-req.json',
  cacheKey: 'grok-video-v1-5f0c',
  estimatedCostUsd: 0.35,
  artifact: {
    id: 1001,
    name: 'grok-video-c4d5e6f7-req.mp4',
    digest: SHA,
    url: 'https://github.com/octo/repo/actions/runs/4242/artifacts/1001',
  },
  timings: {
    startedAt: new Date('2026-05-04T10:00:00.000Z'),
    createMs: 800,
    waitMs: 65_000,
    downloadMs: 1_200,
    uploadMs: 900,
    totalMs: 68_000,
  },
}

/** The job finished, its video could not be fetched. */
const downloadFailed: RunResult = {
  ...notStarted,
  status: 'download-failed',
  requestId: 'c4d5e6f7-req',
  request: done.request!,
  providerStatus: 'done',
  videoUrl: done.videoUrl!,
  durationSeconds: 5,
  metadataPath: done.metadataPath!,
  error: new Error('the video URL answered HTTP 403 (it has most likely expired) | resume with request-id'),
}

/** Table rows of a Markdown summary as [label, value] pairs, split on unescaped pipes only. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| |'))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
}

/** The summary's table as label → value. */
function tableOf(markdown: string): Record<string, string> {
  return Object.fromEntries(tableRows(markdown).map(([label, value]): [string, string] => [label, value]))
}

const GIF_URL = `https://github.com/octo/repo/blob/grok-video-previews/${'ab'.repeat(32)}.gif?raw=true`
const previewFiles = {
  posterPath: '/runner/temp/grok-video/grok-video-c4d5e6f7-req.poster.png',
  gifPath: '/runner/temp/grok-video/grok-video-c4d5e6f7-req.preview.gif',
  gif: { width: 480, fps: 10, bytes: 120_000, speed: 1 },
}
/** `done`, with its poster and GIF published to a preview branch. */
const previewed: RunResult = { ...done, preview: { files: previewFiles, url: GIF_URL } }
const ASSET_URL = `https://github.com/octo/repo/releases/download/videos-nightly/${SHA.slice(0, 16)}.mp4`
/** `previewed`, with its files attached to the release `videos-nightly` (`release-tag`). */
const released: RunResult = { ...previewed, release: { tag: 'videos-nightly', assetUrl: ASSET_URL } }

describe('ticksToUsd', () => {
  it.each([
    [500_000_000, '0.05'],
    [6_400_000_000, '0.64'],
    [0, '0'],
    [12_345_678_901, '1.2345678901'],
    [1, '0.0000000001'],
    [10_000_000_000, '1'],
    [25_000_000_000, '2.5'],
    // Values where dividing as floats would print 0.30000000000000004 or lose the last digits.
    [3_000_000_000, '0.3'],
    [123_456_789_012_345, '12345.6789012345'],
  ])('%i ticks are $%s', (ticks, usd) => {
    expect(ticksToUsd(ticks)).toBe(usd)
  })
})

const ATTACHMENT_URL = 'https://github.com/user-attachments/assets/0b5e1c7a-3f7e-4c52-9a51-1f0d2c3b4a59'
/** The pull request comment uploaded its MP4 to GitHub's attachment store. */
const attached: RunResult = { ...previewed, attachmentUrl: ATTACHMENT_URL }
const PUBLIC_URL = 'https://files.x.ai/public/grok-video-c4d5e6f7.mp4'
const kept: RunResult = { ...previewed, publicUrl: { url: PUBLIC_URL, expiresAt: '2026-05-05T10:00:00.000Z' } }

describe('outputsOf', () => {
  it('sets every output of OUTPUT_NAMES for a finished run', () => {
    expect(outputsOf(done)).toEqual({
      'request-id': 'c4d5e6f7-req',
      status: 'done',
      'video-url': 'https://vidgen.x.ai/xai-vidgen-bucket/c4d5e6f7.mp4',
      'video-path': '/runner/temp/grok-video/grok-video-c4d5e6f7-req.mp4',
      'video-sha256': SHA,
      'video-bytes': '2748',
      duration: '5',
      'cost-usd': '0.64',
      'metadata-path': '/runner/temp/grok-video/grok-video-c4d5e6f7-req.json',
      'artifact-id': '1001',
      'artifact-url': 'https://github.com/octo/repo/actions/runs/4242/artifacts/1001',
      'artifact-digest': SHA,
      'cache-hit': 'false',
      'cache-key': 'grok-video-v1-5f0c',
      'estimated-cost-usd': '0.35',
      results: '',
      'poster-path': '',
      'preview-path': '',
      'preview-url': '',
      'video-attachment-url': '',
      'public-url': '',
      'release-asset-url': '',
    })
  })

  it('names the poster, the GIF and the published URL when a preview was made', () => {
    expect(outputsOf(previewed)).toMatchObject({
      'poster-path': '/runner/temp/grok-video/grok-video-c4d5e6f7-req.poster.png',
      'preview-path': '/runner/temp/grok-video/grok-video-c4d5e6f7-req.preview.gif',
      'preview-url': GIF_URL,
    })
  })

  it("gives the MP4 release asset's download URL as release-asset-url", () => {
    expect(outputsOf(released)['release-asset-url']).toBe(ASSET_URL)
    expect(outputsOf({ ...done, release: { tag: 'videos-nightly' } })['release-asset-url']).toBe('')
  })

  it('says whether the video came from the cache, always as true or false', () => {
    expect(outputsOf({ ...done, cacheHit: true, costTicks: 0 })).toMatchObject({ 'cache-hit': 'true', 'cost-usd': '0' })
    expect(outputsOf(notStarted)['cache-hit']).toBe('false')
  })

  it.each([
    { name: 'a run that never started', result: notStarted, set: ['cache-hit'] },
    {
      name: 'a run whose download failed',
      result: downloadFailed,
      set: ['request-id', 'status', 'video-url', 'duration', 'metadata-path', 'cache-hit'],
    },
    // `results` belongs to a batch; a single run leaves it empty.
    {
      name: 'a finished run',
      result: done,
      set: OUTPUT_NAMES.filter(
        (name) =>
          ![
            'results',
            'poster-path',
            'preview-path',
            'preview-url',
            'video-attachment-url',
            'public-url',
            'release-asset-url',
          ].includes(name),
      ),
    },
    {
      name: 'a finished run with a published preview',
      result: previewed,
      set: OUTPUT_NAMES.filter(
        (name) => !['results', 'video-attachment-url', 'public-url', 'release-asset-url'].includes(name),
      ),
    },
    {
      name: 'a finished run whose MP4 the comment uploaded',
      result: attached,
      set: OUTPUT_NAMES.filter((name) => !['results', 'public-url', 'release-asset-url'].includes(name)),
    },
    {
      name: 'a finished run kept at a public URL',
      result: kept,
      set: OUTPUT_NAMES.filter((name) => !['results', 'video-attachment-url', 'release-asset-url'].includes(name)),
    },
    {
      name: 'a finished run attached to a release',
      result: released,
      set: OUTPUT_NAMES.filter((name) => !['results', 'video-attachment-url', 'public-url'].includes(name)),
    },
  ])('gives every output a string, empty where $name did not get', ({ result, set }) => {
    const outputs = outputsOf(result)
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
    for (const name of OUTPUT_NAMES) {
      expect(typeof outputs[name]).toBe('string')
      expect(outputs[name] !== '', name).toBe(set.includes(name))
    }
  })

  it("sets video-attachment-url, and the metadata JSON keeps it, once the comment's upload is made", () => {
    expect(outputsOf(attached)['video-attachment-url']).toBe(ATTACHMENT_URL)
    expect(metadataOf(attached)).toMatchObject({ video: { attachmentUrl: ATTACHMENT_URL } })
    expect(metadataOf(done)).toMatchObject({ video: { attachmentUrl: null } })
  })

  it('reports a zero cost as "0", not as not reported', () => {
    expect(outputsOf({ ...done, costTicks: 0 })['cost-usd']).toBe('0')
    const { costTicks: _unreported, ...withoutCost } = done
    expect(outputsOf(withoutCost)['cost-usd']).toBe('')
  })
})

describe('metadataOf', () => {
  it('records the request, request id, model, cost, URL, file hash and timings', () => {
    const metadata = JSON.parse(JSON.stringify(metadataOf(done))) as Record<string, unknown>

    expect(metadata).toMatchObject({
      requestId: 'c4d5e6f7-req',
      status: 'done',
      request: done.request,
      model: 'grok-imagine-video',
      video: {
        url: done.videoUrl,
        path: done.video!.path,
        bytes: 2748,
        sha256: SHA,
        durationSeconds: 5,
      },
      costUsd: 0.64,
      costInUsdTicks: 6_400_000_000,
      timings: { startedAt: '2026-05-04T10:00:00.000Z', createMs: 800, waitMs: 65_000, downloadMs: 1_200 },
    })
  })

  it('keeps the public URL with its file id and expiry, null when there is none', () => {
    expect(outputsOf(kept)['public-url']).toBe(PUBLIC_URL)
    expect(metadataOf(kept).publicUrl).toEqual({
      url: PUBLIC_URL,
      fileId: null,
      expiresAt: '2026-05-05T10:00:00.000Z',
    })
    expect(metadataOf(done).publicUrl).toBeNull()
  })

  it('shows the input URLs without their query: a signed URL keeps its signature out of the JSON', () => {
    const signed = '?X-Amz-Signature=abcdef0123456789&X-Amz-Credential=AKIA'
    const metadata = metadataOf({
      ...done,
      inputVideo: {
        ref: { url: `https://cdn.example.com/in.mp4${signed}` },
        label: 'x',
        identity: { url: `https://cdn.example.com/in.mp4${signed}` },
      },
      request: {
        prompt: 'p',
        model: 'grok-imagine-video',
        video: { url: `https://cdn.example.com/in.mp4${signed}` },
        image: { url: `https://cdn.example.com/a.png#${signed}` },
        reference_images: [{ url: `https://cdn.example.com/b.png${signed}` }, { url: 'frame.png (data URL, 9 bytes)' }],
      },
    })
    expect(JSON.stringify(metadata)).not.toContain('X-Amz')
    expect(metadata).toMatchObject({
      inputVideo: { url: 'https://cdn.example.com/in.mp4?…' },
      request: {
        video: { url: 'https://cdn.example.com/in.mp4?…' },
        image: { url: 'https://cdn.example.com/a.png?…' },
        reference_images: [{ url: 'https://cdn.example.com/b.png?…' }, { url: 'frame.png (data URL, 9 bytes)' }],
      },
    })
  })

  it("records a resumed job's unknown expiry as 'unknown'", () => {
    expect(
      metadataOf({ ...done, publicUrl: { url: 'https://files.example.com/f/a.mp4', expiryUnknown: true } }).publicUrl,
    ).toEqual({
      url: 'https://files.example.com/f/a.mp4',
      fileId: null,
      expiresAt: 'unknown',
    })
  })

  it('is valid JSON with nulls where the run did not get', () => {
    const metadata = JSON.parse(JSON.stringify(metadataOf(notStarted))) as Record<string, unknown>
    expect(metadata).toMatchObject({ requestId: null, request: null, costUsd: null, video: { sha256: null } })
  })
})

describe('the API key stays out of everything the run reports', () => {
  // Built by hand the way a caller might: the validated inputs (key included) spread into the result.
  const config = {
    apiKey: API_KEY,
    baseUrl: 'https://api.x.ai/v1',
    provider: 'xAI' as const,
    request: { ...done.request!, user: 'octo-user' },
    wait: true,
    timeoutSeconds: 600,
    pollIntervalSeconds: 5,
    outputDir: '/runner/temp/grok-video',
    uploadArtifact: true,
    archive: false,
  }
  const handBuilt: RunResult = { ...done, ...config }

  it.each([
    ['metadataOf', () => JSON.stringify(metadataOf(handBuilt))],
    ['outputsOf', () => JSON.stringify(outputsOf(handBuilt))],
    ['summaryOf', () => summaryOf(handBuilt)],
  ])('%s never contains the key', (_name, render) => {
    expect(render()).not.toContain(API_KEY)
  })
})

describe('summaryOf', () => {
  it('shows prompt, model, parameters, status, timings, cost, size, sha256 and a link to the artifact', () => {
    const summary = summaryOf(done)
    const rows = tableOf(summary)

    expect(summary.split('\n')[0]).toMatch(/^## .*Grok video: done$/)
    expect(rows).toMatchObject({
      Prompt: '` A candle flickers on a wooden table \\| slow dolly in `',
      Model: '` grok-imagine-video `',
      Parameters: '5 s, 16:9, 720p',
      'Request id': '` c4d5e6f7-req `',
      Status: 'done (provider: ` SUCCESS `)',
      'Video length': '5 s',
      Cost: '$0.64 (estimated $0.35)',
      Cache: '` grok-video-v1-5f0c `',
      File: '` /runner/temp/grok-video/grok-video-c4d5e6f7-req.mp4 ` (2.7 KiB)',
      'SHA-256': `\` ${SHA} \``,
      Artifact: '[` grok-video-c4d5e6f7-req.mp4 `](https://github.com/octo/repo/actions/runs/4242/artifacts/1001)',
      Timings: 'create 0.8s, generation 1m 05s, download 1.2s, upload 0.9s, total 1m 08s',
    })
    expect(summary).not.toContain('Error')
  })

  it("links the release's tag to the MP4 asset, an https URL only", () => {
    expect(tableOf(summaryOf(released))['Release asset']).toBe(`[\` videos-nightly \`](${ASSET_URL})`)
    const plain = { ...done, release: { tag: 'videos-nightly', assetUrl: 'http://example.com/a.mp4' } }
    expect(tableOf(summaryOf(plain))['Release asset']).toBe('` videos-nightly `')
    expect(tableOf(summaryOf(done))).not.toHaveProperty('Release asset')
  })

  it("a batch row links the job's artifact and, beside it, its release asset", () => {
    const summary = batchSummaryOf([
      { name: 'a', result: released },
      { name: 'b', result: done },
    ])
    const rowOf = (name: string): string | undefined =>
      summary.split('\n').find((l) => l.startsWith(`| \` ${name} \` |`))
    const artifact = `[\` grok-video-c4d5e6f7-req.mp4 \`](${done.artifact?.url})`
    expect(rowOf('a')?.endsWith(`| ${artifact} · release [\` videos-nightly \`](${ASSET_URL}) |`)).toBe(true)
    expect(rowOf('b')?.endsWith(`| ${artifact} |`)).toBe(true)
    expect(rowOf('b')).not.toContain('release')
  })

  it('shows a cache hit as costing nothing this run, with what it cost when made', () => {
    const rows = tableOf(summaryOf({ ...done, cacheHit: true, costTicks: 0, cachedCostTicks: 6_400_000_000 }))
    expect(rows.Cost).toBe('$0 (from the cache; it cost $0.64 when made)')
    expect(rows.Cache).toBe('hit: ` grok-video-v1-5f0c ` (no API call)')
  })

  it('keeps the table intact when the prompt holds pipes and line breaks', () => {
    const request = { ...done.request!, prompt: 'left | right\nnext line | end' }
    const rows = tableRows(summaryOf({ ...done, request }))

    for (const row of rows) expect(row).toHaveLength(2)
    expect(rows.find(([label]) => label === 'Prompt')).toEqual(['Prompt', '` left \\| right next line \\| end `'])
  })

  it('shows the error text on failure and no artifact link', () => {
    const summary = summaryOf(downloadFailed)

    expect(summary.split('\n')[0]).toMatch(/^## .*Grok video: download-failed$/)
    expect(summary).toContain(
      '> **Error:** ` the video URL answered HTTP 403 (it has most likely expired) \\| resume with request-id `',
    )
    expect(summary).not.toContain('](')
    const rows = tableOf(summary)
    expect(rows.Status).toBe('download-failed (provider: ` done `)')
    expect(rows).not.toHaveProperty('SHA-256')
  })

  it('renders a run that never started without inventing values', () => {
    const summary = summaryOf({ ...notStarted, error: new Error("Input 'duration' must be an integer from 1 to 15") })

    expect(summary.split('\n')[0]).toMatch(/not started$/)
    expect(summary).toContain("> **Error:** ` Input 'duration' must be an integer from 1 to 15 `")
    expect(summary).not.toMatch(/undefined|null|NaN/)
  })
})

describe('summaryOf: the preview', () => {
  const ARTIFACT = 'https://github.com/octo/repo/actions/runs/4242/artifacts/1001'
  const lines = (summary: string): string[] => summary.split('\n')

  it('shows the published GIF under the heading, as a link to the artifact that plays the MP4', () => {
    const summary = summaryOf(previewed, { previewBranch: true })
    expect(lines(summary).slice(1, 4)).toEqual(['', `[![Preview of the video](${GIF_URL})](${ARTIFACT})`, ''])
    expect(summary).not.toContain('<sub>')
  })

  it('shows the image alone when nothing was uploaded (upload-artifact: false)', () => {
    const { artifact: _none, ...notUploaded } = previewed
    expect(lines(summaryOf(notUploaded))[2]).toBe(`![Preview of the video](${GIF_URL})`)
  })

  it('without preview-branch: one line saying where the files are and how to show them here', () => {
    const made: RunResult = { ...done, preview: { files: previewFiles } }
    const hints = lines(summaryOf(made)).filter((line) => line.startsWith('<sub>'))
    expect(hints).toEqual([
      '<sub>The poster and the GIF are on the runner (`poster-path`, `preview-path`). To show them here and in the ' +
        'pull request, set `preview-branch` to a branch of their own and give the job `contents: write`.</sub>',
    ])
    expect(summaryOf(made, { archive: true })).toContain('The poster and the GIF are on the runner and in the zip (')
    expect(summaryOf(made)).not.toContain('![')
  })

  it('without ffmpeg: the reason and the fix, in one line', () => {
    const skipped = "no ffmpeg on PATH. Set 'preview: true' to fetch a pinned, checksum-verified ffmpeg."
    const hints = lines(summaryOf({ ...done, preview: { skipped } })).filter((line) => line.startsWith('<sub>'))
    expect(hints).toEqual([`<sub>No preview: \` ${skipped} \`</sub>`])
  })

  it('a reason that quotes the video (ffmpeg’s words) is code: no link, no mention', () => {
    const skipped = 'ffmpeg cannot read it as a video (title : @octocat [Sign in](https://phish.example/login)).'
    const hints = lines(summaryOf({ ...done, preview: { skipped } })).filter((line) => line.startsWith('<sub>'))
    expect(hints).toEqual([`<sub>No preview: \` ${skipped} \`</sub>`])
  })

  it('no hint when publishing failed (the warning says why) or with preview: false', () => {
    expect(summaryOf({ ...done, preview: { files: previewFiles } }, { previewBranch: true })).not.toContain('<sub>')
    expect(summaryOf(done)).not.toContain('<sub>')
  })

  it('a batch shows its published previews as a grid, three to a row, each linking to its artifact', () => {
    const job = (name: string, withUrl = true): { name: string; result: RunResult } => ({
      name,
      result: {
        ...done,
        artifact: { ...done.artifact!, url: `${ARTIFACT}-${name}` },
        preview: { files: previewFiles, ...(withUrl ? { url: `${GIF_URL}#${name}` } : {}) },
      },
    })
    const summary = batchSummaryOf([job('a'), job('b'), job('c'), job('d'), job('e', false)], { previewBranch: true })
    const tile = (name: string): string =>
      `<td align="center"><a href="${ARTIFACT}-${name}"><img src="${GIF_URL}#${name}" width="240" alt="${name}"></a>` +
      `<br><code>${name}</code></td>`
    expect(lines(summary).slice(1, 7)).toEqual([
      '',
      '<table>',
      `<tr>${tile('a')}${tile('b')}${tile('c')}</tr>`,
      `<tr>${tile('d')}</tr>`,
      '</table>',
      '',
    ])
  })
})

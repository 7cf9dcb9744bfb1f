/**
 * Keeping a video at a public URL (`public-url`) and voices for reference-to-video (`reference-voices`) through the
 * bundle, against the emulator: the exact `storage_options` and `reference_audios` sent, the URL in the outputs,
 * the metadata, the summary and the cache (while it lasts), a storing failure as a warning, and the provider's
 * refusal of an unknown voice as the error.
 */
import { execFileSync } from 'node:child_process'
import { copyFile, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { emptyAccepted, scenarios, xaiDone } from '../emulator/scenarios.ts'
import { resolvePlaceholders, type Scenario } from '../emulator/server.ts'
import type { ResultsServiceFake } from '../fakes/results-service.ts'
import { bundleSession } from '../harness/bundle-session.ts'
import type { BundleRun, RunnerDirs } from '../harness/runner.ts'

const KEY = 'sk-keep-test-5e4d3c2b1a'
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures')
const PUBLIC = /^https:\/\/files\.example\.com\/file-[0-9a-f-]{36}\//

const session = bundleSession({ emulator: { apiKey: KEY }, results: true, secrets: [KEY] })

let runs = 0
/** Runs the bundle on `scenario` with its demo inputs and `inputs`, at the xAI-like root unless told. */
async function play(
  scenario: Scenario | keyof typeof scenarios,
  inputs: Record<string, string> = {},
  options: { prepare?: (dirs: RunnerDirs) => Promise<void>; base?: 'xai' | 'comet' } = {},
): Promise<BundleRun> {
  session.emulator.setScenario(scenario)
  const named = typeof scenario === 'string' ? scenarios[scenario] : scenario
  const demo = resolvePlaceholders(named.demo ?? {}, { videoOrigin: session.emulator.videoOrigin }) as Record<
    string,
    string
  >
  for (const [name, value] of Object.entries(demo)) {
    demo[name] = value.replace(/\{fixture:([^}]+)\}/g, (_, file: string) => path.join(FIXTURES, file))
  }
  return session.run({
    inputs: {
      'api-key': KEY,
      'base-url': options.base === 'comet' ? session.emulator.cometBaseUrl : session.emulator.xaiBaseUrl,
      'poll-interval-seconds': '0.05',
      // Every run uploads into the same fake workflow run, where artifact names must be unique.
      'artifact-name': `keep-${++runs}`,
      ...demo,
      ...inputs,
    },
    prepare: options.prepare,
  })
}

const sentBodies = (): Record<string, unknown>[] =>
  session.emulator.creates().map((create) => JSON.parse(create.body) as Record<string, unknown>)
const lines = (run: BundleRun, prefix: string): string[] =>
  run.stdout.split('\n').filter((line) => line.startsWith(prefix))
const metadataOf = async (run: BundleRun) =>
  JSON.parse(await readFile(run.outputs['metadata-path'], 'utf8')) as Record<string, unknown>

describe('public-url through the bundle', () => {
  it('a generation sends storage_options named after the artifact, and reports the URL with its expiry', async () => {
    const before = Date.now()
    const run = await play('xai-public-url', { 'artifact-name': 'nightly intro' })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(sentBodies()).toEqual([
      {
        prompt: 'A lighthouse at dusk.',
        model: 'grok-imagine-video',
        duration: 1,
        storage_options: { filename: 'nightly-intro.mp4', public_url: true, expires_after: 86400 },
      },
    ])
    const url = run.outputs['public-url']
    expect(url).toMatch(PUBLIC)
    expect(url.endsWith('/nightly-intro.mp4')).toBe(true)
    expect(run.outputs.status).toBe('done')
    const { publicUrl } = (await metadataOf(run)) as { publicUrl: { url: string; fileId: string; expiresAt: string } }
    expect(publicUrl.url).toBe(url)
    expect(publicUrl.fileId).toBe(`file-${run.outputs['request-id']}`)
    // Counted from the job's start: a day later, never after the provider's own expiry.
    const expires = Date.parse(publicUrl.expiresAt)
    expect(expires).toBeGreaterThanOrEqual(before + 86_400_000)
    expect(expires).toBeLessThanOrEqual(Date.now() + 86_400_000)
    expect(run.summary).toContain(`| Public URL | [\` ${url} \`](${url}) (until ${publicUrl.expiresAt}) |`)
    expect(lines(run, '::warning::')).toEqual([])
  })

  it('without artifact-name or expiry: a permanent URL, the file named by a hash of the request', async () => {
    const run = await play('xai-public-url', { 'artifact-name': '', 'public-url-expires-seconds': '' })
    expect(run.exitCode, run.stdout).toBe(0)
    const [body] = sentBodies()
    expect(body.storage_options).toEqual({
      filename: expect.stringMatching(/^grok-video-[0-9a-f]{12}\.mp4$/) as string,
      public_url: true,
    })
    // Not named after the request id: the job did not exist when the name was chosen.
    expect(JSON.stringify(body)).not.toContain(run.outputs['request-id'])
    expect(run.outputs['public-url']).toMatch(PUBLIC)
    expect(((await metadataOf(run)) as { publicUrl: { expiresAt: null } }).publicUrl.expiresAt).toBeNull()
    expect(run.summary).toContain('(permanent)')
  })

  it('an extension sends storage_options to /v1/videos/extensions', async () => {
    const extend = { ...scenarios['xai-extend'], name: 'xai-extend', expect: undefined }
    const run = await play(extend, { 'public-url': 'true', 'artifact-name': 'longer' })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(session.emulator.creates().map((create) => create.path)).toEqual(['/v1/videos/extensions'])
    expect(sentBodies()[0].storage_options).toEqual({ filename: 'longer.mp4', public_url: true })
    expect(run.outputs['public-url']).toMatch(PUBLIC)
  })

  it('a storage_error is a warning naming it; the run still succeeds with the downloaded video', async () => {
    const run = await play('xai-storage-error', { prompt: 'A lighthouse.', 'public-url': 'true' })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.outputs.status).toBe('done')
    expect(run.outputs['video-path']).toMatch(/\.mp4$/)
    expect(run.outputs['public-url']).toBe('')
    expect(lines(run, '::warning::')).toEqual([
      `::warning::Job ${run.outputs['request-id']}: the provider could not keep the video at a public URL (storage_error: Could not store the file: bucket quota exceeded.); the video was downloaded as usual, so 'public-url' is empty.`,
    ])
    expect(((await metadataOf(run)) as { publicUrl: null }).publicUrl).toBeNull()
    expect(run.summary).not.toContain('Public URL')
  })

  it('a huge storage_error that echoes the key: the warning quotes a bounded part of it, scrubbed', async () => {
    const words = `Storage refused for ${KEY}: ${'x'.repeat(100_000)}`
    const huge: Scenario = {
      name: 'huge-storage-error',
      poll: [emptyAccepted(), (ctx) => xaiDone(ctx, { storageError: words })],
    }
    const run = await play(huge, { prompt: 'A lighthouse.', 'public-url': 'true' })
    expect(run.exitCode, run.stdout).toBe(0)
    const [warning] = lines(run, '::warning::')
    expect(warning).toContain('(storage_error: Storage refused for ***: xxx')
    expect(warning.length).toBeLessThan(1_000)
    expect(run.outputs['public-url']).toBe('')
  })

  it('a public_url that is not https is not reported, and a warning says so', async () => {
    const run = await play('xai-public-url-not-https', { prompt: 'A lighthouse.', 'public-url': 'true' })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.outputs['public-url']).toBe('')
    expect(run.stdout).not.toContain('http://files.example.com')
    expect(lines(run, '::warning::')).toEqual([
      `::warning::Job ${run.outputs['request-id']}: the provider's public URL is not an https URL (a 'http' URL): it is not reported.`,
    ])
  })

  it('a dry run prints storage_options and reference_audios in the request body, and sends nothing', async () => {
    const run = await play('xai-reference-voices', {
      'dry-run': 'true',
      'public-url': 'true',
      'public-url-expires-seconds': '3600',
      'artifact-name': 'plan',
      'reference-voices': 'eve\nRex',
    })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(session.emulator.requests).toEqual([])
    expect(run.stdout).toContain(
      '    "storage_options": {\n      "filename": "plan.mp4",\n      "public_url": true,\n      "expires_after": 3600\n    }',
    )
    expect(run.stdout).toMatch(
      /"reference_audios": \[\s*\{\s*"voice_id": "eve"\s*\},\s*\{\s*"voice_id": "Rex"\s*\}\s*\]/,
    )
  })
})

/** Rewrites the text of a cached entry's record in place (same length: the tar's headers stay true). */
function rewriteCachedRecord(results: ResultsServiceFake, key: string, from: string, to: string): void {
  expect(to.length).toBe(from.length)
  const entry = results.caches.find((cached) => cached.key === key && cached.finalized)
  const blob = results.blobs.get(`actions-cache/${entry?.id}`)
  if (!entry || !blob) throw new Error(`no cache entry ${key}`)
  const zstd = blob.data.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))
  const tar = zstd ? execFileSync('zstd', ['-d', '--long=30', '-c'], { input: blob.data }) : gunzipSync(blob.data)
  const text = tar.toString('latin1')
  expect(text).toContain(from)
  const edited = Buffer.from(text.replace(from, to), 'latin1')
  const packed = zstd ? execFileSync('zstd', ['-q', '-c'], { input: edited }) : gzipSync(edited)
  blob.data = packed
  Object.assign(entry, { bytes: packed, size: packed.length })
}

describe('public-url and the cache through the bundle', () => {
  it('a hit reports the URL while it lasts, and leaves the output empty once it has expired (said in the log)', async () => {
    const inputs = { prompt: 'A lighthouse beam sweeps through fog.', cache: 'true', 'public-url': 'true' }
    const expiring = { ...inputs, 'public-url-expires-seconds': '3600' }
    const made = await play('xai-public-url', expiring)
    expect(made.exitCode, made.stdout).toBe(0)
    expect(made.outputs['cache-hit']).toBe('false')
    const url = made.outputs['public-url']
    expect(url).toMatch(PUBLIC)
    const { publicUrl } = (await metadataOf(made)) as { publicUrl: { expiresAt: string } }

    const lasting = await play('xai-public-url', expiring)
    expect(lasting.outputs['cache-hit']).toBe('true')
    expect(session.emulator.creates()).toEqual([])
    expect(lasting.outputs['public-url']).toBe(url)
    expect(((await metadataOf(lasting)) as { publicUrl: unknown }).publicUrl).toEqual({
      url,
      fileId: `file-${made.outputs['request-id']}`,
      expiresAt: publicUrl.expiresAt,
    })

    const past = '2020-01-01T00:00:00.000Z'
    rewriteCachedRecord(session.results, made.outputs['cache-key'], publicUrl.expiresAt, past)
    const expired = await play('xai-public-url', expiring)
    expect(expired.exitCode, expired.stdout).toBe(0)
    expect(expired.outputs['cache-hit'], expired.stdout).toBe('true')
    expect(expired.outputs['public-url']).toBe('')
    expect(expired.stdout).toContain(`The cached video's public URL expired at ${past}: 'public-url' is empty.`)
    expect(((await metadataOf(expired)) as { publicUrl: unknown }).publicUrl).toBeNull()

    // The same prompt without public-url, or with another expiry, is another request: a miss.
    const plain = await play('xai-public-url', { ...inputs, 'public-url': 'false', 'public-url-expires-seconds': '' })
    expect(plain.outputs['cache-hit']).toBe('false')
    expect(plain.outputs['cache-key']).not.toBe(made.outputs['cache-key'])
    const permanent = await play('xai-public-url', { ...inputs, 'public-url-expires-seconds': '' })
    expect(permanent.outputs['cache-hit']).toBe('false')
    expect(new Set([made, plain, permanent].map((r) => r.outputs['cache-key'])).size).toBe(3)
  })
})

describe('reference-voices through the bundle', () => {
  it('sends reference_audios beside reference_images, and shows the voices in the summary', async () => {
    const run = await play('xai-reference-voices')
    expect(run.exitCode, run.stdout).toBe(0)
    const [body] = sentBodies()
    expect(body.reference_audios).toEqual([{ voice_id: 'Eve' }])
    expect((body.reference_images as unknown[]).length).toBe(1)
    expect(run.summary).toContain('reference voices: ` Eve `')
  })

  it("an unknown voice: the provider's 400 listing the valid ones is the error, as code, and the step fails", async () => {
    const run = await play('xai-reference-voices', { 'reference-voices': 'eve\nzed' })
    expect(run.exitCode).toBe(1)
    expect(session.emulator.creates()).toHaveLength(1)
    expect(session.emulator.polls()).toEqual([])
    const [error] = lines(run, '::error::')
    expect(error).toContain("Invalid voice_id 'zed'. Valid voice ids: eve, ara, rex, sal, leo.")
    expect(run.summary).toMatch(
      /> \*\*Error:\*\* `[^`]*Invalid voice_id 'zed'\. Valid voice ids: eve, ara, rex, sal, leo\.[^`]*`/,
    )
  })
})

describe('a batch through the bundle', () => {
  it("names each job's stored copy after the job, lists public-url per job, and takes a job's own voices", async () => {
    const frame = path.join(FIXTURES, 'frame.png')
    const run = await play(
      'xai-public-url',
      {
        prompt: '',
        'prompts-file': 'prompts.yml',
        'public-url': 'true',
        'artifact-name': 'nightly',
        model: 'grok-imagine-video-1.5',
        'reference-images': frame,
        'reference-voices': 'ara',
        'max-concurrency': '1',
      },
      {
        prepare: (dirs) =>
          writeFile(
            path.join(dirs.workspace, 'prompts.yml'),
            [
              '- name: intro',
              '  prompt: <AUDIO_0> welcomes you.',
              '- name: outro',
              '  prompt: <AUDIO_0> and <AUDIO_1> say goodbye.',
              '  reference-voices: [leo, sal]',
              '- name: plain',
              '  prompt: No references here.',
              '  image: https://cdn.example.com/first.png',
            ].join('\n'),
          ),
      },
    )
    expect(run.exitCode, run.stdout).toBe(0)
    expect(sentBodies()).toHaveLength(3)
    const byName = (prompt: string) => sentBodies().find((body) => body.prompt === prompt)
    expect(byName('<AUDIO_0> welcomes you.')).toMatchObject({
      reference_audios: [{ voice_id: 'ara' }],
      storage_options: { filename: 'nightly-intro.mp4', public_url: true },
    })
    expect(byName('<AUDIO_0> and <AUDIO_1> say goodbye.')).toMatchObject({
      reference_audios: [{ voice_id: 'leo' }, { voice_id: 'sal' }],
      storage_options: { filename: 'nightly-outro.mp4', public_url: true },
    })
    // A job with its own first frame leaves the step's reference images and voices behind.
    const plain = byName('No references here.')
    expect(plain).not.toHaveProperty('reference_audios')
    expect(plain).not.toHaveProperty('reference_images')
    expect(plain).toMatchObject({ storage_options: { filename: 'nightly-plain.mp4', public_url: true } })

    const entries = JSON.parse(run.outputs.results) as { name: string; 'public-url'?: string }[]
    expect(entries.map((entry) => entry.name)).toEqual(['intro', 'outro', 'plain'])
    for (const entry of entries) {
      expect(entry['public-url']).toMatch(PUBLIC)
      expect(entry['public-url']?.endsWith(`/nightly-${entry.name}.mp4`)).toBe(true)
    }
    expect(run.outputs['public-url']).toBe('')
    for (const entry of entries) expect(run.summary).toContain(`[public URL](${entry['public-url']})`)
  })

  it("a job that is an edit, with the step's public-url: refused before any request, naming the job", async () => {
    const run = await play(
      'xai-public-url',
      { prompt: '', 'prompts-file': 'prompts.yml', 'public-url': 'true' },
      {
        prepare: (dirs) =>
          writeFile(
            path.join(dirs.workspace, 'prompts.yml'),
            '- name: intro\n  prompt: A lighthouse.\n- name: snow\n  operation: edit\n  prompt: Make it snow.\n  video: https://cdn.example.com/a.mp4\n',
          ),
      },
    )
    expect(run.exitCode).toBe(1)
    expect(session.emulator.requests).toEqual([])
    expect(lines(run, '::error::')).toEqual([
      "::error::Input 'prompts-file' job 'snow': 'public-url' is accepted with 'operation: generate' or 'operation: extend' only (the edits endpoint documents no stored output): set 'public-url: false' for an edit.",
    ])
  })
})

describe('what a review of public-url, reference-voices and Zero Data Retention found, through the bundle', () => {
  const finalized = (key: string) => session.results.caches.filter((entry) => entry.key === key && entry.finalized)

  it('a storage_error with cache: true saves nothing to the cache (the warning says so); the next run creates again', async () => {
    const inputs = { prompt: 'A lighthouse that could not be stored.', 'public-url': 'true', cache: 'true' }
    const first = await play('xai-storage-error', inputs)
    expect(first.exitCode, first.stdout).toBe(0)
    expect(finalized(first.outputs['cache-key'])).toEqual([])
    expect(lines(first, '::warning::')).toEqual([
      `::warning::Job ${first.outputs['request-id']}: the provider could not keep the video at a public URL (storage_error: Could not store the file: bucket quota exceeded.); the video was downloaded as usual, so 'public-url' is empty. The video is not saved to the cache, so the next run asks again.`,
    ])
    const second = await play('xai-public-url', inputs)
    expect(second.outputs['cache-hit']).toBe('false')
    expect(session.emulator.creates()).toHaveLength(1)
    expect(second.outputs['public-url']).toMatch(PUBLIC)
    expect(finalized(second.outputs['cache-key'])).toHaveLength(1)
  })

  it('a cached record whose public URL was edited to javascript: is not reported on a hit, and a warning says so', async () => {
    const inputs = { prompt: 'A lighthouse whose record is edited.', 'public-url': 'true', cache: 'true' }
    const made = await play('xai-public-url', inputs)
    expect(made.outputs['public-url']).toMatch(PUBLIC)
    rewriteCachedRecord(
      session.results,
      made.outputs['cache-key'],
      'https://files.example.com/',
      'javascript:alert(1)//aaaaa',
    )
    const hit = await play('xai-public-url', inputs)
    expect(hit.exitCode, hit.stdout).toBe(0)
    expect(hit.outputs['cache-hit']).toBe('true')
    expect(hit.outputs['public-url']).toBe('')
    expect(hit.stdout).not.toContain('javascript:')
    expect(hit.summary).not.toContain('javascript:')
    expect(lines(hit, '::warning::')).toEqual([
      "::warning::The cached video's public URL is not a plain https URL: it is not reported, so 'public-url' is empty.",
    ])
    expect(((await metadataOf(hit)) as { publicUrl: unknown }).publicUrl).toBeNull()
  })

  it('resuming a job created with an expiry reports its public URL with the expiry unknown, never permanent', async () => {
    const created = await play('xai-public-url', { wait: 'false', 'public-url-expires-seconds': '3600' })
    expect(created.outputs.status).toBe('pending')
    const id = created.outputs['request-id']
    // The same emulator scenario: it still knows the job.
    for (const [n, extra] of [
      [1, {}],
      [2, { 'public-url': 'true', 'public-url-expires-seconds': '3600' }],
    ] as const) {
      const resumed = await session.run({
        inputs: {
          'api-key': KEY,
          'base-url': session.emulator.xaiBaseUrl,
          'poll-interval-seconds': '0.05',
          'artifact-name': `keep-resumed-${n}`,
          'request-id': id,
          ...extra,
        },
      })
      expect(resumed.exitCode, resumed.stdout).toBe(0)
      expect(resumed.outputs['public-url']).toMatch(PUBLIC)
      const { publicUrl } = (await metadataOf(resumed)) as { publicUrl: { expiresAt: unknown } }
      expect(publicUrl.expiresAt).toBe('unknown')
      expect(resumed.summary).toContain('(expiry unknown)')
      expect(resumed.summary).not.toContain('permanent')
    }
  })

  it("a batch step's reference-voices without the step's reference-images: refused before any request", async () => {
    const run = await play(
      'xai-reference-voices',
      { prompt: '', 'prompts-file': 'prompts.yml', 'reference-images': '', 'reference-voices': 'ara' },
      {
        prepare: async (dirs) => {
          await copyFile(path.join(FIXTURES, 'frame.png'), path.join(dirs.workspace, 'frame.png'))
          await writeFile(
            path.join(dirs.workspace, 'prompts.yml'),
            `- name: own\n  prompt: <AUDIO_0> speaks.\n  reference-images: [frame.png]\n`,
          )
        },
      },
    )
    expect(run.exitCode).toBe(1)
    expect(session.emulator.requests).toEqual([])
    const [error] = lines(run, '::error::')
    expect(error).toContain("Input 'reference-voices' needs 'reference-images'")
    expect(error).toContain("In a batch the step's voices go with the step's 'reference-images'")
  })

  it("a batch job's own reference-images leave the step's voices behind, with a warning naming the job", async () => {
    const run = await play(
      'xai-reference-voices',
      { prompt: '', 'prompts-file': 'prompts.yml', 'max-concurrency': '1' },
      {
        prepare: async (dirs) => {
          await copyFile(path.join(FIXTURES, 'frame.png'), path.join(dirs.workspace, 'frame.png'))
          await writeFile(
            path.join(dirs.workspace, 'prompts.yml'),
            `- name: kept\n  prompt: <AUDIO_0> speaks.\n- name: own\n  prompt: Its own images.\n  reference-images: [frame.png]\n`,
          )
        },
      },
    )
    expect(run.exitCode, run.stdout).toBe(0)
    const own = sentBodies().find((body) => body.prompt === 'Its own images.')
    expect(own).not.toHaveProperty('reference_audios')
    expect(sentBodies().find((body) => body.prompt === '<AUDIO_0> speaks.')?.reference_audios).toEqual([
      { voice_id: 'Eve' },
    ])
    expect(lines(run, '::warning::')).toEqual([
      "::warning::[own] The step's 'reference-voices' are not used: the job's own 'reference-images' replaces the step's reference images, and the voices go with them. Give the job its own 'reference-voices' to keep voices.",
    ])
  })

  it('a Zero Data Retention refusal advises what the run can do: with public-url, and in a batch', async () => {
    const single = await play('create-400-zdr', { prompt: 'A lighthouse.', 'public-url': 'true' })
    expect(single.exitCode).toBe(1)
    const [error] = lines(single, '::error::')
    expect(error).toContain('public URLs are not available to Zero Data Retention teams')
    expect(error).not.toContain("set 'upload-url' to a signed https URL it can PUT")

    const batch = await play(
      'create-400-zdr',
      { prompt: '', 'prompts-file': 'prompts.yml' },
      {
        prepare: (dirs) =>
          writeFile(path.join(dirs.workspace, 'prompts.yml'), '- name: one\n  prompt: A lighthouse.\n'),
      },
    )
    expect(batch.exitCode).toBe(1)
    expect(batch.stdout).toContain("run the job as a single step with 'upload-url'")
    expect(batch.stdout).not.toContain("set 'upload-url' to a signed https URL it can PUT")
  })
})

import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../src/errors.js'
import { readInputs, type ActionConfig } from '../src/inputs.js'
import { startEmulator, type Emulator } from './emulator/server.ts'
import { runBundle } from './harness/runner.ts'

const FIXTURES = path.join(import.meta.dirname, 'fixtures')

/** Files the rows below point at, laid out in a workspace as a workflow would have them. */
async function populateWorkspace(dir: string): Promise<void> {
  await writeFile(path.join(dir, 'prompt.txt'), '\uFEFFA paper boat drifts down a gutter after rain.\n')
  await writeFile(path.join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xe0])) // "café à" in Latin-1
  await writeFile(path.join(dir, 'blank.txt'), ' \n\t\n')
  await writeFile(path.join(dir, 'huge.png'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x89))
  for (const name of ['frame.png', 'frame.jpg', 'frame.webp', 'not-an-image.png']) {
    await copyFile(path.join(FIXTURES, name), path.join(dir, name))
  }
  await copyFile(path.join(FIXTURES, 'frame.png'), path.join(dir, 'photo-without-extension'))
}

function configFrom(inputs: Record<string, string>, workspace: string): Promise<ActionConfig> {
  const masked: string[] = []
  return readInputs({
    getInput: (name) => (inputs[name] ?? '').trim(),
    mask: (s) => masked.push(s),
    env: { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: '/runner/temp' },
  })
}

interface BadRow {
  why: string
  inputs: Record<string, string>
  /** The input the message must name. */
  input: string
  /** What the message must say is accepted (or why the value is wrong). */
  says: RegExp
}

const BAD: BadRow[] = [
  { why: 'no api-key', inputs: { 'api-key': '' }, input: 'api-key', says: /required/ },
  {
    why: 'neither prompt nor prompt-file',
    inputs: { prompt: '' },
    input: 'prompt',
    says: /exactly one of 'prompt'.*'prompt-file'/,
  },
  {
    why: 'both prompt and prompt-file',
    inputs: { 'prompt-file': 'prompt.txt' },
    input: 'prompt',
    says: /'prompt-file' were both given/,
  },
  {
    why: 'missing prompt file',
    inputs: { prompt: '', 'prompt-file': 'nope.txt' },
    input: 'prompt-file',
    says: /does not exist/,
  },
  {
    why: 'prompt file not UTF-8',
    inputs: { prompt: '', 'prompt-file': 'latin1.txt' },
    input: 'prompt-file',
    says: /not valid UTF-8/,
  },
  { why: 'blank prompt file', inputs: { prompt: '', 'prompt-file': 'blank.txt' }, input: 'prompt-file', says: /empty/ },
  {
    why: 'prompt over 4,096 characters',
    inputs: { prompt: 'é'.repeat(4097) },
    input: 'prompt',
    says: /4097 characters.*at most 4096/,
  },
  { why: 'duration 0', inputs: { duration: '0' }, input: 'duration', says: /whole number from 1 to 15; got '0'/ },
  { why: 'duration 16', inputs: { duration: '16' }, input: 'duration', says: /from 1 to 15; got '16'/ },
  { why: 'duration 1.5', inputs: { duration: '1.5' }, input: 'duration', says: /whole number from 1 to 15/ },
  { why: 'duration abc', inputs: { duration: 'abc' }, input: 'duration', says: /whole number from 1 to 15/ },
  {
    why: 'unknown aspect ratio',
    inputs: { 'aspect-ratio': '5:4' },
    input: 'aspect-ratio',
    says: /1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3/,
  },
  { why: 'unknown resolution', inputs: { resolution: '4k' }, input: 'resolution', says: /480p, 720p, 1080p/ },
  { why: '1080p on the base model', inputs: { resolution: '1080p' }, input: 'resolution', says: /1\.5 model/ },
  {
    why: 'image path missing',
    inputs: { image: 'frames/missing.png' },
    input: 'image',
    says: /not an existing file.*https:\/\/ URL/,
  },
  { why: 'image over 10 MiB', inputs: { image: 'huge.png' }, input: 'image', says: /at most 10 MiB/ },
  { why: 'image that is text', inputs: { image: 'not-an-image.png' }, input: 'image', says: /not a PNG, JPEG or WebP/ },
  {
    why: 'image data URL of another type',
    inputs: { image: 'data:image/gif;base64,R0lGODlh' },
    input: 'image',
    says: /data:image\/\(png\|jpeg\|webp\);base64/,
  },
  {
    why: 'image over plain http',
    inputs: { image: 'http://example.com/a.png' },
    input: 'image',
    says: /unsupported scheme/,
  },
  {
    why: 'base-url over http to a public host',
    inputs: { 'base-url': 'http://api.example.com/v1' },
    input: 'base-url',
    says: /must use https.*localhost, 127\.0\.0\.0\/8 or \[::1\]/,
  },
  { why: 'base-url not a URL', inputs: { 'base-url': 'api.x.ai/v1' }, input: 'base-url', says: /must be an https URL/ },
  {
    why: 'base-url with credentials',
    inputs: { 'base-url': 'https://user:pw@api.x.ai/v1' },
    input: 'base-url',
    says: /without credentials/,
  },
  {
    why: 'timeout below poll interval',
    inputs: { 'timeout-seconds': '3', 'poll-interval-seconds': '5' },
    input: 'timeout-seconds',
    says: /at least 'poll-interval-seconds'/,
  },
  { why: 'timeout zero', inputs: { 'timeout-seconds': '0' }, input: 'timeout-seconds', says: /positive number/ },
  { why: 'timeout words', inputs: { 'timeout-seconds': 'ten' }, input: 'timeout-seconds', says: /positive number/ },
  {
    why: 'poll interval negative',
    inputs: { 'poll-interval-seconds': '-1' },
    input: 'poll-interval-seconds',
    says: /positive number/,
  },
  {
    why: 'poll interval of a millisecond against xAI',
    inputs: { 'base-url': 'https://api.x.ai/v1', 'poll-interval-seconds': '0.001' },
    input: 'poll-interval-seconds',
    says: /at least 1 second \(shorter only with a loopback 'base-url'.*got '0\.001'/,
  },
  {
    why: 'poll interval under a second against the default CometAPI host',
    inputs: { 'base-url': '', 'poll-interval-seconds': '0.5' },
    input: 'poll-interval-seconds',
    says: /at least 1 second/,
  },
  { why: 'retention 0 days', inputs: { 'retention-days': '0' }, input: 'retention-days', says: /from 1 to 90/ },
  { why: 'retention 91 days', inputs: { 'retention-days': '91' }, input: 'retention-days', says: /from 1 to 90/ },
  {
    why: 'retention 7.5 days',
    inputs: { 'retention-days': '7.5' },
    input: 'retention-days',
    says: /whole number from 1 to 90/,
  },
  {
    why: 'artifact name with a slash',
    inputs: { 'artifact-name': 'videos/candle' },
    input: 'artifact-name',
    says: /none of " : < > \| \* \? \\ \//,
  },
  {
    why: 'artifact name with a colon',
    inputs: { 'artifact-name': 'take:2' },
    input: 'artifact-name',
    says: /character artifacts may not have/,
  },
  { why: 'wait not a boolean', inputs: { wait: 'yes' }, input: 'wait', says: /'true' or 'false'; got 'yes'/ },
  {
    why: 'upload-artifact not a boolean',
    inputs: { 'upload-artifact': 'maybe' },
    input: 'upload-artifact',
    says: /'true' or 'false'/,
  },
  { why: 'archive not a boolean', inputs: { archive: '1' }, input: 'archive', says: /'true' or 'false'; got '1'/ },
]

const VALID = {
  'api-key': 'k-123',
  prompt: 'A candle flickers on a wooden table.',
  'base-url': 'http://127.0.0.1:9/v1',
}

describe('readInputs', () => {
  let workspace: string
  beforeAll(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), 'inputs-'))
    await populateWorkspace(workspace)
  })
  afterAll(() => rm(workspace, { recursive: true, force: true }))

  it('applies the documented defaults and sends only what the user set', async () => {
    const config = await configFrom({ 'api-key': 'k-123', prompt: 'A candle.' }, workspace)
    expect(config).toMatchObject({
      baseUrl: 'https://api.cometapi.com/grok/v1',
      provider: 'CometAPI',
      wait: true,
      timeoutSeconds: 600,
      pollIntervalSeconds: 5,
      outputDir: '/runner/temp/grok-video',
      uploadArtifact: true,
      archive: false,
    })
    expect(config.artifactName).toBeUndefined()
    expect(config.retentionDays).toBeUndefined()
    expect(config.request).toEqual({ prompt: 'A candle.', model: 'grok-imagine-video', duration: 1 })
  })

  it('puts every optional field in the request when set', async () => {
    const config = await configFrom(
      {
        ...VALID,
        model: 'grok-imagine-video-1.5',
        duration: '8',
        'aspect-ratio': '9:16',
        resolution: '1080p',
        image: 'https://cdn.example.com/f.png',
        user: 'u-7',
      },
      workspace,
    )
    expect(config.request).toEqual({
      prompt: VALID.prompt,
      model: 'grok-imagine-video-1.5',
      duration: 8,
      aspect_ratio: '9:16',
      resolution: '1080p',
      image: { url: 'https://cdn.example.com/f.png' },
      user: 'u-7',
    })
  })

  it('reads prompt-file relative to the workspace, without BOM or trailing newline', async () => {
    const config = await configFrom({ ...VALID, prompt: '', 'prompt-file': 'prompt.txt' }, workspace)
    expect(config.request?.prompt).toBe('A paper boat drifts down a gutter after rain.')
  })

  it.each([
    ['frame.png', 'image/png'],
    ['frame.jpg', 'image/jpeg'],
    ['frame.webp', 'image/webp'],
    ['photo-without-extension', 'image/png'],
  ])('turns the local image %s into a %s data URL, judged by its bytes', async (file, mime) => {
    const config = await configFrom({ ...VALID, image: file }, workspace)
    const bytes = await import('node:fs/promises').then((fs) => fs.readFile(path.join(workspace, file)))
    expect(config.request?.image?.url).toBe(`data:${mime};base64,${bytes.toString('base64')}`)
    expect(config.image?.label).toContain(file)
  })

  it('masks the API key before anything else is read', async () => {
    const order: string[] = []
    await readInputs({
      getInput: (name) => {
        order.push(`get ${name}`)
        return name === 'api-key' ? 'secret-1' : name === 'prompt' ? 'p' : ''
      },
      mask: (s) => order.push(`mask ${s}`),
      env: {},
    })
    expect(order.slice(0, 2)).toEqual(['get api-key', 'mask secret-1'])
  })

  it('lets a resumed run go without a prompt', async () => {
    const config = await configFrom({ 'api-key': 'k', 'request-id': 'req-1' }, workspace)
    expect(config.resumeRequestId).toBe('req-1')
    expect(config.request).toBeUndefined()
  })

  it('accepts http on loopback hosts and trims a trailing slash', async () => {
    for (const url of ['http://localhost:8080/v1/', 'http://127.3.4.5/v1', 'http://[::1]:9/grok/v1']) {
      const config = await configFrom({ ...VALID, 'base-url': url }, workspace)
      expect(config.baseUrl).toBe(url.replace(/\/$/, ''))
    }
  })

  it.each([
    { host: 'https://api.x.ai/v1', interval: '1', expected: 1 },
    { host: 'http://127.0.0.1:9/v1', interval: '0.05', expected: 0.05 },
    { host: 'http://localhost:8080/v1', interval: '0.2', expected: 0.2 },
    { host: 'http://[::1]:9/v1', interval: '0.001', expected: 0.001 },
  ])('accepts poll-interval-seconds $interval with base-url $host', async ({ host, interval, expected }) => {
    const config = await configFrom({ ...VALID, 'base-url': host, 'poll-interval-seconds': interval }, workspace)
    expect(config.pollIntervalSeconds).toBe(expected)
  })

  it(`rejects ${BAD.length} bad values, each naming its input and what it accepts`, async () => {
    expect(BAD.length).toBeGreaterThanOrEqual(25)
    for (const row of BAD) {
      const attempt = configFrom({ ...VALID, ...row.inputs }, workspace)
      await expect(attempt, row.why).rejects.toBeInstanceOf(InputError)
      const error = (await attempt.catch((e: InputError) => e)) as InputError
      expect(error.input, row.why).toBe(row.input)
      expect(error.message, row.why).toContain(`'${row.input}'`)
      expect(error.message, row.why).toMatch(row.says)
    }
  })
})

describe('bad inputs through the bundle', () => {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: 'xai-done' })
  })
  afterAll(() => emulator.close())

  it('fail the step with exit code 1 and the input named, before any request', async () => {
    const runs = await mapLimit(BAD, 4, async (row) => {
      const run = await runBundle({
        inputs: { ...VALID, 'base-url': emulator.xaiBaseUrl, ...row.inputs },
        prepare: (dirs) => populateWorkspace(dirs.workspace),
      })
      await rm(run.dirs.root, { recursive: true, force: true })
      return { row, run }
    })
    for (const { row, run } of runs) {
      expect(run.exitCode, row.why).toBe(1)
      const errorLine = run.stdout.split('\n').find((line) => line.startsWith('::error::'))
      expect(errorLine, row.why).toContain(`'${row.input}'`)
      expect(run.outputs['request-id'] ?? '', row.why).toBe('')
    }
    expect(emulator.requests).toEqual([])
  })
})

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

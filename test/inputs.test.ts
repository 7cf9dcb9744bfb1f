import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../src/errors.js'
import { readInputs, type ActionConfig } from '../src/inputs.js'
import { BAD, FIXTURES, populateWorkspace, UPLOAD_URL, VALID } from './harness/bad-inputs.ts'
import { textMatching } from './harness/matchers.ts'

// Trap: on Windows '/runner/temp' has no drive, and the action would resolve it onto the workspace's; this one has.
const RUNNER_TEMP = path.resolve('/runner/temp')

function configFrom(
  inputs: Record<string, string>,
  workspace: string,
  env: Record<string, string> = {},
): Promise<ActionConfig> {
  const masked: string[] = []
  return readInputs({
    getInput: (name) => (inputs[name] ?? '').trim(),
    mask: (s) => masked.push(s),
    env: { GITHUB_WORKSPACE: workspace, RUNNER_TEMP, ...env },
  })
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
      outputDir: path.join(RUNNER_TEMP, 'grok-video'),
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

  it('masks attachment-token right after the key, before any other input is read, even when the key is missing', async () => {
    for (const key of ['secret-1', '']) {
      const order: string[] = []
      const read = readInputs({
        getInput: (name) => {
          order.push(`get ${name}`)
          return name === 'api-key' ? key : name === 'attachment-token' ? 'github_pat_2' : name === 'prompt' ? 'p' : ''
        },
        mask: (s) => order.push(`mask ${s}`),
        env: {},
      })
      if (key) expect((await read).attachmentToken).toBe('github_pat_2')
      else await expect(read).rejects.toThrow("Input 'api-key' is required")
      expect(order.filter((step) => step !== 'mask secret-1').slice(0, 3)).toEqual([
        'get api-key',
        'get attachment-token',
        'mask github_pat_2',
      ])
    }
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

  it('builds an edit: prompt, video as a data URL of the local MP4, model and user; no duration', async () => {
    const config = await configFrom(
      { ...VALID, operation: 'edit', video: 'clip-3s.mp4', user: 'u-7', duration: '' },
      workspace,
    )
    const clip = await readFile(path.join(FIXTURES, 'clip-3s.mp4'))
    expect(config.operation).toBe('edit')
    expect(config.request).toEqual({
      prompt: VALID.prompt,
      video: { url: `data:video/mp4;base64,${clip.toString('base64')}` },
      model: 'grok-imagine-video',
      user: 'u-7',
    })
    expect(config.video).toMatchObject({ label: `clip-3s.mp4 (${clip.length} bytes)`, seconds: 3 })
  })

  it('builds an extension of 6 s when duration is empty, and of the given length otherwise', async () => {
    const url = 'https://cdn.example.com/previous.mp4'
    const six = await configFrom({ ...VALID, operation: 'extend', video: url }, workspace)
    expect(six.request).toEqual({ prompt: VALID.prompt, video: { url }, model: 'grok-imagine-video', duration: 6 })
    expect(six.video).toEqual({ ref: { url }, label: url, identity: { url } })
    const ten = await configFrom({ ...VALID, operation: 'extend', video: url, duration: '10' }, workspace)
    expect(ten.request?.duration).toBe(10)
  })

  it('judges a local video by its bytes, not its name', async () => {
    const config = await configFrom({ ...VALID, operation: 'edit', video: 'clip-3s-renamed.png' }, workspace)
    expect(config.request?.video).toEqual({ url: textMatching(/^data:video\/mp4;base64,AAAA/) })
  })

  it('sends a local video over 10 MiB through the Files API when base-url is xAI-like', async () => {
    const config = await configFrom({ ...VALID, operation: 'extend', video: 'large.mp4' }, workspace)
    expect(config.video).toMatchObject({
      upload: { path: path.join(workspace, 'large.mp4'), bytes: 10 * 1024 * 1024 + 1 },
      seconds: 3,
    })
    expect(config.request).toEqual({ prompt: VALID.prompt, model: 'grok-imagine-video', duration: 6 })
  })

  it('takes a data: URL video up to 10 MiB and refuses a larger one (the reader, not the runner, sets this limit)', async () => {
    const clip = await readFile(path.join(FIXTURES, 'clip-3s.mp4'))
    const small = `data:video/mp4;base64,${clip.toString('base64')}`
    const config = await configFrom({ ...VALID, operation: 'edit', video: small }, workspace)
    expect(config.request?.video).toEqual({ url: small })
    expect(config.video?.label).toBe(`data URL (video/mp4, ${clip.length} bytes)`)
    // Through a runner an input this large cannot even reach the action (about 128 KiB per variable).
    const padded = Buffer.concat([clip, Buffer.alloc(10 * 1024 * 1024 + 1 - clip.length)])
    const large = `data:video/mp4;base64,${padded.toString('base64')}`
    await expect(configFrom({ ...VALID, operation: 'edit', video: large }, workspace)).rejects.toThrow(
      /Input 'video' is a data URL of 10485761 bytes; at most 10 MiB is sent inline\./,
    )
  })

  it('sends reference images as reference_images, each read as image is, in order', async () => {
    const config = await configFrom(
      {
        ...VALID,
        prompt: '<IMAGE_0> meets <IMAGE_1>.',
        'reference-images': 'frame.png\n\n  https://cdn.example.com/b.jpg \n',
      },
      workspace,
    )
    const png = await readFile(path.join(FIXTURES, 'frame.png'))
    expect(config.request).toEqual({
      prompt: '<IMAGE_0> meets <IMAGE_1>.',
      model: 'grok-imagine-video',
      duration: 1,
      reference_images: [
        { url: `data:image/png;base64,${png.toString('base64')}` },
        { url: 'https://cdn.example.com/b.jpg' },
      ],
    })
    expect(config.referenceImages?.map((image) => image.label)).toEqual([
      'frame.png (image/png, 189 bytes)',
      'https://cdn.example.com/b.jpg',
    ])
  })

  it('masks upload-url (and its signature) before anything else is validated, and sends it as output.upload_url', async () => {
    const masked: string[] = []
    const inputs: Record<string, string> = { ...VALID, 'upload-url': UPLOAD_URL, duration: '99' }
    const attempt = readInputs({ getInput: (name) => inputs[name] ?? '', mask: (s) => masked.push(s), env: {} })
    await expect(attempt).rejects.toThrow(/'duration'/)
    expect(masked).toEqual(['k-123', UPLOAD_URL, 'X-Amz-Signature=0123456789abcdef'])
    const config = await configFrom({ ...VALID, 'upload-url': UPLOAD_URL }, workspace)
    expect(config.uploadUrl).toBe(UPLOAD_URL)
    expect(config.request?.output).toEqual({ upload_url: UPLOAD_URL })
  })

  it('lets a resumed edit go without prompt or video; upload-url then says the job delivers there', async () => {
    const config = await configFrom(
      { 'api-key': 'k', 'request-id': 'req-1', operation: 'edit', 'upload-url': UPLOAD_URL },
      workspace,
    )
    expect(config).toMatchObject({ operation: 'edit', resumeRequestId: 'req-1', uploadUrl: UPLOAD_URL })
    expect(config.request).toBeUndefined()
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

  it.each(BAD)('rejects $why, naming $input and what it accepts', async (row) => {
    const attempt = configFrom({ ...VALID, ...row.inputs }, workspace, row.env?.(workspace))
    await expect(attempt).rejects.toBeInstanceOf(InputError)
    const error = (await attempt.catch((e: InputError) => e)) as InputError
    expect(error.input).toBe(row.input)
    expect(error.message).toContain(`'${row.input}'`)
    expect(error.message).toMatch(row.says)
  })
})

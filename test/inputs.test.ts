import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../src/errors.js'
import { readInputs, type ActionConfig } from '../src/inputs.js'
import { startEmulator, type Emulator } from './emulator/server.ts'
import { textMatching } from './harness/matchers.ts'
import { makeRunnerDirs, runBundle, type RunnerDirs } from './harness/runner.ts'

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
  for (const name of ['tiny.mp4', 'clip-3s.mp4', 'clip-16s.mp4'])
    await copyFile(path.join(FIXTURES, name), path.join(dir, name))
  await copyFile(path.join(FIXTURES, 'clip-3s.mp4'), path.join(dir, 'clip-3s-renamed.png'))
  // Past the inline limit (10 MiB) and past the Files API's (48 MB): the 3 s clip with zeros after it (sparse files).
  await copyFile(path.join(FIXTURES, 'clip-3s.mp4'), path.join(dir, 'large.mp4'))
  await truncate(path.join(dir, 'large.mp4'), 10 * 1024 * 1024 + 1)
  await copyFile(path.join(FIXTURES, 'clip-3s.mp4'), path.join(dir, 'huge.mp4'))
  await truncate(path.join(dir, 'huge.mp4'), 48_000_001)
}

/** Eight reference images, one per line: one more than the API takes. */
const EIGHT_IMAGES = Array.from({ length: 8 }, (_, i) => `https://cdn.example.com/ref-${i}.png`).join('\n')
const UPLOAD_URL = 'https://storage.example.com/bucket/out.mp4?X-Amz-Signature=0123456789abcdef'

// Trap: on Windows '/runner/temp' has no drive, and the action would resolve it onto the workspace's; this one has.
const RUNNER_TEMP = path.resolve('/runner/temp')

function configFrom(inputs: Record<string, string>, workspace: string): Promise<ActionConfig> {
  const masked: string[] = []
  return readInputs({
    getInput: (name) => (inputs[name] ?? '').trim(),
    mask: (s) => masked.push(s),
    env: { GITHUB_WORKSPACE: workspace, RUNNER_TEMP },
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
    why: "a request-id whose '..' part would move the status URL",
    inputs: { prompt: '', 'request-id': '..' },
    input: 'request-id',
    says: /no part between slashes empty, '\.' or '\.\.'/,
  },
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
  // The whole video API.
  { why: 'unknown operation', inputs: { operation: 'remix' }, input: 'operation', says: /generate, edit, extend/ },
  {
    why: 'an edit with duration',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', duration: '5' },
    input: 'duration',
    says: /not accepted with 'operation: edit' \(an edit keeps its input video's length\)/,
  },
  {
    why: 'an edit with aspect-ratio',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', 'aspect-ratio': '16:9' },
    input: 'aspect-ratio',
    says: /not accepted with 'operation: edit'/,
  },
  {
    why: 'an edit with resolution',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', resolution: '720p' },
    input: 'resolution',
    says: /not accepted with 'operation: edit'.*at most 720p/,
  },
  {
    why: 'an edit with a first-frame image',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', image: 'frame.png' },
    input: 'image',
    says: /not accepted with 'operation: edit'/,
  },
  {
    why: 'an edit without video',
    inputs: { operation: 'edit' },
    input: 'video',
    says: /required with 'operation: edit': the path of a local MP4 \(e\.g\. a previous step's 'video-path'\) or an https URL/,
  },
  {
    why: 'an edit of a video over 8.7 s',
    inputs: { operation: 'edit', video: 'clip-16s.mp4' },
    input: 'video',
    says: /plays 16\.00 s; 'edit' accepts an input video of at most 8\.7 s/,
  },
  {
    why: 'an extension of 11 s',
    inputs: { operation: 'extend', video: 'clip-3s.mp4', duration: '11' },
    input: 'duration',
    says: /whole number from 2 to 10; got '11'/,
  },
  {
    why: 'an extension of 1 s',
    inputs: { operation: 'extend', video: 'clip-3s.mp4', duration: '1' },
    input: 'duration',
    says: /from 2 to 10; got '1'/,
  },
  {
    why: 'an extension of a 1 s video',
    inputs: { operation: 'extend', video: 'tiny.mp4' },
    input: 'video',
    says: /plays 1\.00 s; 'extend' accepts an input video of 2–15 s/,
  },
  {
    why: 'an extension of a 16 s video',
    inputs: { operation: 'extend', video: 'clip-16s.mp4' },
    input: 'video',
    says: /plays 16\.00 s; 'extend' accepts an input video of 2–15 s/,
  },
  {
    why: 'an extension with aspect-ratio',
    inputs: { operation: 'extend', video: 'clip-3s.mp4', 'aspect-ratio': '9:16' },
    input: 'aspect-ratio',
    says: /not accepted with 'operation: extend'/,
  },
  {
    why: 'an extension with user',
    inputs: { operation: 'extend', video: 'clip-3s.mp4', user: 'u-1' },
    input: 'user',
    says: /the extensions endpoint takes no end-user id/,
  },
  {
    why: 'video on generate',
    inputs: { video: 'clip-3s.mp4' },
    input: 'video',
    says: /not accepted with 'operation: generate' \('video' is the input of 'operation: edit' or 'operation: extend'\)/,
  },
  {
    why: 'a video that is not an MP4',
    inputs: { operation: 'edit', video: 'frame.png' },
    input: 'video',
    says: /frame\.png \(189 bytes\) is not an MP4 \(judged by its content: no 'ftyp' box\)/,
  },
  {
    why: 'a video path that does not exist',
    inputs: { operation: 'edit', video: 'out/missing.mp4' },
    input: 'video',
    says: /not an existing file: accepts the path of a local MP4 \(e\.g\. a previous step's 'video-path'\)/,
  },
  {
    why: 'a video over plain http',
    inputs: { operation: 'edit', video: 'http://example.com/a.mp4' },
    input: 'video',
    says: /unsupported scheme \('http'\)/,
  },
  {
    why: 'a video data URL of another type',
    inputs: { operation: 'edit', video: 'data:video/webm;base64,GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQRChYEC' },
    input: 'video',
    says: /data URL of the wrong form: accepts .*data:video\/mp4;base64,/,
  },
  {
    why: 'a video data URL whose bytes are not an MP4',
    inputs: { operation: 'edit', video: 'data:video/mp4;base64,iVBORw0KGgoAAAANSUhEUgAAAAE=' },
    input: 'video',
    says: /data URL \(video\/mp4, 20 bytes\) is not an MP4/,
  },
  {
    why: 'a local video over 10 MiB through CometAPI',
    inputs: { operation: 'edit', video: 'large.mp4', 'base-url': 'http://127.0.0.1:9/grok/v1' },
    input: 'video',
    says: /over 10 MiB a video goes through xAI's Files API, which CometAPI does not offer\. Give an https URL instead \(e\.g\. the previous step's 'video-url'; after a cache hit it is empty: run that step with 'cache: false' for a fresh one, or host the file at an https URL of your own\)/,
  },
  {
    why: 'a local video over 48 MB',
    inputs: { operation: 'extend', video: 'huge.mp4' },
    input: 'video',
    says: /is 48000001 bytes; a local video may have at most 48 MB/,
  },
  {
    why: '8 reference images',
    inputs: { 'reference-images': EIGHT_IMAGES },
    input: 'reference-images',
    says: /lists 8 images; at most 7 are accepted/,
  },
  {
    why: 'reference-images with image',
    inputs: { 'reference-images': 'frame.png', image: 'frame.jpg' },
    input: 'reference-images',
    says: /cannot be combined with 'image'/,
  },
  {
    why: 'reference-images at 1080p',
    inputs: { 'reference-images': 'frame.png', model: 'grok-imagine-video-1.5', resolution: '1080p' },
    input: 'reference-images',
    says: /cannot be combined with 'resolution: 1080p'/,
  },
  {
    why: 'a reference image that is not an image',
    inputs: { 'reference-images': 'frame.png\nnot-an-image.png' },
    input: 'reference-images',
    says: /'not-an-image\.png' is not a PNG, JPEG or WebP image/,
  },
  {
    why: 'reference-images on an edit',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', 'reference-images': 'frame.png' },
    input: 'reference-images',
    says: /not accepted with 'operation: edit' \(reference images belong to 'operation: generate'\)/,
  },
  {
    why: 'upload-url with cache: true',
    inputs: { 'upload-url': UPLOAD_URL, cache: 'true' },
    input: 'upload-url',
    says: /cannot be combined with 'cache: true'/,
  },
  {
    why: 'upload-url that is not https',
    inputs: { 'upload-url': 'http://storage.example.com/bucket/out.mp4?X-Amz-Signature=0123456789abcdef' },
    input: 'upload-url',
    says: /must be an https URL \(a signed URL of your storage\); got a 'http' URL\.$/,
  },
  {
    why: 'upload-url that is not a URL',
    inputs: { 'upload-url': 'bucket/out.mp4' },
    input: 'upload-url',
    says: /is not a valid URL/,
  },
  {
    why: 'upload-url with prompts-file',
    inputs: { 'upload-url': UPLOAD_URL, 'prompts-file': 'prompts.yml' },
    input: 'upload-url',
    says: /cannot be combined with 'prompts-file': one signed URL holds one video/,
  },
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
    const attempt = configFrom({ ...VALID, ...row.inputs }, workspace)
    await expect(attempt).rejects.toBeInstanceOf(InputError)
    const error = (await attempt.catch((e: InputError) => e)) as InputError
    expect(error.input).toBe(row.input)
    expect(error.message).toContain(`'${row.input}'`)
    expect(error.message).toMatch(row.says)
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
  }, 300_000) // one bundle run per row, four at a time
})

describe("the step's own paths and the links in a checkout, through the bundle", () => {
  /** What a checkout leaves in `.git/config`: the job token, which must never be read, sent or shown. */
  const CHECKOUT_TOKEN = 'eC1hY2Nlc3MtdG9rZW46Z2hzX3N0ZXBQYXRoVG9rZW4='
  const OUTSIDE_TEXT = 'A file beside the workspace, not meant for the provider.'
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: 'xai-done' })
  })
  afterAll(() => emulator.close())

  /**
   * A checkout a pull request changed: its files turned into links to `.git/config` and out of the workspace.
   * Beside it, another repository's `.git` and a previous step's files in RUNNER_TEMP.
   */
  async function checkout(dirs: RunnerDirs): Promise<void> {
    const inWorkspace = (...parts: string[]) => path.join(dirs.workspace, ...parts)
    await mkdir(inWorkspace('.git'))
    await writeFile(
      inWorkspace('.git', 'config'),
      `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${CHECKOUT_TOKEN}\n`,
    )
    await mkdir(path.join(dirs.root, 'other', '.git'), { recursive: true })
    await writeFile(path.join(dirs.root, 'other', '.git', 'config'), `token ${CHECKOUT_TOKEN}\n`)
    await writeFile(path.join(dirs.root, 'outside.txt'), OUTSIDE_TEXT)
    await copyFile(path.join(FIXTURES, 'clip-3s.mp4'), path.join(dirs.root, 'outside.mp4'))
    await copyFile(path.join(FIXTURES, 'frame.png'), path.join(dirs.root, 'outside.png'))
    for (const name of ['prompt.txt', 'frame.png', 'prompts.yml'])
      await symlink(inWorkspace('.git', 'config'), inWorkspace(name))
    await symlink(path.join(dirs.root, 'outside.mp4'), inWorkspace('clip.mp4'))
    await symlink(path.join(dirs.root, 'outside.png'), inWorkspace('reference.png'))
    // What a workflow may name: a previous step's prompt in RUNNER_TEMP, and a link that stays in the workspace.
    await writeFile(path.join(dirs.runnerTemp, 'step-prompt.txt'), 'A kite over the dunes.')
    await copyFile(path.join(FIXTURES, 'frame.png'), inWorkspace('still.png'))
    await symlink(inWorkspace('still.png'), inWorkspace('still-link.png'))
    await symlink(dirs.workspace, path.join(dirs.root, 'workspace-alias'))
  }

  it.each<{
    why: string
    inputs: Record<string, string> | ((dirs: RunnerDirs) => Record<string, string>)
    input: string
    says: RegExp
  }>([
    {
      why: 'prompt-file turned into a link to .git/config',
      inputs: { prompt: '', 'prompt-file': 'prompt.txt' },
      input: 'prompt-file',
      says: /'prompt\.txt' is a symlink into '\.git\/'/,
    },
    {
      why: 'image turned into a link to .git/config',
      inputs: { image: 'frame.png' },
      input: 'image',
      says: /'frame\.png' is a symlink into '\.git\/'/,
    },
    {
      why: 'prompts-file turned into a link to .git/config',
      inputs: { prompt: '', 'prompts-file': 'prompts.yml' },
      input: 'prompts-file',
      says: /'prompts\.yml' is a symlink into '\.git\/'/,
    },
    {
      why: 'a video that is a link out of the workspace',
      inputs: { operation: 'extend', video: 'clip.mp4' },
      input: 'video',
      says: /'clip\.mp4' is a symlink that leads out of the workspace/,
    },
    {
      why: 'a reference image that is a link out of the workspace',
      inputs: { 'reference-images': 'still.png\nreference.png' },
      input: 'reference-images',
      says: /'reference\.png' is a symlink that leads out of the workspace/,
    },
    {
      why: "a literal path under the workspace's .git",
      inputs: { prompt: '', 'prompt-file': '.git/config' },
      input: 'prompt-file',
      says: /'\.git\/config' is under '\.git\/'/,
    },
    {
      why: "a literal absolute path under another repository's .git",
      inputs: (dirs) => ({ prompt: '', 'prompt-file': path.join(dirs.root, 'other', '.git', 'config') }),
      input: 'prompt-file',
      says: /is under '\.git\/'/,
    },
  ])('refuses $why before any request, naming $input', async (row) => {
    const dirs = await makeRunnerDirs('grok-step-paths-')
    try {
      await checkout(dirs)
      const inputs = typeof row.inputs === 'function' ? row.inputs(dirs) : row.inputs
      const before = emulator.requests.length
      const run = await runBundle({ dirs, inputs: { ...VALID, 'base-url': emulator.xaiBaseUrl, ...inputs } })
      expect(run.exitCode).toBe(1)
      expect(emulator.requests.slice(before)).toEqual([])
      const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
      expect(errors).toHaveLength(1)
      expect(errors[0]).toContain(`Input '${row.input}' `)
      expect(errors[0]).toMatch(row.says)
      expect(run.outputs['request-id'] ?? '').toBe('')
      for (const text of [run.stdout, run.stderr, run.summary]) {
        expect(text).not.toContain(CHECKOUT_TOKEN)
        expect(text).not.toContain(OUTSIDE_TEXT)
      }
    } finally {
      await rm(dirs.root, { recursive: true, force: true })
    }
  })

  it('reads a literal path outside the workspace and a link that stays inside, the workspace named through a link', async () => {
    const dirs = await makeRunnerDirs('grok-step-paths-')
    try {
      await checkout(dirs)
      const before = emulator.requests.length
      const run = await runBundle({
        dirs,
        inputs: {
          ...VALID,
          'base-url': emulator.xaiBaseUrl,
          'dry-run': 'true',
          prompt: '',
          'prompt-file': path.join(dirs.runnerTemp, 'step-prompt.txt'),
          image: 'still-link.png',
        },
        // As on macOS, where the workspace's path leads through /var, a link to /private/var.
        env: { GITHUB_WORKSPACE: path.join(dirs.root, 'workspace-alias') },
      })
      expect(run.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(emulator.requests.slice(before)).toEqual([])
      expect(run.stdout).toContain('"prompt": "A kite over the dunes."')
      expect(run.stdout).toContain('"url": "still-link.png (image/png')
    } finally {
      await rm(dirs.root, { recursive: true, force: true })
    }
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

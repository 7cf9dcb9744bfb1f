/**
 * readBatch(): a `prompts-file` read and checked in-process, before anything is sent: both list forms, the step's
 * video inputs as every job's defaults, each per-job override, and one error naming 'prompts-file' and the job for
 * every way a file can be wrong. (What a batch does once it runs is proven through the bundle in main.test.ts.)
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { stringify } from 'yaml'
import { runBatch } from '../src/batch.js'
import { readBatch, type BatchJob } from '../src/prompts-file.js'
import { InputError } from '../src/errors.js'
import type { CreateVideoRequest } from '../src/grok/client.js'
import { readInputs } from '../src/inputs.js'

/** Every file the code under test opens or reads, in order (the real open and readFile do the work). */
const reads = vi.hoisted(() => [] as string[])
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  const nameOf = (file: unknown): string =>
    file instanceof URL ? file.pathname : typeof file === 'string' ? file : '(a handle)'
  const readFile = ((file: Parameters<typeof actual.readFile>[0], ...rest: unknown[]) => {
    reads.push(nameOf(file))
    return (actual.readFile as (...args: unknown[]) => unknown)(file, ...rest)
  }) as typeof actual.readFile
  const open = ((file: Parameters<typeof actual.open>[0], ...rest: unknown[]) => {
    reads.push(nameOf(file))
    return (actual.open as (...args: unknown[]) => unknown)(file, ...rest)
  }) as typeof actual.open
  return { ...actual, readFile, open, default: { ...actual, readFile, open } }
})

const FIXTURES = path.join(import.meta.dirname, 'fixtures')
const PROMPTS_FILE = 'jobs.yml'

let workspace: string
beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'batch-'))
  for (const name of ['frame.png', 'frame.jpg', 'not-an-image.png'])
    await copyFile(path.join(FIXTURES, name), path.join(workspace, name))
  await writeFile(path.join(workspace, 'step-prompt.txt'), 'The step file says: a kettle starts to steam.\n')
  await writeFile(path.join(workspace, 'job-prompt.txt'), 'The job file says: snow settles on a bench.\n')
})
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true })
})

/** Writes the prompts file (unless `text` is undefined), then reads the step's inputs and the batch as main.ts does. */
async function readJobs(text: string | undefined, inputs: Record<string, string> = {}): Promise<BatchJob[]> {
  if (text !== undefined) await writeFile(path.join(workspace, PROMPTS_FILE), text)
  const all: Record<string, string> = { 'api-key': 'sk-batch-test', 'prompts-file': PROMPTS_FILE, ...inputs }
  const config = await readInputs({
    getInput: (name) => (all[name] ?? '').trim(),
    mask: () => {},
    env: { GITHUB_WORKSPACE: workspace },
  })
  return readBatch(config)
}

/** The YAML a user would write for these jobs. */
const yamlJobs = (...jobs: Record<string, unknown>[]): string => stringify(jobs)

async function dataUrl(fixture: string, mime: string): Promise<string> {
  return `data:${mime};base64,${(await readFile(path.join(FIXTURES, fixture))).toString('base64')}`
}

describe('readBatch: the forms of a prompts file', () => {
  const expected = [
    {
      name: 'intro',
      request: { prompt: 'A lighthouse at dusk.', model: 'grok-imagine-video', duration: 5, aspect_ratio: '16:9' },
    },
    {
      name: 'outro',
      request: { prompt: 'Waves: calm, then still.', model: 'grok-imagine-video', duration: 1, aspect_ratio: '9:16' },
    },
  ]
  const forms: [string, string][] = [
    [
      'a YAML list (ratios unquoted, as people write them)',
      [
        '- name: intro',
        '  prompt: A lighthouse at dusk.',
        '  duration: 5',
        '  aspect-ratio: 16:9',
        '- name: outro',
        "  prompt: 'Waves: calm, then still.'",
        '  aspect_ratio: 9:16',
        '',
      ].join('\n'),
    ],
    [
      'a YAML mapping with a jobs list',
      stringify({
        jobs: [
          { name: 'intro', prompt: 'A lighthouse at dusk.', duration: 5, 'aspect-ratio': '16:9' },
          { name: 'outro', prompt: 'Waves: calm, then still.', aspect_ratio: '9:16' },
        ],
      }),
    ],
    [
      'JSON {"jobs": […]}',
      JSON.stringify({
        jobs: [
          { name: 'intro', prompt: 'A lighthouse at dusk.', duration: 5, 'aspect-ratio': '16:9' },
          { name: 'outro', prompt: 'Waves: calm, then still.', aspect_ratio: '9:16' },
        ],
      }),
    ],
    [
      'a JSON list',
      JSON.stringify(
        [
          { name: 'intro', prompt: 'A lighthouse at dusk.', duration: '5', 'aspect-ratio': '16:9' },
          { name: 'outro', prompt: 'Waves: calm, then still.', aspect_ratio: '9:16' },
        ],
        null,
        2,
      ),
    ],
  ]

  it.each(forms)('%s gives the same jobs, in file order', async (_form, text) => {
    const jobs = await readJobs(text)
    expect(jobs.map((job) => ({ name: job.name, request: job.config.request }))).toEqual(expected)
  })
})

describe('readBatch: the step inputs are defaults, a job overrides them', () => {
  const STEP: Record<string, string> = {
    prompt: 'The step prompt: a paper lantern drifts upward.',
    model: 'grok-imagine-video-1.5',
    duration: '3',
    'aspect-ratio': '16:9',
    resolution: '720p',
    image: 'frame.png',
    user: 'ci-user',
    'max-cost-usd': '5',
    'artifact-name': 'clips',
  }
  const stepRequest = async (): Promise<CreateVideoRequest> => ({
    prompt: 'The step prompt: a paper lantern drifts upward.',
    model: 'grok-imagine-video-1.5',
    duration: 3,
    aspect_ratio: '16:9',
    resolution: '720p',
    image: { url: await dataUrl('frame.png', 'image/png') },
    user: 'ci-user',
  })

  /** [job name, the job's own keys, what its request has instead of the step's]. */
  const rows: [
    string,
    Record<string, unknown>,
    () => Partial<CreateVideoRequest> | Promise<Partial<CreateVideoRequest>>,
  ][] = [
    ['defaults-only', {}, () => ({})],
    [
      'own-prompt',
      { prompt: 'A job of its own: rain on a tin roof.' },
      () => ({ prompt: 'A job of its own: rain on a tin roof.' }),
    ],
    [
      'own-prompt-file',
      { 'prompt-file': 'job-prompt.txt' },
      () => ({ prompt: 'The job file says: snow settles on a bench.' }),
    ],
    ['own-model', { model: 'grok-imagine-video' }, () => ({ model: 'grok-imagine-video' })],
    ['own-duration', { duration: 7 }, () => ({ duration: 7 })],
    ['own-aspect-ratio', { 'aspect-ratio': '9:16' }, () => ({ aspect_ratio: '9:16' })],
    ['own-aspect_ratio', { aspect_ratio: '1:1' }, () => ({ aspect_ratio: '1:1' })],
    ['own-resolution', { resolution: '1080p' }, () => ({ resolution: '1080p' })],
    ['own-image', { image: 'frame.jpg' }, async () => ({ image: { url: await dataUrl('frame.jpg', 'image/jpeg') } })],
    ['own-user', { user: 'reviewer-7' }, () => ({ user: 'reviewer-7' })],
  ]

  it('each job gets the step request with only its own keys replaced; batch-wide settings are not copied', async () => {
    const jobs = await readJobs(yamlJobs(...rows.map(([name, own]) => ({ name, ...own }))), STEP)
    expect(jobs.map((job) => job.name)).toEqual(rows.map(([name]) => name))
    const base = await stepRequest()
    for (const [index, [name, , diff]] of rows.entries()) {
      const { config } = jobs[index]
      expect(config.request, name).toEqual({ ...base, ...(await diff()) })
      expect(config.artifactName, name).toBe(`clips-${name}`)
      // The budget is checked on the batch's total, and a job is never a batch or a resume of its own.
      expect(config.maxCostUsd, name).toBeUndefined()
      expect(config.batch, name).toBeUndefined()
      expect(config.resumeRequestId, name).toBeUndefined()
    }
    expect(jobs.find((job) => job.name === 'own-image')?.config.image?.label).toContain('frame.jpg')
    expect(jobs.find((job) => job.name === 'defaults-only')?.config.image?.label).toContain('frame.png')
  })

  it("the step's image is read and encoded once for the whole batch, and a job's own image once however many use it", async () => {
    const jobs = yamlJobs(
      ...Array.from({ length: 5 }, (_, i) => ({ name: `step-image-${i}`, prompt: `Shot ${i}.` })),
      ...Array.from({ length: 3 }, (_, i) => ({ name: `own-image-${i}`, prompt: `Own ${i}.`, image: 'frame.jpg' })),
    )
    reads.length = 0
    const read = await readJobs(jobs, { image: 'frame.png' })
    const imageReads = reads.filter((file) => /frame\.(png|jpg)$/.test(file)).map((file) => path.basename(file))
    expect(imageReads).toEqual(['frame.png', 'frame.jpg'])
    const png = await dataUrl('frame.png', 'image/png')
    const jpeg = await dataUrl('frame.jpg', 'image/jpeg')
    expect(read.map((job) => job.config.request?.image?.url)).toEqual([
      ...Array<string>(5).fill(png),
      ...Array<string>(3).fill(jpeg),
    ])
  })

  it("a job without a prompt takes the step's prompt-file; a job's prompt replaces it", async () => {
    const jobs = await readJobs(yamlJobs({ name: 'from-step' }, { name: 'from-job', prompt: 'Said in the job.' }), {
      'prompt-file': 'step-prompt.txt',
    })
    expect(jobs.map((job) => job.config.request?.prompt)).toEqual([
      'The step file says: a kettle starts to steam.',
      'Said in the job.',
    ])
    // No artifact-name: each job's artifact is named after it.
    expect(jobs.map((job) => job.config.artifactName)).toEqual(['grok-video-from-step', 'grok-video-from-job'])
  })
  it("a job's reference images replace the step's image, and a job's image the step's reference images", async () => {
    const jobs = await readJobs(
      yamlJobs(
        { name: 'refs', prompt: '<IMAGE_0> on a shelf.', 'reference-images': ['https://x/a.png'] },
        { name: 'frame', prompt: 'A shelf.', image: 'https://x/b.png' },
        { name: 'step', prompt: 'A shelf, again.' },
      ),
      { image: 'https://x/step.png' },
    )
    expect(jobs.map((job) => [job.config.request?.image, job.config.request?.reference_images])).toEqual([
      [undefined, [{ url: 'https://x/a.png' }]],
      [{ url: 'https://x/b.png' }, undefined],
      [{ url: 'https://x/step.png' }, undefined],
    ])
  })
})

describe('readBatch: operations per job', () => {
  const clip = 'https://cdn.example.com/clip.mp4'

  it('a job may edit, extend or generate from reference images (a list, one image per line)', async () => {
    const jobs = await readJobs(
      yamlJobs(
        { name: 'restyle', operation: 'edit', prompt: 'Make it snow.', video: clip },
        { name: 'longer', operation: 'extend', prompt: 'Keep going.', video: clip, duration: 4 },
        { name: 'refs', prompt: '<IMAGE_0> and <IMAGE_1>.', 'reference-images': ['frame.png', 'https://x/b.jpg'] },
      ),
    )
    const png = await dataUrl('frame.png', 'image/png')
    expect(jobs.map((job) => [job.config.operation, job.config.request])).toEqual([
      ['edit', { prompt: 'Make it snow.', video: { url: clip }, model: 'grok-imagine-video' }],
      ['extend', { prompt: 'Keep going.', video: { url: clip }, model: 'grok-imagine-video', duration: 4 }],
      [
        'generate',
        {
          prompt: '<IMAGE_0> and <IMAGE_1>.',
          model: 'grok-imagine-video',
          duration: 1,
          reference_images: [{ url: png }, { url: 'https://x/b.jpg' }],
        },
      ],
    ])
  })

  it("drops a step default the job's operation refuses, and says so; the other jobs keep it", async () => {
    const jobs = await readJobs(
      yamlJobs(
        { name: 'wide', prompt: 'A field.' },
        { name: 'restyle', operation: 'edit', prompt: 'Snow.', video: clip },
      ),
      { duration: '5', 'aspect-ratio': '16:9', user: 'ci' },
    )
    expect(jobs[0].config.request).toMatchObject({ duration: 5, aspect_ratio: '16:9', user: 'ci' })
    expect(jobs[0].dropped).toBeUndefined()
    expect(jobs[1].config.request).toEqual({
      prompt: 'Snow.',
      video: { url: clip },
      model: 'grok-imagine-video',
      user: 'ci',
    })
    expect(jobs[1].dropped).toEqual(['duration', 'aspect-ratio'])
  })

  it('says in the log which step default a job does not use', async () => {
    await writeFile(
      path.join(workspace, PROMPTS_FILE),
      yamlJobs(
        { name: 'wide', prompt: 'A field.' },
        { name: 'restyle', operation: 'edit', prompt: 'Snow.', video: clip },
      ),
    )
    const inputs: Record<string, string> = {
      'api-key': 'sk-batch-test',
      'prompts-file': PROMPTS_FILE,
      'aspect-ratio': '16:9',
      'dry-run': 'true',
      'base-url': 'http://127.0.0.1:9/v1',
    }
    const config = await readInputs({
      getInput: (name) => inputs[name] ?? '',
      mask: () => {},
      env: { GITHUB_WORKSPACE: workspace },
    })
    const lines: string[] = []
    await runBatch(config, await readBatch(config), {
      info: (line) => lines.push(line),
      warning: (line) => lines.push(line),
      progress: () => {},
    })
    expect(lines.filter((line) => line.includes('not used'))).toEqual([
      "[restyle] The step's 'aspect-ratio' is not used: 'operation: edit' does not take it.",
    ])
  })

  it('a step-level operation applies to every job, which may set its own', async () => {
    const jobs = await readJobs(
      yamlJobs({ name: 'a', prompt: 'One.' }, { name: 'b', prompt: 'Two.', operation: 'generate', video: '' }),
      { operation: 'extend', video: clip },
    )
    expect(jobs.map((job) => job.config.operation)).toEqual(['extend', 'generate'])
    expect(jobs[0].config.request).toMatchObject({ video: { url: clip }, duration: 6 })
  })
})

interface BadFile {
  why: string
  /** The prompts file's text; undefined: no file at all. */
  text: string | undefined
  inputs?: Record<string, string>
  /** What the message must say after "Input 'prompts-file' ": the file or the job, and what is wrong. */
  says: RegExp[]
}

const ok = { name: 'intro', prompt: 'A lighthouse at dusk.' }

const BAD: BadFile[] = [
  {
    why: 'the file is missing',
    text: undefined,
    says: [/'jobs\.yml' does not exist/, /YAML or JSON file, relative to the workspace/],
  },
  {
    why: 'invalid YAML',
    text: '- name: intro\n  prompt: "never closed\n',
    says: [/'jobs\.yml' is not valid YAML or JSON/],
  },
  { why: 'invalid JSON', text: '{"jobs": [{"name": "intro",', says: [/'jobs\.yml' is not valid YAML or JSON/] },
  { why: 'an empty list', text: '[]', says: [/'jobs\.yml' must hold a list of jobs/, /'name' and a 'prompt'/] },
  { why: 'an empty jobs list', text: '{"jobs": []}', says: [/'jobs\.yml' must hold a list of jobs/] },
  { why: 'an empty file', text: '', says: [/'jobs\.yml' must hold a list of jobs/] },
  {
    why: 'a mapping without jobs',
    text: 'name: intro\nprompt: A lighthouse at dusk.\n',
    says: [/'jobs\.yml' must hold a list of jobs/],
  },
  {
    why: 'too many jobs',
    text: yamlJobs(...Array.from({ length: 101 }, (_, i) => ({ name: `job-${i}`, prompt: 'p' }))),
    says: [/holds 101 jobs; at most 100/],
  },
  {
    why: 'a job that is not a mapping',
    text: yamlJobs(ok).concat('- just a prompt\n'),
    says: [/job #2 is not a mapping/],
  },
  {
    why: 'a typo in a key (duraton)',
    text: yamlJobs(ok, { name: 'outro', prompt: 'p', duraton: 5 }),
    says: [
      /job #2 \('outro'\) has unknown keys 'duraton'/,
      /a job accepts name, operation, prompt, prompt-file, model, duration, aspect-ratio, resolution, image, reference-images, reference-voices, video, user\./,
    ],
  },
  {
    why: 'a name with a space',
    text: yamlJobs(ok, { name: 'my clip', prompt: 'p' }),
    says: [/job #2 needs a 'name' of letters, digits/, /got 'my clip'/],
  },
  {
    why: 'a name starting with a dot',
    text: yamlJobs({ name: '.hidden', prompt: 'p' }),
    says: [/job #1 needs a 'name'/, /got '\.hidden'/],
  },
  { why: 'no name', text: yamlJobs({ prompt: 'p' }), says: [/job #1 needs a 'name'/, /got ''/] },
  {
    why: 'a name that is a number',
    text: yamlJobs({ name: 7, prompt: 'p' }),
    says: [/job #1 needs a 'name'/, /got '7'/],
  },
  {
    why: 'two jobs with one name',
    text: yamlJobs(ok, { name: 'intro', prompt: 'again' }),
    says: [/has two jobs named 'intro'/, /must be unique/],
  },
  {
    why: 'a duration of 16',
    text: yamlJobs(ok, { name: 'long', prompt: 'p', duration: 16 }),
    says: [/job 'long': 'duration' must be a whole number from 1 to 15; got '16'/],
  },
  {
    why: 'a duration of 2.5',
    text: yamlJobs({ name: 'half', prompt: 'p', duration: 2.5 }),
    says: [/job 'half': 'duration' must be a whole number from 1 to 15; got '2\.5'/],
  },
  {
    why: 'an unknown resolution',
    text: yamlJobs({ name: 'sharp', prompt: 'p', resolution: '4k' }),
    says: [/job 'sharp': 'resolution' must be one of 480p, 720p, 1080p/, /got '4k'/],
  },
  {
    why: '1080p on the base model',
    text: yamlJobs({ name: 'sharp', prompt: 'p', resolution: '1080p' }),
    says: [/job 'sharp': 'resolution' '1080p' needs a 1\.5 model/],
  },
  {
    why: 'an unknown aspect ratio',
    text: yamlJobs({ name: 'wide', prompt: 'p', aspect_ratio: '21:9' }),
    says: [/job 'wide': 'aspect-ratio' must be one of 1:1, 16:9/, /got '21:9'/],
  },
  {
    why: 'a missing image',
    text: yamlJobs({ name: 'still', prompt: 'p', image: 'frames/missing.png' }),
    says: [/job 'still': 'image' 'frames\/missing\.png' is not an existing file/],
  },
  {
    why: 'an image that is text',
    text: yamlJobs({ name: 'still', prompt: 'p', image: 'not-an-image.png' }),
    says: [/job 'still': 'image' 'not-an-image\.png' is not a PNG, JPEG or WebP/],
  },
  {
    why: 'a missing job prompt-file',
    text: yamlJobs({ name: 'told', 'prompt-file': 'nope.txt' }),
    says: [/job 'told': 'prompt-file' 'nope\.txt' does not exist/],
  },
  {
    why: 'a key with no value (YAML null), which would be sent as the text "null"',
    text: '- name: intro\n  prompt: A lighthouse at dusk.\n  duration:\n',
    says: [/job 'intro': 'duration' has no value: give it one, or remove the key\./],
  },
  {
    why: 'a prompt with no value',
    text: '- name: intro\n  prompt: ~\n',
    says: [/job 'intro': 'prompt' has no value/],
  },
  {
    why: 'an aspect_ratio with no value',
    text: '- name: wide\n  prompt: p\n  aspect_ratio: null\n',
    says: [/job 'wide': 'aspect_ratio' has no value/],
  },
  {
    why: 'a prompt written as a list',
    text: yamlJobs({ name: 'listed', prompt: ['a cat', 'a dog'] }),
    says: [/job 'listed': 'prompt' must be text, not a list or mapping/],
  },
  {
    why: "a job's own field that its operation refuses",
    text: yamlJobs({
      name: 'restyle',
      operation: 'edit',
      prompt: 'p',
      video: 'https://cdn.example.com/a.mp4',
      duration: 5,
    }),
    says: [/job 'restyle': 'duration' is not accepted with 'operation: edit'/],
  },
  {
    why: 'an extension of 11 s',
    text: yamlJobs({
      name: 'longer',
      operation: 'extend',
      prompt: 'p',
      video: 'https://cdn.example.com/a.mp4',
      duration: 11,
    }),
    says: [/job 'longer': 'duration' must be a whole number from 2 to 10; got '11'/],
  },
  {
    why: 'an edit without a video',
    text: yamlJobs({ name: 'restyle', operation: 'edit', prompt: 'p' }),
    says: [/job 'restyle': 'video' is required with 'operation: edit'/],
  },
  {
    why: 'eight reference images',
    text: yamlJobs({
      name: 'refs',
      prompt: 'p',
      'reference-images': Array.from({ length: 8 }, (_, i) => `https://x/${i}.png`),
    }),
    says: [/job 'refs': 'reference-images' lists 8 images; at most 7/],
  },
  {
    why: 'no prompt in the job or the step',
    text: yamlJobs({ name: 'silent' }),
    says: [/job 'silent': 'prompt' is required/],
  },
  {
    why: "an edit with the step's public-url",
    text: yamlJobs(ok, { name: 'snow', operation: 'edit', prompt: 'p', video: 'https://cdn.example.com/a.mp4' }),
    inputs: { 'public-url': 'true', 'base-url': 'https://api.x.ai/v1' },
    says: [/job 'snow': 'public-url' is accepted with 'operation: generate' or 'operation: extend' only/],
  },
  {
    why: 'reference voices without reference images',
    text: yamlJobs({ name: 'voiced', prompt: 'p', 'reference-voices': ['eve'] }),
    inputs: { 'base-url': 'https://api.x.ai/v1' },
    says: [/job 'voiced': 'reference-voices' needs 'reference-images'/],
  },
  {
    why: 'four reference voices in a list',
    text: yamlJobs({
      name: 'choir',
      prompt: 'p',
      'reference-images': ['https://x/a.png'],
      'reference-voices': ['eve', 'ara', 'rex', 'sal'],
    }),
    inputs: { 'base-url': 'https://api.x.ai/v1' },
    says: [/job 'choir': 'reference-voices' lists 4 voices; at most 3/],
  },
  {
    why: "a job's reference voices through CometAPI",
    text: yamlJobs({ name: 'voiced', prompt: 'p', 'reference-images': ['https://x/a.png'], 'reference-voices': 'eve' }),
    says: [/job 'voiced': 'reference-voices' is not available through CometAPI/],
  },
]

describe('readBatch: a bad prompts file fails before any request, naming prompts-file and the job', () => {
  it.each(BAD.map((row) => [row.why, row] as const))('%s', async (_why, row) => {
    const error = await readJobs(row.text, row.inputs).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('prompts-file')
    expect((error as InputError).message).toMatch(/^Input 'prompts-file' /)
    for (const pattern of row.says) expect((error as InputError).message).toMatch(pattern)
  })

  it('a step input that is wrong is named as itself, not as prompts-file', async () => {
    await expect(readJobs(yamlJobs(ok), { duration: '0' })).rejects.toMatchObject({ input: 'duration' })
    await expect(readJobs(yamlJobs(ok), { 'max-concurrency': '21' })).rejects.toMatchObject({
      input: 'max-concurrency',
    })
    await expect(readJobs(yamlJobs(ok), { 'fail-fast': 'yes' })).rejects.toMatchObject({ input: 'fail-fast' })
  })
})

describe('readBatch from another file source (a commit that is not the workspace)', () => {
  it('reads the prompts file, the files its jobs name and the step default image from the source, none from the workspace', async () => {
    const png = await readFile(path.join(FIXTURES, 'frame.jpg'))
    const files = new Map<string, Buffer>([
      [
        PROMPTS_FILE,
        Buffer.from(yamlJobs({ name: 'a', 'prompt-file': 'job-prompt.txt' }, { name: 'b', prompt: 'B.' })),
      ],
      ['job-prompt.txt', Buffer.from('The base says: rain on a tin roof.\n')],
      ['frame.png', png],
    ])
    const asked: string[] = []
    const source = {
      read: (input: string, text: string, unreadable: (why: 'does not exist') => InputError) => {
        asked.push(`${input}:${text}`)
        const bytes = files.get(text)
        if (!bytes) return Promise.reject(unreadable('does not exist'))
        return Promise.resolve({ bytes, real: text, size: bytes.length })
      },
      confine: () => Promise.resolve(),
    }
    const all: Record<string, string> = { 'api-key': 'sk-batch-test', 'prompts-file': PROMPTS_FILE, image: 'frame.png' }
    await writeFile(path.join(workspace, PROMPTS_FILE), yamlJobs({ name: 'head', prompt: 'Head.' }))
    const config = await readInputs({
      getInput: (name) => (all[name] ?? '').trim(),
      mask: () => {},
      env: { GITHUB_WORKSPACE: workspace },
    })
    reads.length = 0
    const jobs = await readBatch(config, source)
    expect(jobs.map((job) => [job.name, job.config.request?.prompt])).toEqual([
      ['a', 'The base says: rain on a tin roof.'],
      ['b', 'B.'],
    ])
    // The step's image as the source holds it (a JPEG there), read once, not the workspace's PNG the step read.
    for (const job of jobs)
      expect(job.config.request?.image?.url).toBe(`data:image/jpeg;base64,${png.toString('base64')}`)
    expect(asked).toEqual([`prompts-file:${PROMPTS_FILE}`, 'prompt-file:job-prompt.txt', 'image:frame.png'])
    expect(reads).toEqual([])
  })
})

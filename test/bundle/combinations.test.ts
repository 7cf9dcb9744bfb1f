/**
 * Where features meet, through the bundle. Each row of the table is a short workflow run: one or more steps of the
 * action sharing one results service (so one set of artifact names and one cache, as the steps of a run share them
 * on GitHub) and one RUNNER_TEMP. A step sets the table's axes (cache × resume × budget × batch × wait × artifact
 * names) and states what a user sees: exit code, status, requests sent to the API, cache reads and saves, artifacts.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import type { BatchEntry } from '../../src/batch.js'
import { cometError, emptyAccepted, xaiDone } from '../emulator/scenarios.ts'
import { loadFixtureVideo, startEmulator, type Emulator, type Scenario } from '../emulator/server.ts'
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-rest.ts'
import { startResultsService, type ResultsServiceFake, type ResultsServiceOptions } from '../fakes/results-service.ts'
import { FFMPEG, FFMPEG_TESTS } from '../harness/ffmpeg.ts'
import { ContentsStore } from '../fakes/github-contents.ts'
import { makeRunnerDirs, ROOT, runBundle, type BundleRun } from '../harness/runner.ts'

const FIXTURE_SHA256 = createHash('sha256').update(loadFixtureVideo()).digest('hex')
/** A 3 s MP4 as a data URL, the input video of an edit. */
const CLIP_3S = `data:video/mp4;base64,${(await readFile(path.join(import.meta.dirname, '..', 'fixtures', 'clip-3s.mp4'))).toString('base64')}`
const dataUrlOf = async (name: string, type: string): Promise<string> =>
  `data:${type};base64,${(await readFile(path.join(import.meta.dirname, '..', 'fixtures', name))).toString('base64')}`
/** A first frame and two reference images as data URLs: the create body shows which of them was sent. */
const FRAME = await dataUrlOf('frame.png', 'image/png')
const REFERENCES = [await dataUrlOf('frame.jpg', 'image/jpeg'), await dataUrlOf('frame.webp', 'image/webp')]
const PROMPT = 'A heron lifts off a misty pond.'
const OTHER_PROMPT = 'A tram turns a corner in the rain.'
const PROMPTS_FILE = 'prompts.yml'
/** A job the emulator never created: collected through `acceptUnknownIds`, as a job made elsewhere. */
/** A person's token: uploads only when a comment is written on a pull request. */
const ATTACHMENT_TOKEN = 'github_pat_11COMBO0123456789_abcdefghijklmnopqrstuvwxyz'
const FOREIGN_ID = 'job-made-elsewhere-01'

/** Every job: one status check that finds it running, then done. Ids made elsewhere are answered too. */
const SCENARIO: Scenario = {
  name: 'combinations',
  acceptUnknownIds: true,
  poll: [(ctx) => (ctx.pollIndex < 1 ? emptyAccepted() : xaiDone(ctx))],
}

interface BatchJobSpec {
  name: string
  prompt: string
  user?: string
  operation?: string
  video?: string
  image?: string
  'reference-images'?: string[]
  'reference-voices'?: string[]
}

interface Step {
  inputs?: Record<string, string>
  /** Turns the step into a batch. */
  jobs?: BatchJobSpec[]
  /** `request-id`: the request id of the step at this index of the row, or an id made elsewhere. */
  resume?: number | 'foreign'
  /** The event the step runs for (against the GitHub fake); `base`: the files of the pull request's base commit. */
  event?: { name: string; base?: Record<string, string> }
  /** More files in the workspace (a prompt-file). */
  files?: Record<string, string>
  expect: {
    exit: 0 | 1
    status: string
    creates: number
    /** Status checks sent; undefined: not counted. */
    polls?: 'none' | 'some'
    /** Cache entries looked up and saved by the step; default 0. */
    cacheReads?: number
    cacheSaves?: number
    /** The names of the artifacts this step uploaded; `{id}` stands for the step's `request-id` output. */
    artifacts: string[]
    /** `video-path`'s file name; `{id}` as above. */
    file?: string
    'cost-usd'?: string
    'cache-hit'?: string
    'estimated-cost-usd'?: string
    /** `public-url`: a URL of the emulator's file host, empty, or the same as the output of the step at this index. */
    'public-url'?: 'set' | 'empty' | number
    /** Batch: the `results` entries, each compared on the keys given; `{id:<job>}` is that job's request id. */
    entries?: Partial<Record<keyof BatchEntry, string>>[]
    /** Words the error annotation must hold. */
    error?: RegExp
    /** Words the log must hold. */
    says?: RegExp | RegExp[]
    /** The create requests, each found by its prompt: the route, the exact keys of the body, and values in it. */
    sent?: { prompt: string; route: 'generations' | 'edits' | 'extensions'; keys: string[]; body: object }[]
    /** Words the job summary must hold. */
    summary?: RegExp
    /** `release-tag`: the files this step uploaded, and every asset of the release after it (`{sha}`: the MP4's). */
    release?: { uploaded: number; assets: string[] }
    /** Files read at the pull request's base (contents API requests); default 0. */
    contents?: number
    /** Words the pull request comment must hold; 'none': no comment written. */
    comment?: RegExp | 'none'
    /** Words the comment must not hold. */
    commentLacks?: RegExp
  }
}

interface Row {
  name: string
  steps: Step[]
  /** How the run's results service behaves. */
  service?: ResultsServiceOptions
  /** How the API answers; default SCENARIO. */
  scenario?: Scenario
  /** A GitHub REST fake for the row (`release-tag`), with github-token and the runner's repository variables. */
  github?: boolean
  /** An ffmpeg on PATH (the previews are made); such a row runs where FFMPEG_TESTS does. */
  ffmpeg?: boolean
}

const cached = { cache: 'true' }
/** A step that made a new video with the cache on: one create, a lookup that missed, one save. */
const generated = (more: Partial<Step['expect']> = {}): Step['expect'] => ({
  exit: 0,
  status: 'done',
  creates: 1,
  cacheReads: 1,
  cacheSaves: 1,
  artifacts: ['grok-video-{id}.mp4'],
  ...more,
})
/** A step that collected an existing job (`request-id`): no create, status checks, the cache left alone. */
const collected = (more: Partial<Step['expect']> = {}): Step['expect'] => ({
  exit: 0,
  status: 'done',
  creates: 0,
  polls: 'some',
  artifacts: ['grok-video-{id}.mp4'],
  ...more,
})
/** A step the cache served: no create, one lookup that hit, nothing saved. */
const restored = (more: Partial<Step['expect']>): Step['expect'] => ({
  exit: 0,
  status: 'done',
  creates: 0,
  cacheReads: 1,
  artifacts: [],
  ...more,
})
/** A batch of two different jobs, and one of the same request twice. */
const TWO_JOBS: BatchJobSpec[] = [
  { name: 'a', prompt: PROMPT },
  { name: 'b', prompt: OTHER_PROMPT },
]
/** Commenting on the pull request with the cache on: `compare-with-base: auto` compares. */
const REVIEWED = { cache: 'true', 'comment-on-pr': 'true', 'github-token': 'ghs_comboToken0123456789abcdef' }
const PR_EVENT = (base?: Record<string, string>) => ({ name: 'pull_request', ...(base ? { base } : {}) })
const SAME_TWICE: BatchJobSpec[] = [
  { name: 'a', prompt: PROMPT },
  { name: 'b', prompt: PROMPT },
]

/**
 * Step-level image, reference images and video are defaults for each job by the job's own operation, whatever the
 * step's operation is: a job that takes one gets it, a job that does not drops it with a log line.
 */
const JOB_OPERATIONS = ['generate', 'edit', 'extend'] as const
const jobPrompt = (operation: string): string => `${PROMPT} (${operation})`
const STEP_DEFAULTS_BY_JOB_OPERATION: Row[] = JOB_OPERATIONS.flatMap((stepOperation) =>
  (['image', 'reference-images'] as const).map((images): Row => {
    const generateGets =
      images === 'image' ? { image: { url: FRAME } } : { reference_images: REFERENCES.map((url) => ({ url })) }
    return {
      name: `batch, step 'operation: ${stepOperation}' with video and ${images}: each job gets what its own operation takes`,
      steps: [
        {
          inputs: {
            operation: stepOperation,
            video: CLIP_3S,
            [images]: images === 'image' ? FRAME : REFERENCES.join('\n'),
          },
          jobs: JOB_OPERATIONS.map((operation) => ({ name: operation, prompt: jobPrompt(operation), operation })),
          expect: {
            exit: 0,
            status: 'done',
            creates: 3,
            artifacts: JOB_OPERATIONS.map((operation) => `grok-video-${operation}.mp4`),
            entries: JOB_OPERATIONS.map((name) => ({ name, status: 'done' })),
            sent: [
              {
                prompt: jobPrompt('generate'),
                route: 'generations',
                keys: ['prompt', 'model', 'duration', Object.keys(generateGets)[0]],
                body: generateGets,
              },
              {
                prompt: jobPrompt('edit'),
                route: 'edits',
                keys: ['prompt', 'model', 'video'],
                body: { video: { url: CLIP_3S } },
              },
              {
                prompt: jobPrompt('extend'),
                route: 'extensions',
                keys: ['prompt', 'model', 'duration', 'video'],
                body: { video: { url: CLIP_3S } },
              },
            ],
            says: [
              /\[generate\] The step's 'video' is not used: 'operation: generate' does not take it\./,
              new RegExp(`\\[edit\\] The step's '${images}' is not used: 'operation: edit' does not take it\\.`),
              new RegExp(`\\[extend\\] The step's '${images}' is not used: 'operation: extend' does not take it\\.`),
            ],
          },
        },
      ],
    }
  }),
)

/** The emulator's stored copies live here (never fetched). */
const PUBLIC_URL = /^https:\/\/files\.example\.com\/file-[^/]+\/[A-Za-z0-9._-]+\.mp4$/
/** Stands for the emulator's CometAPI-like root in a step's `base-url`. */
const COMET = '{comet}'
/** Refused before any request, naming `input`. */
const refused = (input: string): Step['expect'] => ({
  exit: 1,
  status: '',
  creates: 0,
  polls: 'none',
  artifacts: [],
  error: new RegExp(`Input '${input}'`),
})
const publicUrl = { 'public-url': 'true' }

/** public-url × operation × provider, with upload-url, through the cache (miss, then hit) and in a batch. */
const PUBLIC_URL_ROWS: Row[] = [
  ...(['generate', 'extend'] as const).map((operation): Row => ({
    name: `public-url, ${operation} at xAI: storage_options sent, the URL reported`,
    steps: [
      {
        inputs: { ...publicUrl, operation, ...(operation === 'extend' ? { video: CLIP_3S } : {}) },
        expect: {
          exit: 0,
          status: 'done',
          creates: 1,
          artifacts: ['grok-video-{id}.mp4'],
          'public-url': 'set',
          sent: [
            {
              prompt: PROMPT,
              route: operation === 'generate' ? 'generations' : 'extensions',
              keys: ['prompt', 'model', 'duration', 'storage_options', ...(operation === 'extend' ? ['video'] : [])],
              body: { storage_options: { public_url: true } },
            },
          ],
        },
      },
    ],
  })),
  {
    name: 'public-url, edit at xAI: refused before any request',
    steps: [{ inputs: { ...publicUrl, operation: 'edit', video: CLIP_3S }, expect: refused('public-url') }],
  },
  ...(['generate', 'edit'] as const).map((operation): Row => ({
    name: `public-url, ${operation} at CometAPI: refused before any request`,
    steps: [
      {
        inputs: { ...publicUrl, 'base-url': COMET, operation, ...(operation === 'edit' ? { video: CLIP_3S } : {}) },
        expect: refused('public-url'),
      },
    ],
  })),
  {
    name: 'public-url with upload-url: refused before any request',
    steps: [
      {
        inputs: { ...publicUrl, 'upload-url': 'https://storage.example.com/out.mp4?X-Amz-Signature=0123456789abcdef' },
        expect: refused('public-url'),
      },
    ],
  },
  {
    name: 'public-url + cache: a miss saves the URL, a hit reports it, the same request without public-url misses',
    steps: [
      { inputs: { ...cached, ...publicUrl }, expect: generated({ 'public-url': 'set' }) },
      {
        inputs: { ...cached, ...publicUrl },
        expect: restored({ 'cache-hit': 'true', 'public-url': 0, artifacts: ['grok-video-{id}-2.mp4'] }),
      },
      { inputs: cached, expect: generated({ 'public-url': 'empty' }) },
    ],
  },
  {
    name: 'public-url + cache with a storage_error: nothing saved (said so), the next run creates again',
    scenario: {
      name: 'storage-error',
      poll: [emptyAccepted(), (ctx) => xaiDone(ctx, { storageError: 'Could not store the file.' })],
    },
    steps: [1, 2].map(() => ({
      inputs: { ...cached, ...publicUrl },
      expect: generated({
        cacheSaves: 0,
        'public-url': 'empty',
        says: /The video is not saved to the cache, so the next run asks again\./,
      }),
    })),
  },
  {
    name: 'public-url in a batch: each job named after itself, its URL in results',
    steps: [
      {
        inputs: publicUrl,
        jobs: TWO_JOBS,
        expect: {
          exit: 0,
          status: 'done',
          creates: 2,
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4'],
          'public-url': 'empty',
          entries: [
            { name: 'a', status: 'done' },
            { name: 'b', status: 'done' },
          ],
          sent: [
            {
              prompt: PROMPT,
              route: 'generations',
              keys: ['prompt', 'model', 'duration', 'storage_options'],
              body: { storage_options: { filename: 'grok-video-a.mp4', public_url: true } },
            },
            {
              prompt: OTHER_PROMPT,
              route: 'generations',
              keys: ['prompt', 'model', 'duration', 'storage_options'],
              body: { storage_options: { filename: 'grok-video-b.mp4', public_url: true } },
            },
          ],
        },
      },
    ],
  },
  {
    name: 'public-url in a batch of the same request twice: sent once, the twin shares its URL',
    steps: [
      {
        inputs: publicUrl,
        jobs: SAME_TWICE,
        expect: {
          exit: 0,
          status: 'done',
          creates: 1,
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4'],
          entries: [
            { name: 'a', status: 'done' },
            { name: 'b', status: 'done', 'same-as': 'a' },
          ],
        },
      },
    ],
  },
]

const voices = { 'reference-voices': 'eve' }
const withReferences = { 'reference-images': REFERENCES.join('\n') }
/** reference-voices × reference images present or absent × a first frame × provider × a batch job's own. */
const REFERENCE_VOICE_ROWS: Row[] = [
  {
    name: 'reference-voices with reference-images at xAI: reference_audios sent beside them',
    steps: [
      {
        inputs: { ...voices, ...withReferences },
        expect: {
          exit: 0,
          status: 'done',
          creates: 1,
          artifacts: ['grok-video-{id}.mp4'],
          sent: [
            {
              prompt: PROMPT,
              route: 'generations',
              keys: ['prompt', 'model', 'duration', 'reference_images', 'reference_audios'],
              body: { reference_audios: [{ voice_id: 'eve' }] },
            },
          ],
          summary: /reference voices: ` eve `/,
        },
      },
    ],
  },
  {
    name: 'reference-voices without reference-images: refused before any request',
    steps: [{ inputs: voices, expect: refused('reference-voices') }],
  },
  {
    name: 'reference-voices with a first frame (image): refused before any request',
    steps: [{ inputs: { ...voices, image: FRAME }, expect: refused('reference-voices') }],
  },
  {
    name: 'reference-voices at CometAPI: refused before any request',
    steps: [{ inputs: { ...voices, ...withReferences, 'base-url': COMET }, expect: refused('reference-voices') }],
  },
  {
    name: "reference-voices in a batch without the step's reference-images: refused before any request",
    steps: [
      {
        inputs: voices,
        jobs: [{ name: 'a', prompt: PROMPT, 'reference-images': REFERENCES }],
        expect: refused('reference-voices'),
      },
    ],
  },
  {
    name: "reference-voices in a batch: the step's voices by default, a job's own instead, none beside a first frame",
    steps: [
      {
        inputs: { ...voices, ...withReferences },
        jobs: [
          { name: 'a', prompt: PROMPT },
          { name: 'b', prompt: OTHER_PROMPT, 'reference-voices': ['rex', 'Ara'] },
          { name: 'c', prompt: jobPrompt('frame'), image: FRAME },
        ],
        expect: {
          exit: 0,
          status: 'done',
          creates: 3,
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4', 'grok-video-c.mp4'],
          entries: ['a', 'b', 'c'].map((name) => ({ name, status: 'done' })),
          says: /\[c\] The step's 'reference-voices' are not used: the job's own 'image' replaces the step's reference images/,
          sent: [
            {
              prompt: PROMPT,
              route: 'generations',
              keys: ['prompt', 'model', 'duration', 'reference_images', 'reference_audios'],
              body: { reference_audios: [{ voice_id: 'eve' }] },
            },
            {
              prompt: OTHER_PROMPT,
              route: 'generations',
              keys: ['prompt', 'model', 'duration', 'reference_images', 'reference_audios'],
              body: { reference_audios: [{ voice_id: 'rex' }, { voice_id: 'Ara' }] },
            },
            {
              prompt: jobPrompt('frame'),
              route: 'generations',
              keys: ['prompt', 'model', 'duration', 'image'],
              body: { image: { url: FRAME } },
            },
          ],
        },
      },
    ],
  },
]

const TAG = { 'release-tag': 'videos-nightly' }
const MP4_AND_JSON = ['{sha}.mp4', '{sha}.json']
/** `release-tag` where it meets the artifact, the zip, the cache, a batch and the preview. */
const RELEASE_ROWS: Row[] = [
  {
    name: 'release-tag with upload-artifact: false and no preview: no artifact, the MP4 and its JSON on the release',
    github: true,
    steps: [
      {
        inputs: { ...TAG, 'upload-artifact': 'false', preview: 'false' },
        expect: { exit: 0, status: 'done', creates: 1, artifacts: [], release: { uploaded: 2, assets: MP4_AND_JSON } },
      },
    ],
  },
  {
    name: 'release-tag with archive: true: the zip artifact, and the files one by one on the release',
    github: true,
    steps: [
      {
        inputs: { ...TAG, archive: 'true', preview: 'false' },
        expect: {
          exit: 0,
          status: 'done',
          creates: 1,
          artifacts: ['grok-video-{id}'],
          release: { uploaded: 2, assets: MP4_AND_JSON },
        },
      },
    ],
  },
  {
    name: 'release-tag + cache: the hit attaches the restored video, whose files are there already (nothing uploaded)',
    github: true,
    steps: [
      {
        inputs: { ...cached, ...TAG, preview: 'false' },
        expect: generated({ release: { uploaded: 2, assets: MP4_AND_JSON } }),
      },
      {
        inputs: { ...cached, ...TAG, preview: 'false' },
        expect: restored({
          'cache-hit': 'true',
          artifacts: ['grok-video-{id}-2.mp4'],
          release: { uploaded: 0, assets: MP4_AND_JSON },
          says: /Release 'videos-nightly': 0 file\(s\) attached; 2 already there \(skipped\)\./,
        }),
      },
    ],
  },
  {
    name: 'release-tag with a batch of the same video twice: one set of files, each entry with its release-asset-url',
    github: true,
    steps: [
      {
        inputs: { ...TAG, preview: 'false' },
        jobs: TWO_JOBS,
        expect: {
          exit: 0,
          status: 'done',
          creates: 2,
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4'],
          entries: [
            { name: 'a', status: 'done', 'release-asset-url': '{asset}' },
            { name: 'b', status: 'done', 'release-asset-url': '{asset}' },
          ],
          release: { uploaded: 2, assets: MP4_AND_JSON },
        },
      },
    ],
  },
  {
    name: 'release-tag with upload-url: refused before any request',
    github: true,
    steps: [
      {
        inputs: { ...TAG, 'upload-url': 'https://storage.example.com/out.mp4?X-Amz-Signature=0123456789abcdef' },
        expect: refused('release-tag'),
      },
    ],
  },
  {
    name: 'release-tag with wait: false: nothing attached now; the log says the collecting run attaches it',
    github: true,
    steps: [
      {
        inputs: { ...TAG, wait: 'false' },
        expect: {
          exit: 0,
          status: 'pending',
          creates: 1,
          polls: 'none',
          artifacts: [],
          says: /nothing is attached to release 'videos-nightly' of octo\/combos now; the run that collects the job/,
        },
      },
    ],
  },
  {
    name: 'release-tag with a preview: the poster and the GIF are attached too',
    github: true,
    ffmpeg: true,
    steps: [
      {
        inputs: { ...TAG, preview: 'auto' },
        expect: {
          exit: 0,
          status: 'done',
          creates: 1,
          artifacts: ['grok-video-{id}.mp4'],
          release: { uploaded: 4, assets: [...MP4_AND_JSON, '{sha}.poster.png', '{sha}.preview.gif'] },
        },
      },
    ],
  },
]

const ROWS: Row[] = [
  ...STEP_DEFAULTS_BY_JOB_OPERATION,
  ...PUBLIC_URL_ROWS,
  ...REFERENCE_VOICE_ROWS,
  ...RELEASE_ROWS.filter((row) => !row.ffmpeg || FFMPEG_TESTS),
  {
    name: 'cache + request-id of a job made elsewhere: collected, the cache neither read nor written',
    steps: [
      {
        inputs: cached,
        expect: generated(),
      },
      {
        // The same prompt as the cached entry: it must not stand in for the job asked for.
        inputs: cached,
        resume: 'foreign',
        expect: collected({ 'cache-hit': 'false', artifacts: [`grok-video-${FOREIGN_ID}.mp4`] }),
      },
    ],
  },
  {
    name: 'cache + wait: false hand-off, then request-id: the hand-off does not fill the cache',
    steps: [
      {
        inputs: { ...cached, wait: 'false' },
        expect: { exit: 0, status: 'pending', creates: 1, polls: 'none', cacheReads: 1, cacheSaves: 0, artifacts: [] },
      },
      {
        inputs: cached,
        resume: 0,
        expect: collected(),
      },
      {
        // Still a miss: the resumed video was not saved under the prompt's key.
        inputs: cached,
        expect: generated({
          'cache-hit': 'false',
          artifacts: ['grok-video-{id}.mp4'],
        }),
      },
    ],
  },
  {
    name: 'cache hit in three steps without artifact-name: each step its own artifact, the default name first',
    steps: [
      {
        inputs: cached,
        expect: generated({
          file: 'grok-video-{id}.mp4',
        }),
      },
      {
        inputs: cached,
        expect: restored({
          'cache-hit': 'true',
          'cost-usd': '0',
          artifacts: ['grok-video-{id}-2.mp4'],
          file: 'grok-video-{id}-2.mp4',
        }),
      },
      {
        inputs: cached,
        expect: restored({
          artifacts: ['grok-video-{id}-3.mp4'],
          file: 'grok-video-{id}-3.mp4',
        }),
      },
    ],
  },
  {
    name: 'cache hit twice with archive: true: the zip takes the suffix too',
    steps: [
      {
        inputs: { ...cached, archive: 'true' },
        expect: generated({ artifacts: ['grok-video-{id}'] }),
      },
      {
        inputs: { ...cached, archive: 'true' },
        expect: restored({
          artifacts: ['grok-video-{id}-2'],
          file: 'grok-video-{id}-2.mp4',
        }),
      },
    ],
  },
  {
    // What two jobs of one run racing for the name meet: the list did not show it, the upload answers 409.
    name: 'cache hit twice, the run not listable: the 409 on the default name moves the second step to a suffix',
    service: { rejectList: { status: 403, message: 'token lacks the list scope' } },
    steps: [
      {
        inputs: cached,
        expect: generated(),
      },
      {
        inputs: cached,
        expect: restored({
          artifacts: ['grok-video-{id}-2.mp4'],
          file: 'grok-video-{id}-2.mp4',
          says: /Artifact 'grok-video-\S+\.mp4' was taken meanwhile; trying 'grok-video-\S+-2\.mp4'/,
        }),
      },
    ],
  },
  {
    name: 'request-id of one job collected twice without artifact-name: the second takes a suffix',
    steps: [
      {
        resume: 'foreign',
        expect: collected(),
      },
      {
        resume: 'foreign',
        expect: collected({ artifacts: ['grok-video-{id}-2.mp4'] }),
      },
    ],
  },
  {
    name: 'batch + wait: false: every job handed off, the batch is pending and the step succeeds',
    steps: [
      {
        inputs: { wait: 'false' },
        jobs: TWO_JOBS,
        expect: {
          exit: 0,
          status: 'pending',
          creates: 2,
          polls: 'none',
          artifacts: [],
          entries: [
            { name: 'a', status: 'pending', 'request-id': '{id:a}' },
            { name: 'b', status: 'pending', 'request-id': '{id:b}' },
          ],
        },
      },
    ],
  },
  {
    name: 'batch + wait: false + cache: a restored job is done, the others pending; the batch is pending',
    steps: [
      {
        inputs: { ...cached, 'artifact-name': 'warm' },
        expect: generated({ artifacts: ['warm.mp4'] }),
      },
      {
        inputs: { ...cached, wait: 'false' },
        jobs: TWO_JOBS,
        expect: {
          exit: 0,
          status: 'pending',
          creates: 1,
          polls: 'none',
          cacheReads: 2,
          artifacts: ['grok-video-a.mp4'],
          entries: [
            { name: 'a', status: 'done', 'cost-usd': '0' },
            { name: 'b', status: 'pending' },
          ],
        },
      },
    ],
  },
  ...[
    // Without the cache, a fourth job asks for the same video for another end user: a request of its own.
    { cache: 'false', user: [{ name: 'd', prompt: PROMPT, user: 'reviewer-7' }], reads: 0, saves: 0 },
    { cache: 'true', user: [], reads: 2, saves: 2 },
  ].map(({ cache, user, reads, saves }): Row => ({
    name: `batch with two jobs of the same request (cache: ${cache}): created once, the second gets its video`,
    steps: [
      {
        inputs: { cache },
        jobs: [
          { name: 'a', prompt: PROMPT },
          { name: 'b', prompt: PROMPT },
          { name: 'c', prompt: OTHER_PROMPT },
          ...user,
        ],
        expect: {
          exit: 0,
          status: 'done',
          creates: 2 + user.length,
          cacheReads: reads,
          cacheSaves: saves,
          artifacts: ['a', 'b', 'c', ...user.map((job) => job.name)].map((name) => `grok-video-${name}.mp4`),
          'cost-usd': user.length ? '0.15' : '0.1',
          entries: [
            { name: 'a', status: 'done', 'request-id': '{id:a}', 'cost-usd': '0.05' },
            { name: 'b', status: 'done', 'request-id': '{id:a}', 'cost-usd': '0', 'same-as': 'a' },
            { name: 'c', status: 'done', 'cost-usd': '0.05' },
            ...user.map((job) => ({ name: job.name, status: 'done', 'cost-usd': '0.05' })),
          ],
        },
      },
    ],
  })),
  {
    name: 'batch with the same request twice + max-cost-usd: only what is created counts against the budget',
    steps: [
      {
        // 5 s at 480p: $0.25 a job. Two identical jobs cost $0.25, within $0.3.
        inputs: { duration: '5', 'max-cost-usd': '0.3' },
        jobs: SAME_TWICE,
        expect: {
          exit: 0,
          status: 'done',
          creates: 1,
          'estimated-cost-usd': '0.25',
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4'],
          entries: [
            { name: 'a', status: 'done' },
            { name: 'b', status: 'done', 'same-as': 'a', 'request-id': '{id:a}' },
          ],
        },
      },
    ],
  },
  {
    name: 'batch with the same request twice + wait: false: both pending, one job',
    steps: [
      {
        inputs: { wait: 'false' },
        jobs: SAME_TWICE,
        expect: {
          exit: 0,
          status: 'pending',
          creates: 1,
          polls: 'none',
          artifacts: [],
          entries: [
            { name: 'a', status: 'pending', 'request-id': '{id:a}' },
            { name: 'b', status: 'pending', 'request-id': '{id:a}', 'same-as': 'a' },
          ],
        },
      },
    ],
  },
  {
    name: 'max-cost-usd refuses: that counts as validation, so status stays empty; estimated-cost-usd is set',
    steps: [
      {
        // 15 s at 480p: $0.75.
        inputs: { duration: '15', 'max-cost-usd': '0.5' },
        expect: {
          exit: 1,
          status: '',
          creates: 0,
          polls: 'none',
          artifacts: [],
          'estimated-cost-usd': '0.75',
          error: /exceeds 'max-cost-usd' \(\$0\.5\): nothing was sent/,
        },
      },
    ],
  },
  {
    // An edit is priced by its input's length at 720p: 3 s × $0.07 + 3 s × $0.01 of input = $0.24 a job.
    name: 'a batch of edits over max-cost-usd: priced as edits of their input video, refused before any request',
    steps: [
      {
        inputs: { 'max-cost-usd': '0.4' },
        jobs: TWO_JOBS.map((job) => ({ ...job, operation: 'edit', video: CLIP_3S })),
        expect: {
          exit: 1,
          status: '',
          creates: 0,
          polls: 'none',
          artifacts: [],
          'estimated-cost-usd': '0.48',
          error: /The batch's estimated total, \$0\.48 for 2 jobs, exceeds 'max-cost-usd' \(\$0\.4\)/,
        },
      },
    ],
  },
  {
    name: 'a batch over max-cost-usd: status empty, every job not started',
    steps: [
      {
        inputs: { duration: '5', 'max-cost-usd': '0.3' },
        jobs: TWO_JOBS,
        expect: {
          exit: 1,
          status: '',
          creates: 0,
          artifacts: [],
          'estimated-cost-usd': '0.5',
          entries: [
            { name: 'a', status: 'not-started' },
            { name: 'b', status: 'not-started' },
          ],
        },
      },
    ],
  },
  {
    name: 'artifact-name set and taken already in the run: upload-failed, the video kept on the runner',
    steps: [
      {
        inputs: { 'artifact-name': 'clip' },
        expect: { exit: 0, status: 'done', creates: 1, artifacts: ['clip.mp4'] },
      },
      {
        inputs: { 'artifact-name': 'clip' },
        expect: {
          exit: 1,
          status: 'upload-failed',
          creates: 1,
          artifacts: [],
          file: 'clip.mp4',
          error: /already has an artifact named 'clip\.mp4': give this step its own 'artifact-name'/,
          summary: /## ⚠️ Grok video: upload-failed/,
        },
      },
    ],
  },
  {
    name: 'the artifact service refuses the upload: upload-failed, video-path set',
    service: { rejectCreate: { status: 403, message: 'artifact storage quota exceeded' } },
    steps: [
      {
        expect: {
          exit: 1,
          status: 'upload-failed',
          creates: 1,
          artifacts: [],
          file: 'grok-video-{id}.mp4',
          error: /Uploading artifact 'grok-video-\S+\.mp4' failed.*The video is on the runner at /,
        },
      },
    ],
  },
  {
    name: 'the API refuses a status check (401): error, request-id kept, the resume line; the summary says error',
    scenario: { name: 'poll-401', poll: [cometError(401, 'Token expired')] },
    steps: [
      {
        expect: {
          exit: 1,
          status: 'error',
          creates: 1,
          polls: 'some',
          artifacts: [],
          error: /HTTP 401: Token expired.*re-run with 'request-id: \S+' to collect it/,
          summary: /## ⚠️ Grok video: error/,
        },
      },
    ],
  },
  {
    name: 'the API refuses the create (400): error, request-id empty',
    scenario: { name: 'create-400', create: [cometError(400, 'duration is not supported')], poll: [emptyAccepted()] },
    steps: [
      {
        expect: {
          exit: 1,
          status: 'error',
          creates: 1,
          polls: 'none',
          artifacts: [],
          error: /HTTP 400/,
          summary: /## ⚠️ Grok video: error/,
        },
      },
    ],
  },
  {
    name: 'an output-dir that cannot be written: error, with the resume line for the finished job',
    steps: [
      {
        // Under a file, so no OS can make it a folder. Trap: /dev/null/grok-video is a plain new folder on Windows.
        inputs: { 'output-dir': path.join(ROOT, 'package.json', 'grok-video') },
        expect: {
          exit: 1,
          status: 'error',
          creates: 1,
          polls: 'some',
          artifacts: [],
          error: /package\.json[\\/]grok-video.*re-run with 'request-id: \S+' to collect it/,
        },
      },
    ],
  },
  {
    name: 'a batch with one job the API stops answering for: that job error, the batch failed',
    scenario: {
      name: 'one-unreachable',
      poll: [
        (ctx) =>
          ctx.createBody?.['prompt'] === OTHER_PROMPT
            ? cometError(401, 'Token expired')
            : ctx.pollIndex < 1
              ? emptyAccepted()
              : xaiDone(ctx),
      ],
    },
    steps: [
      {
        jobs: TWO_JOBS,
        expect: {
          exit: 1,
          status: 'failed',
          creates: 2,
          artifacts: ['grok-video-a.mp4'],
          entries: [
            { name: 'a', status: 'done' },
            { name: 'b', status: 'error', 'request-id': '{id:b}' },
          ],
          summary: /\| ` b ` \| error \|/,
        },
      },
    ],
  },
  {
    // With a comment on a pull request it uploads (test/bundle/attachments.test.ts); without one, nothing.
    name: 'attachment-token with the cache, no comment, then a comment outside a pull request: no upload looked up or made',
    steps: [
      { inputs: { ...cached, 'attachment-token': ATTACHMENT_TOKEN }, expect: generated() },
      {
        inputs: { ...cached, 'attachment-token': ATTACHMENT_TOKEN, 'comment-on-pr': 'true' },
        expect: restored({
          'cache-hit': 'true',
          artifacts: ['grok-video-{id}-2.mp4'],
          says: /'comment-on-pr' is on, but this run is not for a pull request/,
        }),
      },
      {
        jobs: TWO_JOBS,
        inputs: { 'attachment-token': ATTACHMENT_TOKEN, 'comment-on-pr': 'true' },
        expect: {
          exit: 0,
          status: 'done',
          creates: 2,
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4'],
          entries: [
            { name: 'a', status: 'done' },
            { name: 'b', status: 'done' },
          ],
        },
      },
    ],
  },
  {
    name: 'compare-with-base auto, a batch on a pull request after a run on the base: unchanged restored, changed before and after',
    steps: [
      {
        jobs: TWO_JOBS,
        inputs: { ...REVIEWED },
        event: { name: 'push' },
        expect: generated({
          creates: 2,
          cacheReads: 2,
          cacheSaves: 2,
          status: 'done',
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4'],
          comment: 'none',
        }),
      },
      {
        jobs: [TWO_JOBS[0], { name: 'b', prompt: `${OTHER_PROMPT} At night.` }],
        inputs: { ...REVIEWED, 'artifact-name': 'pr' },
        event: PR_EVENT({ [PROMPTS_FILE]: stringify(TWO_JOBS) }),
        expect: {
          exit: 0,
          status: 'done',
          creates: 1,
          cacheReads: 3,
          cacheSaves: 1,
          artifacts: ['pr-a.mp4', 'pr-b.mp4', 'pr-b@base.mp4'],
          contents: 1,
          comment:
            /1 new or changed: \$0\.05 · 1 from the cache: \$0[\s\S]*\| ` a ` .*\| unchanged \|[\s\S]*\| ` b ` .*\| changed \|[\s\S]*#### Before and after/,
        },
      },
    ],
  },
  {
    name: 'compare-with-base auto, a single run from a prompt-file the base words otherwise, on pull_request_target',
    steps: [
      {
        inputs: { ...REVIEWED, prompt: '', 'prompt-file': 'prompt.txt' },
        files: { 'prompt.txt': PROMPT },
        event: { name: 'pull_request_target', base: { 'prompt.txt': OTHER_PROMPT } },
        expect: generated({
          // The base's key looked up too (a miss): never generated.
          cacheReads: 2,
          contents: 1,
          comment: /\| Against the base \| changed \(not generated on the base\) \|/,
        }),
      },
    ],
  },
  {
    name: 'compare-with-base auto, a resumed job (request-id) on a pull request: nothing to compare, nothing read',
    steps: [
      {
        inputs: { ...REVIEWED, prompt: '' },
        resume: 'foreign',
        event: PR_EVENT({}),
        expect: collected({ contents: 0, comment: /Grok video preview: done/, commentLacks: /Against the base/ }),
      },
    ],
  },
  {
    name: 'compare-with-base auto with cache off, a single run on a pull request: no comparison',
    steps: [
      {
        inputs: { ...REVIEWED, cache: 'false' },
        event: PR_EVENT({}),
        expect: {
          exit: 0,
          status: 'done',
          creates: 1,
          artifacts: ['grok-video-{id}.mp4'],
          contents: 0,
          comment: /1 generated: \$0\.05/,
          commentLacks: /Against the base/,
        },
      },
    ],
  },
  {
    // The inline prompt is in the workflow, which is not read at the base: no "unchanged" that may be wrong.
    name: 'compare-with-base auto, a single run with an inline prompt on a pull request: no comparison, nothing read',
    steps: [
      {
        inputs: REVIEWED,
        event: PR_EVENT({}),
        expect: generated({
          contents: 0,
          comment: /1 generated: \$0\.05 · 0 from the cache: \$0/,
          commentLacks: /Against the base|unchanged/,
        }),
      },
    ],
  },
  {
    name: 'compare-with-base auto with comment-on-pr off, a batch on a pull request: no comment, nothing read',
    steps: [
      {
        jobs: TWO_JOBS,
        inputs: { ...REVIEWED, 'comment-on-pr': 'false' },
        event: PR_EVENT({ [PROMPTS_FILE]: stringify(TWO_JOBS) }),
        expect: generated({
          creates: 2,
          cacheReads: 2,
          cacheSaves: 2,
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4'],
          contents: 0,
          comment: 'none',
        }),
      },
    ],
  },
  {
    name: 'compare-with-base false, a batch on a pull request: the comment without a comparison',
    steps: [
      {
        jobs: TWO_JOBS,
        inputs: { ...REVIEWED, 'compare-with-base': 'false' },
        event: PR_EVENT({ [PROMPTS_FILE]: stringify(TWO_JOBS) }),
        expect: generated({
          creates: 2,
          cacheReads: 2,
          cacheSaves: 2,
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4'],
          contents: 0,
          comment: /2 generated: \$0\.1 · 0 from the cache: \$0/,
          commentLacks: /Against the base/,
        }),
      },
    ],
  },
  {
    name: 'compare-with-base auto, a batch on a push: no pull request, nothing read',
    steps: [
      {
        jobs: TWO_JOBS,
        inputs: { ...REVIEWED },
        event: { name: 'push' },
        expect: generated({
          creates: 2,
          cacheReads: 2,
          cacheSaves: 2,
          artifacts: ['grok-video-a.mp4', 'grok-video-b.mp4'],
          contents: 0,
          comment: 'none',
        }),
      },
    ],
  },
]

let emulator: Emulator
let github: GitHubApiFake
const contents = new ContentsStore()
const cleanup: string[] = []

beforeAll(async () => {
  emulator = await startEmulator()
  github = await startGitHubApi({ token: REVIEWED['github-token'], contents })
})
afterAll(async () => {
  await emulator.close()
  await github.close()
  await Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true })))
})

const count = (results: ResultsServiceFake, method: string): number =>
  results.requests.filter((r) => r.path.endsWith(`.CacheService/${method}`)).length

function entriesOf(run: BundleRun): BatchEntry[] {
  return JSON.parse(run.outputs.results || '[]') as BatchEntry[]
}

describe('features that meet, step by step through the bundle', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const results = await startResultsService(row.service)
    // A fake of its own for a release row, so each row's release starts empty.
    const releaseApi: GitHubApiFake | undefined = row.github ? await startGitHubApi() : undefined
    const runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'combo-runner-temp-'))
    cleanup.push(runnerTemp)
    const done: BundleRun[] = []
    try {
      for (const [index, step] of row.steps.entries()) {
        emulator.setScenario(row.scenario ?? SCENARIO)
        const dirs = await makeRunnerDirs('grok-combo-')
        cleanup.push(dirs.root)
        if (step.jobs) await writeFile(path.join(dirs.workspace, PROMPTS_FILE), stringify(step.jobs))
        for (const [file, text] of Object.entries(step.files ?? {}))
          await writeFile(path.join(dirs.workspace, file), text)
        const resume =
          step.resume === 'foreign'
            ? FOREIGN_ID
            : step.resume !== undefined
              ? done[step.resume]?.outputs['request-id']
              : undefined
        const reads = count(results, 'GetCacheEntryDownloadURL')
        const saves = count(results, 'FinalizeCacheEntryUpload')
        const artifacts = results.artifacts.length
        const uploadsBefore = releaseApi?.requests.filter(
          (r) => r.method === 'POST' && r.path.includes('/assets?'),
        ).length
        const asked = contents.requests.length
        const written = github.requests.filter((r) => r.method !== 'GET').length
        const run = await runBundle({
          dirs,
          inputs: {
            'api-key': emulator.apiKey,
            'base-url': emulator.xaiBaseUrl,
            'poll-interval-seconds': '0.05',
            ...(step.jobs ? { 'prompts-file': PROMPTS_FILE } : { prompt: PROMPT }),
            ...(resume ? { 'request-id': resume } : {}),
            ...(releaseApi ? { 'github-token': releaseApi.token } : {}),
            ...step.inputs,
            ...(step.inputs?.['base-url'] === COMET ? { 'base-url': emulator.cometBaseUrl } : {}),
          },
          env: {
            ...results.env,
            RUNNER_TEMP: runnerTemp,
            GITHUB_RUN_ID: '4242',
            ...(releaseApi
              ? { GITHUB_API_URL: releaseApi.apiUrl, GITHUB_REPOSITORY: 'octo/combos', GITHUB_SHA: 'a'.repeat(40) }
              : {}),
            ...(row.ffmpeg ? { PATH: `${path.dirname(FFMPEG)}${path.delimiter}${process.env.PATH ?? ''}` } : {}),
            ...(step.event ? await eventEnv(dirs.root, step.event, row.name, index) : {}),
          },
        })
        done.push(run)
        const where = `step ${index + 1}`
        const want = step.expect
        const id = run.outputs['request-id']
        const entries = entriesOf(run)
        const release = releaseApi?.releases.list('octo', 'combos')[0]
        const sha = FIXTURE_SHA256.slice(0, 16)
        const asset = release?.assets.find((a) => a.name === `${sha}.mp4`)?.browser_download_url ?? '?'
        const fill = (text: string): string =>
          text
            .replace('{id}', id)
            .replace('{sha}', sha)
            .replace('{asset}', asset)
            .replace(/\{id:([^}]+)\}/, (_, job: string) => entries.find((e) => e.name === job)?.['request-id'] ?? '?')

        expect(run.exitCode, `${where}: ${run.stdout}`).toBe(want.exit)
        // An input refused before any request sets no status at all.
        expect(run.outputs.status ?? '', where).toBe(want.status)
        expect(emulator.creates(), where).toHaveLength(want.creates)
        if (want.polls === 'none') expect(emulator.polls(), where).toEqual([])
        if (want.polls === 'some') expect(emulator.polls().length, where).toBeGreaterThan(0)
        expect(count(results, 'GetCacheEntryDownloadURL') - reads, `${where}: cache reads`).toBe(want.cacheReads ?? 0)
        expect(count(results, 'FinalizeCacheEntryUpload') - saves, `${where}: cache saves`).toBe(want.cacheSaves ?? 0)
        const uploaded = results.artifacts.slice(artifacts)
        expect(uploaded.map((a) => a.name).sort(), `${where}: artifacts`).toEqual(want.artifacts.map(fill).sort())
        for (const artifact of uploaded)
          if (artifact.name.endsWith('.mp4')) expect(artifact.sha256).toBe(FIXTURE_SHA256)
        if (want.file) expect(path.basename(run.outputs['video-path']), where).toBe(fill(want.file))
        if (run.outputs['video-path']) {
          expect(
            createHash('sha256')
              .update(await readFile(run.outputs['video-path']))
              .digest('hex'),
          ).toBe(FIXTURE_SHA256)
        }
        for (const key of ['cost-usd', 'cache-hit', 'estimated-cost-usd'] as const)
          if (want[key] !== undefined) expect(run.outputs[key], `${where}: ${key}`).toBe(want[key])
        const shared = want['public-url']
        if (shared === 'set') expect(run.outputs['public-url'], where).toMatch(PUBLIC_URL)
        if (shared === 'empty') expect(run.outputs['public-url'], where).toBe('')
        if (typeof shared === 'number') {
          expect(run.outputs['public-url'], where).toMatch(PUBLIC_URL)
          expect(run.outputs['public-url'], where).toBe(done[shared]?.outputs['public-url'])
        }
        if (step.inputs?.['public-url'] === 'true' && want.entries) {
          // A job that shared an earlier job's video shares its stored copy too.
          for (const entry of entries.filter((e) => e.status === 'done' && e['same-as'] !== undefined))
            expect(entry['public-url'], `${where}: ${entry.name}`).toBe(
              entries.find((e) => e.name === entry['same-as'])?.['public-url'],
            )
          for (const entry of entries.filter((e) => e.status === 'done' && e['same-as'] === undefined))
            expect(entry['public-url'], `${where}: ${entry.name}`).toMatch(
              new RegExp(`/grok-video-${entry.name}\\.mp4$`),
            )
        }
        if (want.entries) {
          expect(
            entries.map((e) => e.name),
            where,
          ).toEqual(want.entries.map((e) => e.name))
          for (const [i, expected] of want.entries.entries()) {
            const filled = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, fill(v)]))
            expect(entries[i], `${where}: ${expected.name}`).toMatchObject(filled)
            if (!('same-as' in expected)) expect(entries[i], `${where}: ${expected.name}`).not.toHaveProperty('same-as')
            const artifact = results.artifacts.find((a) => String(a.id) === entries[i]?.['artifact-id'])
            if (entries[i]?.status === 'done')
              expect(artifact?.name, expected.name).toBe(`grok-video-${expected.name}.mp4`)
          }
        }
        const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
        if (want.exit === 0) expect(errors, where).toEqual([])
        if (want.error) expect(errors.join('\n'), where).toMatch(want.error)
        for (const words of [want.says ?? []].flat()) expect(run.stdout, where).toMatch(words)
        for (const sent of want.sent ?? []) {
          const create = emulator
            .creates()
            .find((r) => (JSON.parse(r.body) as { prompt?: string }).prompt === sent.prompt)
          expect(create?.path, `${where}: ${sent.prompt}`).toMatch(new RegExp(`/videos/${sent.route}$`))
          const body = JSON.parse(create?.body ?? '{}') as object
          expect(Object.keys(body).sort(), `${where}: ${sent.prompt}`).toEqual([...sent.keys].sort())
          expect(body, `${where}: ${sent.prompt}`).toMatchObject(sent.body)
        }
        if (want.summary) expect(run.summary, where).toMatch(want.summary)
        if (want.release) {
          const uploads = releaseApi?.requests.filter((r) => r.method === 'POST' && r.path.includes('/assets?')).length
          expect((uploads ?? 0) - (uploadsBefore ?? 0), `${where}: files uploaded`).toBe(want.release.uploaded)
          expect(release?.assets.map((a) => a.name).sort(), `${where}: assets`).toEqual(
            want.release.assets.map(fill).sort(),
          )
          if (!step.jobs) expect(run.outputs['release-asset-url'], where).toBe(asset)
        } else {
          expect(run.outputs['release-asset-url'] ?? '', `${where}: release-asset-url`).toBe('')
        }
        expect(contents.requests.length - asked, `${where}: files read at the base`).toBe(want.contents ?? 0)
        const commented = github.requests.filter((r) => r.method !== 'GET').length > written
        if (want.comment === 'none') expect(commented, `${where}: a comment`).toBe(false)
        else if (want.comment) {
          expect(commented, `${where}: a comment`).toBe(true)
          const body = github.comments(PULL_REQUEST).at(-1)?.body ?? ''
          expect(body, where).toMatch(want.comment)
          if (want.commentLacks) expect(body, where).not.toMatch(want.commentLacks)
        }
        // Past input validation every run has a status; a job with an id is never "not started".
        if (id) expect(run.summary, where).not.toContain('not started')
      }
    } finally {
      await results.close()
      await releaseApi?.close()
    }
  })
})

const PULL_REQUEST = { owner: 'octo-org', repo: 'films', number: 11 }
let baseCount = 0

/** The event of a step: its payload (a pull request's base sha, whose files the contents fake holds) and variables. */
async function eventEnv(
  root: string,
  event: NonNullable<Step['event']>,
  row: string,
  index: number,
): Promise<Record<string, string>> {
  const sha = (++baseCount).toString(16).padStart(40, 'c')
  contents.put(PULL_REQUEST.owner, PULL_REQUEST.repo, sha, event.base ?? {})
  const pr = event.name.startsWith('pull_request')
  const eventPath = path.join(root, 'event.json')
  await writeFile(
    eventPath,
    JSON.stringify({
      ...(pr ? { pull_request: { number: PULL_REQUEST.number, base: { sha, ref: 'main' } } } : {}),
      repository: {
        full_name: `${PULL_REQUEST.owner}/${PULL_REQUEST.repo}`,
        name: PULL_REQUEST.repo,
        owner: { login: PULL_REQUEST.owner },
      },
    }),
  )
  return {
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_REPOSITORY: `${PULL_REQUEST.owner}/${PULL_REQUEST.repo}`,
    // Each row its own comment: the marker names the job.
    GITHUB_JOB: `combo-${createHash('sha256').update(row).digest('hex').slice(0, 8)}-${index}`,
  }
}

// uploadVideo with the real @actions/artifact client against the fake results service: what ends up on the run's
// artifact page, under which name, and what the step reports about it.

import { createHash } from 'node:crypto'
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { uploadVideo, type UploadRequest } from '../src/artifact.js'
import { ArtifactUploadError } from '../src/errors.js'
import { FIXTURE_VIDEO_PATH } from './emulator/server.ts'
import { startResultsService, type ResultsServiceFake, type ResultsServiceOptions } from './fakes/results-service.ts'
import { readZip } from './fakes/zip.ts'

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

const NAME = 'grok-video-0b7c6a1e-job'
// Variables the client reads besides the fake's own; cleared so the host's values cannot leak in.
const CLEARED_ENV = [
  'GITHUB_RETENTION_DAYS',
  'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
  'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS',
]

let fake: ResultsServiceFake
let savedEnv: Map<string, string | undefined>
let dir: string
let video: Buffer
let metadata: Buffer
let request: UploadRequest

/** Points process.env at `service`, remembering every value it replaces (once) for afterEach. */
function useService(service: ResultsServiceFake): void {
  const env: Record<string, string | undefined> = { ...service.env }
  for (const name of CLEARED_ENV) env[name] = undefined
  for (const [name, value] of Object.entries(env)) {
    if (!savedEnv.has(name)) savedEnv.set(name, process.env[name])
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  fake = service
}

/** Replaces the running fake with one started with `options`. */
async function restartService(options: ResultsServiceOptions): Promise<void> {
  await fake.close()
  useService(await startResultsService(options))
}

beforeEach(async () => {
  savedEnv = new Map()
  useService(await startResultsService())
  // The files as the action leaves them in output-dir: `<artifact-name>.mp4` and its metadata JSON.
  dir = await mkdtemp(join(tmpdir(), 'grok-video-artifact-'))
  request = {
    name: NAME,
    videoPath: join(dir, `${NAME}.mp4`),
    metadataPath: join(dir, `${NAME}.json`),
    archive: false,
  }
  await copyFile(FIXTURE_VIDEO_PATH, request.videoPath)
  video = await readFile(request.videoPath)
  metadata = Buffer.from(
    `${JSON.stringify({ requestId: '0b7c6a1e-job', video: { sha256: sha256(video) } }, null, 2)}\n`,
  )
  await writeFile(request.metadataPath, metadata)
})

afterEach(async () => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await fake.close()
  await rm(dir, { recursive: true, force: true })
})

const pageOf = (id: number): string =>
  `${fake.env.GITHUB_SERVER_URL}/${fake.env.GITHUB_REPOSITORY}/actions/runs/${fake.env.GITHUB_RUN_ID}/artifacts/${id}`

describe('uploadVideo', () => {
  it('uploads the MP4 itself, unzipped, as video/mp4 named <artifact-name>.mp4', async () => {
    const uploaded = await uploadVideo(request)

    expect(fake.artifacts).toHaveLength(1)
    const stored = fake.artifacts[0]
    expect(stored.name).toBe(`${NAME}.mp4`)
    expect(stored.mimeType).toBe('video/mp4')
    expect(stored.bytes.equals(video)).toBe(true)
    expect(stored.sha256).toBe(sha256(video))
    expect(stored.expiresAt).toBeUndefined()
    expect(uploaded).toEqual({ id: stored.id, name: `${NAME}.mp4`, digest: stored.sha256, url: pageOf(stored.id) })
    expect(uploaded.url).toBe(`https://github.com/octo/grok-video-action/actions/runs/4242/artifacts/${stored.id}`)
  })

  it('with archive: true uploads a zip named <artifact-name> holding the MP4 and the metadata JSON', async () => {
    const uploaded = await uploadVideo({ ...request, archive: true })

    expect(fake.artifacts).toHaveLength(1)
    const stored = fake.artifacts[0]
    expect(stored.name).toBe(NAME)
    expect(stored.mimeType).toBe('application/zip')
    const entries = readZip(stored.bytes)
    expect([...entries.keys()].sort()).toEqual([`${NAME}.json`, `${NAME}.mp4`])
    expect(entries.get(`${NAME}.mp4`)!.equals(video)).toBe(true)
    expect(entries.get(`${NAME}.json`)!.equals(metadata)).toBe(true)
    expect(uploaded).toEqual({ id: stored.id, name: NAME, digest: stored.sha256, url: pageOf(stored.id) })
  })

  it.each([1, 30, 90])('sends retentionDays %i as the expiry date', async (days) => {
    const before = Date.now()

    await uploadVideo({ ...request, retentionDays: days })

    const expiresAt = fake.artifacts[0].expiresAt
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
    // The client adds calendar days in local time: allow an hour either way for a daylight saving change.
    const expected = before + days * 24 * 3600 * 1000
    expect(Math.abs(Date.parse(expiresAt!) - expected)).toBeLessThan(3600 * 1000 + 60 * 1000)
  })

  it.each(['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'])(
    'without %s says so and points at upload-artifact: false, sending nothing',
    async (variable) => {
      delete process.env[variable]

      const failure = await uploadVideo(request).catch((error: unknown) => error)

      expect(failure).toBeInstanceOf(ArtifactUploadError)
      expect((failure as Error).message).toContain(variable)
      expect((failure as Error).message).toContain('upload-artifact: false')
      expect(fake.requests).toEqual([])
    },
  )

  it.each([
    { archive: false, name: `${NAME}.mp4` },
    { archive: true, name: NAME },
  ])('names the artifact ($name) when the service refuses to create it', async ({ archive, name }) => {
    await restartService({ rejectCreate: { status: 403, message: 'artifact storage quota has been hit' } })

    const failure = await uploadVideo({ ...request, archive }).catch((error: unknown) => error)

    expect(failure).toBeInstanceOf(ArtifactUploadError)
    expect((failure as Error).message).toContain(`'${name}'`)
    expect((failure as Error).message).toContain('artifact storage quota has been hit')
    expect(fake.artifacts).toEqual([])
  })
})

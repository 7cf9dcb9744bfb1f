// Drives the real @actions/artifact client against the fake results service, so the fake is checked
// against the client the action ships with rather than against our reading of the protocol.

import { DefaultArtifactClient } from '@actions/artifact'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ARTIFACT_SERVICE, startResultsService, type ResultsServiceFake } from './results-service.ts'
import { callTwirp } from './twirp-client.ts'
import { readZip } from './zip.ts'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

// Variables the client reads besides the fake's own env; cleared so the host's values cannot leak in.
const CLEARED_ENV = [
  'GITHUB_RETENTION_DAYS',
  'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
  'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS',
]

let fake: ResultsServiceFake | undefined
let workDir: string
let savedEnv: Map<string, string | undefined> | undefined

async function start(options?: Parameters<typeof startResultsService>[0]): Promise<ResultsServiceFake> {
  fake = await startResultsService(options)
  const env: Record<string, string | undefined> = { ...fake.env }
  for (const name of CLEARED_ENV) env[name] = undefined
  savedEnv = new Map(Object.keys(env).map((name) => [name, process.env[name]]))
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  return fake
}

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'results-fake-'))
})

afterEach(async () => {
  for (const [name, value] of savedEnv ?? []) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  savedEnv = undefined
  await fake?.close()
  fake = undefined
  await rm(workDir, { recursive: true, force: true })
})

function blockPuts(service: ResultsServiceFake, comp: string): number {
  return service.requests.filter(
    (r) => r.method === 'PUT' && new URL(r.path, service.origin).searchParams.get('comp') === comp,
  ).length
}

describe('fake results service with the real DefaultArtifactClient', () => {
  it('stores a single file uploaded with skipArchive byte for byte, as video/mp4 named after the file', async () => {
    const service = await start()
    const file = join(fixtures, 'tiny.mp4')
    const original = await readFile(file)

    const result = await new DefaultArtifactClient().uploadArtifact('ignored-name', [file], fixtures, {
      skipArchive: true,
    })

    expect(service.artifacts).toHaveLength(1)
    const stored = service.artifacts[0]
    expect(stored.name).toBe('tiny.mp4')
    expect(stored.mimeType).toBe('video/mp4')
    expect(stored.expiresAt).toBeUndefined()
    expect(stored.bytes.equals(original)).toBe(true)
    expect(stored.sha256).toBe(sha256(original))
    expect(stored.declaredHash).toBe(`sha256:${stored.sha256}`)
    expect(stored.declaredSize).toBe(original.length)
    expect(result).toEqual({ id: stored.id, digest: stored.sha256, size: original.length })
    // Small files still go up as one staged block plus a block list.
    expect(blockPuts(service, 'block')).toBe(1)
    expect(blockPuts(service, 'blocklist')).toBe(1)
  })

  it('stores the default upload as a zip holding every file', async () => {
    const service = await start()
    const notes = Buffer.from('first file\n')
    const clip = await readFile(join(fixtures, 'tiny.mp4'))
    await mkdir(join(workDir, 'clips'))
    await writeFile(join(workDir, 'notes.txt'), notes)
    await writeFile(join(workDir, 'clips', 'tiny.mp4'), clip)

    const result = await new DefaultArtifactClient().uploadArtifact(
      'bundle',
      [join(workDir, 'notes.txt'), join(workDir, 'clips', 'tiny.mp4')],
      workDir,
    )

    const stored = service.artifacts[0]
    expect(stored.name).toBe('bundle')
    expect(stored.mimeType).toBe('application/zip')
    expect(stored.bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04')
    expect(result.id).toBe(stored.id)
    expect(result.digest).toBe(stored.sha256)
    const entries = readZip(stored.bytes)
    expect([...entries.keys()].sort()).toEqual(['clips/tiny.mp4', 'notes.txt'])
    expect(entries.get('notes.txt')!.equals(notes)).toBe(true)
    expect(entries.get('clips/tiny.mp4')!.equals(clip)).toBe(true)
  })

  it('reassembles a 20 MiB file uploaded in parallel blocks in block-list order', async () => {
    const service = await start()
    const big = randomBytes(20 * 1024 * 1024)
    const file = join(workDir, 'big.bin')
    await writeFile(file, big)

    const result = await new DefaultArtifactClient().uploadArtifact('big', [file], workDir, { skipArchive: true })

    const stored = service.artifacts[0]
    expect(blockPuts(service, 'block')).toBeGreaterThan(1)
    expect(blockPuts(service, 'blocklist')).toBe(1)
    expect(stored.bytes.length).toBe(big.length)
    expect(stored.bytes.equals(big)).toBe(true)
    expect(stored.sha256).toBe(sha256(big))
    expect(result.digest).toBe(stored.sha256)
    expect(result.size).toBe(big.length)
  })

  it('rejects a second artifact with the same name in the run with 409, and the client throws', async () => {
    const service = await start()
    const file = join(fixtures, 'tiny.mp4')
    const client = new DefaultArtifactClient()
    await client.uploadArtifact('x', [file], fixtures, { skipArchive: true })

    await expect(client.uploadArtifact('x', [file], fixtures, { skipArchive: true })).rejects.toThrow(
      /409.*already exists/,
    )
    expect(service.artifacts).toHaveLength(1)
  })

  it('passes retentionDays through as expires_at', async () => {
    const service = await start()
    const before = Date.now()
    await new DefaultArtifactClient().uploadArtifact('kept', [join(fixtures, 'frame.png')], fixtures, {
      retentionDays: 3,
    })

    const expiresAt = service.artifacts[0].expiresAt
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
    const threeDays = 3 * 24 * 3600 * 1000
    // The client adds calendar days in local time: allow an hour either way for a DST change.
    expect(Math.abs(Date.parse(expiresAt!) - (before + threeDays))).toBeLessThan(3600 * 1000 + 60 * 1000)
  })

  it('lists, finds and downloads what was uploaded', async () => {
    await start()
    const client = new DefaultArtifactClient()
    const mp4 = await readFile(join(fixtures, 'tiny.mp4'))
    const uploaded = await client.uploadArtifact('n', [join(fixtures, 'tiny.mp4')], fixtures, { skipArchive: true })
    const id = uploaded.id!
    const digest = `sha256:${uploaded.digest}`
    await client.uploadArtifact('frames', [join(fixtures, 'frame.png'), join(fixtures, 'frame.jpg')], fixtures)

    const { artifacts } = await client.listArtifacts()
    expect(artifacts.map((a) => a.name).sort()).toEqual(['frames', 'tiny.mp4'])
    const { artifact } = await client.getArtifact('tiny.mp4')
    expect(artifact).toMatchObject({ id, name: 'tiny.mp4', size: mp4.length, digest })

    const raw = join(workDir, 'raw')
    const download = await client.downloadArtifact(id, { path: raw, expectedHash: digest })
    expect(download.digestMismatch).toBe(false)
    expect((await readFile(join(raw, 'tiny.mp4'))).equals(mp4)).toBe(true)

    const zipped = join(workDir, 'zipped')
    const frames = artifacts.find((a) => a.name === 'frames')!
    await client.downloadArtifact(frames.id, { path: zipped })
    expect((await readFile(join(zipped, 'frame.jpg'))).equals(await readFile(join(fixtures, 'frame.jpg')))).toBe(true)
  })

  it('answers rejectCreate with the given 4xx and the client gives up at once', async () => {
    const service = await start({ rejectCreate: { status: 403, message: 'artifact storage quota has been hit' } })
    const started = Date.now()

    await expect(
      new DefaultArtifactClient().uploadArtifact('q', [join(fixtures, 'tiny.mp4')], fixtures, { skipArchive: true }),
    ).rejects.toThrow(/403.*quota/)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(service.requests.filter((r) => r.path.endsWith('/CreateArtifact'))).toHaveLength(1)
  })
})

describe('fake results service wire protocol', () => {
  const twirp = (service: ResultsServiceFake, method: string, body: unknown, headers?: Record<string, string>) =>
    callTwirp(service, ARTIFACT_SERVICE, method, body, headers)

  const ids = (service: ResultsServiceFake) => ({
    workflow_run_backend_id: service.backendIds.workflowRunBackendId,
    workflow_job_run_backend_id: service.backendIds.workflowJobRunBackendId,
  })

  it('puts the backend ids in the token scope the client parses', async () => {
    const service = await start()
    const payload = JSON.parse(
      Buffer.from(service.env.ACTIONS_RUNTIME_TOKEN.split('.')[1], 'base64url').toString('utf8'),
    ) as { scp: string }
    expect(payload.scp.split(' ')).toContain(
      `Actions.Results:${service.backendIds.workflowRunBackendId}:${service.backendIds.workflowJobRunBackendId}`,
    )
  })

  it('refuses a wrong token, foreign backend ids and unknown routes with Twirp 4xx errors', async () => {
    const service = await start()
    const create = { ...ids(service), name: 'a', version: 7 }

    expect(await twirp(service, 'CreateArtifact', create, { authorization: 'Bearer nope' })).toMatchObject({
      status: 401,
      json: { code: 'unauthenticated' },
    })
    expect(
      await twirp(service, 'CreateArtifact', { ...create, workflow_job_run_backend_id: 'someone-else' }),
    ).toMatchObject({ status: 403, json: { code: 'permission_denied' } })
    expect(await twirp(service, 'NoSuchMethod', create)).toMatchObject({ status: 404, json: { code: 'bad_route' } })
    expect(await twirp(service, 'FinalizeArtifact', { ...ids(service), name: 'missing', size: '1' })).toMatchObject({
      status: 404,
      json: { code: 'not_found' },
    })
  })

  it('builds the blob from the block list order, not the arrival order, and ignores unknown fields', async () => {
    const service = await start()
    const created = await twirp(service, 'CreateArtifact', {
      ...ids(service),
      name: 'ordered.bin',
      mime_type: 'application/octet-stream',
      version: 7,
      some_future_field: true,
    })
    expect(created).toMatchObject({ status: 200, json: { ok: true } })
    const uploadUrl = created.json.signed_upload_url as string
    expect(new URL(uploadUrl).origin).toBe(service.origin)

    const parts = [Buffer.from('first-'), Buffer.from('second-'), Buffer.from('third')]
    // 64-character ids with '+' and '/' in them, as the SDK makes.
    const blockIds = parts.map((_, i) =>
      Buffer.from(`${'?>'.repeat(22)}${String(i).padStart(4, '0')}`).toString('base64'),
    )
    for (const i of [2, 0, 1]) {
      const response = await fetch(`${uploadUrl}&comp=block&blockid=${encodeURIComponent(blockIds[i])}`, {
        method: 'PUT',
        body: parts[i],
      })
      expect(response.status).toBe(201)
    }
    const list = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><BlockList>${blockIds
      .map((id) => `<Latest>${id}</Latest>`)
      .join('')}</BlockList>`
    const committed = await fetch(`${uploadUrl}&comp=blocklist`, {
      method: 'PUT',
      headers: { 'x-ms-blob-content-type': 'application/octet-stream' },
      body: list,
    })
    expect(committed.status).toBe(201)
    expect(committed.headers.get('etag')).toMatch(/^".+"$/)

    const finalized = await twirp(service, 'FinalizeArtifact', {
      ...ids(service),
      name: 'ordered.bin',
      size: '18',
      hash: `sha256:${sha256(Buffer.concat(parts))}`,
    })
    expect(finalized).toMatchObject({ status: 200, json: { ok: true, artifact_id: String(service.artifacts[0].id) } })
    expect(service.artifacts[0].bytes.toString()).toBe('first-second-third')
  })

  it('accepts a single-shot Put Blob and refuses a bad signature or an unknown block', async () => {
    const service = await start()
    const created = await twirp(service, 'CreateArtifact', {
      ...ids(service),
      name: 'one.txt',
      mime_type: 'text/plain',
      version: 7,
    })
    const uploadUrl = created.json.signed_upload_url as string

    const forged = uploadUrl.replace(/sig=[^&]+/, 'sig=forged')
    const denied = await fetch(forged, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' })
    expect(denied.status).toBe(403)
    expect(denied.headers.get('x-ms-error-code')).toBe('AuthenticationFailed')

    const badList = await fetch(`${uploadUrl}&comp=blocklist`, {
      method: 'PUT',
      body: '<BlockList><Latest>AAAA</Latest></BlockList>',
    })
    expect(badList.status).toBe(400)
    expect(badList.headers.get('x-ms-error-code')).toBe('InvalidBlockList')

    const put = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-blob-content-type': 'text/plain' },
      body: 'whole blob',
    })
    expect(put.status).toBe(201)
    await twirp(service, 'FinalizeArtifact', { ...ids(service), name: 'one.txt', size: '10' })
    expect(service.artifacts[0]).toMatchObject({ name: 'one.txt', declaredSize: 10, declaredHash: '' })
    expect(service.artifacts[0].bytes.toString()).toBe('whole blob')
  })
})

/**
 * The `prompts-file` of a batch: read, parsed (YAML or JSON) and validated as a whole, each job's fields checked
 * as the step's own inputs are, before anything is sent.
 */
import { parse } from 'yaml'
import { InputError } from './errors.js'
import { FORBIDDEN_INPUTS, OPERATIONS, type Operation } from './grok/request.js'
import type { ImageInput } from './input-image.js'
import type { ActionConfig } from './inputs.js'
import { checkPublicUrlTarget, withStorageOptions } from './public-url.js'
import { PATH_FIELDS, videoRequestFrom, VIDEO_FIELDS, type VideoFields } from './video-request.js'
import { workspaceFiles, type FileSource } from './workspace-paths.js'

export interface BatchJob {
  name: string
  /** The step's config with this job's request, artifact name and no batch of its own. */
  config: ActionConfig
  /** Step defaults this job's operation does not take, dropped for it: said in the log. */
  dropped?: string[]
  /** The job's own first frame or reference images left the step's voices behind: the input that did, warned of. */
  voicesLeftBy?: 'image' | 'reference-images'
}

/** Job keys a prompts file may use; `aspect_ratio` is accepted as the API spells it. */
const JOB_KEYS = new Set(['name', ...VIDEO_FIELDS, 'aspect_ratio'])
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const MAX_JOBS = 100

/** A YAML scalar's text as written (a number or `true` as its digits or word); undefined for a list or mapping. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  return undefined
}

/**
 * A job field's value as the text an input would hold. A list or mapping has none, and neither has a key left
 * empty (YAML null): refused, rather than sent (and billed) as the text "null".
 */
function fieldText(job: string, key: string, value: unknown): string {
  // Reference images and voices may be a list: one per line, as the step input takes them.
  if (
    (key === 'reference-images' || key === 'reference-voices') &&
    Array.isArray(value) &&
    value.every((item) => scalarText(item) !== undefined)
  ) {
    return value.map((item) => (scalarText(item) as string).trim()).join('\n')
  }
  if (value === null)
    throw new InputError('prompts-file', `job '${job}': '${key}' has no value: give it one, or remove the key.`)
  const text = scalarText(value)
  if (text === undefined)
    throw new InputError('prompts-file', `job '${job}': '${key}' must be text, not a list or mapping.`)
  return text.trim()
}

/**
 * Reads and validates the whole prompts file before anything is sent; from `files` when given (another commit's
 * tree, whose files the step's own inputs were not read from), else from the workspace.
 */
export async function readBatch(config: ActionConfig, files?: FileSource): Promise<BatchJob[]> {
  const batch = config.batch
  if (!batch) return []
  const source = files ?? workspaceFiles(config.workspace)
  const { bytes } = await source.read(
    'prompts-file',
    batch.file,
    () =>
      new InputError(
        'prompts-file',
        `'${batch.file}' does not exist or cannot be read: give a YAML or JSON file, relative to the workspace.`,
      ),
  )
  const text = bytes.toString('utf8')
  let document: unknown
  try {
    document = parse(text)
  } catch (error) {
    throw new InputError(
      'prompts-file',
      `'${batch.file}' is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
    )
  }
  const list = Array.isArray(document) ? document : (document as { jobs?: unknown } | null)?.jobs
  if (!Array.isArray(list) || list.length === 0) {
    throw new InputError(
      'prompts-file',
      `'${batch.file}' must hold a list of jobs (or an object with a 'jobs' list), each with a 'name' and a 'prompt'.`,
    )
  }
  if (list.length > MAX_JOBS)
    throw new InputError('prompts-file', `holds ${list.length} jobs; at most ${MAX_JOBS} run in one step.`)

  const seen = new Set<string>()
  const jobs: BatchJob[] = []
  // One image is read and encoded once per batch, however many jobs use it (the step's default included).
  const images = new Map<string, ImageInput | undefined>()
  // Only when the step read it: an image its own operation does not take was left unread, not found empty.
  if (!files && batch.defaults.image && config.image) images.set(batch.defaults.image, config.image)
  for (const [index, item] of list.entries()) {
    const where = `job #${index + 1}`
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InputError('prompts-file', `${where} is not a mapping of 'name', 'prompt' and optional overrides.`)
    }
    const job = item as Record<string, unknown>
    const unknown = Object.keys(job).filter((key) => !JOB_KEYS.has(key))
    if (unknown.length) {
      // Named too when it has a name: in a long file the position alone is hard to find.
      const named = typeof job.name === 'string' && job.name ? ` ('${job.name}')` : ''
      throw new InputError(
        'prompts-file',
        `${where}${named} has unknown keys ${unknown.map((k) => `'${k}'`).join(', ')}; a job accepts ${[...JOB_KEYS].filter((k) => k !== 'aspect_ratio').join(', ')}.`,
      )
    }
    const name = typeof job.name === 'string' ? job.name : ''
    if (!NAME.test(name)) {
      throw new InputError(
        'prompts-file',
        `${where} needs a 'name' of letters, digits, '.', '_' or '-' (at most 64, used in artifact names); got '${scalarText(job.name) ?? ''}'.`,
      )
    }
    if (seen.has(name))
      throw new InputError(
        'prompts-file',
        `has two jobs named '${name}': names must be unique (each names an artifact).`,
      )
    seen.add(name)

    const fields: VideoFields = { ...batch.defaults }
    // A job's own prompt replaces the step's prompt and prompt-file alike.
    if (job.prompt !== undefined || job['prompt-file'] !== undefined) {
      fields.prompt = ''
      fields['prompt-file'] = ''
    }
    // Likewise a job's own first frame or reference images replace the step's choice of either, and the step's
    // voices with them: voices go with the reference images they were chosen for.
    const ownImages =
      job.image !== undefined ? 'image' : job['reference-images'] !== undefined ? 'reference-images' : undefined
    const voicesLeftBy =
      ownImages && batch.defaults['reference-voices'] && job['reference-voices'] === undefined ? ownImages : undefined
    if (ownImages) {
      fields.image = ''
      fields['reference-images'] = ''
      fields['reference-voices'] = ''
    }
    for (const key of VIDEO_FIELDS) if (job[key] !== undefined) fields[key] = fieldText(name, key, job[key])
    if (job.aspect_ratio !== undefined) fields['aspect-ratio'] = fieldText(name, 'aspect_ratio', job.aspect_ratio)
    // A step default this job's operation refuses is not the job's doing: dropped, and said so. Its own is refused.
    const operation = fields.operation as Operation
    const dropped = OPERATIONS.includes(operation)
      ? FORBIDDEN_INPUTS[operation].filter(
          (input) => batch.defaults[input as keyof VideoFields] && job[input] === undefined,
        )
      : []
    for (const input of dropped) fields[input as keyof VideoFields] = ''
    const artifactName = `${config.artifactName ?? 'grok-video'}-${name}`
    let video
    try {
      // Paths this job names itself stay inside the workspace; the step's own may be anywhere outside '.git/'.
      const confined = new Set(PATH_FIELDS.filter((key) => job[key] !== undefined))
      video = await videoRequestFrom(fields, {
        workspace: config.workspace,
        apiFamily: config.apiFamily,
        promptOptional: false,
        images,
        confined,
        files: source,
      })
      checkPublicUrlTarget(config.publicUrl, { apiFamily: config.apiFamily, operation: video.operation })
    } catch (error) {
      if (error instanceof InputError)
        throw new InputError('prompts-file', `job '${name}': '${error.input}' ${error.detail}`)
      throw error
    }
    jobs.push({
      name,
      ...(dropped.length ? { dropped } : {}),
      ...(voicesLeftBy ? { voicesLeftBy } : {}),
      config: {
        ...config,
        operation: video.operation,
        // Each job's stored copy is named after the job.
        request:
          video.request && config.publicUrl
            ? withStorageOptions(video.request, config.publicUrl, artifactName)
            : video.request,
        image: video.image,
        referenceImages: video.referenceImages,
        video: video.video,
        artifactName,
        resumeRequestId: undefined,
        maxCostUsd: undefined, // the batch checks its total, and each create against the step's shared ledger
        batch: undefined,
      },
    })
  }
  return jobs
}

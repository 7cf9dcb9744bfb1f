/**
 * The inputs that describe one video (the step's, or a batch job's on top of them), validated into its create
 * request: operation, prompt, model, length and shape, images and the input video.
 */
import { InputError } from './errors.js'
import { type ApiFamily } from './grok/provider.js'
import {
  DEFAULT_DURATION,
  DURATION_RANGE,
  FORBIDDEN_INPUTS,
  MAX_REFERENCE_VOICES,
  OPERATIONS,
  type CreateVideoRequest,
  type Operation,
  type VideoSource,
} from './grok/request.js'
import { readImage, readReferenceImages, type ImageInput } from './input-image.js'
import { INPUT_DEFAULTS } from './input-names.js'
import { oneOf, parseInteger, quoted } from './input-values.js'
import { readVideo } from './input-video.js'
import { workspaceFiles, type FileSource } from './workspace-paths.js'

const ASPECT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'] as const
const RESOLUTIONS = ['480p', '720p', '1080p'] as const
const DEFAULT_MODEL = INPUT_DEFAULTS.model
const MAX_PROMPT_CHARS = 4096
/** Any model id of this form is sent as given, so a new model works without a new release. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/

/**
 * The video inputs that may name a local file. Named inside a prompts file, such a path must stay inside the
 * workspace (see workspace-paths.ts); a new input that reads a file belongs here.
 */
export const PATH_FIELDS = ['prompt-file', 'image', 'reference-images', 'video'] as const
export type PathField = (typeof PATH_FIELDS)[number]

/** Whether `text`, given to `field`, names a file (an image or a video may be a URL instead). */
function namesLocalFile(field: PathField, text: string): boolean {
  if (!text) return false
  return field === 'prompt-file' || !/^(https?:\/\/|data:)/i.test(text)
}

/** The inputs that describe one video: the step's, or a batch job's on top of them. */
export const VIDEO_FIELDS = [
  'operation',
  'prompt',
  'prompt-file',
  'model',
  'duration',
  'aspect-ratio',
  'resolution',
  'image',
  'reference-images',
  'reference-voices',
  'video',
  'user',
] as const
export type VideoFields = Record<(typeof VIDEO_FIELDS)[number], string>

/** One video's validated request and what its logs need to show it. */
export interface VideoSpec {
  operation: Operation
  /** Absent when the prompt may be missing and is (resuming, batch defaults). */
  request?: CreateVideoRequest
  image?: ImageInput
  referenceImages?: ImageInput[]
  video?: VideoSource
}

export interface VideoSpecContext {
  workspace: string
  apiFamily: ApiFamily
  /** No prompt (and no input video) is fine: resuming, or a batch's defaults; then there is no request. */
  promptOptional: boolean
  /** A batch's step-level defaults: inputs the step's operation refuses are left for each job to judge. */
  defaults?: boolean
  /** Images already read, by the text that named them (a batch reads and encodes each one once). */
  images?: Map<string, ImageInput | undefined>
  /** Fields whose paths must stay inside the workspace: those a prompts file's job names itself. */
  confined?: ReadonlySet<PathField>
  /** Where local paths are read; the workspace unless set. */
  files?: FileSource
}

/** Why an operation refuses an input, said in the error. */
const REFUSAL_REASONS: Record<string, string> = {
  video: "'video' is the input of 'operation: edit' or 'operation: extend'",
  duration: "an edit keeps its input video's length",
  'aspect-ratio': "the result keeps its input video's aspect ratio",
  resolution: "the result keeps its input video's resolution (at most 720p)",
  image: "a first frame belongs to 'operation: generate'",
  'reference-images': "reference images belong to 'operation: generate'",
  'reference-voices': "reference voices go with reference images, which belong to 'operation: generate'",
  user: 'the extensions endpoint takes no end-user id',
}

/** Validates one video's fields into its create request. */
export async function videoRequestFrom(fields: VideoFields, context: VideoSpecContext): Promise<VideoSpec> {
  const { workspace, promptOptional } = context
  const files = context.files ?? workspaceFiles(workspace)
  // Checked before anything is read, and before the image cache could answer for a path it has seen elsewhere.
  for (const field of context.confined ?? []) {
    for (const text of field === 'reference-images' ? fields[field].split(/\r?\n/) : [fields[field]]) {
      if (namesLocalFile(field, text.trim())) await files.confine(field, text.trim())
    }
  }
  const operation = oneOf('operation', fields.operation, OPERATIONS) ?? INPUT_DEFAULTS.operation
  const set = (name: string): boolean => fields[name as keyof VideoFields] !== ''
  const refused = FORBIDDEN_INPUTS[operation].filter(set)
  if (refused.length && !context.defaults) {
    const name = refused[0]
    throw new InputError(
      name,
      `is not accepted with 'operation: ${operation}' (${REFUSAL_REASONS[name]}): leave it empty, or choose another 'operation'.`,
    )
  }
  const use = (name: keyof VideoFields): string => (refused.includes(name) ? '' : fields[name])

  const prompt = await readPrompt(fields.prompt, fields['prompt-file'], files, promptOptional)
  const model = fields.model || DEFAULT_MODEL
  if (!MODEL_ID.test(model)) {
    throw new InputError(
      'model',
      `must be a model id: letters, digits, '.', '_', '-', ':' and '/' (at most 128 characters), such as '${DEFAULT_MODEL}'; got ${quoted(model)}.`,
    )
  }
  const duration =
    operation === 'edit'
      ? undefined
      : parseInteger('duration', use('duration') || String(DEFAULT_DURATION[operation]), ...DURATION_RANGE[operation])
  const aspectRatio = oneOf('aspect-ratio', use('aspect-ratio'), ASPECT_RATIOS)
  const resolution = oneOf('resolution', use('resolution'), RESOLUTIONS)
  if (resolution === '1080p' && model === DEFAULT_MODEL) {
    throw new InputError(
      'resolution',
      `'1080p' needs a 1.5 model (e.g. 'model: grok-imagine-video-1.5'); '${model}' accepts 480p or 720p.`,
    )
  }
  const readOnce = async (text: string, input: string): Promise<ImageInput | undefined> => {
    if (context.images?.has(text)) return context.images.get(text)
    const read = await readImage(text, workspace, input, files)
    context.images?.set(text, read)
    return read
  }
  const image = await readOnce(use('image'), 'image')
  const referenceImages = await readReferenceImages(use('reference-images'), (line) =>
    readOnce(line, 'reference-images'),
  )
  if (referenceImages && image) {
    throw new InputError(
      'reference-images',
      "cannot be combined with 'image': give either a first frame ('image') or up to 7 reference images.",
    )
  }
  const voices = parseReferenceVoices(use('reference-voices'))
  if (voices && context.apiFamily === 'CometAPI') {
    throw new InputError(
      'reference-voices',
      "is not available through CometAPI (it is not known to pass 'reference_audios' on): use 'base-url: https://api.x.ai/v1' with an xAI key, or leave it empty.",
    )
  }
  // In a batch too: the step's voices go with the step's reference images, a job's own with the images it has.
  if (voices && !referenceImages) {
    const batch = context.defaults
      ? " In a batch the step's voices go with the step's 'reference-images'; a job gives its own voices beside its own 'reference-images' in the prompts file."
      : ''
    throw new InputError(
      'reference-voices',
      `needs 'reference-images': voices are taken with reference images only (reference-to-video). Add 'reference-images', or leave it empty.${batch}`,
    )
  }
  if (referenceImages && resolution === '1080p') {
    throw new InputError('reference-images', "cannot be combined with 'resolution: 1080p': use 480p or 720p.")
  }
  const videoText = use('video')
  if (operation !== 'generate' && !videoText && !promptOptional) {
    throw new InputError(
      'video',
      `is required with 'operation: ${operation}': the path of a local MP4 (e.g. a previous step's 'video-path') or an https URL (e.g. its 'video-url', empty after a cache hit).`,
    )
  }
  const video =
    operation !== 'generate' && videoText
      ? await readVideo(videoText, { operation, workspace, family: context.apiFamily, files })
      : undefined
  const user = use('user') || undefined
  if (prompt === undefined) return { operation, image, referenceImages, video }
  const request: CreateVideoRequest = {
    prompt,
    ...(video ? { video: video.ref } : {}),
    model,
    ...(duration !== undefined ? { duration } : {}),
    ...(aspectRatio ? { aspect_ratio: aspectRatio } : {}),
    ...(resolution ? { resolution } : {}),
    ...(image ? { image: { url: image.url } } : {}),
    ...(referenceImages ? { reference_images: referenceImages.map((reference) => ({ url: reference.url })) } : {}),
    ...(voices && referenceImages ? { reference_audios: voices.map((id) => ({ voice_id: id })) } : {}),
    ...(user ? { user } : {}),
  }
  return { operation, request, image, referenceImages, video }
}

/** A voice id as the provider names its voices: the roster is the provider's, checked there. */
const VOICE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/** `reference-voices`: up to three voice ids, one per line (blank lines ignored, no id twice in any case). */
export function parseReferenceVoices(text: string): string[] | undefined {
  const ids = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  if (ids.length === 0) return undefined
  if (ids.length > MAX_REFERENCE_VOICES) {
    throw new InputError(
      'reference-voices',
      `lists ${ids.length} voices; at most ${MAX_REFERENCE_VOICES} are accepted (the prompt names them <AUDIO_0> to <AUDIO_2>).`,
    )
  }
  const seen = new Set<string>()
  for (const id of ids) {
    if (!VOICE_ID.test(id)) {
      throw new InputError(
        'reference-voices',
        `must list voice ids, one per line: letters, digits, '_' and '-' (at most 64 characters), such as 'eve'; got ${quoted(id)}.`,
      )
    }
    if (seen.has(id.toLowerCase())) {
      throw new InputError(
        'reference-voices',
        `lists ${quoted(id)} twice (voice ids ignore case): give each voice once.`,
      )
    }
    seen.add(id.toLowerCase())
  }
  return ids
}

async function readPrompt(
  promptText: string,
  promptFile: string,
  files: FileSource,
  resuming: boolean,
): Promise<string | undefined> {
  if (promptText && promptFile) {
    throw new InputError('prompt', "and 'prompt-file' were both given: set exactly one of them.")
  }
  if (!promptText && !promptFile) {
    if (resuming) return undefined
    throw new InputError(
      'prompt',
      "is required: set exactly one of 'prompt' (the text) or 'prompt-file' (a UTF-8 file).",
    )
  }
  let prompt = promptText
  if (promptFile) {
    const { bytes } = await files.read(
      'prompt-file',
      promptFile,
      (why) =>
        new InputError(
          'prompt-file',
          `'${promptFile}' ${why}: give a path, relative to the workspace, of a UTF-8 text file.`,
        ),
    )
    try {
      prompt = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes).trim()
    } catch {
      throw new InputError('prompt-file', `'${promptFile}' is not valid UTF-8 text: save it as UTF-8.`)
    }
  }
  const name = promptFile ? 'prompt-file' : 'prompt'
  if (!prompt.trim()) throw new InputError(name, 'is empty: the prompt must have some text.')
  const length = [...prompt].length
  if (length > MAX_PROMPT_CHARS) {
    throw new InputError(name, `is ${length} characters long; the API accepts at most ${MAX_PROMPT_CHARS}.`)
  }
  return prompt
}

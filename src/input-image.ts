/**
 * The image inputs, `image` (a first frame) and `reference-images`: an https URL, a data URL, or a local PNG, JPEG
 * or WebP judged by its bytes, each turned into what the create request sends and a short label for the logs.
 */
import { InputError } from './errors.js'
import { MAX_REFERENCE_IMAGES } from './grok/request.js'
import { checkUrl, shownUrl } from './urls.js'
import { workspaceFiles, type FileSource } from './workspace-paths.js'

const MAX_IMAGE_BYTES = 10 * 1024 * 1024

export interface ImageInput {
  /** What is sent as `image.url`: the https URL, or a data URL. */
  url: string
  /** What the logs, summary and metadata show instead of a long data URL. */
  label: string
}

const IMAGE_FORMS =
  'an https:// URL, a data:image/(png|jpeg|webp);base64, URL, or the path of a local PNG, JPEG or WebP file of at most 10 MiB'

export async function readImage(
  text: string,
  workspace: string,
  input = 'image',
  files: FileSource = workspaceFiles(workspace),
): Promise<ImageInput | undefined> {
  if (!text) return undefined
  if (/^https:\/\//i.test(text)) {
    const { url, problem } = checkUrl(text, { refuseControlCharacters: true, refuseCredentials: true })
    if (problem === 'control-character') {
      throw new InputError(input, `holds a line break or another control character: accepts ${IMAGE_FORMS}.`)
    }
    if (problem === 'credentials') {
      throw new InputError(
        input,
        `carries a user name or password: give a URL without them (a signed URL's query is fine).`,
      )
    }
    if (problem) throw new InputError(input, `is not a valid URL: accepts ${IMAGE_FORMS}.`)
    return { url: text, label: shownUrl(url) }
  }
  if (/^data:/i.test(text)) {
    const match = /^data:image\/(png|jpeg|webp);base64,([A-Za-z0-9+/]+={0,2})$/.exec(text)
    if (!match) throw new InputError(input, `is a data URL of the wrong form: accepts ${IMAGE_FORMS}.`)
    const bytes = Math.floor((match[2].length * 3) / 4)
    if (bytes > MAX_IMAGE_BYTES) throw new InputError(input, `is about ${bytes} bytes; at most 10 MiB is accepted.`)
    return { url: text, label: `data URL (image/${match[1]}, ~${bytes} bytes)` }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new InputError(input, `uses an unsupported scheme ('${text.split(':')[0]}'): accepts ${IMAGE_FORMS}.`)
  }
  const { bytes, size } = await files.read(
    input,
    text,
    () => new InputError(input, `'${text}' is not an existing file: accepts ${IMAGE_FORMS}.`),
    (size) => {
      if (size > MAX_IMAGE_BYTES)
        throw new InputError(
          input,
          `'${text}' is ${size} bytes; at most 10 MiB (${MAX_IMAGE_BYTES} bytes) is accepted.`,
        )
    },
  )
  const mime = imageMimeType(bytes)
  if (!mime)
    throw new InputError(
      input,
      `'${text}' is not a PNG, JPEG or WebP image (judged by its content): accepts ${IMAGE_FORMS}.`,
    )
  return { url: `data:${mime};base64,${bytes.toString('base64')}`, label: `${text} (${mime}, ${size} bytes)` }
}

/** The image type from its first bytes, not its name. */
function imageMimeType(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp'
  return undefined
}

/** `reference-images`: one image per line, each written as `image` accepts. */
export async function readReferenceImages(
  text: string,
  read: (line: string) => Promise<ImageInput | undefined>,
): Promise<ImageInput[] | undefined> {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  if (lines.length === 0) return undefined
  if (lines.length > MAX_REFERENCE_IMAGES) {
    throw new InputError(
      'reference-images',
      `lists ${lines.length} images; at most ${MAX_REFERENCE_IMAGES} are accepted (the prompt names them <IMAGE_0> to <IMAGE_6>).`,
    )
  }
  const images: ImageInput[] = []
  for (const line of lines) images.push((await read(line)) as ImageInput)
  return images
}

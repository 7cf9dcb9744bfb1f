/**
 * The `video` input of `edit` and `extend`: an https URL, a `data:video/mp4;base64,` URL, or a local MP4 judged by
 * its bytes. Decides how the video travels (inline as a data URL, or through xAI's Files API) and checks its length
 * against what the operation accepts, all before any request is sent.
 */
import { createHash } from 'node:crypto'
import { InputError } from './errors.js'
import type { ApiFamily } from './grok/provider.js'
import { INPUT_VIDEO_SECONDS, type Operation, type VideoSource } from './grok/request.js'
import { isMp4, mp4DurationSeconds } from './mp4.js'
import { checkUrl, shownUrl } from './urls.js'
import { workspaceFiles, type FileSource } from './workspace-paths.js'

/** Larger local videos are not inlined: they go through the Files API. */
const MAX_INLINE_VIDEO_BYTES = 10 * 1024 * 1024
/** The Files API's limit (xAI's pages say 48 MB or 50 MB: the lower holds for both). */
const MAX_UPLOAD_VIDEO_BYTES = 48 * 1000 * 1000

const VIDEO_FORMS =
  "the path of a local MP4 (e.g. a previous step's 'video-path'), an https:// URL (e.g. a previous step's " +
  "'video-url', empty after a cache hit), or a data:video/mp4;base64, URL"

export interface VideoReadContext {
  operation: Exclude<Operation, 'generate'>
  workspace: string
  /** Which API the base-url speaks: the Files API exists only at xAI. */
  family: ApiFamily
  /** Where a local path is read; the workspace unless set. */
  files?: FileSource
}

export async function readVideo(text: string, context: VideoReadContext): Promise<VideoSource> {
  if (/^https?:\/\//i.test(text)) {
    // Plain http only on a loopback host (a local test server), as for base-url.
    const { url, problem } = checkUrl(text, {
      http: 'loopback',
      refuseControlCharacters: true,
      refuseCredentials: true,
    })
    if (problem === 'control-character') {
      throw new InputError('video', `holds a line break or another control character: accepts ${VIDEO_FORMS}.`)
    }
    if (problem === 'credentials') {
      throw new InputError(
        'video',
        `carries a user name or password: give a URL without them (a signed URL's query is fine).`,
      )
    }
    if (problem === 'not-a-url') throw new InputError('video', `is not a valid URL: accepts ${VIDEO_FORMS}.`)
    if (!problem) return { ref: { url: text }, label: shownUrl(url), identity: { url: text } }
  }
  if (/^data:/i.test(text)) return readDataUrl(text, context)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new InputError('video', `uses an unsupported scheme ('${text.split(':')[0]}'): accepts ${VIDEO_FORMS}.`)
  }
  return readLocalVideo(text, context)
}

function readDataUrl(text: string, context: VideoReadContext): VideoSource {
  const match = /^data:video\/mp4;base64,([A-Za-z0-9+/]+={0,2})$/.exec(text)
  if (!match) throw new InputError('video', `is a data URL of the wrong form: accepts ${VIDEO_FORMS}.`)
  const bytes = Buffer.from(match[1], 'base64')
  if (bytes.length > MAX_INLINE_VIDEO_BYTES) {
    throw new InputError('video', `is a data URL of ${bytes.length} bytes; at most 10 MiB is sent inline.`)
  }
  const label = `data URL (video/mp4, ${bytes.length} bytes)`
  return checked(bytes, label, { ref: { url: text }, label, identity: { sha256: sha256(bytes) } }, context)
}

async function readLocalVideo(text: string, context: VideoReadContext): Promise<VideoSource> {
  const files = context.files ?? workspaceFiles(context.workspace)
  const { bytes, real, size } = await files.read(
    'video',
    text,
    () => new InputError('video', `'${text}' is not an existing file: accepts ${VIDEO_FORMS}.`),
    (size) => {
      if (size > MAX_UPLOAD_VIDEO_BYTES) {
        throw new InputError(
          'video',
          `'${text}' is ${size} bytes; a local video may have at most 48 MB (${MAX_UPLOAD_VIDEO_BYTES} bytes): give an https URL instead.`,
        )
      }
    },
  )
  const label = `${text} (${size} bytes)`
  const identity = { sha256: sha256(bytes) }
  if (size <= MAX_INLINE_VIDEO_BYTES) {
    const ref = { url: `data:video/mp4;base64,${bytes.toString('base64')}` }
    return checked(bytes, label, { ref, label, identity }, context)
  }
  if (context.family !== 'xAI') {
    throw new InputError(
      'video',
      `'${text}' is ${size} bytes: over 10 MiB a video goes through xAI's Files API, which ${context.family ?? 'this base-url'} ` +
        "does not offer. Give an https URL instead (e.g. the previous step's 'video-url'; after a cache hit it is " +
        "empty: run that step with 'cache: false' for a fresh one, or host the file at an https URL of your own), " +
        "or use 'base-url: https://api.x.ai/v1' with an xAI key.",
    )
  }
  return checked(bytes, label, { upload: { path: real, bytes: size }, label, identity }, context)
}

/** Refuses what is not an MP4, and a length the operation cannot take when the MP4 states one. */
function checked(bytes: Buffer, label: string, source: VideoSource, context: VideoReadContext): VideoSource {
  if (!isMp4(bytes)) {
    throw new InputError(
      'video',
      `${label} is not an MP4 (judged by its content: no 'ftyp' box): accepts ${VIDEO_FORMS}.`,
    )
  }
  const seconds = mp4DurationSeconds(bytes)
  if (seconds === undefined) return source // unreadable: the provider judges it
  const { min, max } = INPUT_VIDEO_SECONDS[context.operation]
  if (seconds > max || seconds < min) {
    const accepted = min > 0 ? `${min}–${max} s` : `at most ${max} s`
    throw new InputError(
      'video',
      `${label} plays ${seconds.toFixed(2)} s; '${context.operation}' accepts an input video of ${accepted}.`,
    )
  }
  return { ...source, seconds }
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

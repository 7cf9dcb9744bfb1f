/**
 * How one input's text becomes a value (a number, a choice, a flag, a branch or artifact name), each parser
 * refusing with an error that names the input and what it accepts.
 */
import { InputError } from './errors.js'
import type { PreviewMode } from './ffmpeg.js'

/** Characters the artifact service refuses in a name. */
const FORBIDDEN_NAME_CHARS = /[":<>|*?\\/\r\n]/

/** Outside text quoted in an error: on one line, and short. */
export function quoted(text: string): string {
  return JSON.stringify(Array.from(text).slice(0, 80).join(''))
}

export function parseInteger(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new InputError(name, `must be a whole number from ${min} to ${max}; got '${text}'.`)
  }
  return Number(text)
}

export function parsePositive(name: string, text: string): number {
  const value = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0))
    throw new InputError(name, `must be a positive number of seconds; got '${text}'.`)
  return value
}

export function oneOf<T extends string>(name: string, text: string, allowed: readonly T[]): T | undefined {
  if (!text) return undefined
  if (!(allowed as readonly string[]).includes(text)) {
    throw new InputError(
      name,
      `must be one of ${allowed.join(', ')} (or empty for the provider's default); got '${text}'.`,
    )
  }
  return text as T
}

/** The spellings `core.getBooleanInput` accepts. */
export function parseBoolean(name: string, text: string): boolean {
  if (['true', 'True', 'TRUE'].includes(text)) return true
  if (['false', 'False', 'FALSE'].includes(text)) return false
  throw new InputError(name, `must be 'true' or 'false'; got '${text}'.`)
}

export function parsePreviewMode(text: string): PreviewMode {
  const mode = text.toLowerCase()
  if (mode === 'auto' || mode === 'true' || mode === 'false') return mode
  throw new InputError('preview', `must be 'auto' (with an ffmpeg on PATH), 'true' or 'false'; got '${text}'.`)
}

/** A branch name git and GitHub accept (git check-ref-format's rules), given without `refs/heads/`. */
export function parseBranchName(name: string, text: string): string | undefined {
  if (!text) return undefined
  if (!isRefName(text)) {
    throw new InputError(
      name,
      `'${text.replace(/[\r\n]/g, ' ')}' is not a valid branch name: give a plain name such as 'grok-video-previews' ` +
        "(no 'refs/heads/', spaces, '..', '~', '^', ':', '?', '*', '[' or '\\').",
    )
  }
  return text
}

/** Bounded, so that the tag stays short in URLs, logs and errors. */
const TAG_NAME_LIMIT = 200

/** A tag name git and GitHub accept (the same rules as a branch), given without `refs/tags/`, of bounded length. */
export function parseTagName(name: string, text: string): string | undefined {
  if (!text) return undefined
  if (!isRefName(text) || text.length > TAG_NAME_LIMIT) {
    throw new InputError(
      name,
      `${quoted(text)} is not a valid tag name: give a plain tag such as 'videos-nightly' (no 'refs/tags/', no ` +
        `spaces or control characters, no '..', '~', '^', ':', '?', '*', '[' or '\\', no leading '-', at most ` +
        `${TAG_NAME_LIMIT} characters).`,
    )
  }
  return text
}

/** git check-ref-format's rules for one ref name given without its `refs/<kind>/` prefix. */
function isRefName(text: string): boolean {
  return !(
    text.startsWith('refs/') ||
    text.startsWith('-') ||
    text.startsWith('/') ||
    text.endsWith('/') ||
    text.endsWith('.') ||
    text.endsWith('.lock') ||
    text === '@' ||
    /\.\.|\/\/|@\{|\/\.|^\.|[\s~^:?*[\\]/.test(text) ||
    [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  )
}

export function parseArtifactName(text: string): string | undefined {
  if (!text) return undefined
  if (FORBIDDEN_NAME_CHARS.test(text)) {
    throw new InputError(
      'artifact-name',
      `'${text.replace(/[\r\n]/g, ' ')}' contains a character artifacts may not have: none of " : < > | * ? \\ / or line breaks.`,
    )
  }
  if (text === '.' || text === '..')
    throw new InputError('artifact-name', `cannot be '${text}': it names the MP4 file.`)
  return text
}

/**
 * What the emulator's API does with the fields of docs/provider-api.md on stored output and voices, whatever the
 * scenario: `storage_options` (xAI root, generations and extensions: the finished job carries `video.file_output`)
 * and `reference_audios` (known voice ids, any case, beside `reference_images` only). The CometAPI root keeps
 * nothing: no `file_output` there. A Zero Data Retention team's refusal is a scenario's (`zdrTeamCreate`).
 */
import type { JobContext, ScriptedResponse } from './server.ts'

/** Preset voices the emulator knows; the real roster is the provider's, listed in its 400. */
export const KNOWN_VOICES = ['eve', 'ara', 'rex', 'sal', 'leo'] as const

/** Where the stored copy of a job is reported as living (never fetched by the action). */
export const PUBLIC_FILES_ORIGIN = 'https://files.example.com'

const EXPIRES_RANGE = [3600, 2_592_000]

const invalid = (error: string): ScriptedResponse => ({
  status: 400,
  body: { code: 'Client specified an invalid argument', error },
})

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The 400 a create body earns before any job exists, or undefined when it is taken. */
export function createRefusal(
  body: Record<string, unknown>,
  { root, route }: { root: 'xai' | 'comet'; route: string },
): ScriptedResponse | undefined {
  if (body.storage_options !== undefined && root === 'xai' && route !== 'edits') {
    const options = body.storage_options
    if (!isObject(options) || typeof options.filename !== 'string' || options.filename === '')
      return invalid('storage_options.filename is required.')
    const expires = options.expires_after
    if (
      expires !== undefined &&
      (typeof expires !== 'number' || expires < EXPIRES_RANGE[0] || expires > EXPIRES_RANGE[1])
    ) {
      return invalid(`storage_options.expires_after must be between ${EXPIRES_RANGE[0]} and ${EXPIRES_RANGE[1]}.`)
    }
  }
  if (body.reference_audios !== undefined) {
    const voices = body.reference_audios
    if (!Array.isArray(body.reference_images) || body.reference_images.length === 0)
      return invalid('reference_audios requires reference_images.')
    if (!Array.isArray(voices) || voices.length > 3) return invalid('reference_audios accepts at most 3 voices.')
    for (const voice of voices) {
      const id = isObject(voice) && typeof voice.voice_id === 'string' ? voice.voice_id : ''
      if (!(KNOWN_VOICES as readonly string[]).includes(id.toLowerCase()))
        return invalid(`Invalid voice_id '${id}'. Valid voice ids: ${KNOWN_VOICES.join(', ')}.`)
    }
  }
  return undefined
}

/** `video.file_output` of a finished job that asked for a stored copy where the provider keeps one. */
export function fileOutputOf(ctx: JobContext): Record<string, unknown> | undefined {
  const options = ctx.createBody?.storage_options
  if (!isObject(options) || ctx.createRoot !== 'xai' || ctx.createRoute === 'edits') return undefined
  const fileId = `file-${ctx.requestId}`
  return {
    file_id: fileId,
    public_url: `${PUBLIC_FILES_ORIGIN}/${fileId}/${String(options.filename)}`,
    size_bytes: 0,
  }
}

/**
 * Keeps secrets out of what we print: an API key or token that a server echoes back (in an error message, a model
 * name, a video URL's query) is replaced by `***` before the text reaches a log, the summary, an output, the
 * metadata JSON or a comment.
 */

/** `text` with every occurrence of each non-empty secret replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let scrubbed = text
  for (const secret of secrets) if (secret) scrubbed = scrubbed.split(secret).join('***')
  return scrubbed
}

/** The same error with its message scrubbed (the object is kept: its class and fields still say what happened). */
export function withoutSecrets<E extends Error>(error: E, secrets: readonly (string | undefined)[]): E {
  const message = scrubAnswer(error.message, secrets)
  if (message !== error.message) error.message = message
  return error
}

/**
 * How many layers of percent-encoding are peeled off: enough for a secret encoded twice or thrice on its way
 * through a provider and a CDN, bounded so a crafted answer cannot make us loop.
 */
const DECODE_ROUNDS = 5

/**
 * `text` with each run of valid `%XX` escapes replaced by its bytes read as UTF-8, any other `%` kept as it is, so
 * one malformed escape elsewhere (`%ZZ`, a trailing `%E0`) cannot stop the rest from being decoded.
 */
function decodedOnce(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'))
}

/** `text`, then each further percent-decoding of it until nothing changes (within the bound). */
function decodings(text: string): string[] {
  const forms = [text]
  for (let round = 0; round < DECODE_ROUNDS; round++) {
    const next = decodedOnce(forms[forms.length - 1])
    if (next === forms[forms.length - 1]) break
    forms.push(next)
  }
  return forms
}

/** Whether `text` holds one of the secrets, as it is or percent-encoded (once or more). */
export function carriesSecret(text: string, secrets: readonly (string | undefined)[]): boolean {
  const present = secrets.filter((secret): secret is string => secret !== undefined && secret !== '')
  if (present.length === 0) return false
  return decodings(text).some((form) => present.some((secret) => form.includes(secret)))
}

/**
 * Text from a provider with every secret it carries, plain or percent-encoded, replaced by `***`: while an encoded
 * secret remains, the text is decoded one layer more and scrubbed again, so no encoded form of it is kept.
 */
export function scrubAnswer(text: string, secrets: readonly (string | undefined)[]): string {
  let scrubbed = scrubSecrets(text, secrets)
  for (let round = 0; round < DECODE_ROUNDS && carriesSecret(scrubbed, secrets); round++)
    scrubbed = scrubSecrets(decodedOnce(scrubbed), secrets)
  return scrubbed
}

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

/** `text` percent-decoded where it can be (a URL's query may carry a secret encoded), else as it is. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Whether `text` holds one of the secrets, as it is or percent-encoded. */
export function carriesSecret(text: string, secrets: readonly (string | undefined)[]): boolean {
  const plain = decoded(text)
  return secrets.some(
    (secret) => secret !== undefined && secret !== '' && (text.includes(secret) || plain.includes(secret)),
  )
}

/** Text from a provider with every secret it carries, plain or percent-encoded, replaced by `***`. */
export function scrubAnswer(text: string, secrets: readonly (string | undefined)[]): string {
  const scrubbed = scrubSecrets(text, secrets)
  return carriesSecret(scrubbed, secrets) ? scrubSecrets(decoded(scrubbed), secrets) : scrubbed
}

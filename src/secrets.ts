/**
 * Keeps secrets out of what we print: an API key or token that a server echoes back in an error message is
 * replaced by `***` before the message reaches a log, the summary, an output or a comment.
 */

/** `text` with every occurrence of each non-empty secret replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let scrubbed = text
  for (const secret of secrets) if (secret) scrubbed = scrubbed.split(secret).join('***')
  return scrubbed
}

/** The same error with its message scrubbed (the object is kept: its class and fields still say what happened). */
export function withoutSecrets<E extends Error>(error: E, secrets: readonly (string | undefined)[]): E {
  const message = scrubSecrets(error.message, secrets)
  if (message !== error.message) error.message = message
  return error
}

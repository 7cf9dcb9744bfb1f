/**
 * The runner's event payload (the JSON file at GITHUB_EVENT_PATH), read in one place. It is outside data (a pull
 * request's title and branch names are in it): a file larger than GitHub sends is not read, and each caller checks
 * the values it takes.
 */
import { readFileSync, statSync } from 'node:fs'

const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024

/** The parsed payload; undefined when there is none, or it is too large or not JSON. */
export function eventPayload(env: NodeJS.ProcessEnv): unknown {
  const file = env.GITHUB_EVENT_PATH
  if (!file) return undefined
  try {
    if (statSync(file).size > MAX_PAYLOAD_BYTES) return undefined
    return JSON.parse(readFileSync(file, 'utf8')) as unknown
  } catch {
    return undefined
  }
}

/** The value at `keys` in a parsed payload; undefined where a step of the way is missing or not an object. */
export function field(value: unknown, ...keys: string[]): unknown {
  let current = value
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

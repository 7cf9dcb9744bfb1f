import { expect } from 'vitest'
import type { VideoStatus } from '../../src/grok/normalize.js'

/**
 * Compares the fields `expected` names and no others; a field set to `undefined` must be absent (e.g. no video URL
 * for a moderated job). Values may be asymmetric matchers such as `expect.stringMatching(…)`.
 */
export function expectStatus(actual: VideoStatus, expected: Partial<VideoStatus>): void {
  const named = Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key as keyof VideoStatus]]))
  expect(named).toEqual(expected)
}

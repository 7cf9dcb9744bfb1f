/**
 * Typed forms of vitest's asymmetric matchers (typed `any` upstream), so a matcher can stand in a typed
 * expectation table without switching the table's type checks off.
 */
import { expect } from 'vitest'

export const textMatching = (pattern: RegExp): string => expect.stringMatching(pattern) as string
export const textContaining = (part: string): string => expect.stringContaining(part) as string
export const anyNumber = (): number => expect.any(Number) as number

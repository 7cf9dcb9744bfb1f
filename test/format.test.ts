import { describe, expect, it } from 'vitest'
import { formatBytes, formatDuration, formatSeconds } from '../src/format.js'

describe('formatDuration', () => {
  it.each([
    { ms: 0, text: '0.0s' },
    { ms: 1_234, text: '1.2s' },
    { ms: 42_000, text: '42s' },
    { ms: 75_000, text: '1m 15s' },
    { ms: 605_000, text: '10m 05s' },
  ])('$ms ms → $text', ({ ms, text }) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('formatSeconds', () => {
  it.each([
    { ms: 0, text: '0.0 s' },
    { ms: 1_234, text: '1.2 s' },
    { ms: 30_000, text: '30.0 s' },
  ])('$ms ms → $text', ({ ms, text }) => {
    expect(formatSeconds(ms)).toBe(text)
  })
})

describe('formatBytes', () => {
  it.each([
    { bytes: 512, text: '512 B' },
    { bytes: 1_536, text: '1.5 KiB' },
    { bytes: 5 * 1024 * 1024, text: '5.0 MiB' },
  ])('$bytes bytes → $text', ({ bytes, text }) => {
    expect(formatBytes(bytes)).toBe(text)
  })
})

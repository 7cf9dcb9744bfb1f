import { describe, expect, it } from 'vitest'
import {
  backoffDelay,
  isRetryable,
  parseRetryAfter,
  RETRY_AFTER_CAP_MS,
  RETRY_FLOOR_MS,
  retryDelay,
  type Failure,
} from '../../src/grok/retry.js'

describe('isRetryable', () => {
  type Row = { name: string; failure: Failure; get: boolean; post: boolean }
  const rows = (names: Array<[string, Failure]>, get: boolean, post: boolean): Row[] =>
    names.map(([name, failure]) => ({ name, failure, get, post }))
  const http = (statuses: number[]): Array<[string, Failure]> => statuses.map((s) => [`HTTP ${s}`, { httpStatus: s }])

  const table: Row[] = [
    // The server refused before doing any work: safe even for a create.
    ...rows([['HTTP 429', { httpStatus: 429 }]], true, true),
    // The job may exist already: a status check may ask again, a create may not.
    ...rows(http([408, 409, 500, 502, 503, 504, 524, 529]), true, false),
    ...rows(
      [
        ['connection reset', { networkCode: 'ECONNRESET' }],
        ['socket timeout', { networkCode: 'ETIMEDOUT' }],
        ['broken pipe', { networkCode: 'EPIPE' }],
        ['no answer within the request time limit', { networkCode: 'REQUEST_TIMEOUT' }],
      ],
      true,
      false,
    ),
    // Nothing was sent: repeating a create cannot start a second job.
    ...rows(
      [
        ['connection refused', { networkCode: 'ECONNREFUSED' }],
        ['DNS lookup failed for now', { networkCode: 'EAI_AGAIN' }],
      ],
      true,
      true,
    ),
    // The answer is final.
    ...rows(http([400, 401, 403, 404, 422]), false, false),
    ...rows(
      [
        ['an unknown network failure', { networkCode: 'EWHATEVER' }],
        ['a failure without any detail', {}],
      ],
      false,
      false,
    ),
  ]

  it.each(table)('$name: GET $get, POST $post', ({ failure, get, post }) => {
    expect(isRetryable('GET', failure)).toBe(get)
    expect(isRetryable('POST', failure)).toBe(post)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-12T08:30:00Z')

  it.each([
    { header: '1', expected: 1_000 },
    { header: '0', expected: 0 },
    { header: '2.5', expected: 2_500 },
    { header: ' 7 ', expected: 7_000 },
    { header: ['3', '9'], expected: 3_000 },
  ])('reads seconds: $header → $expected ms', ({ header, expected }) => {
    expect(parseRetryAfter(header, now)).toBe(expected)
  })

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Thu, 12 Mar 2026 08:30:12 GMT', now)).toBe(12_000)
  })

  it('reads an HTTP date already past as "now"', () => {
    expect(parseRetryAfter('Thu, 12 Mar 2026 08:29:00 GMT', now)).toBe(0)
  })

  it.each([
    { header: '86400', what: 'a day in seconds' },
    { header: 'Fri, 13 Mar 2026 08:30:00 GMT', what: 'a date a day away' },
  ])('caps $what so one header cannot stall the run', ({ header }) => {
    expect(parseRetryAfter(header, now)).toBe(RETRY_AFTER_CAP_MS)
  })

  it.each([undefined, '', '   ', 'soon', 'in a minute', '1e3', '-5', '10s', []])(
    'ignores %j (the caller falls back to backoff)',
    (header) => {
      expect(parseRetryAfter(header as string | string[] | undefined, now)).toBeUndefined()
    },
  )
})

describe('backoffDelay', () => {
  const low = () => 0
  const high = () => 0.999_999

  it.each([
    { attempt: 1, min: 500, max: 1_000 },
    { attempt: 2, min: 1_000, max: 2_000 },
    { attempt: 3, min: 2_000, max: 4_000 },
    { attempt: 6, min: 15_000, max: 30_000 },
    { attempt: 40, min: 15_000, max: 30_000 },
  ])('attempt $attempt waits between $min and $max ms', ({ attempt, min, max }) => {
    expect(backoffDelay(attempt, low)).toBe(min)
    expect(backoffDelay(attempt, high)).toBe(max)
    expect(backoffDelay(attempt, () => 0.5)).toBe((min + max) / 2)
  })

  it('grows with each attempt for the same draw', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, () => 0.3))
    expect(delays).toEqual([...delays].sort((a, b) => a - b))
    expect(new Set(delays).size).toBe(delays.length)
  })
})

describe('retryDelay', () => {
  it("takes the server's Retry-After over backoff", () => {
    expect(retryDelay(3, 1_500, () => 0)).toBe(1_500)
    expect(retryDelay(1, 20_000, () => 0)).toBe(20_000)
  })

  it.each([
    { what: 'Retry-After: 0', header: '0' },
    { what: 'a date already past', header: 'Thu, 12 Mar 2026 08:29:00 GMT' },
  ])('waits the floor after $what: not zero, and not the whole backoff', ({ header }) => {
    const retryAfter = parseRetryAfter(header, Date.parse('2026-03-12T08:30:00Z'))
    // Attempt 5 would back off 8–16 s; the server said it is ready, so one floor is enough.
    expect(retryDelay(5, retryAfter, () => 0)).toBe(RETRY_FLOOR_MS)
    expect(RETRY_FLOOR_MS).toBe(1_000)
  })

  it('falls back to backoff without one', () => {
    expect(retryDelay(2, undefined, () => 0)).toBe(1_000)
  })
})

/**
 * Outside text in Markdown (src/markdown.ts, src/links.ts): one code span whatever it holds, and a link only to an
 * https URL that was checked and percent-encoded.
 */
import { describe, expect, it } from 'vitest'
import { httpsLink } from '../src/links.js'
import { link, literal } from '../src/markdown.js'

describe('links only to a checked https URL', () => {
  it.each([
    { url: 'http://example.com/a.mp4', why: 'not https' },
    { url: 'javascript:alert(1)', why: 'a script' },
    { url: 'https://user:pass@example.com/a.mp4', why: 'credentials' },
    { url: 'https://example.com/a\n.mp4', why: 'a line break the URL parser would drop' },
    { url: 'not a url', why: 'not a URL' },
  ])('no link to $why', ({ url }) => {
    expect(httpsLink(url)).toBeUndefined()
    expect(link('Play', url)).toBe('Play')
    expect(link('[x](y) @octocat', url, true)).toBe('` [x](y) @octocat `')
  })

  it('percent-encodes what could end the link or its HTML attribute', () => {
    expect(httpsLink('https://example.com/a (1)|"<x>\'.mp4')).toBe(
      'https://example.com/a%20%281%29%7C%22%3Cx%3E%27.mp4',
    )
  })
})

describe('literal', () => {
  it.each([
    { text: 'a `tick` and ``two``', expected: '``` a `tick` and ``two`` ```' },
    { text: 'one\rtwo\r\nthree\nfour', expected: '` one two three four `' },
    { text: 'a | b', expected: '` a \\| b `' },
  ])('keeps $text one inert code span', ({ text, expected }) => {
    expect(literal(text)).toBe(expected)
  })
})

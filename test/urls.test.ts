/** The one check of a URL from outside: what each rule accepts, and the reason it gives when it refuses. */
import { describe, expect, it } from 'vitest'
import { checkUrl, hasControlCharacter, isLoopback } from '../src/urls.js'

describe('checkUrl', () => {
  it.each([
    { text: 'https://example.com/a.png', rule: {} },
    { text: 'http://127.0.0.1:8080/v1', rule: { http: 'loopback' } },
    { text: 'http://[::1]:9/v1', rule: { http: 'loopback' } },
    { text: 'http://app.localhost/v.mp4', rule: { http: 'loopback' } },
    { text: 'http://cdn.example.com/v.mp4', rule: { http: 'any' } },
    { text: 'https://user:secret@example.com/', rule: {} },
  ] as const)('accepts $text with $rule', ({ text, rule }) => {
    expect(checkUrl(text, rule).url?.href).toBe(new URL(text).href)
  })

  it.each([
    { text: 'not a url', rule: {}, problem: 'not-a-url', scheme: undefined },
    { text: 'http://example.com/v1', rule: {}, problem: 'scheme', scheme: 'http' },
    { text: 'http://example.com/v1', rule: { http: 'loopback' }, problem: 'scheme', scheme: 'http' },
    { text: 'http://128.0.0.1/v1', rule: { http: 'loopback' }, problem: 'scheme', scheme: 'http' },
    { text: 'ftp://127.0.0.1/v.mp4', rule: { http: 'any' }, problem: 'scheme', scheme: 'ftp' },
    { text: 'javascript:alert(1)', rule: {}, problem: 'scheme', scheme: 'javascript' },
    {
      text: 'https://user:secret@example.com/',
      rule: { refuseCredentials: true },
      problem: 'credentials',
      scheme: 'https',
    },
    {
      text: 'https://example.com/a\nb.png',
      rule: { refuseControlCharacters: true },
      problem: 'control-character',
      scheme: undefined,
    },
  ] as const)('refuses $text with $rule: $problem', ({ text, rule, problem, scheme }) => {
    expect(checkUrl(text, rule)).toEqual({ problem, ...(scheme ? { scheme } : {}) })
  })

  it('says no more than the scheme of a URL it refuses, so a credential in it is never quoted back', () => {
    const refused = checkUrl('http://storage.example.com/v.mp4?sig=s3cr3t-signature', { http: 'loopback' })
    expect(JSON.stringify(refused)).not.toContain('s3cr3t')
  })
})

describe('isLoopback', () => {
  it.each(['localhost', 'app.localhost', '127.0.0.1', '127.8.9.10', '[::1]', '::1'])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true)
  })

  it.each(['example.com', '128.0.0.1', 'localhost.example.com', '[::2]', '10.0.0.1'])('%s is not', (host) => {
    expect(isLoopback(host)).toBe(false)
  })
})

describe('hasControlCharacter', () => {
  it.each(['a\nb', 'a\tb', 'a\u0085b', 'a\u2028b', 'a\u007fb'])('finds one in %j', (text) => {
    expect(hasControlCharacter(text)).toBe(true)
  })

  it('finds none in a plain URL with non-ASCII letters', () => {
    expect(hasControlCharacter('https://example.com/ünïcode?x=1')).toBe(false)
  })
})

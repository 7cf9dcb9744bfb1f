/**
 * A secret hidden in a URL by percent-encoding: found and scrubbed however it is encoded, even when the rest of the
 * text holds an escape that is not valid (which made the whole text undecodable before).
 */
import { describe, expect, it } from 'vitest'
import { carriesSecret, scrubAnswer } from '../src/secrets.js'

const KEY = 'sk-Key_0123/456+789=abc'
const once = (text: string) => encodeURIComponent(text)
const twice = (text: string) => encodeURIComponent(encodeURIComponent(text))
/** Every character escaped, in lowercase hex. */
const lowerHex = (text: string) =>
  [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')

describe('carriesSecret and scrubAnswer', () => {
  it.each([
    { encoding: 'plain', url: `https://cdn.example.com/v.mp4?k=${KEY}` },
    { encoding: 'percent-encoded', url: `https://cdn.example.com/v.mp4?k=${once(KEY)}` },
    { encoding: 'double-encoded', url: `https://cdn.example.com/v.mp4?k=${twice(KEY)}` },
    { encoding: 'triple-encoded', url: `https://cdn.example.com/v.mp4?k=${encodeURIComponent(twice(KEY))}` },
    { encoding: 'encoded, a bad escape after it', url: `https://cdn.example.com/v.mp4?k=${once(KEY)}&z=%ZZ` },
    { encoding: 'encoded, a truncated escape at the end', url: `https://cdn.example.com/v.mp4?k=${once(KEY)}&z=%E0` },
    { encoding: 'encoded, a bad escape before it', url: `https://cdn.example.com/v.mp4?z=%&k=${once(KEY)}` },
    { encoding: 'double-encoded, a bad escape after it', url: `https://cdn.example.com/v.mp4?k=${twice(KEY)}#%ZZ` },
    { encoding: 'encoded in the fragment', url: `https://cdn.example.com/v.mp4?z=%ZZ#k=${once(KEY)}` },
    { encoding: 'every character escaped, lowercase hex', url: `https://cdn.example.com/${lowerHex(KEY)}?z=%zz` },
    {
      encoding: 'mixed-case hex',
      url: `https://cdn.example.com/v?k=${lowerHex(KEY).replace(/%2f/, '%2F').replace(/%5f/, '%5F')}%E0`,
    },
    { encoding: 'encoded in a path, in other text', url: `video at https://x.example/${once(KEY)}/a%ZZb failed` },
  ])('$encoding: found, and scrubbed to no form of it', ({ url }) => {
    expect(carriesSecret(url, [undefined, '', KEY])).toBe(true)
    const scrubbed = scrubAnswer(url, [KEY])
    expect(scrubbed).toContain('***')
    expect(carriesSecret(scrubbed, [KEY])).toBe(false)
    for (const form of [KEY, once(KEY), twice(KEY), lowerHex(KEY)]) expect(scrubbed).not.toContain(form)
  })

  it.each([
    'https://cdn.example.com/v.mp4?z=%ZZ&q=%E0',
    'https://cdn.example.com/a%20b%2520c%',
    `https://cdn.example.com/v.mp4?k=${once(KEY.slice(0, -1))}`,
  ])('%s: holds no secret, and is kept as it is', (text) => {
    expect(carriesSecret(text, [KEY])).toBe(false)
    expect(scrubAnswer(text, [KEY])).toBe(text)
  })

  it('a secret too deeply encoded to decode within the bound is not looked for past it', () => {
    let deep = KEY
    for (let round = 0; round < 12; round++) deep = encodeURIComponent(deep)
    expect(carriesSecret(deep, [KEY])).toBe(false)
  })
})

/**
 * The content-addressed cache's key: its recipe, stable across versions, and what changes it. Whole runs through
 * the real @actions/cache client are in test/bundle/cache.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { cacheKey } from '../src/cache.js'
import type { CreateVideoRequest } from '../src/grok/request.js'

const BASE: CreateVideoRequest = {
  prompt: 'A paper boat drifts down a gutter.',
  model: 'grok-imagine-video',
  duration: 5,
  aspect_ratio: '16:9',
}
const png = (bytes: number[]) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`

describe('cacheKey', () => {
  const key = cacheKey('CometAPI', BASE)

  it('is a versioned SHA-256, the same for the same request', () => {
    expect(key).toMatch(/^grok-video-v1-[0-9a-f]{64}$/)
    expect(cacheKey('CometAPI', { ...BASE })).toBe(key)
  })

  it.each<[string, string, CreateVideoRequest]>([
    ['the prompt', 'CometAPI', { ...BASE, prompt: `${BASE.prompt} At dusk.` }],
    ['the model', 'CometAPI', { ...BASE, model: 'grok-imagine-video-1.5' }],
    ['the duration', 'CometAPI', { ...BASE, duration: 6 }],
    ['the aspect ratio', 'CometAPI', { ...BASE, aspect_ratio: '9:16' }],
    ['the resolution', 'CometAPI', { ...BASE, resolution: '720p' }],
    ['the provider', 'xAI', BASE],
    ['an added image', 'CometAPI', { ...BASE, image: { url: png([1, 2, 3]) } }],
  ])('changes with %s', (_what, family, request) => {
    expect(cacheKey(family, request)).not.toBe(key)
  })

  it('counts an inline image by its bytes and a remote one by its URL', () => {
    const withImage = (url: string) => cacheKey('CometAPI', { ...BASE, image: { url } })
    expect(withImage(png([1, 2, 3]))).toBe(withImage(png([1, 2, 3])))
    expect(withImage(png([1, 2, 3]))).not.toBe(withImage(png([1, 2, 4])))
    expect(withImage('https://cdn.example.com/a.png')).not.toBe(withImage('https://cdn.example.com/b.png'))
  })

  it('ignores what does not shape the video (the end-user id)', () => {
    expect(cacheKey('CometAPI', { ...BASE, user: 'someone' })).toBe(key)
  })

  it('keeps the keys generations had before edits and extensions existed (existing entries keep hitting)', () => {
    // Pinned from the recipe as it stood before operations were added.
    const request = { prompt: 'A lighthouse at dusk.', model: 'grok-imagine-video' }
    expect(cacheKey('CometAPI', { ...request, duration: 5, aspect_ratio: '16:9', resolution: '720p' })).toBe(
      'grok-video-v1-6abe741eb07fec2e8a09bf05808d6065855d9bb94406118faf69e5452b93c90f',
    )
    expect(
      cacheKey(
        'xAI',
        { ...request, duration: 1, image: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        {
          operation: 'generate',
        },
      ),
    ).toBe('grok-video-v1-ac8c24936dfa3edbbbdb86e20318e0071e97153fcab0ea479d7540e2517854e7')
  })

  it('gives known keys for known requests of every kind (a recipe change without a version bump fails here)', () => {
    // The first is the SHA-256 of the recipe's JSON, checked by hand:
    // {"family":"CometAPI","model":"grok-imagine-video","prompt":"A kite.","duration":5,"aspectRatio":null,
    //  "resolution":"720p","image":null}
    expect(
      cacheKey('CometAPI', { prompt: 'A kite.', model: 'grok-imagine-video', duration: 5, resolution: '720p' }),
    ).toBe('grok-video-v1-d7f7f62088040df916fbb9f3b5081120d2d6653ebd52987013c7789b4782f536')
    const localVideo = { label: 'clip.mp4', identity: { sha256: 'a'.repeat(64) } }
    expect(
      cacheKey(
        'xAI',
        { prompt: 'Make it snow.', model: 'grok-imagine-video' },
        { operation: 'edit', video: localVideo },
      ),
    ).toBe('grok-video-v1-cd1f2d43e4e2edccfb70167c8ecb17d1e619a67b3ee80f01d45c17dd1c2f1e0c')
    const remoteVideo = { label: 'https://cdn.example.com/a.mp4', identity: { url: 'https://cdn.example.com/a.mp4' } }
    expect(
      cacheKey(
        'xAI',
        { prompt: 'Keep walking.', model: 'grok-imagine-video', duration: 6 },
        { operation: 'extend', video: remoteVideo },
      ),
    ).toBe('grok-video-v1-00ef504a8e2f73ddf398cd7911cfe1adf6e37b63777b16f582f0e161458d27f4')
    const references = [{ url: png([1, 2, 3]) }, { url: 'https://cdn.example.com/b.png' }]
    expect(
      cacheKey('CometAPI', {
        prompt: 'A fox in the style of these.',
        model: 'grok-imagine-video',
        duration: 5,
        reference_images: references,
      }),
    ).toBe('grok-video-v1-1f62ba9f8fffd4f447c462900dc98afdc52a80be8b84ee4dbbb61bdb300f8f15')
  })

  it('names the operation and the input video of an edit or extension: its bytes, or its URL', () => {
    const edit = { prompt: BASE.prompt, model: BASE.model }
    const local = (sha256: string) => ({ label: 'clip.mp4', identity: { sha256 } })
    const remote = (url: string) => ({ label: url, identity: { url } })
    const editKey = cacheKey('xAI', edit, { operation: 'edit', video: local('aa') })
    expect(editKey).toBe(cacheKey('xAI', edit, { operation: 'edit', video: local('aa') }))
    expect(editKey).not.toBe(cacheKey('xAI', edit, { operation: 'edit', video: local('ab') }))
    expect(editKey).not.toBe(cacheKey('xAI', edit))
    expect(cacheKey('xAI', { ...edit, duration: 6 }, { operation: 'extend', video: local('aa') })).not.toBe(
      cacheKey('xAI', { ...edit, duration: 6 }, { operation: 'extend', video: local('ab') }),
    )
    expect(cacheKey('xAI', edit, { operation: 'edit', video: remote('https://x/a.mp4') })).not.toBe(
      cacheKey('xAI', edit, { operation: 'edit', video: remote('https://x/b.mp4') }),
    )
  })

  it('changes with reference images, counted like the first-frame image', () => {
    const refs = (bytes: number[]) => cacheKey('CometAPI', { ...BASE, reference_images: [{ url: png(bytes) }] })
    expect(refs([1])).not.toBe(key)
    expect(refs([1])).toBe(refs([1]))
    expect(refs([1])).not.toBe(refs([2]))
  })
})

describe('cacheKey: public URLs and reference voices', () => {
  const references = { ...BASE, reference_images: [{ url: 'https://cdn.example.com/a.png' }] }
  const stored = (filename: string, expires_after?: number): CreateVideoRequest => ({
    ...BASE,
    storage_options: { filename, public_url: true, ...(expires_after !== undefined ? { expires_after } : {}) },
  })

  it('tells a public URL and its expiry apart, but not the file name (a batch twin shares the video)', () => {
    const plain = cacheKey('xAI', BASE)
    const permanent = cacheKey('xAI', stored('a.mp4'))
    expect(permanent).not.toBe(plain)
    expect(cacheKey('xAI', stored('b.mp4'))).toBe(permanent)
    expect(cacheKey('xAI', stored('a.mp4', 3600))).not.toBe(permanent)
    expect(cacheKey('xAI', stored('a.mp4', 7200))).not.toBe(cacheKey('xAI', stored('a.mp4', 3600)))
  })

  it('tells reference voices apart, in order, ignoring their case as the provider does', () => {
    const voiced = (...ids: string[]) =>
      cacheKey('xAI', { ...references, reference_audios: ids.map((voice_id) => ({ voice_id })) })
    expect(voiced('eve')).not.toBe(cacheKey('xAI', references))
    expect(voiced('Eve')).toBe(voiced('eve'))
    expect(voiced('eve', 'rex')).not.toBe(voiced('rex', 'eve'))
    expect(voiced('eve')).not.toBe(voiced('ara'))
  })
})

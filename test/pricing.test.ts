import { describe, expect, it } from 'vitest'
import { estimateCost, formatUsd } from '../src/pricing.js'

describe('estimateCost', () => {
  it.each([
    // The contract's example bills: $0.05 for 1 s at 480p, $0.25 for 5 s.
    [{ model: 'grok-imagine-video', duration: 1 }, 0.05],
    [{ model: 'grok-imagine-video', duration: 5, resolution: '480p' }, 0.25],
    [{ model: 'grok-imagine-video', duration: 10, resolution: '720p' }, 0.7],
    [{ model: 'grok-imagine-video-1.5', duration: 8, resolution: '1080p' }, 2],
    [{ model: 'grok-imagine-video-1.5-preview', duration: 3, resolution: '720p' }, 0.42],
    [{ model: 'grok-imagine-video-1.5-lite', duration: 15, resolution: '480p' }, 0.3],
    [{ model: 'grok-imagine-video', duration: 1, image: { url: 'https://x/y.png' } }, 0.052],
  ])('%o costs about $%s', (request, usd) => {
    expect(estimateCost(request)?.usd).toBe(usd)
  })

  it('counts each reference image like an input image', () => {
    const references = [{ url: 'https://x/a.png' }, { url: 'https://x/b.png' }, { url: 'https://x/c.png' }]
    const estimate = estimateCost({ model: 'grok-imagine-video', duration: 2, reference_images: references })
    expect(estimate?.usd).toBe(0.106)
    expect(estimate?.explanation).toBe('2 s × $0.05/s (grok-imagine-video, 480p) + 3 × $0.002 for the reference images')
  })

  it.each([
    // 3 s edited at 720p ($0.07/s) + 3 s of input at $0.01/s.
    ['edit', undefined, 3, 0.24],
    // A URL input is counted at the longest an edit accepts: 8.7 s.
    ['edit', undefined, undefined, 0.696],
    // 6 s added at 720p + 3 s of input.
    ['extend', 6, 3, 0.45],
    // 10 s added + 15 s (the longest input an extension takes).
    ['extend', 10, undefined, 0.85],
  ] as const)('%s (duration %s) of a %s s input video costs about $%s', (operation, duration, seconds, usd) => {
    const request = { model: 'grok-imagine-video', ...(duration ? { duration } : {}) }
    expect(estimateCost(request, { operation, videoSeconds: seconds })?.usd).toBe(usd)
  })

  it('explains an edit estimate, and says when the input length is unknown', () => {
    expect(estimateCost({ model: 'grok-imagine-video' }, { operation: 'edit' })?.explanation).toBe(
      '8.7 s edited × $0.07/s (grok-imagine-video, at most 720p) + 8.7 s of input video × $0.01/s, its length unknown: the longest accepted',
    )
    expect(estimateCost({ model: 'grok-imagine-video-9' }, { operation: 'edit', videoSeconds: 2 })).toBeUndefined()
  })

  it('explains how it got there', () => {
    expect(estimateCost({ model: 'grok-imagine-video', duration: 5, image: {} })?.explanation).toBe(
      '5 s × $0.05/s (grok-imagine-video, 480p) + $0.002 for the input image',
    )
  })

  it('has no estimate for a model or resolution it has no price for', () => {
    expect(estimateCost({ model: 'grok-imagine-video-9', duration: 1 })).toBeUndefined()
    expect(estimateCost({ model: 'grok-imagine-video', duration: 1, resolution: '1080p' })).toBeUndefined()
  })

  it('prints dollars without float noise', () => {
    expect(formatUsd(0.1 + 0.2)).toBe('0.3')
    expect(formatUsd(3 * 0.14)).toBe('0.42')
  })
})

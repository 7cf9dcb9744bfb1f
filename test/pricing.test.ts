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

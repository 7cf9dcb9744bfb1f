/** Which provider and API a base-url reaches: by host, and for any other host by the path of its API root. */
import { describe, expect, it } from 'vitest'
import { apiFamilyOf, providerOf } from '../../src/grok/provider.js'

describe('apiFamilyOf', () => {
  it.each([
    ['https://api.cometapi.com/grok/v1', 'CometAPI'],
    ['https://api.x.ai/v1', 'xAI'],
    ['https://eu.api.x.ai/v1', 'xAI'],
    ['http://127.0.0.1:8080/grok/v1', 'CometAPI'],
    ['http://127.0.0.1:8080/v1', 'xAI'],
    ['https://proxy.example.com/openai/grok/v1', 'CometAPI'],
    ['https://proxy.example.com/api', undefined],
  ])('judges %s as %s (by host, then by path)', (url, family) => {
    expect(apiFamilyOf(url)).toBe(family)
  })

  it.each([
    ['https://api.cometapi.com/grok/v1', 'CometAPI'],
    ['https://eu.api.x.ai/v1', 'xAI'],
    ['https://cometapi.com.example.org/grok/v1', 'custom'],
    ['http://127.0.0.1:8080/v1', 'custom'],
  ])('names the provider of %s as %s by its host alone', (url, provider) => {
    expect(providerOf(url)).toBe(provider)
  })
})

/**
 * Which provider a base-url reaches, and which API it speaks: only one of them offers the Files API and extensions,
 * and a proxy or a local emulator is judged by the path of its API root.
 */

export type Provider = 'CometAPI' | 'xAI' | 'custom'
/** Which API a base-url speaks, for what only one of them offers (the Files API, extensions). */
export type ApiFamily = 'CometAPI' | 'xAI' | undefined

export function providerOf(baseUrl: string): Provider {
  const host = new URL(baseUrl).hostname
  if (host === 'api.cometapi.com' || host.endsWith('.cometapi.com')) return 'CometAPI'
  if (host === 'api.x.ai' || host.endsWith('.x.ai')) return 'xAI'
  return 'custom'
}

/** By host first; for any other host (a proxy, a local emulator) by the path of the API root. */
export function apiFamilyOf(baseUrl: string): ApiFamily {
  const provider = providerOf(baseUrl)
  if (provider !== 'custom') return provider
  const root = new URL(baseUrl).pathname.replace(/\/+$/, '')
  if (root.endsWith('/grok/v1')) return 'CometAPI'
  if (root.endsWith('/v1')) return 'xAI'
  return undefined
}

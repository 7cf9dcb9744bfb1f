/**
 * The one check a URL from outside passes (base-url, upload-url, image and video URLs, links): parsed once, its
 * scheme, host and credentials judged by one rule, so no caller parses a URL its own way.
 */
import { isIP } from 'node:net'

/** What a caller accepts beyond a plain `https:` URL. */
export interface UrlRule {
  /** Plain http too: on a loopback host only (a local test server), or anywhere (a provider's own answer). */
  http?: 'loopback' | 'any'
  /** Refuse a line break or another control character instead of letting the parser drop it. */
  refuseControlCharacters?: boolean
  /** Refuse a user name or password in the URL. */
  refuseCredentials?: boolean
}

/** Why a URL was refused; `scheme` is set once it parsed, so an error can name it without quoting the URL. */
export type UrlProblem = 'control-character' | 'not-a-url' | 'scheme' | 'credentials'
export type CheckedUrl =
  { url: URL; problem?: undefined; scheme?: undefined } | { url?: undefined; problem: UrlProblem; scheme?: string }

export function checkUrl(text: string, rule: UrlRule = {}): CheckedUrl {
  if (rule.refuseControlCharacters && hasControlCharacter(text)) return { problem: 'control-character' }
  if (!URL.canParse(text)) return { problem: 'not-a-url' }
  const url = new URL(text)
  const httpAccepted =
    url.protocol === 'http:' && (rule.http === 'any' || (rule.http === 'loopback' && isLoopback(url.hostname)))
  const scheme = url.protocol.replace(/:$/, '')
  if (url.protocol !== 'https:' && !httpAccepted) return { problem: 'scheme', scheme }
  if (rule.refuseCredentials && (url.username || url.password)) return { problem: 'credentials', scheme }
  return { url }
}

/**
 * A URL as logs, the summary and the comment show it: without its query and fragment, where a signed URL keeps its
 * signature. The request still carries the whole URL.
 */
export function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}${url.search || url.hash ? '?…' : ''}`
}

/** localhost, 127.0.0.0/8 or ::1: where plain http stays on this machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  return host === '::1'
}

/**
 * A line break, tab or other control character: the URL parser drops some of them without a word, so a URL that
 * holds one is not what it seems (and would carry a line break into the log).
 */
export function hasControlCharacter(text: string): boolean {
  return Array.from(text).some((c) => {
    const code = c.codePointAt(0) ?? 0
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029
  })
}

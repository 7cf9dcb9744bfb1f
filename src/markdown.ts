/**
 * Escaping for everything we render as GitHub Markdown (the job summary and the pull-request comment): user and
 * provider text as inert code spans, our own words HTML-escaped, links whose targets stay links.
 */

import { httpsLink } from './links.js'

/** Keeps a value on one table row: pipes escaped (GFM splits cells before anything else), line breaks folded. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\|/g, '\\|')
}

/** Text for HTML (an element or a quoted attribute): `&`, `<`, `>` and `"` escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Our own words (a status, parameters, a cost): HTML-escaped so a value cannot open a tag, kept on one line. */
export function plain(text: string): string {
  return oneLine(escapeHtml(text))
}

/**
 * User or provider text (a prompt, a job name, a request id, a path, an error) as a code span: nothing in it is
 * read as Markdown, HTML, an @mention or an issue reference, so it cannot ping anyone or reshape the page.
 */
export function literal(text: string): string {
  const value = oneLine(text)
  if (!value.trim()) return ''
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  // The padding spaces are stripped again when rendered; they let a value start or end with a backtick.
  return `${fence} ${value} ${fence}`
}

/**
 * A Markdown link, made only to a URL httpsLink() accepts; to any other, the label alone. The label is our own
 * words, or with `asCode` outside text (a name) shown as code.
 */
export function link(label: string, url: string, asCode = false): string {
  const text = asCode ? literal(label) : plain(label)
  const target = httpsLink(url)
  return target ? `[${text}](${target})` : text
}

/** Shortens on code points, so an emoji is never cut in half. */
export function shorten(text: string, limit: number): string {
  const chars = Array.from(text)
  return chars.length > limit ? `${chars.slice(0, limit - 1).join('')}…` : text
}

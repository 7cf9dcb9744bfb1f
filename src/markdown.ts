/**
 * Escaping for everything we render as GitHub Markdown (the job summary and the pull-request comment): user and
 * provider text as inert code spans, our own words HTML-escaped, links whose targets stay links.
 */

/** UTF-8 percent-encoding of any character (encodeURIComponent leaves `(` and `)` alone). */
export const percentEncode = (c: string): string =>
  Array.from(Buffer.from(c, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')

/** Keeps a value on one table row: pipes escaped (GFM splits cells before anything else), line breaks folded. */
function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').replace(/\|/g, '\\|')
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

/** A URL as a Markdown link target: what could end the target early or break the line is percent-encoded. */
export function linkTarget(url: string): string {
  return url.replace(/[\s()<>|]/g, percentEncode)
}

/** A Markdown link; the label is escaped as our own words. */
export function link(label: string, url: string): string {
  return `[${plain(label)}](${linkTarget(url)})`
}

/** Shortens on code points, so an emoji is never cut in half. */
export function shorten(text: string, limit: number): string {
  const chars = Array.from(text)
  return chars.length > limit ? `${chars.slice(0, limit - 1).join('')}…` : text
}

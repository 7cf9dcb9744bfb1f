/**
 * Links to this workflow run and its artifacts, from the runner's variables. One rule for a missing variable: a
 * link needs GITHUB_REPOSITORY and GITHUB_RUN_ID, and without either there is none (GITHUB_SERVER_URL defaults to
 * github.com, GITHUB_API_URL to api.github.com). And what a URL must be before anything links to it.
 */
import { checkUrl } from './urls.js'

/** The web root of the GitHub the run belongs to. */
export function githubServerUrl(env: NodeJS.ProcessEnv): string {
  return (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
}

/** The page of this workflow run, or undefined outside a runner. */
export function workflowRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined
  return `${githubServerUrl(env)}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
}

/** An artifact's page (as actions/upload-artifact reports it), or undefined outside a runner. */
export function artifactUrl(id: number, env: NodeJS.ProcessEnv): string | undefined {
  const run = workflowRunUrl(env)
  return run && `${run}/artifacts/${id}`
}

/** The REST API root of the GitHub the run belongs to. */
export function githubApiUrl(env: NodeJS.ProcessEnv): string {
  return (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
}

/** What may not end a link target early or break out of an HTML attribute, beyond what URL.href encodes. */
const LINK_UNSAFE = /[()<>"'`|]/g

/** UTF-8 percent-encoding of any character (encodeURIComponent leaves `(` and `)` alone). */
export const percentEncode = (c: string): string =>
  Array.from(Buffer.from(c, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')

/**
 * A URL fit to be a link: `https` only, no credentials, no control character (the URL parser would silently
 * drop a line break), percent-encoded so nothing in it can end the Markdown or HTML around it. Anything
 * else is not linked: undefined.
 */
export function httpsLink(text: string): string | undefined {
  const { url } = checkUrl(text, { refuseControlCharacters: true, refuseCredentials: true })
  return url?.href.replace(LINK_UNSAFE, percentEncode)
}

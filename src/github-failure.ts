/**
 * How a failed GitHub REST call is told, for the pull-request comment and the preview branch alike: the HTTP
 * status when GitHub answered, what the token's usual causes mean for the caller, and never the token itself.
 */
import { scrubSecrets } from './secrets.js'

/** The HTTP status GitHub answered with; undefined when it never answered. */
export function httpStatus(error: unknown): number | undefined {
  // Octokit reports a network failure as status 500 without a response; only an answer has an HTTP status.
  const answered: { status?: unknown; response?: unknown } = typeof error === 'object' && error !== null ? error : {}
  return answered.response !== undefined && typeof answered.status === 'number' ? answered.status : undefined
}

/** What the caller adds for the statuses whose fix is its own. */
export interface FailureAdvice {
  /** 403 or 404: the permission the token needs, and what forks get. */
  forbidden: string
  /** 409, or 422 naming a protected branch: the write was refused. */
  refused?: string
}

/** "<failed>: HTTP 403, <reason>. <advice>", with the token scrubbed; `failed` is e.g. "Could not add a comment". */
export function describeGitHubFailure(
  failed: string,
  error: unknown,
  token: string,
  advice: FailureAdvice,
): { message: string; status?: number } {
  const status = httpStatus(error)
  const reason = error instanceof Error ? error.message : String(error)
  let message = `${failed}: ${status ? `HTTP ${status}, ` : ''}${reason}.`
  if (status === 401) message += " The 'github-token' was refused: it is invalid or has expired."
  else if (status === 403 || status === 404) message += ` ${advice.forbidden}`
  else if (advice.refused && (status === 409 || (status === 422 && /protected/i.test(reason))))
    message += ` ${advice.refused}`
  // A server could echo the token back in its message; it must never reach a log.
  return { message: scrubSecrets(message, [token]), status }
}

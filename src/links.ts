/**
 * Links to this workflow run and its artifacts, from the runner's variables. One rule for a missing variable: a
 * link needs GITHUB_REPOSITORY and GITHUB_RUN_ID, and without either there is none (GITHUB_SERVER_URL defaults to
 * github.com, GITHUB_API_URL to api.github.com).
 */

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

/**
 * Where a step's previews go: `preview-branch` and what writing to it needs, read from the runner's variables.
 * Apart from the publishing (preview-publish.ts) so that reading the inputs does not load it: a run without
 * `preview-branch` never publishes.
 */
import { githubApiUrl, githubServerUrl } from './links.js'

/** How every commit message of the action starts, the branch's first included. */
export const COMMIT_PREFIX = 'Add video previews'

export interface RepositoryRef {
  owner: string
  repo: string
}

/** Where a step's previews go: `preview-branch` and what is needed to write to it, from the runner's variables. */
export interface PreviewTarget {
  branch: string
  token?: string
  apiUrl: string
  serverUrl: string
  /** Undefined outside a workflow run (no GITHUB_REPOSITORY). */
  repository?: RepositoryRef
  /** The pull request's head and base branches (GITHUB_HEAD_REF, GITHUB_BASE_REF), never written to. */
  protectedBranches: string[]
  message: string
}

/** The target for `preview-branch`, from the runner's variables; undefined when the input is empty. */
export function previewTargetFrom(
  branch: string | undefined,
  token: string | undefined,
  env: NodeJS.ProcessEnv,
): PreviewTarget | undefined {
  if (!branch) return undefined
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const run = env.GITHUB_RUN_ID ? ` of workflow run ${env.GITHUB_RUN_ID}` : ''
  return {
    branch,
    token,
    apiUrl: githubApiUrl(env),
    serverUrl: githubServerUrl(env),
    repository: owner && repo ? { owner, repo } : undefined,
    protectedBranches: [env.GITHUB_HEAD_REF, env.GITHUB_BASE_REF].filter((name): name is string => Boolean(name)),
    message: `${COMMIT_PREFIX}${run}${env.GITHUB_JOB ? ` (job ${env.GITHUB_JOB})` : ''}`,
  }
}

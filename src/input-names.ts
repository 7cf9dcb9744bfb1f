/**
 * Every input the action takes, in action.yml's order, with the default action.yml gives it. The code reads its
 * defaults from here (a run without action.yml's defaults, such as a test, behaves the same), and a test holds
 * action.yml to this table, so no default is written twice.
 */

export const INPUT_DEFAULTS = {
  'api-key': undefined,
  'base-url': 'https://api.cometapi.com/grok/v1',
  operation: 'generate',
  prompt: undefined,
  'prompt-file': undefined,
  model: 'grok-imagine-video',
  duration: undefined,
  'aspect-ratio': undefined,
  resolution: undefined,
  image: undefined,
  'reference-images': undefined,
  'reference-voices': undefined,
  video: undefined,
  user: undefined,
  'upload-url': undefined,
  'public-url': 'false',
  'public-url-expires-seconds': undefined,
  'request-id': undefined,
  wait: 'true',
  'timeout-seconds': '600',
  'poll-interval-seconds': '5',
  // Computed at run time ($RUNNER_TEMP/grok-video and grok-video-<request-id>): action.yml cannot express them.
  'output-dir': undefined,
  'artifact-name': undefined,
  'upload-artifact': 'true',
  archive: 'false',
  'retention-days': undefined,
  'release-tag': undefined,
  cache: 'false',
  'dry-run': 'false',
  'max-cost-usd': undefined,
  'prompts-file': undefined,
  'max-concurrency': '3',
  'fail-fast': 'false',
  preview: 'auto',
  'preview-branch': undefined,
  'comment-on-pr': 'false',
  // An expression the runner evaluates: empty outside a runner, where the code has no token.
  'github-token': '${{ github.token }}',
  'attachment-token': undefined,
  'compare-with-base': 'auto',
} as const satisfies Record<string, string | undefined>

export type InputName = keyof typeof INPUT_DEFAULTS

// The bad inputs that readInputs and dist/index.js must both refuse, and the workspace files their rows point at.

import { copyFile, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures')

/** Files the rows below point at, laid out in a workspace as a workflow would have them. */
export async function populateWorkspace(dir: string): Promise<void> {
  await writeFile(path.join(dir, 'prompt.txt'), '\uFEFFA paper boat drifts down a gutter after rain.\n')
  await writeFile(path.join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xe0])) // "café à" in Latin-1
  await writeFile(path.join(dir, 'blank.txt'), ' \n\t\n')
  await writeFile(path.join(dir, 'huge.png'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x89))
  for (const name of ['frame.png', 'frame.jpg', 'frame.webp', 'not-an-image.png']) {
    await copyFile(path.join(FIXTURES, name), path.join(dir, name))
  }
  await copyFile(path.join(FIXTURES, 'frame.png'), path.join(dir, 'photo-without-extension'))
  for (const name of ['tiny.mp4', 'clip-3s.mp4', 'clip-16s.mp4'])
    await copyFile(path.join(FIXTURES, name), path.join(dir, name))
  await copyFile(path.join(FIXTURES, 'clip-3s.mp4'), path.join(dir, 'clip-3s-renamed.png'))
  // Past the inline limit (10 MiB) and past the Files API's (48 MB): the 3 s clip with zeros after it (sparse files).
  await copyFile(path.join(FIXTURES, 'clip-3s.mp4'), path.join(dir, 'large.mp4'))
  await truncate(path.join(dir, 'large.mp4'), 10 * 1024 * 1024 + 1)
  await copyFile(path.join(FIXTURES, 'clip-3s.mp4'), path.join(dir, 'huge.mp4'))
  await truncate(path.join(dir, 'huge.mp4'), 48_000_001)
  await writeFile(
    path.join(dir, 'edit-jobs.yml'),
    '- name: snow\n  operation: edit\n  prompt: Make it snow.\n  video: clip-3s.mp4\n',
  )
  // The event of a pull request from a fork, as a runner writes it (the tests point GITHUB_EVENT_PATH at it).
  await writeFile(
    path.join(dir, FORK_EVENT),
    JSON.stringify({
      pull_request: { number: 7, head: { repo: { full_name: 'someone/films', fork: true } } },
      repository: { id: 1, full_name: 'octo-org/films', name: 'films', owner: { login: 'octo-org' } },
    }),
  )
}

const FORK_EVENT = 'fork-pull-request-event.json'

/** A CometAPI-like root on loopback: a refusal that failed to happen would reach nothing but a closed port. */
const COMET_ROOT = 'http://127.0.0.1:9/grok/v1'

/** Eight reference images, one per line: one more than the API takes. */
const EIGHT_IMAGES = Array.from({ length: 8 }, (_, i) => `https://cdn.example.com/ref-${i}.png`).join('\n')
export const UPLOAD_URL = 'https://storage.example.com/bucket/out.mp4?X-Amz-Signature=0123456789abcdef'

export interface BadRow {
  why: string
  inputs: Record<string, string>
  /** The input the message must name. */
  input: string
  /** What the message must say is accepted (or why the value is wrong). */
  says: RegExp
  /** The runner's variables beside the inputs, from the workspace's path. */
  env?: (workspace: string) => Record<string, string>
}

export const BAD: BadRow[] = [
  { why: 'no api-key', inputs: { 'api-key': '' }, input: 'api-key', says: /required/ },
  {
    why: 'no api-key on a pull request from a fork, with attachment-token and comment-on-pr',
    inputs: { 'api-key': '', 'attachment-token': 'github_pat_badInputs0123456789', 'comment-on-pr': 'true' },
    env: (workspace) => ({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path.join(workspace, FORK_EVENT) }),
    input: 'api-key',
    says: /pull request from a fork \(from someone\/films\).*does not pass secrets.*pull_request_target/,
  },
  {
    why: "a request-id whose '..' part would move the status URL",
    inputs: { prompt: '', 'request-id': '..' },
    input: 'request-id',
    says: /no part between slashes empty, '\.' or '\.\.'/,
  },
  {
    why: 'neither prompt nor prompt-file',
    inputs: { prompt: '' },
    input: 'prompt',
    says: /exactly one of 'prompt'.*'prompt-file'/,
  },
  {
    why: 'both prompt and prompt-file',
    inputs: { 'prompt-file': 'prompt.txt' },
    input: 'prompt',
    says: /'prompt-file' were both given/,
  },
  {
    why: 'missing prompt file',
    inputs: { prompt: '', 'prompt-file': 'nope.txt' },
    input: 'prompt-file',
    says: /does not exist/,
  },
  {
    why: 'prompt file not UTF-8',
    inputs: { prompt: '', 'prompt-file': 'latin1.txt' },
    input: 'prompt-file',
    says: /not valid UTF-8/,
  },
  { why: 'blank prompt file', inputs: { prompt: '', 'prompt-file': 'blank.txt' }, input: 'prompt-file', says: /empty/ },
  {
    why: 'prompt over 4,096 characters',
    inputs: { prompt: 'é'.repeat(4097) },
    input: 'prompt',
    says: /4097 characters.*at most 4096/,
  },
  { why: 'duration 0', inputs: { duration: '0' }, input: 'duration', says: /whole number from 1 to 15; got '0'/ },
  { why: 'duration 16', inputs: { duration: '16' }, input: 'duration', says: /from 1 to 15; got '16'/ },
  { why: 'duration 1.5', inputs: { duration: '1.5' }, input: 'duration', says: /whole number from 1 to 15/ },
  { why: 'duration abc', inputs: { duration: 'abc' }, input: 'duration', says: /whole number from 1 to 15/ },
  {
    why: 'unknown aspect ratio',
    inputs: { 'aspect-ratio': '5:4' },
    input: 'aspect-ratio',
    says: /1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3/,
  },
  { why: 'unknown resolution', inputs: { resolution: '4k' }, input: 'resolution', says: /480p, 720p, 1080p/ },
  { why: '1080p on the base model', inputs: { resolution: '1080p' }, input: 'resolution', says: /1\.5 model/ },
  {
    why: 'image path missing',
    inputs: { image: 'frames/missing.png' },
    input: 'image',
    says: /not an existing file.*https:\/\/ URL/,
  },
  { why: 'image over 10 MiB', inputs: { image: 'huge.png' }, input: 'image', says: /at most 10 MiB/ },
  { why: 'image that is text', inputs: { image: 'not-an-image.png' }, input: 'image', says: /not a PNG, JPEG or WebP/ },
  {
    why: 'image data URL of another type',
    inputs: { image: 'data:image/gif;base64,R0lGODlh' },
    input: 'image',
    says: /data:image\/\(png\|jpeg\|webp\);base64/,
  },
  {
    why: 'image over plain http',
    inputs: { image: 'http://example.com/a.png' },
    input: 'image',
    says: /unsupported scheme/,
  },
  {
    why: 'base-url over http to a public host',
    inputs: { 'base-url': 'http://api.example.com/v1' },
    input: 'base-url',
    says: /must use https.*localhost, 127\.0\.0\.0\/8 or \[::1\]/,
  },
  { why: 'base-url not a URL', inputs: { 'base-url': 'api.x.ai/v1' }, input: 'base-url', says: /must be an https URL/ },
  {
    why: 'base-url with credentials',
    inputs: { 'base-url': 'https://user:pw@api.x.ai/v1' },
    input: 'base-url',
    says: /without credentials/,
  },
  {
    why: 'timeout below poll interval',
    inputs: { 'timeout-seconds': '3', 'poll-interval-seconds': '5' },
    input: 'timeout-seconds',
    says: /at least 'poll-interval-seconds'/,
  },
  { why: 'timeout zero', inputs: { 'timeout-seconds': '0' }, input: 'timeout-seconds', says: /positive number/ },
  { why: 'timeout words', inputs: { 'timeout-seconds': 'ten' }, input: 'timeout-seconds', says: /positive number/ },
  {
    why: 'poll interval negative',
    inputs: { 'poll-interval-seconds': '-1' },
    input: 'poll-interval-seconds',
    says: /positive number/,
  },
  {
    why: 'poll interval of a millisecond against xAI',
    inputs: { 'base-url': 'https://api.x.ai/v1', 'poll-interval-seconds': '0.001' },
    input: 'poll-interval-seconds',
    says: /at least 1 second \(shorter only with a loopback 'base-url'.*got '0\.001'/,
  },
  {
    why: 'poll interval under a second against the default CometAPI host',
    inputs: { 'base-url': '', 'poll-interval-seconds': '0.5' },
    input: 'poll-interval-seconds',
    says: /at least 1 second/,
  },
  { why: 'retention 0 days', inputs: { 'retention-days': '0' }, input: 'retention-days', says: /from 1 to 90/ },
  { why: 'retention 91 days', inputs: { 'retention-days': '91' }, input: 'retention-days', says: /from 1 to 90/ },
  {
    why: 'retention 7.5 days',
    inputs: { 'retention-days': '7.5' },
    input: 'retention-days',
    says: /whole number from 1 to 90/,
  },
  {
    why: 'artifact name with a slash',
    inputs: { 'artifact-name': 'videos/candle' },
    input: 'artifact-name',
    says: /none of " : < > \| \* \? \\ \//,
  },
  {
    why: 'artifact name with a colon',
    inputs: { 'artifact-name': 'take:2' },
    input: 'artifact-name',
    says: /character artifacts may not have/,
  },
  { why: 'wait not a boolean', inputs: { wait: 'yes' }, input: 'wait', says: /'true' or 'false'; got 'yes'/ },
  {
    why: 'upload-artifact not a boolean',
    inputs: { 'upload-artifact': 'maybe' },
    input: 'upload-artifact',
    says: /'true' or 'false'/,
  },
  { why: 'archive not a boolean', inputs: { archive: '1' }, input: 'archive', says: /'true' or 'false'; got '1'/ },
  // The whole video API.
  { why: 'unknown operation', inputs: { operation: 'remix' }, input: 'operation', says: /generate, edit, extend/ },
  {
    why: 'an edit with duration',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', duration: '5' },
    input: 'duration',
    says: /not accepted with 'operation: edit' \(an edit keeps its input video's length\)/,
  },
  {
    why: 'an edit with aspect-ratio',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', 'aspect-ratio': '16:9' },
    input: 'aspect-ratio',
    says: /not accepted with 'operation: edit'/,
  },
  {
    why: 'an edit with resolution',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', resolution: '720p' },
    input: 'resolution',
    says: /not accepted with 'operation: edit'.*at most 720p/,
  },
  {
    why: 'an edit with a first-frame image',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', image: 'frame.png' },
    input: 'image',
    says: /not accepted with 'operation: edit'/,
  },
  {
    why: 'an edit without video',
    inputs: { operation: 'edit' },
    input: 'video',
    says: /required with 'operation: edit': the path of a local MP4 \(e\.g\. a previous step's 'video-path'\) or an https URL/,
  },
  {
    why: 'an edit of a video over 8.7 s',
    inputs: { operation: 'edit', video: 'clip-16s.mp4' },
    input: 'video',
    says: /plays 16\.00 s; 'edit' accepts an input video of at most 8\.7 s/,
  },
  {
    why: 'an extension of 11 s',
    inputs: { operation: 'extend', video: 'clip-3s.mp4', duration: '11' },
    input: 'duration',
    says: /whole number from 2 to 10; got '11'/,
  },
  {
    why: 'an extension of 1 s',
    inputs: { operation: 'extend', video: 'clip-3s.mp4', duration: '1' },
    input: 'duration',
    says: /from 2 to 10; got '1'/,
  },
  {
    why: 'an extension of a 1 s video',
    inputs: { operation: 'extend', video: 'tiny.mp4' },
    input: 'video',
    says: /plays 1\.00 s; 'extend' accepts an input video of 2–15 s/,
  },
  {
    why: 'an extension of a 16 s video',
    inputs: { operation: 'extend', video: 'clip-16s.mp4' },
    input: 'video',
    says: /plays 16\.00 s; 'extend' accepts an input video of 2–15 s/,
  },
  {
    why: 'an extension with aspect-ratio',
    inputs: { operation: 'extend', video: 'clip-3s.mp4', 'aspect-ratio': '9:16' },
    input: 'aspect-ratio',
    says: /not accepted with 'operation: extend'/,
  },
  {
    why: 'an extension with user',
    inputs: { operation: 'extend', video: 'clip-3s.mp4', user: 'u-1' },
    input: 'user',
    says: /the extensions endpoint takes no end-user id/,
  },
  {
    why: 'video on generate',
    inputs: { video: 'clip-3s.mp4' },
    input: 'video',
    says: /not accepted with 'operation: generate' \('video' is the input of 'operation: edit' or 'operation: extend'\)/,
  },
  {
    why: 'a video that is not an MP4',
    inputs: { operation: 'edit', video: 'frame.png' },
    input: 'video',
    says: /frame\.png \(189 bytes\) is not an MP4 \(judged by its content: no 'ftyp' box\)/,
  },
  {
    why: 'a video path that does not exist',
    inputs: { operation: 'edit', video: 'out/missing.mp4' },
    input: 'video',
    says: /not an existing file: accepts the path of a local MP4 \(e\.g\. a previous step's 'video-path'\)/,
  },
  {
    why: 'a video over plain http',
    inputs: { operation: 'edit', video: 'http://example.com/a.mp4' },
    input: 'video',
    says: /unsupported scheme \('http'\)/,
  },
  {
    why: 'a video data URL of another type',
    inputs: { operation: 'edit', video: 'data:video/webm;base64,GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQRChYEC' },
    input: 'video',
    says: /data URL of the wrong form: accepts .*data:video\/mp4;base64,/,
  },
  {
    why: 'a video data URL whose bytes are not an MP4',
    inputs: { operation: 'edit', video: 'data:video/mp4;base64,iVBORw0KGgoAAAANSUhEUgAAAAE=' },
    input: 'video',
    says: /data URL \(video\/mp4, 20 bytes\) is not an MP4/,
  },
  {
    why: 'a local video over 10 MiB through CometAPI',
    inputs: { operation: 'edit', video: 'large.mp4', 'base-url': 'http://127.0.0.1:9/grok/v1' },
    input: 'video',
    says: /over 10 MiB a video goes through xAI's Files API, which CometAPI does not offer\. Give an https URL instead \(e\.g\. the previous step's 'video-url'; after a cache hit it is empty: run that step with 'cache: false' for a fresh one, or host the file at an https URL of your own\)/,
  },
  {
    why: 'a local video over 48 MB',
    inputs: { operation: 'extend', video: 'huge.mp4' },
    input: 'video',
    says: /is 48000001 bytes; a local video may have at most 48 MB/,
  },
  {
    why: '8 reference images',
    inputs: { 'reference-images': EIGHT_IMAGES },
    input: 'reference-images',
    says: /lists 8 images; at most 7 are accepted/,
  },
  {
    why: 'reference-images with image',
    inputs: { 'reference-images': 'frame.png', image: 'frame.jpg' },
    input: 'reference-images',
    says: /cannot be combined with 'image'/,
  },
  {
    why: 'reference-images at 1080p',
    inputs: { 'reference-images': 'frame.png', model: 'grok-imagine-video-1.5', resolution: '1080p' },
    input: 'reference-images',
    says: /cannot be combined with 'resolution: 1080p'/,
  },
  {
    why: 'a reference image that is not an image',
    inputs: { 'reference-images': 'frame.png\nnot-an-image.png' },
    input: 'reference-images',
    says: /'not-an-image\.png' is not a PNG, JPEG or WebP image/,
  },
  {
    why: 'reference-images on an edit',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', 'reference-images': 'frame.png' },
    input: 'reference-images',
    says: /not accepted with 'operation: edit' \(reference images belong to 'operation: generate'\)/,
  },
  {
    why: 'upload-url with cache: true',
    inputs: { 'upload-url': UPLOAD_URL, cache: 'true' },
    input: 'upload-url',
    says: /cannot be combined with 'cache: true'/,
  },
  {
    why: 'upload-url that is not https',
    inputs: { 'upload-url': 'http://storage.example.com/bucket/out.mp4?X-Amz-Signature=0123456789abcdef' },
    input: 'upload-url',
    says: /must be an https URL \(a signed URL of your storage\); got a 'http' URL\.$/,
  },
  {
    why: 'upload-url that is not a URL',
    inputs: { 'upload-url': 'bucket/out.mp4' },
    input: 'upload-url',
    says: /is not a valid URL/,
  },
  {
    why: 'upload-url with prompts-file',
    inputs: { 'upload-url': UPLOAD_URL, 'prompts-file': 'prompts.yml' },
    input: 'upload-url',
    says: /cannot be combined with 'prompts-file': one signed URL holds one video/,
  },
  {
    why: 'public-url that is not a boolean',
    inputs: { 'public-url': 'yes' },
    input: 'public-url',
    says: /must be 'true' or 'false'; got 'yes'/,
  },
  {
    why: 'public-url-expires-seconds without public-url',
    inputs: { 'public-url-expires-seconds': '3600' },
    input: 'public-url-expires-seconds',
    says: /is set but 'public-url' is not 'true'/,
  },
  {
    why: 'public-url-expires-seconds under an hour',
    inputs: { 'public-url': 'true', 'public-url-expires-seconds': '60' },
    input: 'public-url-expires-seconds',
    says: /must be a whole number from 3600 to 2592000; got '60'/,
  },
  {
    why: 'public-url-expires-seconds that is not a number of seconds',
    inputs: { 'public-url': 'true', 'public-url-expires-seconds': '1d' },
    input: 'public-url-expires-seconds',
    says: /whole number of seconds from 3600 to 2592000 \(or empty for a permanent URL\)/,
  },
  {
    why: 'public-url through CometAPI',
    inputs: { 'public-url': 'true', 'base-url': COMET_ROOT },
    input: 'public-url',
    says: /is not available through CometAPI/,
  },
  {
    why: 'public-url on an edit',
    inputs: { operation: 'edit', video: 'clip-3s.mp4', 'public-url': 'true' },
    input: 'public-url',
    says: /'operation: generate' or 'operation: extend' only/,
  },
  {
    why: 'public-url with upload-url',
    inputs: { 'public-url': 'true', 'upload-url': UPLOAD_URL },
    input: 'public-url',
    says: /cannot be combined with 'upload-url'/,
  },
  {
    why: 'reference-voices without reference-images',
    inputs: { 'reference-voices': 'eve' },
    input: 'reference-voices',
    says: /needs 'reference-images'/,
  },
  {
    why: 'four reference voices',
    inputs: { 'reference-images': 'frame.png', 'reference-voices': 'eve\nara\nrex\nsal' },
    input: 'reference-voices',
    says: /lists 4 voices; at most 3 are accepted/,
  },
  {
    why: 'a reference voice id with other characters',
    inputs: { 'reference-images': 'frame.png', 'reference-voices': 'eve\nvoices/../x' },
    input: 'reference-voices',
    says: /letters, digits, '_' and '-' \(at most 64 characters\), such as 'eve'; got "voices\/\.\.\/x"/,
  },
  {
    why: 'a reference voice given twice in another case',
    inputs: { 'reference-images': 'frame.png', 'reference-voices': 'eve\n\nEVE' },
    input: 'reference-voices',
    says: /lists "EVE" twice \(voice ids ignore case\)/,
  },
  {
    why: 'reference-voices through CometAPI',
    inputs: { 'reference-images': 'frame.png', 'reference-voices': 'eve', 'base-url': COMET_ROOT },
    input: 'reference-voices',
    says: /is not available through CometAPI/,
  },
  {
    why: 'reference-voices on an extension',
    inputs: { operation: 'extend', video: 'clip-3s.mp4', 'reference-voices': 'eve' },
    input: 'reference-voices',
    says: /not accepted with 'operation: extend' \(reference voices go with reference images/,
  },
  ...(
    [
      ['a space', 'nightly videos'],
      ["'..'", 'v1..2'],
      ["a leading '-'", '-nightly'],
      ['a line break', 'night\nly'],
      ["'refs/tags/'", 'refs/tags/nightly'],
      ['over 200 characters', 'v'.repeat(201)],
    ] as const
  ).map(([why, tag]) => ({
    why: `release-tag with ${why}`,
    inputs: { 'release-tag': tag, 'github-token': 'ghs_badInputsToken' },
    input: 'release-tag',
    says: /is not a valid tag name: give a plain tag/,
  })),
  {
    why: 'release-tag without github-token',
    inputs: { 'release-tag': 'videos-nightly' },
    input: 'release-tag',
    says: /needs 'github-token' \(a token with 'contents: write'\)/,
  },
  {
    why: 'release-tag outside a workflow run (no GITHUB_REPOSITORY)',
    inputs: { 'release-tag': 'videos-nightly', 'github-token': 'ghs_badInputsToken' },
    input: 'release-tag',
    says: /needs GITHUB_REPOSITORY/,
  },
  {
    why: 'release-tag with upload-url',
    inputs: { 'release-tag': 'videos-nightly', 'github-token': 'ghs_badInputsToken', 'upload-url': UPLOAD_URL },
    input: 'release-tag',
    says: /cannot be combined with 'upload-url': the video goes to your storage, not to the runner/,
  },
  {
    why: "reference-voices in a batch without the step's reference-images",
    inputs: { 'reference-voices': 'eve', 'prompts-file': 'prompts.yml' },
    input: 'reference-voices',
    says: /needs 'reference-images'.*In a batch the step's voices go with the step's 'reference-images'/,
  },
  {
    why: "compare-with-base 'true' (only auto or false)",
    inputs: { 'compare-with-base': 'true', cache: 'true', 'comment-on-pr': 'true' },
    input: 'compare-with-base',
    says: /must be 'auto' \(on a pull request, with 'comment-on-pr' and 'cache' on\) or 'false'; got 'true'/,
  },
  {
    why: 'compare-with-base misspelt, in a batch',
    inputs: { 'compare-with-base': 'yes', 'prompts-file': 'prompts.yml' },
    input: 'compare-with-base',
    says: /must be 'auto' .* or 'false'; got 'yes'/,
  },
]

export const VALID = {
  'api-key': 'k-123',
  prompt: 'A candle flickers on a wooden table.',
  'base-url': 'http://127.0.0.1:9/v1',
}

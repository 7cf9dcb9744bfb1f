/**
 * `npm run demo`: the action's main job, end to end, on this machine alone. It starts the API emulator and the
 * artifact service fake and the GitHub REST fake on loopback, runs the built bundle (dist/index.js) as a runner
 * would, and prints the outputs, the job summary it wrote (the Markdown shown on the run's page), where the MP4 is,
 * and where its preview (poster and GIF) was written and published. No key, no network.
 *
 *   npm run demo                      # CometAPI's task-wrapper shapes (the default base-url's provider)
 *   npm run demo -- xai-done          # any scenario name from test/emulator/scenarios.ts
 *   npm run demo -- xai-extend        # edits, extensions, reference images, ZDR: each with its own inputs
 *   npm run demo -- xai-done --debug  # also the debug lines a runner shows only with debug logging on
 *   npm run demo -- pr                # a pull request's comment: before and after, against its base (demo-pr.ts)
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { resolvePlaceholders, startEmulator, type ScenarioName } from '../test/emulator/server.ts'
import { scenarioNames, scenarios } from '../test/emulator/scenarios.ts'
import { startGitHubApi } from '../test/fakes/github-rest.ts'
import { startResultsService } from '../test/fakes/results-service.ts'
import { FFMPEG, readGif } from '../test/harness/ffmpeg.ts'
import { ROOT, runBundle } from '../test/harness/runner.ts'

const args = process.argv.slice(2)
if (args[0] === 'pr') {
  // A pull request's comment against its base: scripts/demo-pr.ts.
  const { demoPullRequest } = await import('./demo-pr.ts')
  process.exit(await demoPullRequest())
}
const debug = args.includes('--debug')
const scenario = (args.find((arg) => !arg.startsWith('--')) ?? 'comet-task-success') as ScenarioName
if (!scenarioNames.includes(scenario)) {
  console.error(`Unknown scenario '${scenario}'. Known: ${scenarioNames.join(', ')}`)
  process.exit(2)
}

/**
 * Prints the action's log as a runner shows it: a group as its title with its lines indented under it (a runner
 * folds them away), annotations by their kind, no mask commands, and ::debug:: lines only with --debug.
 */
let partial = ''
let inGroup = false
function printLines(chunk: string): void {
  // Trap: the bundle ends its lines with os.EOL, CRLF on Windows.
  const lines = (partial + chunk).split(/\r?\n/)
  partial = lines.pop() ?? ''
  for (const line of lines) {
    const shown = runnerView(line)
    if (shown !== undefined) console.log(inGroup && !line.startsWith('::group::') ? `    ${shown}` : shown)
  }
}

function runnerView(line: string): string | undefined {
  const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line)
  if (!command) return line
  const [, name, text] = command
  if (name === 'group') {
    inGroup = true
    return `▸ ${text}`
  }
  if (name === 'endgroup') inGroup = false
  if (name === 'debug') return debug ? `##[debug]${text}` : undefined
  if (name === 'notice' || name === 'warning' || name === 'error')
    return `${name[0].toUpperCase()}${name.slice(1)}: ${text}`
  return undefined
}

const emulator = await startEmulator({ scenario })
const results = await startResultsService()
const github = await startGitHubApi()
const outputDir = path.join(ROOT, 'demo-output')
const previewBranch = 'grok-video-previews'
// The ffmpeg `npm ci` installed (linux-x64) stands in for one on the runner's PATH.
const PATH = [...(existsSync(FFMPEG) ? [path.dirname(FFMPEG)] : []), process.env.PATH ?? ''].join(path.delimiter)
try {
  const baseUrl = scenario.startsWith('comet') ? emulator.cometBaseUrl : emulator.xaiBaseUrl
  console.log(`Emulator: ${baseUrl} (scenario ${scenario}); artifact service fake: ${results.origin}\n`)
  // A scenario written for one request (an edit, an extension, …) brings its inputs; the others make a generation.
  const own = scenarios[scenario].demo
  const videoInputs = own
    ? (resolvePlaceholders(own, { videoOrigin: emulator.videoOrigin }) as Record<string, string>)
    : { prompt: 'A candle flickers on a wooden table.', 'aspect-ratio': '16:9', resolution: '720p' }
  const run = await runBundle({
    inputs: {
      'api-key': emulator.apiKey,
      'base-url': baseUrl,
      ...videoInputs,
      'poll-interval-seconds': '1',
      'output-dir': outputDir,
      'preview-branch': previewBranch,
      'github-token': github.token,
    },
    env: { ...results.env, GITHUB_API_URL: github.apiUrl, PATH },
    onOutput: printLines,
  })

  console.log(`\nExit code: ${run.exitCode}\nOutputs:`)
  for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name}: ${value}`)
  console.log(`\nJob summary (Markdown, shown on the run's page):\n${indent(run.summary.trim() || '(none written)')}`)
  const video = run.outputs['video-path']
  if (video) {
    console.log(`\nThe MP4 is at ${video}`)
    try {
      const probe = execFileSync(
        'ffprobe',
        ['-v', 'error', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'compact', video],
        { encoding: 'utf8' },
      )
      console.log(`ffprobe: ${probe.trim().replace(/\n/g, '; ')}`)
    } catch {
      console.log('(install ffmpeg to have ffprobe describe it)')
    }
  }
  const gif = run.outputs['preview-path']
  if (gif) {
    const info = readGif(readFileSync(gif))
    console.log(
      `The preview GIF is at ${gif} (${readFileSync(gif).length} bytes, ${info.width}x${info.height}, ${info.frames} frames)`,
    )
    console.log(`The poster is at ${run.outputs['poster-path']}`)
    const [owner = '', repo = ''] = (results.env.GITHUB_REPOSITORY ?? '').split('/')
    const files = [...github.git(owner, repo).files(previewBranch).keys()]
    console.log(
      `Published to branch '${previewBranch}' of the GitHub fake (${files.join(', ')}): ${run.outputs['preview-url']}`,
    )
  } else {
    console.log('No preview was made (see the log above for why).')
  }
  for (const delivery of emulator.deliveries()) {
    console.log(
      `The emulator delivered ${delivery.bytes.length} bytes to the upload URL (PUT ${delivery.path.split('?')[0]}?…)`,
    )
  }
  for (const artifact of results.artifacts) {
    console.log(
      `Artifact received by the fake: ${artifact.name} (${artifact.mimeType ?? 'zip'}, ${artifact.bytes.length} bytes, sha256 ${artifact.sha256})`,
    )
  }
  process.exitCode = run.exitCode ?? 1
} finally {
  await emulator.close()
  await results.close()
  await github.close()
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`.trimEnd())
    .join('\n')
}

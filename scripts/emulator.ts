/**
 * Starts the API emulator on loopback and keeps it running until it is stopped (SIGINT or SIGTERM), for a workflow
 * (or a shell) that runs the action against it. Its addresses are appended to $GITHUB_OUTPUT when that is set,
 * else printed as `name=value` lines; then a line `ready` is printed.
 *
 *   node scripts/emulator.ts                     # scenario comet-task-success
 *   node scripts/emulator.ts xai-done            # any scenario name from test/emulator/scenarios.ts
 *
 * Outputs: api-key, comet-base-url, xai-base-url, video-origin, pid.
 */
import { appendFileSync } from 'node:fs'
import { startEmulator, type ScenarioName } from '../test/emulator/server.ts'
import { scenarioNames } from '../test/emulator/scenarios.ts'

const scenario = (process.argv[2] ?? 'comet-task-success') as ScenarioName
if (!scenarioNames.includes(scenario)) {
  console.error(`Unknown scenario '${scenario}'. Known: ${scenarioNames.join(', ')}`)
  process.exit(2)
}

const emulator = await startEmulator({ scenario })
const outputs: Record<string, string> = {
  'api-key': emulator.apiKey,
  'comet-base-url': emulator.cometBaseUrl,
  'xai-base-url': emulator.xaiBaseUrl,
  'video-origin': emulator.videoOrigin,
  pid: String(process.pid),
}
const lines = Object.entries(outputs)
  .map(([name, value]) => `${name}=${value}\n`)
  .join('')
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines)
else process.stdout.write(lines)
console.log(
  `Emulator (scenario ${scenario}): ${emulator.cometBaseUrl} and ${emulator.xaiBaseUrl}, video host ${emulator.videoOrigin}`,
)
console.log('ready')

let stopping = false
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return
  stopping = true
  const counts = `${emulator.creates().length} creates, ${emulator.polls().length} polls, ${emulator.videoRequests().length} video requests`
  void emulator.close().then(() => {
    console.log(`Emulator stopped by ${signal} after ${counts}.`)
    process.exit(0)
  })
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)

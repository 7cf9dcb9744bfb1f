/**
 * Start: from spawning `node dist/index.js` to its first request arriving at the emulator, against a bundle (built
 * here with the same ncc) that only imports @actions/core and then sends one request.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEmulator, type Emulator } from '../test/emulator/server.ts'
import { actionDefaults, BUNDLE, inputEnv, ROOT } from '../test/harness/runner.ts'
import { median } from '../test/harness/stats.ts'

export interface StartBenchResult {
  msToFirstRequest: { ours: number; coreOnly: number }
}

async function timeToFirstRequest(emulator: Emulator, bundle: string, env: NodeJS.ProcessEnv): Promise<number> {
  emulator.setScenario('create-401') // answer at once; what happens after the first request is not measured
  const started = Date.now()
  const child = spawn(process.execPath, [bundle], { env, stdio: 'ignore' })
  await new Promise((resolve) => child.on('close', resolve))
  const first = emulator.requests[0]
  if (!first) throw new Error(`${bundle} sent no request`)
  return first.at - started
}

export async function benchStart(repetitions: number): Promise<StartBenchResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-start-'))
  const emulator = await startEmulator()
  try {
    execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'ncc'),
      ['build', path.join(ROOT, 'bench', 'core-only.mjs'), '-o', dir, '--quiet'],
      { stdio: 'inherit' },
    )
    const coreOnly = path.join(dir, 'index.mjs')
    const env = {
      PATH: process.env.PATH,
      RUNNER_TEMP: dir,
      ...inputEnv({
        ...(await actionDefaults()),
        'api-key': 'k',
        'base-url': emulator.xaiBaseUrl,
        prompt: 'A start-up test.',
      }),
    }
    const samples = { ours: [] as number[], coreOnly: [] as number[] }
    for (let rep = 0; rep < repetitions; rep++) {
      samples.ours.push(await timeToFirstRequest(emulator, BUNDLE, env))
      samples.coreOnly.push(await timeToFirstRequest(emulator, coreOnly, env))
    }
    return { msToFirstRequest: { ours: median(samples.ours), coreOnly: median(samples.coreOnly) } }
  } finally {
    await emulator.close()
    await rm(dir, { recursive: true, force: true })
  }
}

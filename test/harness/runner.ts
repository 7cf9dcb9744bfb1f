/**
 * Runs the built action (`dist/index.js`) the way a runner does: INPUT_* variables with action.yml's defaults,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, a workspace and RUNNER_TEMP, and nothing else from this machine's
 * environment. Shared by the bundle tests, the demo and the benchmark.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BUNDLE = path.join(ROOT, 'dist', 'index.js')

interface ActionYaml {
  inputs: Record<string, { default?: string; required?: boolean; description: string }>
  outputs: Record<string, { description: string }>
}

export async function readActionYaml(): Promise<ActionYaml> {
  return parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYaml
}

/**
 * The inputs a runner passes when a workflow sets none: action.yml's defaults. A default that is an expression
 * (`${{ github.token }}`) is left out: a runner evaluates it, and there is nothing to evaluate it against here.
 */
export async function actionDefaults(): Promise<Record<string, string>> {
  const { inputs } = await readActionYaml()
  return Object.fromEntries(
    Object.entries(inputs).flatMap(([name, spec]) =>
      spec.default === undefined || String(spec.default).includes('${{') ? [] : [[name, String(spec.default)]],
    ),
  )
}

/** `INPUT_<NAME>` as @actions/core reads it: upper-cased, hyphens kept. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]))
}

/** Parses the heredoc blocks @actions/core appends to $GITHUB_OUTPUT; a later value for a name wins, as on a runner. */
export function parseGithubOutput(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const [, name, delimiter] = match as unknown as [string, string, string]
    const value: string[] = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i])
    outputs[name] = value.join('\n')
  }
  return outputs
}

export interface RunnerDirs {
  root: string
  workspace: string
  runnerTemp: string
  outputFile: string
  summaryFile: string
}

export async function makeRunnerDirs(prefix = 'grok-video-run-'): Promise<RunnerDirs> {
  const root = await mkdtemp(path.join(os.tmpdir(), prefix))
  const dirs = {
    root,
    workspace: path.join(root, 'workspace'),
    runnerTemp: path.join(root, 'runner-temp'),
    outputFile: path.join(root, 'github-output'),
    summaryFile: path.join(root, 'step-summary.md'),
  }
  await mkdir(dirs.workspace)
  await mkdir(dirs.runnerTemp)
  await writeFile(dirs.outputFile, '')
  await writeFile(dirs.summaryFile, '')
  return dirs
}

export interface BundleRun {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  dirs: RunnerDirs
}

export interface BundleOptions {
  /** Inputs on top of action.yml's defaults. */
  inputs: Record<string, string>
  /** More environment, e.g. the artifact service fake's. */
  env?: Record<string, string>
  dirs?: RunnerDirs
  /** Called with the fresh directories before the process starts, e.g. to put files in the workspace. */
  prepare?: (dirs: RunnerDirs) => Promise<void>
  /** Kill the process after this long (a safety net: the action must end by itself). */
  killAfterMs?: number
  /** Called with each chunk of output as it arrives (the demo streams it). */
  onOutput?: (chunk: string) => void
  /** Called once the process is running, e.g. to send it a signal. */
  onSpawn?: (pid: number) => void
  bundle?: string
  /** Largest file the process may write (RLIMIT_FSIZE, through util-linux `prlimit`), e.g. to play a full disk. */
  fileSizeLimitBytes?: number
}

/** Runs the bundle as a subprocess (async spawn: the in-process fakes must keep serving while it runs). */
export async function runBundle(options: BundleOptions): Promise<BundleRun> {
  const dirs = options.dirs ?? (await makeRunnerDirs())
  await options.prepare?.(dirs)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dirs.root,
    GITHUB_WORKSPACE: dirs.workspace,
    RUNNER_TEMP: dirs.runnerTemp,
    GITHUB_OUTPUT: dirs.outputFile,
    GITHUB_STEP_SUMMARY: dirs.summaryFile,
    GITHUB_ACTIONS: 'true',
    NO_PROXY: '127.0.0.1,127.0.0.2,localhost',
    no_proxy: '127.0.0.1,127.0.0.2,localhost',
    ...inputEnv({ ...(await actionDefaults()), ...options.inputs }),
    ...options.env,
  }
  const node = [process.execPath, options.bundle ?? BUNDLE]
  const command =
    options.fileSizeLimitBytes === undefined
      ? node
      : ['prlimit', `--fsize=${options.fileSizeLimitBytes}`, '--', ...node]
  const child = spawn(command[0], command.slice(1), {
    cwd: dirs.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (child.pid !== undefined) options.onSpawn?.(child.pid)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    options.onOutput?.(chunk)
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    options.onOutput?.(chunk)
  })
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000)
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (code, sig) => resolve([code, sig])),
  )
  clearTimeout(killer)
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseGithubOutput(await readFile(dirs.outputFile, 'utf8')),
    summary: await readFile(dirs.summaryFile, 'utf8'),
    dirs,
  }
}

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
  const lines = toLf(text).split('\n')
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

/**
 * Trap: @actions/core ends each line it writes (log, $GITHUB_OUTPUT, the summary) with os.EOL, CRLF on Windows. The
 * runner reads CRLF and LF alike, so the tests read what the bundle wrote with LF line ends on every OS.
 */
const toLf = (text: string): string => text.replaceAll('\r\n', '\n')

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
  /** Largest file the process may write (RLIMIT_FSIZE, through util-linux `prlimit`: see FILE_SIZE_LIMITS). */
  fileSizeLimitBytes?: number
}

/**
 * Trap: a Windows process needs some of the OS's own variables (a runner passes them): without SystemRoot it cannot
 * open a socket, and @actions/cache looks for tar under SystemDrive and ProgramFiles and for zstd with PATHEXT. These
 * pass through; nothing else of this machine's environment does.
 */
const WINDOWS_SYSTEM_VARIABLES = [
  'SystemRoot',
  'SystemDrive',
  'windir',
  'ComSpec',
  'PATHEXT',
  'ProgramFiles',
  'TEMP',
  'TMP',
]

function windowsSystemEnv(): Record<string, string> {
  if (process.platform !== 'win32') return {}
  const present = WINDOWS_SYSTEM_VARIABLES.filter((name) => process.env[name] !== undefined)
  return Object.fromEntries(present.map((name) => [name, process.env[name] as string]))
}

/** Runs the bundle as a subprocess (async spawn: the in-process fakes must keep serving while it runs). */
export async function runBundle(options: BundleOptions): Promise<BundleRun> {
  const dirs = options.dirs ?? (await makeRunnerDirs())
  await options.prepare?.(dirs)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...windowsSystemEnv(),
    HOME: dirs.root,
    GITHUB_WORKSPACE: dirs.workspace,
    RUNNER_TEMP: dirs.runnerTemp,
    GITHUB_OUTPUT: dirs.outputFile,
    GITHUB_STEP_SUMMARY: dirs.summaryFile,
    GITHUB_ACTIONS: 'true',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
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
    stdout: toLf(stdout),
    stderr: toLf(stderr),
    outputs: parseGithubOutput(await readFile(dirs.outputFile, 'utf8')),
    summary: toLf(await readFile(dirs.summaryFile, 'utf8')),
    dirs,
  }
}

/** Trap: `fileSizeLimitBytes` needs util-linux `prlimit`, which only Linux has; elsewhere its tests are skipped. */
export const FILE_SIZE_LIMITS = process.platform === 'linux'

/**
 * Trap: on Windows, process.kill(pid, 'SIGTERM') ends the process at once (there are no POSIX signals): its handler
 * never runs, so a cancelled run cannot be played there and its tests are skipped. (A runner on Windows sends
 * Ctrl+C, then Ctrl+Break, which src/main.ts handles; Node has no way to send those to one child process.)
 */
export const CANCEL_BY_SIGNAL = process.platform !== 'win32'

/**
 * Process hooks that cancel the run as a runner does: `signal` once the action's output has shown `text`.
 * `sent()` says whether it came to that.
 */
export function signalOnOutput(
  text: string,
  signal: NodeJS.Signals = 'SIGTERM',
): Required<Pick<BundleOptions, 'onSpawn' | 'onOutput'>> & { sent: () => boolean } {
  let pid = 0
  let output = ''
  let sent = false
  return {
    sent: () => sent,
    onSpawn: (spawned) => void (pid = spawned),
    onOutput: (chunk) => {
      output += chunk
      if (sent || !output.includes(text)) return
      sent = true
      process.kill(pid, signal)
    },
  }
}

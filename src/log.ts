/**
 * How the step's log reads on the run page. A single run folds the artifact and cache clients' chatter into
 * collapsed groups (main.ts passes `core.group` to the pipeline), so the wait's progress and the result stand out.
 * A batch cannot: its jobs log at once, and groups can neither nest nor interleave. There, every line written while
 * a job runs, the libraries' included, starts with the job's name instead. And no line of outside text is read by
 * the runner as a command (inert()).
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const currentJob = new AsyncLocalStorage<string>()

/** Runs `work` as the batch job `name`: what it writes to a stream prefixJobLines() watches carries the name. */
export function asJob<T>(name: string, work: () => Promise<T>): Promise<T> {
  return currentJob.run(name, work)
}

/**
 * The runner reads a line as a workflow command when it starts with `::` after leading whitespace (its idea of
 * whitespace is wider than JavaScript's `\s`), or when it holds the legacy `##[name]` form anywhere.
 */
const COMMAND_AT_START = /^([\s\x85]*):(?=:)/
const LEGACY_COMMAND = /##\[/g
/** Invisible, and not whitespace to the runner: splits `::` and `##[` without changing what a reader sees. */
const BREAK = '\u200b'

/**
 * Outside text (a provider's words, a request id, a model, a URL from a prompts file) made safe to log: no line of
 * it can be read by the runner as a workflow command (`::add-mask::`, `::stop-commands::`, `##[error]` …).
 * Every line is treated, as a message may span several.
 */
export function inert(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((part) => part.replace(COMMAND_AT_START, `$1:${BREAK}`).replace(LEGACY_COMMAND, `##${BREAK}[`))
    .join('')
}

/** Workflow commands whose text a reader sees; any other (`add-mask`, `group`, …) must stay exactly as written. */
const MESSAGE_COMMAND = /^::(?:debug|notice|warning|error)(?: [^:]*)?::/

/** `[name] ` at the start of a log line's text (after a message command), unless the text already starts with it. */
export function prefixLine(line: string, name: string): string {
  const tag = `[${name}] `
  const command = MESSAGE_COMMAND.exec(line)?.[0] ?? (line.startsWith('::') ? undefined : '')
  if (command === undefined || line === '') return line
  const text = line.slice(command.length)
  return text.startsWith(tag) ? line : `${command}${tag}${text}`
}

/**
 * Prefixes each line written to `stream` inside asJob() with that job's name, wherever it comes from (@actions/core
 * writes straight to stdout, so the artifact and cache clients cannot be told to). Returns the undo.
 */
export function prefixJobLines(stream: NodeJS.WritableStream = process.stdout): () => void {
  const own = Object.getOwnPropertyDescriptor(stream, 'write')
  const bound = stream.write.bind(stream) as (...args: unknown[]) => boolean
  const write = (chunk: unknown, rest: unknown[]): boolean => bound(chunk, ...rest)
  let atLineStart = true
  stream.write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const name = currentJob.getStore()
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined
    if (!text) return write(chunk, rest)
    const lineStart = atLineStart
    atLineStart = text.endsWith('\n')
    if (name === undefined) return write(chunk, rest)
    const out = text
      .split('\n')
      .map((line, i) => (i === 0 && !lineStart ? line : prefixLine(line, name)))
      .join('\n')
    // A Buffer stays a Buffer, so an encoding argument after it keeps its meaning.
    return write(typeof chunk === 'string' ? out : Buffer.from(out, 'utf8'), rest)
  }
  return () => {
    if (own) Object.defineProperty(stream, 'write', own)
    else delete (stream as { write?: unknown }).write
  }
}

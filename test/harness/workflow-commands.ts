/**
 * What the runner reads as a workflow command in a step's output: `::name props::data` at a line's start after
 * whitespace, and the legacy `##[name props]data` anywhere in a line. Read as the runner reads them, whether the
 * name is one it knows or not, so a test sees every line that could be taken for a command.
 */
import { expect } from 'vitest'

export interface WorkflowCommand {
  line: string
  name: string
  /** The command and its properties, between the opening `::` and the next one (or `##[` and `]`). */
  info: string
  data: string
  legacy: boolean
  /** Not at the start of its line: the runner trims leading whitespace; @actions/core never writes it. */
  indented: boolean
}

/** Every command the runner would find in `output`. */
export function commandsIn(output: string): WorkflowCommand[] {
  const found: WorkflowCommand[] = []
  for (const line of output.split(/\r\n|\r|\n/)) {
    // The runner's idea of whitespace (.NET's) also holds U+0085, which JavaScript's \s lacks.
    const trimmed = line.replace(/^[\s\x85]+/, '')
    const end = trimmed.startsWith('::') ? trimmed.indexOf('::', 2) : -1
    if (end >= 0) {
      const info = trimmed.slice(2, end)
      const data = trimmed.slice(end + 2)
      found.push({ line, name: info.split(' ')[0] ?? '', info, data, legacy: false, indented: trimmed !== line })
    }
    const at = line.indexOf('##[')
    const close = at >= 0 ? line.indexOf(']', at) : -1
    if (close >= 0) {
      const info = line.slice(at + 3, close)
      const data = line.slice(close + 1)
      found.push({ line, name: info.split(' ')[0] ?? '', info, data, legacy: true, indented: false })
    }
  }
  return found
}

/** The commands the action itself writes, each at the start of its line (through @actions/core). */
const OWN_COMMANDS = new Set(['add-mask', 'debug', 'notice', 'warning', 'error', 'group', 'endgroup'])

/**
 * None of `output`'s commands came from data: only the action's own, at a line's start, in the modern form, with
 * `mark` (what the test's hostile text carries) neither in a command's name or properties nor in a mask.
 */
export function expectNoCommandFromData(output: string, mark: string): void {
  const smuggled = commandsIn(output).filter(
    (command) =>
      command.legacy ||
      command.indented ||
      !OWN_COMMANDS.has(command.name) ||
      command.info.includes(mark) ||
      (command.name === 'add-mask' && command.data.includes(mark)),
  )
  expect(smuggled.map((command) => command.line)).toEqual([])
}

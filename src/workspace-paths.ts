/**
 * Files named by inputs: where they may be, and opening them. Two rules, because a pull request controls what is
 * in a checkout (its files and its symlinks) but not the workflow file:
 * - Every path, the step's own inputs included, may name any file the runner can read except one inside a `.git/`
 *   directory (a checkout keeps the job token in `.git/config`), and a symlink inside the workspace may lead
 *   neither out of the workspace nor into `.git/`. Links on the way to the workspace (macOS's `/var`) are the
 *   system's: the workspace is compared by its real path.
 * - A path named inside a prompts file resolves against the workspace, as the README says, and must stay in it:
 *   no absolute path and no `..` out either.
 * What a path names is read, sent to the provider and echoed into the summary, so both rules are checked on the
 * file that was opened, not on a name that could change between a check and the read.
 */
import { constants } from 'node:fs'
import { open, realpath, stat, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from './errors.js'

/** `text` resolved inside `workspace`; an `InputError` naming `input` when it would lead anywhere else. */
export async function resolveInWorkspace(input: string, text: string, workspace: string): Promise<string> {
  const refuse = (why: string) =>
    new InputError(input, `'${text}' ${why}: a prompts file may name only files inside the workspace, outside '.git/'.`)
  if (path.isAbsolute(text) || /^[A-Za-z]:[\\/]/.test(text)) throw refuse('is an absolute path')
  const resolved = path.resolve(workspace, text)
  const where = placeIn(workspace, resolved)
  if (where === 'outside') throw refuse('leads out of the workspace')
  if (where === 'git') throw refuse("is under '.git/'")
  // The same on the real path: a symlink inside the workspace may point anywhere.
  const real = await realpath(resolved).catch(() => undefined)
  if (real === undefined) return resolved // missing: the reader says so
  const realWhere = placeIn(await realpath(workspace), real)
  if (realWhere === 'outside') throw refuse('is a symlink that leads out of the workspace')
  if (realWhere === 'git') throw refuse("is a symlink into '.git/'")
  return resolved
}

function placeIn(workspace: string, target: string): 'inside' | 'outside' | 'git' {
  const relative = path.relative(workspace, target)
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return 'outside'
  return underGit(relative) ? 'git' : 'inside'
}

const underGit = (file: string): boolean => file.split(path.sep).some((part) => part.toLowerCase() === '.git')

/** A file an input names, opened and checked: read it through `handle`, then close it. */
export interface NamedFile {
  handle: FileHandle
  /** Its real path, with no symlink left on it: for a later read (the Files API upload). */
  real: string
  size: number
}

/** Why a named file cannot be read: said by each caller in its own words. */
export type Unreadable = 'does not exist' | 'is not a file' | `cannot be read (${string})`

/**
 * Opens the file `text` names (relative to `workspace`) under the rules above; `unreadable` makes the error for a
 * file that is missing or is no file.
 */
export async function openNamedFile(
  input: string,
  text: string,
  workspace: string,
  unreadable: (why: Unreadable) => InputError,
): Promise<NamedFile> {
  const accepts =
    "an input may name any file the runner can read except one inside a '.git/' directory, and a symlink in the " +
    "workspace may lead only to a file inside the workspace, outside '.git/'"
  const refuse = (why: string) => new InputError(input, `'${text}' ${why}: ${accepts}.`)
  // Opened as resolved, so `link/..` means what it says and not where the link leads.
  const resolved = path.resolve(workspace, text)
  if (underGit(resolved)) throw refuse("is under '.git/'")
  let handle: FileHandle
  try {
    // Non-blocking: opening a named pipe would otherwise wait for a writer.
    handle = await open(resolved, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw unreadable('does not exist')
    throw unreadable(`cannot be read (${(error as Error).message})`)
  }
  try {
    const real = await realpath(resolved).catch(() => undefined)
    if (real === undefined) throw refuse('changed while it was being opened')
    if (underGit(real)) throw refuse("is a symlink into '.git/'")
    const realWorkspace = await realpath(workspace).catch(() => path.resolve(workspace))
    const inWorkspace = placeIn(workspace, resolved) !== 'outside' || placeIn(realWorkspace, resolved) !== 'outside'
    if (inWorkspace && placeIn(realWorkspace, real) === 'outside')
      throw refuse('is a symlink that leads out of the workspace')
    // What was opened must be what was checked: a link swapped meanwhile would make them differ.
    const [opened, checked] = await Promise.all([handle.stat(), stat(real).catch(() => undefined)])
    if (opened.dev !== checked?.dev || opened.ino !== checked.ino) throw refuse('changed while it was being opened')
    if (!opened.isFile()) throw unreadable('is not a file')
    return { handle, real, size: opened.size }
  } catch (error) {
    await handle.close()
    throw error
  }
}

/**
 * Reads the whole file `text` names for `input`, after `check` has seen its size (to refuse a large file unread);
 * unreadable as for `openNamedFile`.
 */
export async function readNamedFile(
  input: string,
  text: string,
  workspace: string,
  unreadable: (why: Unreadable) => InputError,
  check: (size: number) => void = () => {},
): Promise<{ bytes: Buffer; real: string; size: number }> {
  const { handle, real, size } = await openNamedFile(input, text, workspace, unreadable)
  try {
    check(size)
    return { bytes: await handle.readFile(), real, size }
  } finally {
    await handle.close()
  }
}

/**
 * Where the files that inputs name are read from: the workspace, or another commit's tree (base-files.ts reads the
 * pull request's base through the contents API). The request is built by the same rules from either.
 */
export interface FileSource {
  /** Reads the whole file `text` names for `input`, as `readNamedFile` does. */
  read(
    input: string,
    text: string,
    unreadable: (why: Unreadable) => InputError,
    check?: (size: number) => void,
  ): Promise<{ bytes: Buffer; real: string; size: number }>
  /** Refuses a path a prompts file names that would lead anywhere but inside the workspace, outside `.git/`. */
  confine(input: string, text: string): Promise<unknown>
}

/** The files of the workspace, under the rules above. */
export function workspaceFiles(workspace: string): FileSource {
  return {
    read: (input, text, unreadable, check) => readNamedFile(input, text, workspace, unreadable, check),
    confine: (input, text) => resolveInWorkspace(input, text, workspace),
  }
}

/**
 * Files named by inputs: that they exist, and where they may be. Paths named inside a prompts file resolve against
 * the workspace, as the README says, and must stay in it: a prompts file may come from a pull request, and what a
 * path names is read, sent to the provider and echoed into the summary. So no absolute path, no `..` out, no
 * symlink out, and nothing under `.git/` (a checkout keeps the job token in `.git/config`). A step's own inputs are
 * the workflow author's word and may name any path.
 */
import { realpath, stat } from 'node:fs/promises'
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
  return relative.split(path.sep).some((part) => part.toLowerCase() === '.git') ? 'git' : 'inside'
}

/** The size of the file `text` names (resolved to `file`); an `InputError` saying what `input` accepts otherwise. */
export async function sizeOfNamedFile(input: string, text: string, file: string, accepts: string): Promise<number> {
  try {
    const info = await stat(file)
    if (info.isFile()) return info.size
  } catch {
    // Missing or unreadable: said below, as for a directory.
  }
  throw new InputError(input, `'${text}' is not an existing file: accepts ${accepts}.`)
}

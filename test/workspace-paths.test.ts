/**
 * On a real directory tree with real symlinks: what a prompts file may name (resolveInWorkspace), and what any input
 * may open (openNamedFile).
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../src/errors.js'
import { openNamedFile, resolveInWorkspace } from '../src/workspace-paths.js'

let root: string
let workspace: string

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'workspace-paths-'))
  workspace = path.join(root, 'workspace')
  await mkdir(path.join(workspace, '.git'), { recursive: true })
  await mkdir(path.join(workspace, 'prompts', 'sub'), { recursive: true })
  await mkdir(path.join(workspace, 'vendor', 'lib', '.git'), { recursive: true })
  await writeFile(path.join(workspace, '.git', 'config'), '[core]\n')
  await writeFile(path.join(workspace, 'prompts', 'a.txt'), 'a')
  await writeFile(path.join(workspace, '..notes.txt'), 'a file whose name starts with two dots')
  await writeFile(path.join(root, 'outside.txt'), 'outside')
  await symlink(path.join(root, 'outside.txt'), path.join(workspace, 'prompts', 'out.txt'))
  await symlink(path.join(workspace, 'prompts', 'a.txt'), path.join(workspace, 'prompts', 'sub', 'in.txt'))
  await symlink(path.join(workspace, '.git'), path.join(workspace, 'dot-git'))
  await symlink(root, path.join(workspace, 'up'))
  // Beside the workspace: another checkout, a file of a previous step, and links a workflow could name literally.
  await mkdir(path.join(root, 'other', '.git'), { recursive: true })
  await writeFile(path.join(root, 'other', '.git', 'config'), '[core]\n')
  await symlink(path.join(root, 'other', '.git', 'config'), path.join(root, 'into-git.txt'))
  await symlink(path.join(root, 'outside.txt'), path.join(root, 'to-outside.txt'))
  // The workspace reached through a link on its own path, as macOS's /var leads to /private/var.
  await symlink(workspace, path.join(root, 'alias'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('resolveInWorkspace', () => {
  it.each([
    { text: 'prompts/a.txt', file: 'prompts/a.txt' },
    { text: './prompts/../prompts/a.txt', file: 'prompts/a.txt' },
    { text: 'prompts/sub/in.txt', file: 'prompts/sub/in.txt' },
    { text: '..notes.txt', file: '..notes.txt' },
    // A missing file is the reader's to report ("does not exist"), with the path as given.
    { text: 'prompts/missing.txt', file: 'prompts/missing.txt' },
  ])('accepts $text', async ({ text, file }) => {
    await expect(resolveInWorkspace('prompt-file', text, workspace)).resolves.toBe(path.join(workspace, file))
  })

  it.each([
    { text: '../outside.txt', says: /leads out of the workspace/ },
    { text: 'prompts/../../outside.txt', says: /leads out of the workspace/ },
    { text: '/etc/passwd', says: /is an absolute path/ },
    { text: 'C:\\Windows\\win.ini', says: /is an absolute path/ },
    { text: '.git/config', says: /is under '\.git\/'/ },
    { text: '.GIT/config', says: /is under '\.git\/'/ },
    { text: 'vendor/lib/.git/config', says: /is under '\.git\/'/ },
    { text: 'prompts/out.txt', says: /is a symlink that leads out of the workspace/ },
    { text: 'up/outside.txt', says: /is a symlink that leads out of the workspace/ },
    { text: 'dot-git/config', says: /is a symlink into '\.git\/'/ },
  ])('refuses $text, naming the input', async ({ text, says }) => {
    const error = await resolveInWorkspace('image', text, workspace).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect(error).toMatchObject({ input: 'image' })
    expect((error as Error).message).toContain(`'${text}' `)
    expect((error as Error).message).toMatch(says)
  })
})

describe('openNamedFile', () => {
  const unreadable = (why: string) => new InputError('video', `gone: ${why}`)
  const outside = (name: string) => path.join(root, name)
  /** The text a row names: a function when it needs the temporary root. */
  type Named = string | (() => string)
  const textOf = (text: Named): string => (typeof text === 'string' ? text : text())

  it.each<{ why: string; text: Named; in?: 'alias'; content: string }>([
    { why: 'a file in the workspace', text: 'prompts/a.txt', content: 'a' },
    { why: 'a symlink that stays in the workspace', text: 'prompts/sub/in.txt', content: 'a' },
    { why: "a literal path out by '..'", text: '../outside.txt', content: 'outside' },
    { why: 'a literal absolute path outside', text: () => outside('outside.txt'), content: 'outside' },
    { why: 'a literal path to a link outside', text: () => outside('to-outside.txt'), content: 'outside' },
    {
      why: 'a link inside, the workspace named through a system link',
      text: 'prompts/sub/in.txt',
      in: 'alias',
      content: 'a',
    },
  ])('opens $why', async (row) => {
    const base = row.in === 'alias' ? path.join(root, 'alias') : workspace
    const file = await openNamedFile('video', textOf(row.text), base, unreadable)
    try {
      expect((await file.handle.readFile()).toString()).toBe(row.content)
    } finally {
      await file.handle.close()
    }
  })

  it.each<{ why: string; text: Named; in?: 'alias'; says: RegExp }>([
    { why: '.git/config', text: '.git/config', says: /is under '\.git\/'/ },
    { why: 'a nested .git', text: 'vendor/lib/.git/config', says: /is under '\.git\/'/ },
    { why: 'a literal path into another .git', text: () => outside('other/.git/config'), says: /is under '\.git\/'/ },
    {
      why: 'a literal path whose target is in .git',
      text: () => outside('into-git.txt'),
      says: /symlink into '\.git\/'/,
    },
    { why: 'a workspace link into .git', text: 'dot-git/config', says: /symlink into '\.git\/'/ },
    { why: 'a workspace link out', text: 'prompts/out.txt', says: /symlink that leads out of the workspace/ },
    {
      why: 'a workspace link to a folder out',
      text: 'up/outside.txt',
      says: /symlink that leads out of the workspace/,
    },
    {
      why: 'an absolute path through a workspace link out',
      text: () => path.join(workspace, 'prompts/out.txt'),
      says: /symlink that leads out/,
    },
    {
      why: 'a workspace link out, the workspace named through a system link',
      text: 'prompts/out.txt',
      in: 'alias',
      says: /symlink that leads out/,
    },
  ])('refuses $why, naming the input and what it accepts', async (row) => {
    const base = row.in === 'alias' ? path.join(root, 'alias') : workspace
    const text = textOf(row.text)
    const error = await openNamedFile('video', text, base, unreadable).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect(error).toMatchObject({ input: 'video' })
    expect((error as Error).message).toContain(`'${text}' `)
    expect((error as Error).message).toMatch(row.says)
    expect((error as Error).message).toContain("any file the runner can read except one inside a '.git/' directory")
  })

  it.each([
    { text: 'prompts/missing.txt', why: 'does not exist' },
    { text: 'prompts', why: 'is not a file' },
  ])('lets the caller word it when $text $why', async ({ text, why }) => {
    await expect(openNamedFile('video', text, workspace, unreadable)).rejects.toThrow(`Input 'video' gone: ${why}`)
  })
})

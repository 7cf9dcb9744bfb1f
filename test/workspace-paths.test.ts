/**
 * resolveInWorkspace on a real directory tree with real symlinks: what a prompts file may name, and what it may not.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../src/errors.js'
import { resolveInWorkspace } from '../src/workspace-paths.js'

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

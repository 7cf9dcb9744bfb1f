// SECURITY.md promises what the action does with secrets and names, under each promise, the tests that hold it.
// A promise is only as good as its test: every test, group and table row named there must still exist.

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './harness/runner.ts'

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')

/** `file` › `title` › `row` …, as SECURITY.md writes a reference (a reference may wrap onto the next line). */
function references(markdown: string): { file: string; names: string[] }[] {
  return [...markdown.matchAll(/`(test\/[^`]+\.test\.ts)`((?:\s+›\s+`[^`]+`)+)/g)].map((m) => ({
    file: m[1],
    names: [...m[2].matchAll(/`([^`]+)`/g)].map((n) => n[1]),
  }))
}

/** The test file, and the harness modules it imports: a table of rows may be shared by a unit and a bundle test. */
function withTables(file: string): string {
  const source = read(file)
  const tables = [...source.matchAll(/from '(\.{1,2}\/(?:\.\.\/)*harness\/[^']+\.ts)'/g)].map((m) =>
    read(path.relative(ROOT, path.resolve(ROOT, path.dirname(file), m[1]))),
  )
  return [source, ...tables].join('\n')
}

/** A name counts when the test file spells it as a string literal: a title or a table row's key. */
const quoted = (source: string, name: string): boolean =>
  [`'${name}'`, `"${name}"`, `\`${name}\``].some((literal) => source.includes(literal))

describe('SECURITY.md', () => {
  const policy = read('SECURITY.md')
  const refs = references(policy)

  it('names a test under every promise about a secret', () => {
    const promises = policy.split('\n').filter((line) => /^- \*\*/.test(line))
    const sections = policy.split(/^- \*\*/m).slice(1)
    expect(promises.length).toBeGreaterThanOrEqual(7)
    // The last list ("What you can do") gives advice, not promises.
    const promisesWithTests = sections.filter((section) => references(section).length > 0)
    expect(promisesWithTests).toHaveLength(promises.length)
  })

  it.each(references(read('SECURITY.md')).map((ref) => [`${ref.file} › ${ref.names.join(' › ')}`, ref]))(
    '%s exists',
    (_label, { file, names }) => {
      const source = withTables(file)
      for (const name of names) expect(quoted(source, name), `${file} has no test, group or row '${name}'`).toBe(true)
    },
  )

  it('finds the references it checks (the check is live)', () => {
    expect(refs.length).toBeGreaterThanOrEqual(10)
    expect(references('- `test/a.test.ts` › `one`\n  › `row`')).toEqual([
      { file: 'test/a.test.ts', names: ['one', 'row'] },
    ])
    expect(quoted("it('masks the key', () => {})", 'masks the key')).toBe(true)
    expect(quoted("it('masks the key twice', () => {})", 'masks the key')).toBe(false)
    // A row of the bad-inputs table lives in the harness, not in the test files that run it.
    expect(quoted(read('test/bundle/inputs.test.ts'), 'base-url with credentials')).toBe(false)
    expect(quoted(withTables('test/bundle/inputs.test.ts'), 'base-url with credentials')).toBe(true)
    expect(quoted(withTables('test/inputs.test.ts'), 'base-url with credentials')).toBe(true)
  })
})

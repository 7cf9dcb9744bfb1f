/**
 * The release workflow's plan for a pushed tag, runnable by hand before pushing one:
 *
 *   node scripts/release.ts v1.2.3 notes.md
 *
 * checks that the tag is a full version (vMAJOR.MINOR.PATCH), that package.json carries that version and that
 * CHANGELOG.md has a section for it; writes that section to notes.md (the GitHub release's notes) and prints
 * `major=v1`, the major tag the release moves (a line for $GITHUB_OUTPUT). Exits 1 with the reason otherwise.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** A release tag: the version with a `v`, no pre-release or build suffix (those never move the major tag). */
export const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

export interface ReleasePlan {
  version: string
  /** The tag users pin, `@v1`, moved to the release. */
  major: string
  notes: string
}

/** The major tag a release tag moves: `v1.2.3` → `v1`. */
export function majorTagOf(tag: string): string {
  const match = RELEASE_TAG.exec(tag)
  if (!match) throw new Error(`'${tag}' is not a release tag: push one like v1.2.3.`)
  return `v${match[1]}`
}

/**
 * The body of CHANGELOG.md's `## [version]` section (without its heading), trimmed; undefined when there is none.
 * The section ends at the next `## ` heading or at the link references at the end of the file.
 */
export function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.split(/\r?\n/)
  const heading = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\](\\s|$)`)
  const start = lines.findIndex((line) => heading.test(line))
  if (start === -1) return undefined
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((line) => line.startsWith('## ') || /^\[[^\]]+\]:\s/.test(line))
  return (end === -1 ? rest : rest.slice(0, end)).join('\n').trim()
}

/** Everything the release of `tag` needs, or the reason it cannot be released. */
export function planRelease(tag: string, packageVersion: string, changelog: string): ReleasePlan {
  const major = majorTagOf(tag)
  const version = tag.slice(1)
  if (packageVersion !== version) {
    throw new Error(
      `The tag is ${tag}, but package.json says version ${packageVersion}: set "version": "${version}" and tag that commit.`,
    )
  }
  const notes = changelogSection(changelog, version)
  if (!notes) {
    throw new Error(
      `CHANGELOG.md has no section '## [${version}] - <date>' with any text: rename the Unreleased section to it.`,
    )
  }
  return { version, major, notes }
}

function main(args: string[]): void {
  const [tag, notesFile] = args
  if (!tag || !notesFile) throw new Error('Usage: node scripts/release.ts <tag, e.g. v1.2.3> <notes file>')
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
  const plan = planRelease(tag, version, readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'))
  writeFileSync(notesFile, `${plan.notes}\n`)
  console.log(`major=${plan.major}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2))
  } catch (error) {
    console.error((error as Error).message)
    process.exitCode = 1
  }
}

// The object store behind the GitHub fake's Git Data API: blobs, flat trees, commits and branch refs per
// repository, with git's own object ids (SHA-1 of "<type> <length>\0<body>"), so what a client reads back is what a
// real repository would hold.

import { createHash } from 'node:crypto'

export interface TreeEntry {
  path: string
  mode: string
  type: 'blob'
  sha: string
}

export interface CommitObject {
  sha: string
  tree: string
  parents: string[]
  message: string
}

type GitObject =
  { type: 'blob'; bytes: Buffer } | { type: 'tree'; entries: TreeEntry[] } | ({ type: 'commit' } & CommitObject)

export class GitError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

const objectId = (type: string, body: Buffer): string =>
  createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest('hex')

export class GitRepository {
  private readonly objects = new Map<string, GitObject>()
  private readonly refs = new Map<string, string>()
  private clock = 1_700_000_000
  readonly defaultBranch: string

  constructor(defaultBranch: string) {
    this.defaultBranch = defaultBranch
  }

  addBlob(bytes: Buffer): string {
    const sha = objectId('blob', bytes)
    this.objects.set(sha, { type: 'blob', bytes })
    return sha
  }

  /** A tree from `base` (a tree id) with `entries` added or replaced; only flat paths, as the action writes. */
  addTree(entries: TreeEntry[], base?: string): string {
    const merged = new Map<string, TreeEntry>()
    if (base !== undefined) {
      const baseTree = this.objects.get(base)
      if (baseTree?.type !== 'tree') throw new GitError(422, `Invalid tree info: base_tree ${base} is not a tree`)
      for (const entry of baseTree.entries) merged.set(entry.path, entry)
    }
    for (const entry of entries) {
      if (entry.path.includes('/')) throw new GitError(422, `this fake keeps flat trees only; got '${entry.path}'`)
      if (this.objects.get(entry.sha)?.type !== 'blob')
        throw new GitError(422, `Invalid tree info: tree.sha ${entry.sha} is not a valid blob`)
      merged.set(entry.path, { path: entry.path, mode: entry.mode, type: 'blob', sha: entry.sha })
    }
    // Git orders a tree's entries by name (bytewise); the id depends on that order.
    const sorted = [...merged.values()].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)))
    const body = Buffer.concat(
      sorted.map((e) => Buffer.concat([Buffer.from(`${e.mode} ${e.path}\0`), Buffer.from(e.sha, 'hex')])),
    )
    const sha = objectId('tree', body)
    this.objects.set(sha, { type: 'tree', entries: sorted })
    return sha
  }

  addCommit(tree: string, parents: string[], message: string): CommitObject {
    if (this.objects.get(tree)?.type !== 'tree') throw new GitError(422, `Tree SHA does not exist: ${tree}`)
    for (const parent of parents)
      if (this.objects.get(parent)?.type !== 'commit') throw new GitError(422, `Parent SHA does not exist: ${parent}`)
    const stamp = `github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com> ${this.clock++} +0000`
    const text = [
      `tree ${tree}`,
      ...parents.map((p) => `parent ${p}`),
      `author ${stamp}`,
      `committer ${stamp}`,
      '',
      message,
    ].join('\n')
    const sha = objectId('commit', Buffer.from(text))
    const commit: CommitObject = { sha, tree, parents, message }
    this.objects.set(sha, { type: 'commit', ...commit })
    return commit
  }

  commit(sha: string): CommitObject | undefined {
    const object = this.objects.get(sha)
    return object?.type === 'commit' ? object : undefined
  }

  tree(sha: string): TreeEntry[] | undefined {
    const object = this.objects.get(sha)
    return object?.type === 'tree' ? object.entries : undefined
  }

  blob(sha: string): Buffer | undefined {
    const object = this.objects.get(sha)
    return object?.type === 'blob' ? object.bytes : undefined
  }

  head(branch: string): string | undefined {
    return this.refs.get(branch)
  }

  createRef(branch: string, sha: string): void {
    if (this.refs.has(branch)) throw new GitError(422, 'Reference already exists')
    if (!this.commit(sha)) throw new GitError(422, 'Object does not exist')
    this.refs.set(branch, sha)
  }

  updateRef(branch: string, sha: string, force: boolean): void {
    const current = this.refs.get(branch)
    if (current === undefined) throw new GitError(422, 'Reference does not exist')
    if (!this.commit(sha)) throw new GitError(422, 'Object does not exist')
    if (!force && !this.isAncestor(current, sha)) throw new GitError(422, 'Update is not a fast forward')
    this.refs.set(branch, sha)
  }

  /** The files of the branch's head, by path. */
  files(branch: string): Map<string, Buffer> {
    const head = this.head(branch)
    const commit = head ? this.commit(head) : undefined
    const entries = commit ? (this.tree(commit.tree) ?? []) : []
    return new Map(entries.map((e) => [e.path, this.blob(e.sha) ?? Buffer.alloc(0)]))
  }

  /** The branch's commits, newest first, following first parents. */
  history(branch: string): CommitObject[] {
    const head = this.head(branch)
    return head ? this.historyFrom(head) : []
  }

  /** The commits reachable from `sha` by first parents, newest first (`sha` itself first). */
  historyFrom(sha: string): CommitObject[] {
    const list: CommitObject[] = []
    for (let at: string | undefined = sha; at; at = this.commit(at)?.parents[0]) {
      const commit = this.commit(at)
      if (!commit) break
      list.push(commit)
    }
    return list
  }

  /** Another writer's commit (say, a parallel job), adding `files` on top of the branch (created when missing). */
  commitFiles(branch: string, files: Record<string, Buffer | string>, message: string): CommitObject {
    const head = this.head(branch)
    const entries = Object.entries(files).map(([path, content]) => ({
      path,
      mode: '100644',
      type: 'blob' as const,
      sha: this.addBlob(Buffer.from(content)),
    }))
    const tree = this.addTree(entries, head ? this.commit(head)?.tree : undefined)
    const commit = this.addCommit(tree, head ? [head] : [], message)
    if (head) this.updateRef(branch, commit.sha, false)
    else this.createRef(branch, commit.sha)
    return commit
  }

  private isAncestor(ancestor: string, of: string): boolean {
    const queue = [of]
    const seen = new Set<string>()
    while (queue.length) {
      const sha = queue.shift() as string
      if (sha === ancestor) return true
      if (seen.has(sha)) continue
      seen.add(sha)
      queue.push(...(this.commit(sha)?.parents ?? []))
    }
    return false
  }
}

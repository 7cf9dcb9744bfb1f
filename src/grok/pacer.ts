/**
 * Pacing shared by every request of a step (a batch's creates and status checks alike): request starts stay
 * under a ceiling (2 per second, the rate a team gets before 429s), lower after a 429 until answers come back
 * clean, and nothing leaves while a `Retry-After` is in force. When more requests wait than the ceiling lets
 * through, the one whose owner can least afford to wait goes first: each says how long it may be held (a status
 * check, its job's own interval), so no job's check is held past its interval while the ceiling can serve
 * everyone within theirs.
 */
/** A third-party live probe (2026-08): about 2 requests per second per team before 429s. */
export const DEFAULT_REQUESTS_PER_SECOND = 2
/** How much a 429 takes off the rate, how far 429s may push it down, and how much each clean answer gives back. */
const BACKOFF_FACTOR = 0.5
const MIN_REQUESTS_PER_SECOND = 0.2
const RECOVERY_PER_ANSWER = 0.1
/** How long a request may be held when its owner does not say: a create, which goes first (it delays a whole job). */
export const DEFAULT_PATIENCE_MS = 0

interface Waiting {
  /** Epoch ms by which it should leave. */
  dueBy: number
  /** Arrival order, so equal due times keep it. */
  order: number
  go: () => void
}

export interface PacerOptions {
  requestsPerSecond?: number
  now?: () => number
}

export class Pacer {
  private readonly ceiling: number
  private readonly now: () => number
  private rate: number
  /** No request leaves before this (a 429's wait). */
  private resumeAt = 0
  /** The next start the rate allows. */
  private nextStartAt = 0
  private readonly waiting: Waiting[] = []
  private arrivals = 0
  private timer: NodeJS.Timeout | undefined

  constructor(options: PacerOptions = {}) {
    this.ceiling = options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND
    this.rate = this.ceiling
    this.now = options.now ?? Date.now
  }

  /** The rate requests may start at now, per second: the ceiling, or less after 429s. */
  get requestsPerSecond(): number {
    return this.rate
  }

  /** Resolves when this request may start. `patienceMs`: how long its owner can afford to wait. */
  slot(patienceMs = DEFAULT_PATIENCE_MS): Promise<void> {
    return new Promise((go) => {
      this.waiting.push({ dueBy: this.now() + patienceMs, order: this.arrivals++, go })
      this.dispatch()
    })
  }

  /**
   * A 429: nothing leaves for `ms`, and the rate drops (it climbs back as answers come back clean). Only the first
   * 429 of a hold lowers it: the others answer requests sent before anyone knew.
   */
  hold(ms: number): void {
    const now = this.now()
    if (now >= this.resumeAt) this.rate = Math.max(MIN_REQUESTS_PER_SECOND, this.rate * BACKOFF_FACTOR)
    this.resumeAt = Math.max(this.resumeAt, now + ms)
    this.dispatch()
  }

  /** An answer that was not a 429. */
  answered(): void {
    this.rate = Math.min(this.ceiling, this.rate + RECOVERY_PER_ANSWER)
  }

  private dispatch(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.waiting.length === 0) return
    const now = this.now()
    const startAt = Math.max(this.resumeAt, this.nextStartAt)
    if (startAt > now) {
      this.timer = setTimeout(() => this.dispatch(), startAt - now)
      return
    }
    // Earliest due first: the request that can least afford to wait.
    let next = 0
    for (let i = 1; i < this.waiting.length; i++) {
      const [a, b] = [this.waiting[i], this.waiting[next]]
      if (a.dueBy < b.dueBy || (a.dueBy === b.dueBy && a.order < b.order)) next = i
    }
    const [chosen] = this.waiting.splice(next, 1)
    this.nextStartAt = now + 1000 / this.rate
    chosen.go()
    this.dispatch()
  }
}

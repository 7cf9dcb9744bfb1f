/**
 * Pacing shared by every job of a batch: when the provider answers one request with 429, all of them hold back
 * until its wait is over, instead of each job finding the limit on its own and making it worse.
 */
import { setTimeout as sleep } from 'node:timers/promises'

export class Pacer {
  private resumeAt = 0

  /** No request leaves before `ms` from now (a longer hold already in place stands). */
  hold(ms: number): void {
    this.resumeAt = Math.max(this.resumeAt, Date.now() + ms)
  }

  /** Resolves once no hold is in force; a hold added while waiting is waited out too. */
  async ready(): Promise<void> {
    for (let wait = this.resumeAt - Date.now(); wait > 0; wait = this.resumeAt - Date.now()) await sleep(wait)
  }
}

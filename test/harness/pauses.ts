/** A `sleep` for tests: returns at once and records each pause asked for, so a test can check the schedule. */
export function recordPauses(into: number[]): (ms: number) => Promise<void> {
  return (ms) => {
    into.push(ms)
    return Promise.resolve()
  }
}

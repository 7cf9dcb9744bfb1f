/** Small statistics helpers shared by the benchmark's sections and the tests that replay its jobs. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)
export const mean = (values: readonly number[]): number => sum(values) / values.length

/** A seeded generator (mulberry32), so every run of the benchmark plays the same jobs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits))

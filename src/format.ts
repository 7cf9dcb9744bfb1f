/**
 * How durations and sizes read in logs, messages and the summary: one wording, so a pause, a timing and a file
 * size look the same wherever they appear.
 */

/** 1_234 → "1.2s"; 75_000 → "1m 15s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`
  const seconds = Math.max(0, Math.round(ms / 1000))
  const m = Math.floor(seconds / 60)
  return m > 0 ? `${m}m ${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`
}

/** A pause or a time limit in a sentence: 1_234 → "1.2 s". */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** 512 → "512 B"; 1_536 → "1.5 KiB"; larger in MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

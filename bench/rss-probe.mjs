// Preloaded into a measured process (node --import): on exit, append its peak resident set size (KiB) to the file
// named by BENCH_RSS_FILE. VmHWM, not getrusage's maxrss: Linux keeps maxrss across exec, so a child would inherit
// the peak of the (large) benchmark process that spawned it.
import { appendFileSync, readFileSync } from 'node:fs'

process.on('exit', () => {
  if (!process.env.BENCH_RSS_FILE) return
  const peak = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
  appendFileSync(process.env.BENCH_RSS_FILE, `${peak ?? process.resourceUsage().maxRSS}\n`)
})

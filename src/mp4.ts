/**
 * The little of the MP4 format the action reads itself: whether bytes are an MP4 (an `ftyp` box first) and how long
 * it plays (the movie header, `moov/mvhd`). Enough to check an input video before it is sent; nothing is decoded.
 */

/** True when the bytes start with an ISO base media `ftyp` box, as every MP4 does. */
export function isMp4(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && boxType(bytes, 0) === 'ftyp' && readBoxHeader(bytes, 0) !== undefined
}

/**
 * The movie's length in seconds from `moov/mvhd` (its duration over its timescale), or undefined when the header
 * cannot be found or read: a fragmented file may state no length, and a damaged one is for the provider to judge.
 */
export function mp4DurationSeconds(bytes: Uint8Array): number | undefined {
  const moov = findBox(bytes, 0, bytes.length, 'moov')
  if (!moov) return undefined
  const mvhd = findBox(bytes, moov.bodyStart, moov.end, 'mvhd')
  if (!mvhd) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const at = mvhd.bodyStart
  const version = bytes[at]
  // After version and flags: creation and modification times (4 or 8 bytes each), then timescale and duration.
  const fields =
    version === 1
      ? { timescale: at + 20, duration: at + 24, size: 8 }
      : { timescale: at + 12, duration: at + 16, size: 4 }
  if (fields.duration + fields.size > mvhd.end) return undefined
  const timescale = view.getUint32(fields.timescale)
  const duration = fields.size === 8 ? Number(view.getBigUint64(fields.duration)) : view.getUint32(fields.duration)
  // All ones means "unknown" in the format; a zero timescale cannot be divided by.
  const unknown = fields.size === 8 ? duration >= Number.MAX_SAFE_INTEGER : duration === 0xffffffff
  if (timescale === 0 || unknown) return undefined
  return duration / timescale
}

interface Box {
  type: string
  bodyStart: number
  end: number
}

function boxType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7])
}

/** The box starting at `at`, or undefined when its header does not fit or its size is impossible. */
function readBoxHeader(bytes: Uint8Array, at: number, limit = bytes.length): Box | undefined {
  if (at + 8 > limit) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let size = view.getUint32(at)
  let header = 8
  if (size === 1) {
    // A 64-bit size follows the type.
    if (at + 16 > limit) return undefined
    size = Number(view.getBigUint64(at + 8))
    header = 16
  } else if (size === 0) {
    size = limit - at // the box runs to the end of its parent
  }
  if (size < header || at + size > limit) return undefined
  return { type: boxType(bytes, at), bodyStart: at + header, end: at + size }
}

/** The first box of `type` among the siblings in [start, end). */
function findBox(bytes: Uint8Array, start: number, end: number, type: string): Box | undefined {
  for (let at = start; at < end;) {
    const box = readBoxHeader(bytes, at, end)
    if (!box) return undefined
    if (box.type === type) return box
    at = box.end
  }
  return undefined
}

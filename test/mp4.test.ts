import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isMp4, mp4DurationSeconds } from '../src/mp4.js'

const fixture = (name: string): Buffer => readFileSync(path.join(import.meta.dirname, 'fixtures', name))

/** A box: 32-bit size, type, body. */
function box(type: string, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body)
  const header = Buffer.alloc(8)
  header.writeUInt32BE(8 + content.length)
  header.write(type, 4, 'latin1')
  return Buffer.concat([header, content])
}

/** An `mvhd` of version 0 or 1 with this timescale and duration (the rest of its fields zero). */
function mvhd(version: 0 | 1, timescale: number, duration: number): Buffer {
  const body = Buffer.alloc(version === 1 ? 108 : 96)
  body[0] = version
  if (version === 1) {
    body.writeUInt32BE(timescale, 20)
    body.writeBigUInt64BE(BigInt(duration), 24)
  } else {
    body.writeUInt32BE(timescale, 12)
    body.writeUInt32BE(duration, 16)
  }
  return box('mvhd', body)
}

const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2avc1mp41', 'latin1'))

describe('isMp4', () => {
  it('knows an MP4 by its ftyp box, not by its name', () => {
    expect(isMp4(fixture('tiny.mp4'))).toBe(true)
    expect(isMp4(fixture('clip-3s.mp4'))).toBe(true)
    expect(isMp4(fixture('frame.png'))).toBe(false)
    expect(isMp4(fixture('not-an-image.png'))).toBe(false)
    expect(isMp4(Buffer.from('<!DOCTYPE html><html></html>'))).toBe(false)
    expect(isMp4(Buffer.alloc(0))).toBe(false)
  })

  it('refuses an ftyp box whose size runs past the end of the bytes', () => {
    const cut = Buffer.from(ftyp)
    cut.writeUInt32BE(4096)
    expect(isMp4(cut)).toBe(false)
  })
})

describe('mp4DurationSeconds', () => {
  it.each([
    ['tiny.mp4', 1],
    ['clip-3s.mp4', 3],
    ['clip-16s.mp4', 16],
  ])('reads %s as %d s, as ffprobe does', (name, seconds) => {
    expect(mp4DurationSeconds(fixture(name))).toBeCloseTo(seconds, 2)
  })

  it('reads version 0 and version 1 movie headers, with moov after mdat', () => {
    const mdat = box('mdat', Buffer.alloc(64))
    expect(mp4DurationSeconds(Buffer.concat([ftyp, mdat, box('moov', mvhd(0, 600, 5220))]))).toBeCloseTo(8.7)
    expect(mp4DurationSeconds(Buffer.concat([ftyp, box('moov', mvhd(1, 90_000, 1_350_000))]))).toBe(15)
  })

  it('reads a box with a 64-bit size', () => {
    const large = Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from('free'), Buffer.alloc(8), Buffer.alloc(4)])
    large.writeBigUInt64BE(20n, 8)
    expect(mp4DurationSeconds(Buffer.concat([ftyp, large, box('moov', mvhd(0, 1000, 2500))]))).toBe(2.5)
  })

  it('says nothing when the length cannot be read: no moov, a cut header, a zero timescale, "unknown"', () => {
    expect(mp4DurationSeconds(Buffer.concat([ftyp, box('mdat', Buffer.alloc(16))]))).toBeUndefined()
    expect(mp4DurationSeconds(Buffer.concat([ftyp, box('moov', box('mvhd', Buffer.alloc(10)))]))).toBeUndefined()
    expect(mp4DurationSeconds(Buffer.concat([ftyp, box('moov', mvhd(0, 0, 100))]))).toBeUndefined()
    expect(mp4DurationSeconds(Buffer.concat([ftyp, box('moov', mvhd(0, 1000, 0xffffffff))]))).toBeUndefined()
    const truncated = Buffer.concat([ftyp, box('moov', mvhd(0, 1000, 3000))]).subarray(0, 60)
    expect(mp4DurationSeconds(truncated)).toBeUndefined()
  })
})

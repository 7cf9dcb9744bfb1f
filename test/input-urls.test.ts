/**
 * URLs the `image`, `reference-images` and `video` inputs name: a user name or password in one is refused (it would
 * be shown and sent on), and a signed URL is shown without its query, where the signature sits, while the request
 * keeps it whole.
 */
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { InputError } from '../src/errors.js'
import { readImage } from '../src/input-image.js'
import { readVideo } from '../src/input-video.js'

const SIGNED = 'https://bucket.example/clip.mp4?X-Amz-Credential=AKIA1&X-Amz-Signature=f00dfeed'
const context = { operation: 'edit', workspace: os.tmpdir(), family: 'xAI' } as const

describe('image and video URLs', () => {
  it.each([
    ['image', 'https://alice:hunter2@img.example/frame.png'],
    ['video', 'https://alice:hunter2@img.example/clip.mp4'],
  ])(
    'refuses a %s URL that carries a user name or password, naming the input and quoting nothing',
    async (input, url) => {
      const read = input === 'image' ? readImage(url, os.tmpdir()) : readVideo(url, context)
      const error = await read.catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).message).toContain(`'${input}'`)
      expect((error as InputError).message).toContain('user name or password')
      expect((error as InputError).message).not.toContain('hunter2')
    },
  )

  it('shows a signed URL without its query; the request keeps it whole', async () => {
    const image = await readImage(SIGNED.replace('clip.mp4', 'frame.png'), os.tmpdir())
    expect(image?.url).toContain('X-Amz-Signature=f00dfeed')
    expect(image?.label).toBe('https://bucket.example/frame.png?…')
    const video = await readVideo(SIGNED, context)
    expect(video.ref).toEqual({ url: SIGNED })
    expect(video.label).toBe('https://bucket.example/clip.mp4?…')
  })
})

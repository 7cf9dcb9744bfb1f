import { describe, expect, it } from 'vitest'
import {
  createUrl,
  deliveredToUploadUrl,
  describeJob,
  displayedRequest,
  HIDDEN_UPLOAD_URL,
  sendsUploadUrl,
  type CreateVideoRequest,
  type VideoSource,
} from '../../src/grok/request.js'

const UPLOAD_URL = 'https://bucket.example.com/out.mp4?X-Amz-Signature=abc123'

describe('createUrl', () => {
  it.each([
    ['generate', 'https://api.x.ai/v1/videos/generations'],
    ['edit', 'https://api.x.ai/v1/videos/edits'],
    ['extend', 'https://api.x.ai/v1/videos/extensions'],
  ] as const)('%s posts to %s', (operation, url) => {
    expect(createUrl('https://api.x.ai/v1/', operation)).toBe(url)
  })
})

describe('displayedRequest', () => {
  const inline: VideoSource = {
    ref: { url: 'data:video/mp4;base64,AAAAIGZ0eXA=' },
    label: 'clip.mp4 (3853 bytes)',
    identity: { sha256: 'ab' },
  }

  it('shows labels for data URLs and hides the upload URL; leaves everything else as sent', () => {
    const request: CreateVideoRequest = {
      prompt: 'p',
      video: { url: 'data:video/mp4;base64,AAAAIGZ0eXA=' },
      model: 'grok-imagine-video',
      user: 'u',
      output: { upload_url: UPLOAD_URL },
    }
    expect(displayedRequest(request, { video: inline })).toEqual({
      prompt: 'p',
      video: { url: 'clip.mp4 (3853 bytes)' },
      model: 'grok-imagine-video',
      user: 'u',
      output: { upload_url: HIDDEN_UPLOAD_URL },
    })
    expect(request.output?.upload_url).toBe(UPLOAD_URL) // the request itself is not changed
  })

  it('names a pending Files API upload, keeps a video URL, and labels reference images in order', () => {
    const upload: VideoSource = {
      upload: { path: '/w/big.mp4', bytes: 20_000_000 },
      label: 'big.mp4',
      identity: { sha256: 'cd' },
    }
    expect(displayedRequest({ prompt: 'p', model: 'm', duration: 6 }, { video: upload }).video).toEqual({
      file_id: '(Files API upload of big.mp4)',
    })
    const url = 'https://cdn.example.com/a.mp4'
    const remote: VideoSource = { ref: { url }, label: url, identity: { url } }
    expect(displayedRequest({ prompt: 'p', model: 'm', video: { url } }, { video: remote }).video).toEqual({ url })
    const references = [{ url: 'data:image/png;base64,iVBO' }, { url: 'https://x/b.jpg' }]
    expect(
      displayedRequest(
        { prompt: 'p', model: 'm', reference_images: references },
        { referenceImages: ['a.png', 'https://x/b.jpg'] },
      ).reference_images,
    ).toEqual([{ url: 'a.png' }, { url: 'https://x/b.jpg' }])
  })
})

describe('deliveredToUploadUrl', () => {
  it('is true only with an upload URL, for a job without a video URL or with the upload URL itself', () => {
    expect(deliveredToUploadUrl({}, UPLOAD_URL)).toBe(true)
    expect(deliveredToUploadUrl({ videoUrl: UPLOAD_URL }, UPLOAD_URL)).toBe(true)
    expect(deliveredToUploadUrl({ videoUrl: 'https://bucket.example.com/out.mp4' }, UPLOAD_URL)).toBe(true)
    expect(deliveredToUploadUrl({ videoUrl: 'https://vidgen.x.ai/v.mp4' }, UPLOAD_URL)).toBe(false)
    expect(deliveredToUploadUrl({}, undefined)).toBe(false)
    expect(sendsUploadUrl({ prompt: 'p', model: 'm', output: { upload_url: UPLOAD_URL } })).toBe(true)
    expect(sendsUploadUrl({ prompt: 'p', model: 'm' })).toBe(false)
  })
})

describe('describeJob', () => {
  it('says what is being made, for the log', () => {
    const video: VideoSource = { label: 'clip.mp4 (3853 bytes)', identity: { sha256: 'ab' } }
    expect(describeJob('generate', { prompt: 'p', model: 'm', duration: 5 })).toBe('a 5 s video')
    expect(describeJob('generate', { prompt: 'p', model: 'm', duration: 2, reference_images: [{ url: 'a' }] })).toBe(
      'a 2 s video from 1 reference image',
    )
    expect(describeJob('edit', { prompt: 'p', model: 'm' }, video)).toBe('an edit of clip.mp4 (3853 bytes)')
    expect(describeJob('extend', { prompt: 'p', model: 'm', duration: 6 }, video)).toBe(
      'a 6 s extension of clip.mp4 (3853 bytes)',
    )
  })
})

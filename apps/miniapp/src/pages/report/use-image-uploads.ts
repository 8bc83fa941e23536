import { TIP_LIMITS } from '@qmfz/contracts'
import { useCallback, useRef, useState } from 'react'

import { tipsApi } from '../../api/tips'
import { ApiError, toApiError } from '../../api/transport'
import type { DraftHandle } from './use-draft'
import { imageProblem, releaseImage, type PickedImage } from './pick-images'

/** What an image not yet on the server is doing; an uploaded one (it has an attachment id) has no status. */
export type UploadStatus = { state: 'uploading'; /** Whole percent sent, once the platform has reported any. */ percent?: number } | { state: 'failed'; message: string }

export interface ImageUploads {
  status: Record<string, UploadStatus>
  /** Why images just picked were left out (too large, wrong type, too many); null when none were. */
  refusal: string | null
  /** Adds what passes the size and type checks (saying why the others were left out) and uploads each at once. */
  add: (picked: PickedImage[]) => void
  remove: (key: string) => void
  retry: (key: string) => void
  /** Uploads every image still without an id, one by one; rejects with the first failure. */
  ensureUploaded: () => Promise<void>
}

let nextKey = 0
const imageKey = () => `img-${Date.now().toString(36)}-${(nextKey++).toString(36)}`

export function useImageUploads({ ref, update }: Pick<DraftHandle, 'ref' | 'update'>): ImageUploads {
  const [status, setStatus] = useState<Record<string, UploadStatus>>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const inFlight = useRef(new Map<string, Promise<void>>())

  const setOne = useCallback((key: string, value: UploadStatus | null) => {
    setStatus((all) => {
      const { [key]: _dropped, ...rest } = all
      return value ? { ...rest, [key]: value } : rest
    })
  }, [])

  /** Only an image still uploading takes a percent: a late report must not revive a removed or settled one. */
  const setPercent = useCallback((key: string, percent: number) => {
    setStatus((all) => {
      const current = all[key]
      if (current?.state !== 'uploading' || current.percent === percent) return all
      return { ...all, [key]: { state: 'uploading', percent } }
    })
  }, [])

  /** One image's upload; a second call while it runs joins the first, so no image is sent twice. */
  const upload = useCallback(
    (key: string): Promise<void> => {
      const running = inFlight.current.get(key)
      if (running) return running
      const image = ref.current.images.find((candidate) => candidate.key === key)
      if (!image || image.attachmentId) return Promise.resolve()
      setOne(key, { state: 'uploading' })
      const run = tipsApi
        .uploadImage(image.path, image.name, (percent) => setPercent(key, percent))
        .then(
          (attachment) => {
            // Removed meanwhile: the map finds nothing, and the server drops the unused file in time.
            update((draft) => ({ images: draft.images.map((candidate) => (candidate.key === key ? { ...candidate, attachmentId: attachment.id } : candidate)) }))
            setOne(key, null)
          },
          (error: unknown) => {
            const failure = toApiError(error)
            setOne(key, { state: 'failed', message: failure.message })
            throw failure
          },
        )
        .finally(() => inFlight.current.delete(key))
      inFlight.current.set(key, run)
      return run
    },
    [ref, update, setOne, setPercent],
  )

  const add = useCallback(
    (picked: PickedImage[]) => {
      const room = Math.max(0, TIP_LIMITS.imagesMax - ref.current.images.length)
      const problems = picked.map(imageProblem)
      const kept = picked.filter((_, index) => problems[index] === null).slice(0, room)
      for (const image of picked) if (!kept.includes(image)) releaseImage(image.path)
      const tooMany = picked.length - problems.filter(Boolean).length > kept.length
      const shown = problems.find(Boolean) ?? (tooMany ? `最多上传 ${TIP_LIMITS.imagesMax} 张图片` : null)
      setRefusal(shown ?? null)
      const added = kept.map((image) => ({ key: imageKey(), path: image.path, size: image.size, ...(image.name ? { name: image.name } : {}), attachmentId: null }))
      if (!added.length) return
      update((draft) => ({ images: [...draft.images, ...added] }))
      for (const image of added) void upload(image.key).catch(() => undefined)
    },
    [ref, update, upload],
  )

  const remove = useCallback(
    (key: string) => {
      const image = ref.current.images.find((candidate) => candidate.key === key)
      if (image) releaseImage(image.path)
      setRefusal(null)
      update((draft) => ({ images: draft.images.filter((candidate) => candidate.key !== key) }))
      setOne(key, null)
    },
    [ref, update, setOne],
  )

  const retry = useCallback((key: string) => void upload(key).catch(() => undefined), [upload])

  const ensureUploaded = useCallback(async () => {
    for (const [index, image] of ref.current.images.entries()) {
      if (image.attachmentId) continue
      try {
        await upload(image.key)
      } catch (error) {
        const failure = toApiError(error)
        if (failure.transient) throw failure
        throw new ApiError(failure.code, `第 ${index + 1} 张图片未能上传：${failure.message}。请删除这张图片或重新选择。`, failure.status, failure.details)
      }
    }
  }, [ref, upload])

  return { status, refusal, add, remove, retry, ensureUploaded }
}

import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react'

import { secureKeyInWeChat } from './idempotency-key'
import { clearDraft, loadDraft, newDraft, saveDraft, type TipDraft } from './draft'
import { localImageSurvives } from './pick-images'

export type DraftChange = Partial<TipDraft> | ((draft: TipDraft) => Partial<TipDraft>)

export interface DraftHandle {
  draft: TipDraft
  /** The newest draft, for async work that must not act on a stale render's copy. */
  ref: MutableRefObject<TipDraft>
  /** Applies a change and saves the whole draft to storage at once. */
  update: (change: DraftChange) => void
  /** Forgets the draft (after success) and starts a fresh one with a new key. */
  reset: () => void
  /** Images of the stored draft that could not be restored (their local file is gone) and must be chosen again. */
  lostImages: number
  /** Set when the first send of the current key starts: from then on the key never changes. */
  markSent: () => void
}

interface Restored {
  draft: TipDraft
  lostImages: number
  fromStorage: boolean
}

/** The stored draft, minus local images whose file did not survive; uploaded ones keep their id either way. */
function restore(): Restored {
  const stored = loadDraft()
  if (!stored) return { draft: newDraft(), lostImages: 0, fromStorage: false }
  const images = stored.images.flatMap((image) => {
    if (localImageSurvives(image.path)) return [image]
    return image.attachmentId ? [{ ...image, path: '' }] : []
  })
  return { draft: { ...stored, images }, lostImages: stored.images.length - images.length, fromStorage: true }
}

export function useDraft(): DraftHandle {
  const [initial] = useState(restore)
  const [draft, setDraft] = useState(initial.draft)
  const [lostImages, setLostImages] = useState(initial.lostImages)
  const ref = useRef(initial.draft)
  /** Keys something was sent with; a fresh key may still be swapped for WeChat's secure one until then. */
  const sentKeys = useRef(new Set<string>())

  const update = useCallback((change: DraftChange) => {
    const next = { ...ref.current, ...(typeof change === 'function' ? change(ref.current) : change) }
    ref.current = next
    saveDraft(next)
    setDraft(next)
  }, [])

  const upgradeKey = useCallback(() => {
    const fallback = ref.current.idempotencyKey
    void secureKeyInWeChat().then((secure) => {
      if (secure && ref.current.idempotencyKey === fallback && !sentKeys.current.has(fallback)) {
        ref.current = { ...ref.current, idempotencyKey: secure }
        setDraft(ref.current)
      }
    })
  }, [])

  const reset = useCallback(() => {
    clearDraft()
    ref.current = newDraft()
    setDraft(ref.current)
    setLostImages(0)
    upgradeKey()
  }, [upgradeKey])

  const markSent = useCallback(() => {
    sentKeys.current.add(ref.current.idempotencyKey)
  }, [])

  useEffect(() => {
    if (initial.lostImages > 0) saveDraft(ref.current)
    // A restored draft keeps its key: it may have been sent already.
    if (!initial.fromStorage) upgradeKey()
  }, [])

  return { draft, ref, update, reset, lostImages, markSent }
}

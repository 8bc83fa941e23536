import { useDidShow } from '@tarojs/taro'
import { ErrorCode, normalizeReceiptCode, type CreateTipRequest, type CreateTipResponse, type FraudType } from '@qmfz/contracts'
import { useCallback, useEffect, useRef, useState } from 'react'

import { tipsApi } from '../../api/tips'
import { ApiError, toApiError } from '../../api/transport'
import { toRequest, withUncertain, type TipDraft } from './draft'
import { newIdempotencyKey } from './idempotency-key'
import { onNetworkBack } from './network'
import { releaseImage } from './pick-images'
import type { DraftHandle } from './use-draft'
import type { ImageUploads } from './use-image-uploads'
import { hasProblems, validateDraft } from './validate'

/** A receipt just issued: shown once, in memory only, until the person closes the panel. */
export interface IssuedReceipt {
  code: string
  fraudType: FraudType
  createdAt: string
  /** The person edited the draft after a send that got no answer; the server kept that earlier version. */
  superseded: boolean
}

export interface Submission {
  /** The person tried to send: every missing field is now pointed out. */
  attempted: boolean
  sending: boolean
  /** A refusal to show under the form (the server's message); network failures show as 待发送 instead. */
  error: ApiError | null
  receipt: IssuedReceipt | null
  /** Sends the draft; a second call while one runs does nothing (a double tap sends once). */
  submit: () => Promise<void>
  closeReceipt: () => void
}

interface Sent {
  response: CreateTipResponse
  body: CreateTipRequest
  superseded: boolean
}

export function useSubmission(handle: DraftHandle, uploads: ImageUploads): Submission {
  const { ref, update, reset, markSent } = handle
  const { ensureUploaded } = uploads
  const [attempted, setAttempted] = useState(false)
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [receipt, setReceipt] = useState<IssuedReceipt | null>(null)
  const running = useRef(false)

  /** One create, and on a conflict the earlier unanswered bodies of this key: the one the server got has the receipt. */
  const sendTip = useCallback(
    async (body: CreateTipRequest): Promise<Sent> => {
      markSent()
      try {
        return { response: await tipsApi.create(body), body, superseded: false }
      } catch (error) {
        const failure = toApiError(error)
        if (failure.transient) update((draft) => ({ uncertain: withUncertain(draft.uncertain, body) }))
        if (failure.code !== ErrorCode.TIP_IDEMPOTENCY_CONFLICT) throw failure
        for (const earlier of ref.current.uncertain) {
          try {
            return { response: await tipsApi.create(earlier), body: earlier, superseded: true }
          } catch (again) {
            if (toApiError(again).code !== ErrorCode.TIP_IDEMPOTENCY_CONFLICT) throw again
          }
        }
        // None of ours matches what the server holds: a fresh key lets the next tap send this draft as a new tip.
        update({ idempotencyKey: newIdempotencyKey(), uncertain: [] })
        throw new ApiError(failure.code, `${failure.message}。请再次点击“提交举报”，将作为一条新的举报发送。`, failure.status)
      }
    },
    [ref, update, markSent],
  )

  const fail = useCallback(
    (failure: ApiError) => {
      if (failure.transient) {
        update({ pending: true })
        return
      }
      update((draft) => ({ pending: false, ...repairFor(failure, draft) }))
      setError(failure.status === 429 ? new ApiError(failure.code, `${failure.message}。举报已保存在本机，请稍后再提交。`, 429) : failure)
    },
    [update],
  )

  const submit = useCallback(async () => {
    if (running.current) return
    setAttempted(true)
    if (hasProblems(validateDraft(ref.current))) return
    running.current = true
    setSending(true)
    setError(null)
    try {
      await ensureUploaded()
      const sent = await sendTip(toRequest(ref.current))
      for (const image of ref.current.images) releaseImage(image.path)
      // The server sends the code formatted (ABCDE-…); the panel formats it itself, storage keeps it bare.
      const code = normalizeReceiptCode(sent.response.receiptCode) ?? sent.response.receiptCode
      setReceipt({ code, fraudType: sent.body.fraudType, createdAt: sent.response.createdAt, superseded: sent.superseded })
      setAttempted(false)
      reset()
    } catch (failure) {
      fail(toApiError(failure))
    } finally {
      running.current = false
      setSending(false)
    }
  }, [ref, ensureUploaded, sendTip, fail, reset])

  const sendIfPending = useCallback(() => {
    if (ref.current.pending) void submit()
  }, [ref, submit])
  useEffect(() => onNetworkBack(sendIfPending), [sendIfPending])
  useDidShow(sendIfPending)

  return { attempted, sending, error, receipt, submit, closeReceipt: useCallback(() => setReceipt(null), []) }
}

/** What a refusal makes stale in the draft: a spent phone code, or images the server no longer has. */
function repairFor(failure: ApiError, draft: TipDraft): Partial<TipDraft> {
  if (failure.code === ErrorCode.WECHAT_CODE_INVALID) return { phoneCode: '' }
  if (failure.code === ErrorCode.TIP_ATTACHMENT_NOT_FOUND) {
    // Uploaded again from the local copy on the next tap; an image with no local copy left has to be chosen again.
    return { images: draft.images.filter((image) => image.path).map((image) => ({ ...image, attachmentId: null })) }
  }
  return {}
}

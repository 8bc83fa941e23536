import { useDidShow } from '@tarojs/taro'
import type { TipFollowUpResponse } from '@qmfz/contracts'
import { useCallback, useRef, useState } from 'react'

import { tipsApi } from '../../../../api/tips'
import { toApiError, type ApiError } from '../../../../api/transport'
import { takeHandedReceipt } from '../../../../pages/report/receipts'

export interface FollowUp {
  /** The normalised code of the tip shown (or being opened); null before any. */
  code: string | null
  tip: TipFollowUpResponse | null
  loading: boolean
  error: ApiError | null
  open: (code: string) => Promise<void>
  /** Replaces the shown tip with an answer that carries it (a claim answers with the tip). */
  show: (tip: TipFollowUpResponse) => void
  reload: () => Promise<void>
  close: () => void
}

/**
 * One tip, opened by its receipt code. The code lives in memory only (or was kept on the device by choice); it is
 * read again each time the page is shown, so a police reply that arrived meanwhile appears.
 */
export function useFollowUp(): FollowUp {
  const [code, setCode] = useState<string | null>(null)
  /** The tip on screen and the code it was read with: a failed reload keeps it, a failed other code clears it. */
  const [shown, setShown] = useState<{ code: string; tip: TipFollowUpResponse } | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const latest = useRef(0)
  const codeRef = useRef<string | null>(null)

  const open = useCallback(async (next: string) => {
    const request = ++latest.current
    codeRef.current = next
    setCode(next)
    setLoading(true)
    setError(null)
    try {
      const answer = await tipsApi.followUp(next)
      if (request === latest.current) setShown({ code: next, tip: answer })
    } catch (failure) {
      if (request !== latest.current) return
      setError(toApiError(failure))
      setShown((current) => (current?.code === next ? current : null))
    } finally {
      if (request === latest.current) setLoading(false)
    }
  }, [])

  const reload = useCallback(async () => {
    if (codeRef.current) await open(codeRef.current)
  }, [open])

  const close = useCallback(() => {
    latest.current++
    codeRef.current = null
    setCode(null)
    setShown(null)
    setError(null)
    setLoading(false)
  }, [])

  useDidShow(() => {
    const handed = takeHandedReceipt()
    if (handed) void open(handed)
    else void reload()
  })

  const show = useCallback((tip: TipFollowUpResponse) => {
    if (codeRef.current) setShown({ code: codeRef.current, tip })
  }, [])

  return { code, tip: shown?.code === code ? shown.tip : null, loading, error, open, show, reload, close }
}

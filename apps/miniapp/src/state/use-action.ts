import Taro from '@tarojs/taro'
import { useCallback, useRef, useState } from 'react'

import { toApiError, type ApiError } from '../api/transport'

export interface Action<A extends unknown[]> {
  busy: boolean
  error: ApiError | null
  /** Runs the action unless one is already running (a double tap sends once); resolves true on success. */
  run: (...args: A) => Promise<boolean>
  clearError: () => void
}

/**
 * A button's call to the API. A failure is kept as `error` for the form to show beside its fields; inputs are
 * never cleared on failure, so a person who lost the network can simply tap again. `toast` also shows
 * the success message as a toast.
 */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>, toast?: string): Action<A> {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const running = useRef(false)
  const actionRef = useRef(action)
  actionRef.current = action

  const run = useCallback(
    async (...args: A) => {
      if (running.current) return false
      running.current = true
      setBusy(true)
      setError(null)
      try {
        await actionRef.current(...args)
        if (toast) void Taro.showToast({ title: toast, icon: 'success' })
        return true
      } catch (failure) {
        setError(toApiError(failure))
        return false
      } finally {
        running.current = false
        setBusy(false)
      }
    },
    [toast],
  )
  return { busy, error, run, clearError: useCallback(() => setError(null), []) }
}

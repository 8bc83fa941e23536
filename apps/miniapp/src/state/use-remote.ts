import { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'

import { toApiError, type ApiError } from '../api/transport'

export interface Remote<T> {
  data: T | undefined
  error: ApiError | null
  loading: boolean
  reload: () => Promise<void>
}

/**
 * Data a page shows from the API, loaded each time the page is shown (coming back from a sub-page shows fresh
 * data). An answer that arrives after a newer request started is dropped.
 */
export function useRemote<T>(load: () => Promise<T>): Remote<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(true)
  const latest = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load

  const reload = useCallback(async () => {
    const request = ++latest.current
    setLoading(true)
    try {
      const value = await loadRef.current()
      if (request !== latest.current) return
      setData(value)
      setError(null)
    } catch (failure) {
      if (request === latest.current) setError(toApiError(failure))
    } finally {
      if (request === latest.current) setLoading(false)
    }
  }, [])

  useDidShow(() => {
    void reload()
  })
  return { data, error, loading, reload }
}

/**
 * useRemote for data that depends on `key` (a status, a date range, a chosen unit): loaded when the page shows
 * and again whenever `key` changes. Data loaded for another key is never returned, so a list never shows under
 * the wrong filter while the new one loads.
 */
export function useKeyedRemote<T>(key: string, load: () => Promise<T>): Remote<T> {
  const remote = useRemote(async () => ({ key, value: await load() }))
  const mounted = useRef(false)
  useEffect(() => {
    // The first load is the page show's.
    if (!mounted.current) {
      mounted.current = true
      return
    }
    void remote.reload()
  }, [key])
  return { ...remote, data: remote.data?.key === key ? remote.data.value : undefined }
}

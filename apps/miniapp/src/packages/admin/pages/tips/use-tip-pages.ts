import { useDidShow } from '@tarojs/taro'
import type { TipListQuery, TipSummaryResponse } from '@qmfz/contracts'
import { useEffect, useRef, useState } from 'react'

import { triageApi } from '../../../../api/triage'
import { toApiError, type ApiError } from '../../../../api/transport'

export const TIP_PAGE_SIZE = 20

export interface TipPages {
  items: TipSummaryResponse[] | undefined
  error: ApiError | null
  loading: boolean
  /** True when the server said there are more after the last item. */
  hasMore: boolean
  loadMore: () => void
}

/**
 * Tips matching `query`, a page at a time (the server's cursor). The first page loads when the page shows and
 * again whenever the filters change; an answer for older filters, or older than the newest request, is dropped.
 */
export function useTipPages(query: TipListQuery): TipPages {
  const key = JSON.stringify(query)
  const [pages, setPages] = useState<{ items: TipSummaryResponse[]; nextCursor: string | null }>()
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(true)
  const latest = useRef(0)
  const queryRef = useRef(query)
  queryRef.current = query

  const load = async (cursor?: string) => {
    const request = ++latest.current
    setLoading(true)
    try {
      const page = await triageApi.list({ ...queryRef.current, cursor, limit: TIP_PAGE_SIZE })
      if (request !== latest.current) return
      setPages((previous) => ({ items: cursor && previous ? [...previous.items, ...page.items] : page.items, nextCursor: page.nextCursor }))
      setError(null)
    } catch (failure) {
      if (request === latest.current) setError(toApiError(failure))
    } finally {
      if (request === latest.current) setLoading(false)
    }
  }

  useDidShow(() => {
    void load()
  })
  const mounted = useRef(false)
  useEffect(() => {
    // The first load is the page show's.
    if (!mounted.current) {
      mounted.current = true
      return
    }
    // Other filters: the old list goes at once. A page show only refreshes it in place (no flash on coming back).
    setPages(undefined)
    void load()
  }, [key])

  const nextCursor = pages?.nextCursor ?? null
  return {
    items: pages?.items,
    error,
    loading,
    hasMore: nextCursor !== null,
    loadMore: () => {
      if (nextCursor && !loading) void load(nextCursor)
    },
  }
}

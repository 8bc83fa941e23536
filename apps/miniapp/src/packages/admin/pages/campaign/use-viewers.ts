import type { ViewerStatusResponse, ViewingStatus } from '@qmfz/contracts'
import { useEffect, useRef } from 'react'

import { campaignsApi } from '../../../../api/campaigns'
import { useRemote, type Remote } from '../../../../state/use-remote'

/**
 * One unit's viewers, optionally of one status. Loaded when the page shows (like every useRemote) and again
 * whenever the unit or the filter changes; a list that belongs to another unit or filter is never returned.
 */
export function useViewers(campaignId: string, unitId: string | undefined, status?: ViewingStatus): Remote<ViewerStatusResponse[]> {
  const key = `${unitId ?? ''}|${status ?? ''}`
  const remote = useRemote(async () => ({
    key,
    viewers: unitId ? await campaignsApi.viewers(campaignId, unitId, status) : [],
  }))
  const mounted = useRef(false)
  useEffect(() => {
    // The first load is the page show's.
    if (!mounted.current) {
      mounted.current = true
      return
    }
    void remote.reload()
  }, [key])
  return { ...remote, data: remote.data?.key === key ? remote.data.viewers : undefined }
}

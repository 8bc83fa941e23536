import type { ViewerStatusResponse, ViewingStatus } from '@qmfz/contracts'

import { campaignsApi } from '../../../../api/campaigns'
import { useKeyedRemote, type Remote } from '../../../../state/use-remote'

/**
 * One unit's viewers, optionally of one status: loaded when the page shows and again whenever the unit or the
 * filter changes; a list that belongs to another unit or filter is never returned.
 */
export function useViewers(campaignId: string, unitId: string | undefined, status?: ViewingStatus): Remote<ViewerStatusResponse[]> {
  return useKeyedRemote(`${unitId ?? ''}|${status ?? ''}`, async () => (unitId ? campaignsApi.viewers(campaignId, unitId, status) : []))
}

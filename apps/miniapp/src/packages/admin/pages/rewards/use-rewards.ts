import type { RewardResponse, RewardStatus } from '@qmfz/contracts'
import { useEffect, useRef } from 'react'

import { rewardsApi } from '../../../../api/rewards'
import { useRemote, type Remote } from '../../../../state/use-remote'

/**
 * Rewards of one status, loaded when the page shows and again when the status changes; a list that belongs to
 * another status is never returned.
 */
export function useRewards(status: RewardStatus): Remote<RewardResponse[]> {
  const remote = useRemote(async () => ({ status, rewards: await rewardsApi.list(status) }))
  const mounted = useRef(false)
  useEffect(() => {
    // The first load is the page show's.
    if (!mounted.current) {
      mounted.current = true
      return
    }
    void remote.reload()
  }, [status])
  return { ...remote, data: remote.data?.status === status ? remote.data.rewards : undefined }
}

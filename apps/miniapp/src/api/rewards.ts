import type {
  RevealedIdentityResponse,
  RewardAuditEntry,
  RewardResponse,
  RewardReviewRequest,
  RewardStatus,
  RewardTallyResponse,
  TallyPeriod,
} from '@qmfz/contracts'

import { api } from './client'

export interface TallyQuery {
  period: TallyPeriod
  /** Shanghai dates, inclusive: `2026-11-01`. */
  from: string
  to: string
}

const rewardPath = (tipId: string) => `/rewards/${encodeURIComponent(tipId)}`
const tallyQuery = (query: TallyQuery) => ({ period: query.period, from: query.from, to: query.to })

/** Reward approval, payout and tallies (奖励审批、奖励统计), typed by the shared contracts. */
export const rewardsApi = {
  /** Township admins act on these; police may read them. */
  list: (status?: RewardStatus) => api.get<RewardResponse[]>('/rewards', { query: { status } }),
  approve: (tipId: string, body: RewardReviewRequest) => api.post<RewardResponse>(`${rewardPath(tipId)}/approve`, body),
  /** `note` is required to reject. */
  reject: (tipId: string, body: Required<RewardReviewRequest>) => api.post<RewardResponse>(`${rewardPath(tipId)}/reject`, body),
  /** Only the approver may; the server writes an audit record for every call. Never kept on the device. */
  reveal: (tipId: string) => api.post<RevealedIdentityResponse>(`${rewardPath(tipId)}/reveal`),
  markPaid: (tipId: string) => api.post<RewardResponse>(`${rewardPath(tipId)}/paid`),
  audit: (tipId: string) => api.get<RewardAuditEntry[]>(`${rewardPath(tipId)}/audit`),

  tallies: (query: TallyQuery) => api.get<RewardTallyResponse>('/rewards/tallies', { query: tallyQuery(query) }),
  /** The same tallies as XLSX, opened (WeChat) or saved (web) as 奖励统计-<from>至<to>.xlsx. */
  exportTallies: (query: TallyQuery) =>
    api.download('/rewards/tallies/export', { query: tallyQuery(query), fileName: `奖励统计-${query.from}至${query.to}.xlsx` }),
}

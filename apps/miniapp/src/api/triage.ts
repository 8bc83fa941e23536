import type {
  DecideRewardRequest,
  PersonRef,
  SignedLinkResponse,
  TipDetailResponse,
  TipListQuery,
  TipListResponse,
  TipReplyRequest,
  UpdateTipRequest,
} from '@qmfz/contracts'

import { api } from './client'

const tipPath = (tipId: string) => `/tips/${encodeURIComponent(tipId)}`

/** Query values as the client sends them: absent filters stay out of the URL. */
function listQuery(query: TipListQuery): Record<string, string | undefined> {
  return {
    status: query.status,
    fraudType: query.fraudType,
    from: query.from,
    to: query.to,
    groupId: query.groupId,
    assignee: query.assignee,
    cursor: query.cursor,
    limit: query.limit === undefined ? undefined : String(query.limit),
  }
}

/**
 * Police triage of tips (举报研判), typed by the shared contracts. Changes answer with what the server keeps;
 * pages reload the tip afterwards, so the answers' bodies are not relied on.
 */
export const triageApi = {
  list: (query: TipListQuery) => api.get<TipListResponse>('/tips', { query: listQuery(query) }),
  detail: (tipId: string) => api.get<TipDetailResponse>(tipPath(tipId)),
  /** Officers of the caller's township a tip can be assigned to. */
  officers: () => api.get<PersonRef[]>('/tips/officers'),
  update: (tipId: string, body: UpdateTipRequest) => api.patch<unknown>(tipPath(tipId), body),
  reply: (tipId: string, body: TipReplyRequest) => api.post<unknown>(`${tipPath(tipId)}/replies`, body),
  /** A short-lived URL for one image; asked for each time it is shown, never kept. */
  attachmentLink: (tipId: string, attachmentId: string) =>
    api.post<SignedLinkResponse>(`${tipPath(tipId)}/attachments/${encodeURIComponent(attachmentId)}/link`),
  decideReward: (tipId: string, body: DecideRewardRequest) => api.put<unknown>(`${tipPath(tipId)}/reward`, body),
}

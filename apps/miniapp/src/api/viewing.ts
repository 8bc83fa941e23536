import type {
  CheckInRequest,
  CheckInResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  MyCampaignResponse,
  NoticeResponse,
  StartViewingResponse,
  SubscribeConsentRequest,
  SubscribeTemplatesResponse,
} from '@qmfz/contracts'

import { api } from './client'

const campaignPath = (campaignId: string) => `/viewing/campaigns/${encodeURIComponent(campaignId)}`

/** Viewing check-ins (观看打卡), notices and subscribe-message consent, typed by the shared contracts. */
export const viewingApi = {
  myCampaigns: () => api.get<MyCampaignResponse[]>('/viewing/campaigns'),
  startSession: (campaignId: string) => api.post<StartViewingResponse>(`${campaignPath(campaignId)}/sessions`),
  heartbeat: (campaignId: string, body: HeartbeatRequest) => api.post<HeartbeatResponse>(`${campaignPath(campaignId)}/heartbeats`, body),
  checkIn: (campaignId: string, body: CheckInRequest) => api.post<CheckInResponse>(`${campaignPath(campaignId)}/check-in`, body),

  notices: () => api.get<NoticeResponse[]>('/notices'),
  markNoticeRead: (noticeId: string) => api.post<void>(`/notices/${encodeURIComponent(noticeId)}/read`),

  subscribeTemplates: () => api.get<SubscribeTemplatesResponse>('/subscriptions/templates'),
  subscribeConsent: (body: SubscribeConsentRequest) => api.post<void>('/subscriptions/consents', body),
}

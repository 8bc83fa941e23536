import {
  VIDEO_UPLOAD_FIELDS,
  type CampaignProgressResponse,
  type CampaignResponse,
  type CreateCampaignRequest,
  type CreateExternalVideoRequest,
  type RemindRequest,
  type RemindResponse,
  type VideoResponse,
  type ViewerStatusResponse,
  type ViewingStatus,
} from '@qmfz/contracts'

import { api } from './client'

/** A video of a few hundred megabytes takes minutes on a village uplink. */
const VIDEO_UPLOAD_TIMEOUT_MS = 10 * 60_000

const campaignPath = (campaignId: string) => `/campaigns/${encodeURIComponent(campaignId)}`
const campaignUnitPath = (campaignId: string, unitId: string) => `${campaignPath(campaignId)}/units/${encodeURIComponent(unitId)}`

/** Video campaign routes for township and unit admins (观看打卡), typed by the shared contracts. */
export const campaignsApi = {
  videos: () => api.get<VideoResponse[]>('/videos'),
  /** `durationSeconds` only when the admin gave it: the server reads it from the file when it can. */
  uploadVideo: (filePath: string, fileName: string, title: string, durationSeconds?: number) =>
    api.upload<VideoResponse>('/videos', {
      filePath,
      field: VIDEO_UPLOAD_FIELDS.file,
      fileName,
      formData: {
        [VIDEO_UPLOAD_FIELDS.title]: title,
        ...(durationSeconds === undefined ? {} : { [VIDEO_UPLOAD_FIELDS.durationSeconds]: String(durationSeconds) }),
      },
      timeoutMs: VIDEO_UPLOAD_TIMEOUT_MS,
    }),
  createExternalVideo: (body: CreateExternalVideoRequest) => api.post<VideoResponse>('/videos/external', body),

  /** A township admin gets every campaign; a unit admin those that include one of their units. */
  campaigns: () => api.get<CampaignResponse[]>('/campaigns'),
  createCampaign: (body: CreateCampaignRequest) => api.post<CampaignResponse>('/campaigns', body),
  progress: (campaignId: string) => api.get<CampaignProgressResponse>(`${campaignPath(campaignId)}/progress`),
  viewers: (campaignId: string, unitId: string, status?: ViewingStatus) =>
    api.get<ViewerStatusResponse[]>(`${campaignUnitPath(campaignId, unitId)}/viewers`, { query: { status } }),
  remind: (campaignId: string, body: RemindRequest) => api.post<RemindResponse>(`${campaignPath(campaignId)}/reminders`, body),
  /** The unit's viewers as XLSX, opened (WeChat) or saved (web) as 观看情况-<unit>.xlsx. */
  exportViewers: (campaignId: string, unitId: string, unitName?: string) =>
    api.download(`${campaignUnitPath(campaignId, unitId)}/export`, { fileName: `观看情况-${unitName ?? unitId}.xlsx` }),
}

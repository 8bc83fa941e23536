import {
  TIP_UPLOAD,
  type AddTipInfoRequest,
  type ClaimRewardRequest,
  type ClaimRewardResponse,
  type CreateTipRequest,
  type CreateTipResponse,
  type TipAttachmentResponse,
  type TipFollowUpResponse,
} from '@qmfz/contracts'

import { api } from './client'
import { send } from './transport'

/** Images are at most 5 MB; on a village uplink that can take a while. */
const IMAGE_UPLOAD_TIMEOUT_MS = 120_000
const FOLLOW_UP_TIMEOUT_MS = 10_000

/**
 * Follow-up routes take the receipt code and nothing else about the person, by design: they go out without a
 * token (through the transport, not the signed-in client), so a web visitor needs no login and WeChat makes no
 * silent one. They are POSTs so the code never sits in a URL or an access log.
 */
function publicPost<T>(path: string, body: unknown): Promise<T> {
  return send<T>({ method: 'POST', path, body, timeoutMs: FOLLOW_UP_TIMEOUT_MS })
}

/** 有奖举报: submission (signed in) and follow-up by receipt code (public), typed by the shared contracts. */
export const tipsApi = {
  /** Sent once per tap; a retry carries the draft's idempotency key, so it returns the same tip and code. */
  create: (body: CreateTipRequest) => api.post<CreateTipResponse>('/tips', body),
  /** `onProgress` is told the percent sent so far, where the platform reports it. */
  uploadImage: (filePath: string, fileName?: string, onProgress?: (percent: number) => void) =>
    api.upload<TipAttachmentResponse>('/tips/attachments', { filePath, field: TIP_UPLOAD.field, fileName, timeoutMs: IMAGE_UPLOAD_TIMEOUT_MS, onProgress }),

  followUp: (receiptCode: string) => publicPost<TipFollowUpResponse>('/tips/follow-up', { receiptCode }),
  /** Answers with the tip, the addition in its history. */
  addInfo: (body: AddTipInfoRequest) => publicPost<TipFollowUpResponse>('/tips/follow-up/additions', body),
  /** Answers with the reward as the reporter now sees it; a repeat claim answers the same. */
  claimReward: (body: ClaimRewardRequest) => publicPost<ClaimRewardResponse>('/tips/follow-up/claim', body),
}

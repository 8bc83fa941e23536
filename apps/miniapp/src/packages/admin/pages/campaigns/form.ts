import { ErrorCode, VIDEO_LIMITS } from '@qmfz/contracts'

import { ApiError } from '../../../../api/transport'

/**
 * A form's own refusal, shown like the server's (FormMessage) and thrown inside a useAction so nothing is sent.
 * Status 0: no request was made.
 */
export function formProblem(message: string): ApiError {
  return new ApiError(ErrorCode.VALIDATION_FAILED, message, 0)
}

/** What the admin typed as a duration: minutes and seconds, as text. */
export interface DurationDraft {
  minutes: string
  seconds: string
}

export const EMPTY_DURATION: DurationDraft = { minutes: '', seconds: '' }

/** The duration in seconds, or null when nothing was typed; throws a formProblem when it cannot be one. */
export function readDuration(draft: DurationDraft): number | null {
  const minutes = draft.minutes.trim()
  const seconds = draft.seconds.trim()
  if (!minutes && !seconds) return null
  if (!/^\d{0,3}$/.test(minutes) || !/^\d{0,2}$/.test(seconds) || Number(seconds || 0) >= 60) {
    throw formProblem('时长格式不正确：分钟填整数，秒填 0–59')
  }
  const total = Number(minutes || 0) * 60 + Number(seconds || 0)
  if (total < 1) throw formProblem('视频时长至少 1 秒')
  if (total > VIDEO_LIMITS.durationMaxSeconds) throw formProblem(`视频时长不能超过 ${VIDEO_LIMITS.durationMaxSeconds / 3600} 小时`)
  return total
}


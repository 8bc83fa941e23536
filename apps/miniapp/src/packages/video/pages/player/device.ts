import Taro from '@tarojs/taro'
import { VIDEO_LIMITS, type CheckInRequest } from '@qmfz/contracts'

const field = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, VIDEO_LIMITS.deviceFieldMax) : undefined)

/** What the device says about itself, kept with the check-in; a browser may say little, and that is fine. */
export function deviceInfo(): CheckInRequest {
  try {
    const info = Taro.getSystemInfoSync()
    const device: CheckInRequest = { deviceModel: field(info.model), system: field(info.system), platform: field(info.platform) }
    return Object.fromEntries(Object.entries(device).filter(([, value]) => value !== undefined))
  } catch {
    return {}
  }
}

import Taro from '@tarojs/taro'

import { IN_WECHAT } from '../../env'

/**
 * Calls `callback` whenever the device is back online; returns the unsubscribe. WeChat reports every change of
 * network (`isConnected`); a browser fires `online` on window.
 */
export function onNetworkBack(callback: () => void): () => void {
  if (IN_WECHAT) {
    // Then only a page shown again sends a waiting tip.
    if (typeof Taro.onNetworkStatusChange !== 'function') return () => undefined
    const listener = (result: Taro.onNetworkStatusChange.CallbackResult) => {
      if (result.isConnected) callback()
    }
    Taro.onNetworkStatusChange(listener)
    // offNetworkStatusChange exists from base library 2.9.3; older ones keep the listener (it checks the draft first).
    return () => Taro.offNetworkStatusChange?.(listener)
  }
  if (typeof window === 'undefined') return () => undefined
  window.addEventListener('online', callback)
  return () => window.removeEventListener('online', callback)
}

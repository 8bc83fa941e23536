import Taro from '@tarojs/taro'

import { IN_WECHAT } from '../env'
import { createStore, useStore } from './store'

type Resolve = (option: Taro.onNeedPrivacyAuthorization.ResolveOption) => void

/** Set while WeChat holds a privacy API back until the person agrees or declines in our sheet. */
const pending = createStore<Resolve | null>(null)

export const PRIVACY_AGREE_BUTTON_ID = 'privacy-agree'

/** Once at start-up: WeChat calls this whenever a privacy API or component needs consent first. */
export function listenForPrivacyRequests(): void {
  if (!IN_WECHAT) return
  Taro.onNeedPrivacyAuthorization((resolve) => {
    // One sheet at a time: an earlier request still waiting is declined rather than left hanging forever.
    pending.get()?.({ event: 'disagree' })
    resolve({ event: 'exposureAuthorization' })
    pending.set(resolve)
  })
}

export function usePrivacyRequest(): Resolve | null {
  return useStore(pending)
}

export function answerPrivacyRequest(agreed: boolean): void {
  const resolve = pending.get()
  pending.set(null)
  resolve?.(agreed ? { event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID } : { event: 'disagree' })
}

/**
 * Runs WeChat's consent flow (our sheet, if consent is still missing) before a privacy API such as
 * chooseMessageFile; resolves false when the person declines. Outside WeChat there is nothing to ask.
 */
export function ensurePrivacyConsent(): Promise<boolean> {
  if (!IN_WECHAT) return Promise.resolve(true)
  return new Promise((resolve) => {
    const settled: unknown = Taro.requirePrivacyAuthorize({ success: () => resolve(true), fail: () => resolve(false) })
    // Taro also returns a promise (typed as void) that rejects on a decline, already answered by `fail`.
    void Promise.resolve(settled).catch(() => undefined)
  })
}

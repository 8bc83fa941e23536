/**
 * WeChat's privacy consent: the app registers a listener, and the test plays WeChat asking through it.
 */
import { recorded } from './settle'
import { state } from './state'

export const privacyApis = {
  openPrivacyContract: recorded('openPrivacyContract'),
  requirePrivacyAuthorize: recorded('requirePrivacyAuthorize'),
  onNeedPrivacyAuthorization: (listener: (resolve: (option: unknown) => void) => void) => {
    state().privacyListener = listener
  },
}

export const privacyControls = {
  /** WeChat asking for privacy consent before a privacy API; returns what the app resolved it with. */
  needPrivacyConsent(): unknown[] {
    const answers: unknown[] = []
    state().privacyListener?.((option) => answers.push(option))
    return answers
  },
}

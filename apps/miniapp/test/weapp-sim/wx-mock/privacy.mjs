// WeChat's privacy consent: until the user agrees to the privacy policy, some APIs wait for the
// app's own consent sheet (onNeedPrivacyAuthorization) or WeChat's popup.

/** APIs WeChat holds back until the user agrees to the privacy policy (those this mock implements). */
const PRIVACY_APIS = new Set([
  'requirePrivacyAuthorize', 'chooseMessageFile', 'chooseMedia', 'chooseImage', 'setClipboardData', 'getClipboardData',
])

/**
 * The consent state for one wx mock: { settings, listeners, pending, answers, authorize, holds }.
 * settings come from options.privacy ({ needAuthorization, contractName, agree }).
 */
export function createPrivacy(options) {
  const settings = { needAuthorization: false, contractName: '《小程序隐私保护指引》', agree: true, ...(options.privacy ?? {}) }
  const listeners = []
  const pending = []
  const answers = []

  /**
   * What WeChat does before a privacy API while the user has not agreed: the app's
   * onNeedPrivacyAuthorization listener (latest) gets resolve + { referrer }, and the API goes on
   * once it resolves { event: 'agree' }. Without a listener, settings.agree answers for WeChat's own
   * popup ('manual' parks the answer in `pending` for the test to call).
   */
  function authorize(referrer) {
    if (!settings.needAuthorization) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const answer = (result = {}) => {
        answers.push({ referrer, ...result })
        if (result.event === 'exposureAuthorization') return // the app says it showed its sheet; the answer follows
        if (result.event === 'agree') {
          settings.needAuthorization = false
          resolve()
        } else reject(new Error('privacy permission is not authorized'))
      }
      const listener = listeners[listeners.length - 1]
      if (listener) listener(answer, { referrer })
      else if (settings.agree === 'manual') pending.push(answer)
      else answer({ event: settings.agree ? 'agree' : 'disagree' })
    })
  }

  const holds = (name) => PRIVACY_APIS.has(name) && Boolean(settings.needAuthorization)
  return { settings, listeners, pending, answers, authorize, holds }
}

/** The privacy APIs themselves. */
export function privacyApi(privacy, asyncApi) {
  const { settings, listeners } = privacy
  return {
    getPrivacySetting: asyncApi('getPrivacySetting', () => ({
      needAuthorization: Boolean(settings.needAuthorization),
      privacyContractName: settings.contractName,
    })),
    onNeedPrivacyAuthorization(listener) {
      listeners.push(listener)
    },
    offNeedPrivacyAuthorization(listener) {
      const index = listeners.indexOf(listener)
      if (index >= 0) listeners.splice(index, 1)
    },
    requirePrivacyAuthorize: asyncApi('requirePrivacyAuthorize', () => ({})), // gated like any privacy API
    openPrivacyContract: asyncApi('openPrivacyContract', () => ({})),
  }
}

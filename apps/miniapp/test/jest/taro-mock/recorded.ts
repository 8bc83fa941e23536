/**
 * The APIs a test checks by what they were called with: toasts, modals, navigation, dialling, clipboard, files,
 * login. Each succeeds unless the test answers it otherwise (taroMock.answer, answerModals, answerLogin).
 */
import { ok, record, recorded, settle } from './settle'
import { state, type Answer, type Callbacks, type TaroFailure } from './state'

export const recordedApis = {
  login: (options?: Callbacks) => {
    record('login', options)
    return settle('login', options, () => state().login())
  },
  showToast: recorded('showToast'),
  hideToast: recorded('hideToast'),
  showLoading: recorded('showLoading'),
  hideLoading: recorded('hideLoading'),
  showModal: (options?: Callbacks & Record<string, unknown>) => {
    record('showModal', options)
    return settle('showModal', options, () => ok('showModal', { ...state().modalAnswer }))
  },
  showActionSheet: (options?: Callbacks & Record<string, unknown>) => {
    record('showActionSheet', options)
    return settle('showActionSheet', options, () => ok('showActionSheet', { tapIndex: 0 }))
  },
  makePhoneCall: recorded('makePhoneCall'),
  setClipboardData: recorded('setClipboardData'),
  navigateTo: recorded('navigateTo'),
  redirectTo: recorded('redirectTo'),
  switchTab: recorded('switchTab'),
  reLaunch: recorded('reLaunch'),
  navigateBack: recorded('navigateBack'),
  setNavigationBarTitle: recorded('setNavigationBarTitle'),
  stopPullDownRefresh: recorded('stopPullDownRefresh'),
  startPullDownRefresh: recorded('startPullDownRefresh'),
  pageScrollTo: recorded('pageScrollTo'),
  previewImage: recorded('previewImage'),
  vibrateShort: recorded('vibrateShort'),
  requestSubscribeMessage: recorded('requestSubscribeMessage'),
  createVideoContext: (id: string) => videoContext(id),
  // Like a person closing the picker, unless the test answers with files.
  chooseMessageFile: recorded('chooseMessageFile', () => {
    throw { errMsg: 'chooseMessageFile:fail cancel' } satisfies TaroFailure
  }),
}

/** A <Video>'s context: each call is recorded as `VideoContext.<method>` with the video's id and arguments. */
function videoContext(id: string) {
  const method = (name: string) => (...args: unknown[]) => record(`VideoContext.${name}`, { id, args })
  return {
    play: method('play'),
    pause: method('pause'),
    stop: method('stop'),
    seek: method('seek'),
    playbackRate: method('playbackRate'),
    requestFullScreen: method('requestFullScreen'),
    exitFullScreen: method('exitFullScreen'),
  }
}

export const recordedControls = {
  /** The options of each call to a recorded API (showToast, navigateTo, makePhoneCall, …), oldest first. */
  calls(api: string): unknown[] {
    return state().log.filter((entry) => entry.api === api).map((entry) => entry.args)
  },
  answerModals(answer: { confirm: boolean; content?: string }): void {
    state().modalAnswer = { confirm: answer.confirm, cancel: !answer.confirm, content: answer.content }
  },
  /** Sets the outcome of a recorded API (chooseMessageFile, requirePrivacyAuthorize, makePhoneCall, …). */
  answer(api: string, answer: Answer): void {
    state().answers.set(api, answer)
  },
  answerLogin(login: () => Promise<{ code: string }>): void {
    state().login = async () => ({ errMsg: 'login:ok', ...(await login()) })
  },
}

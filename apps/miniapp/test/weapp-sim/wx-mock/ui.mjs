// What the app does to the screen and the phone: toasts, modals, the clipboard, phone calls,
// navigation, pickers. Recorded (by wx-mock.mjs) and answered as a cooperative user would.
import { fail } from './async.mjs'

/**
 * Returns { api, clipboard() }. options.modal / options.actionSheet choose the user's answers;
 * options.onNavigate(kind, opts) is told about each navigation after its callbacks ran.
 */
export function uiApi({ options, state, runtime }) {
  const { asyncApi } = runtime
  let clipboard = ''

  function navigate(kind, opts, result = {}) {
    if (!options.onNavigate) return result
    // The page opens after this call's callbacks, as in WeChat; settle() waits for it (pendingRequests).
    state.pendingRequests++
    setTimeout(() => {
      Promise.resolve()
        .then(() => (runtime.closed ? undefined : options.onNavigate(kind, opts)))
        .catch(() => undefined) // the harness records its own errors
        .finally(() => state.pendingRequests--)
    }, 0)
    return result
  }

  const ok = (name) => asyncApi(name, () => ({}))
  const api = {
    makePhoneCall: asyncApi('makePhoneCall', ({ phoneNumber }) => (phoneNumber ? {} : fail('parameter error: phoneNumber required'))),
    setClipboardData: asyncApi('setClipboardData', ({ data }) => {
      clipboard = String(data)
    }),
    getClipboardData: asyncApi('getClipboardData', () => ({ data: clipboard })),
    showToast: ok('showToast'),
    hideToast: ok('hideToast'),
    showLoading: ok('showLoading'),
    hideLoading: ok('hideLoading'),
    showModal: asyncApi('showModal', (opts) => {
      const answer = typeof options.modal === 'function' ? options.modal(opts) : options.modal ?? {}
      const confirm = answer.confirm ?? true
      return { confirm, cancel: !confirm, ...(answer.content !== undefined ? { content: answer.content } : {}) }
    }),
    showActionSheet: asyncApi('showActionSheet', () => ({ tapIndex: options.actionSheet?.tapIndex ?? 0 })),
    setNavigationBarTitle: ok('setNavigationBarTitle'),
    setNavigationBarColor: ok('setNavigationBarColor'),
    stopPullDownRefresh: ok('stopPullDownRefresh'),
    startPullDownRefresh: ok('startPullDownRefresh'),
    pageScrollTo: ok('pageScrollTo'),
    vibrateShort: ok('vibrateShort'),

    // Recorded and answered ok; with options.onNavigate (the harness's followNavigation) the page opens too.
    navigateTo: asyncApi('navigateTo', (opts) => navigate('navigateTo', opts, { eventChannel: { emit() {}, on() {}, once() {}, off() {} } })),
    redirectTo: asyncApi('redirectTo', (opts) => navigate('redirectTo', opts)),
    switchTab: asyncApi('switchTab', (opts) => navigate('switchTab', opts)),
    reLaunch: asyncApi('reLaunch', (opts) => navigate('reLaunch', opts)),
    navigateBack: asyncApi('navigateBack', (opts) => navigate('navigateBack', opts)),
    navigateToMiniProgram: ok('navigateToMiniProgram'),

    requestSubscribeMessage: ok('requestSubscribeMessage'),
    // The user backs out of every picker; a test that needs a file overrides the API (options.wx).
    chooseMessageFile: asyncApi('chooseMessageFile', () => fail('cancel')),
    chooseMedia: asyncApi('chooseMedia', () => fail('cancel')),
    chooseImage: asyncApi('chooseImage', () => fail('cancel')),
    uploadFile: asyncApi('uploadFile', () => fail('no upload handler')),
    downloadFile: asyncApi('downloadFile', () => fail('no download handler')),
    createVideoContext: () => ({ play() {}, pause() {}, stop() {}, seek() {}, requestFullScreen() {}, exitFullScreen() {} }),
  }
  // Reporting and app-level listeners: accepted and ignored (the calls are still recorded).
  for (const name of ['reportEvent', 'reportAnalytics', 'reportMonitor', 'onAppRoute', 'onAppShow', 'onAppHide', 'onError', 'onUnhandledRejection', 'onMemoryWarning', 'onNetworkStatusChange']) {
    api[name] = () => {}
  }
  return { api, clipboard: () => clipboard }
}

// The `wx` object the bundles see. miniprogram-simulate's API mock is the base (hundreds of
// no-op/fixed-answer APIs); on top of it this adds what the app's behaviour depends on: storage
// in a Map, wx.request routed to a handler or a real HTTP server, wx.login with a chosen code,
// the privacy APIs, modals, navigation. Every call is recorded in order (wx.__calls).
//
// Options (all optional), passed through loadApp/renderPage:
//   storage:      { key: value } present before the app starts
//   systemInfo:   fields merged into getSystemInfoSync/getWindowInfo/getDeviceInfo/getAppBaseInfo
//   request:      async ({ url, method, data, header, timeout }) => ({ statusCode, data, header })
//                 | undefined to fall through to apiBase; throw (or return { fail: 'msg' }) to fail
//   apiBase:      'http://127.0.0.1:3000': requests the handler leaves (or all, without one) go there
//                 with fetch. '/api/x' becomes apiBase + '/api/x'; an absolute URL on another origin
//                 keeps its path and query but goes to apiBase (allowNetwork: true sends it as is).
//   loginCode:    code wx.login returns (default 'sim-login-code'); a function is called per login
//   privacy:      { needAuthorization = false, contractName, agree = true }: what getPrivacySetting
//                 says. While it is needed, requirePrivacyAuthorize and the privacy APIs (setClipboardData,
//                 chooseMessageFile, chooseMedia, ...) first call the app's onNeedPrivacyAuthorization
//                 listener; without one, agree answers (true, false, or 'manual': wx.__privacy.pending)
//   modal:        { confirm = true, content } answer for showModal (or a function (options) => result)
//   actionSheet:  { tapIndex = 0 } answer for showActionSheet
//   wx:           { name: fn } overrides/extra APIs (also recorded); wxOverrides is the same
//   onNavigate:   (kind, options) => void, called after navigateTo/redirectTo/switchTab/reLaunch/navigateBack

const SYSTEM_INFO = {
  brand: 'devtools',
  model: 'iPhone 12/13 (Pro)',
  pixelRatio: 3,
  screenWidth: 390,
  screenHeight: 844,
  windowWidth: 390,
  windowHeight: 753,
  statusBarHeight: 47,
  language: 'zh_CN',
  version: '8.0.50',
  system: 'iOS 16.0',
  platform: 'devtools',
  fontSizeSetting: 16,
  SDKVersion: '3.4.0',
  benchmarkLevel: 1,
  theme: 'light',
  safeArea: { left: 0, right: 390, top: 47, bottom: 810, width: 390, height: 763 },
  host: { env: 'WeChat' },
  deviceOrientation: 'portrait',
  enableDebug: false,
}

/** APIs WeChat holds back until the user agrees to the privacy policy (those this mock implements). */
const PRIVACY_APIS = new Set([
  'requirePrivacyAuthorize', 'chooseMessageFile', 'chooseMedia', 'chooseImage', 'setClipboardData', 'getClipboardData',
  'getLocation', 'chooseLocation', 'chooseAddress', 'getWeRunData', 'saveImageToPhotosAlbum',
])

function copyValue(value) {
  // WeChat storage round-trips through serialisation: what you read back is a copy.
  if (typeof value !== 'object' || value === null) return value
  try {
    return structuredClone(value)
  } catch {
    return JSON.parse(JSON.stringify(value))
  }
}

/**
 * wx's calling convention: with success/fail/complete the callbacks answer; without them, a Promise does.
 * `target` is what to call back (the caller's options, or ones that settle `promise`).
 */
function callbacksOrPromise(opts) {
  if (opts.success || opts.fail || opts.complete) return { promise: null, target: opts }
  let target
  const promise = new Promise((resolve, reject) => {
    target = { ...opts, success: resolve, fail: reject }
  })
  return { promise, target }
}

export function createWxMock(options = {}) {
  const { base = {}, state = { pendingRequests: 0 }, appJson = {} } = options
  const calls = []
  /** Every wx.request with how it ended: { method, url, data, header, statusCode, response, errMsg }. */
  const requests = []
  const storage = new Map(Object.entries(options.storage ?? {}).map(([key, value]) => [key, copyValue(value)]))
  const privacyListeners = []
  const abortControllers = new Set()
  let closed = false
  const systemInfo = { ...SYSTEM_INFO, ...(options.systemInfo ?? {}) }

  // -- async helpers: callbacks run later, like WeChat's; settle() waits for them (pendingRequests)
  const later = (fn) => {
    state.pendingRequests++
    setTimeout(() => {
      state.pendingRequests--
      if (!closed) fn()
    }, 0)
  }
  const finish = (opts, name, result, ok = true) => {
    const res = { errMsg: `${name}:${ok ? 'ok' : `fail${result?.reason ? ` ${result.reason}` : ''}`}`, ...result }
    delete res.reason
    if (ok) opts.success?.(res)
    else opts.fail?.(res)
    opts.complete?.(res)
    return res
  }
  /** An async API with success/fail/complete, returning a Promise when none is given (like wx does). */
  const asyncApi = (name, run) => (opts = {}) => {
    const { promise, target: wrapped } = callbacksOrPromise(opts)
    const proceed = () => {
      try {
        const outcome = run(opts)
        if (outcome && typeof outcome.then === 'function') {
          state.pendingRequests++
          outcome.then(
            (value) => {
              state.pendingRequests--
              if (!closed) deliver(value)
            },
            (error) => {
              state.pendingRequests--
              if (!closed) finish(wrapped, name, { reason: error?.message ?? String(error) }, false)
            },
          )
        } else {
          deliver(outcome)
        }
      } catch (error) {
        finish(wrapped, name, { reason: error?.message ?? String(error) }, false)
      }
    }
    later(() => {
      if (PRIVACY_APIS.has(name) && privacy.needAuthorization) {
        // Waiting for the person is not pending work: settle() returns while the sheet is up.
        authorizePrivacy(name).then(
          () => !closed && proceed(),
          (error) => !closed && finish(wrapped, name, { reason: error.message, errno: 104 }, false),
        )
      } else {
        proceed()
      }
    })
    function deliver(value) {
      if (value && value.__fail) finish(wrapped, name, { reason: value.__fail, ...value.result }, false)
      else finish(wrapped, name, value ?? {}, true)
    }
    return promise ?? undefined
  }
  const fail = (reason, result = {}) => ({ __fail: reason, result })

  // -- storage
  const storageApi = {
    setStorageSync(key, data) {
      storage.set(String(key), copyValue(data))
    },
    getStorageSync(key) {
      return storage.has(String(key)) ? copyValue(storage.get(String(key))) : ''
    },
    removeStorageSync(key) {
      storage.delete(String(key))
    },
    clearStorageSync() {
      storage.clear()
    },
    getStorageInfoSync() {
      return { keys: [...storage.keys()], currentSize: 0, limitSize: 10240 }
    },
    setStorage: asyncApi('setStorage', ({ key, data }) => {
      storage.set(String(key), copyValue(data))
    }),
    getStorage: asyncApi('getStorage', ({ key }) =>
      storage.has(String(key)) ? { data: copyValue(storage.get(String(key))) } : fail('data not found'),
    ),
    removeStorage: asyncApi('removeStorage', ({ key }) => {
      storage.delete(String(key))
    }),
    clearStorage: asyncApi('clearStorage', () => {
      storage.clear()
    }),
    getStorageInfo: asyncApi('getStorageInfo', () => ({ keys: [...storage.keys()], currentSize: 0, limitSize: 10240 })),
  }

  // -- network
  /** Where a request goes when it reaches the network: relative URLs and other origins move to apiBase. */
  function resolveUrl(url) {
    const apiBase = options.apiBase.replace(/\/$/, '')
    if (/^https?:\/\//i.test(url)) {
      if (options.allowNetwork || url.startsWith(apiBase)) return url
      const parsed = new URL(url)
      return `${apiBase}${parsed.pathname}${parsed.search}`
    }
    return `${apiBase}${url.startsWith('/') ? '' : '/'}${url}`
  }

  async function viaFetch({ url, method = 'GET', data, header = {}, timeout, dataType = 'json', responseType = 'text' }) {
    const target = new URL(resolveUrl(url))
    const headers = Object.fromEntries(Object.entries(header).map(([key, value]) => [key, String(value)]))
    const upper = method.toUpperCase()
    let body
    if (data !== undefined && data !== null) {
      if (upper === 'GET' || upper === 'HEAD') {
        // wx.request appends object data to the query string of a GET
        if (typeof data === 'object') {
          for (const [key, value] of Object.entries(data)) target.searchParams.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value))
        }
      } else if (typeof data === 'string' || data instanceof ArrayBuffer) {
        body = data
      } else {
        const contentType = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-type')?.[1] ?? 'application/json'
        if (contentType.includes('application/x-www-form-urlencoded')) {
          body = new URLSearchParams(Object.entries(data).map(([key, value]) => [key, String(value)])).toString()
        } else {
          body = JSON.stringify(data)
          if (!Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
        }
      }
    }
    const controller = new AbortController()
    abortControllers.add(controller)
    const timer = timeout ? setTimeout(() => controller.abort(new Error('timeout')), timeout) : null
    try {
      const response = await fetch(target, { method: upper, headers, body, signal: controller.signal })
      let payload
      if (responseType === 'arraybuffer') payload = await response.arrayBuffer()
      else {
        payload = await response.text()
        if (dataType === 'json') {
          try {
            payload = JSON.parse(payload)
          } catch {
            // wx.request leaves a non-JSON body as a string
          }
        }
      }
      return { statusCode: response.status, data: payload, header: Object.fromEntries(response.headers.entries()), cookies: [] }
    } catch (error) {
      const reason = controller.signal.aborted ? (String(controller.signal.reason?.message) === 'timeout' ? 'timeout' : 'abort') : error?.cause?.code ?? error?.message ?? 'network error'
      return fail(reason)
    } finally {
      if (timer) clearTimeout(timer)
      abortControllers.delete(controller)
    }
  }

  async function handleRequest(opts) {
    const request = {
      url: opts.url,
      method: (opts.method ?? 'GET').toUpperCase(),
      data: opts.data,
      header: opts.header ?? {},
      timeout: opts.timeout,
      dataType: opts.dataType ?? 'json',
      responseType: opts.responseType ?? 'text',
    }
    if (typeof options.request === 'function') {
      let answer
      try {
        answer = await options.request(request)
      } catch (error) {
        return fail(error?.message ?? String(error))
      }
      if (answer !== undefined) {
        if (answer.fail) return fail(answer.fail)
        return { statusCode: answer.statusCode ?? 200, data: answer.data ?? '', header: answer.header ?? {}, cookies: [] }
      }
    }
    if (options.apiBase) return viaFetch(request)
    // Like a phone without network: the app sees request:fail and must cope.
    return fail(`no handler for ${request.method} ${request.url} (give request or apiBase)`)
  }

  const networkApi = {
    request(opts = {}) {
      let aborted = false
      const { promise, target } = callbacksOrPromise(opts)
      const record = { method: (opts.method ?? 'GET').toUpperCase(), url: opts.url, data: opts.data, header: opts.header ?? {}, statusCode: undefined, response: undefined, errMsg: undefined }
      requests.push(record)
      const end = (result, ok) => {
        const res = finish(target, 'request', result, ok)
        record.errMsg = res.errMsg
        record.statusCode = res.statusCode
        record.response = res.data
      }
      state.pendingRequests++
      Promise.resolve()
        .then(() => handleRequest(opts))
        .then(
          (result) => {
            state.pendingRequests--
            if (closed) return
            if (aborted) return end({ reason: 'abort' }, false)
            if (result?.__fail) return end({ reason: result.__fail, errno: 600001 }, false)
            end(result, true)
          },
          (error) => {
            state.pendingRequests--
            if (!closed) end({ reason: error?.message ?? String(error) }, false)
          },
        )
      const task = {
        abort() {
          aborted = true
        },
        onHeadersReceived() {},
        offHeadersReceived() {},
        onChunkReceived() {},
        offChunkReceived() {},
      }
      if (promise) {
        // Taro calls wx.request with callbacks; a direct promise call gets the task's methods too.
        return Object.assign(promise, task)
      }
      return task
    },
  }

  // -- identity, privacy, UI, navigation
  let loginCount = 0
  const privacy = { needAuthorization: false, contractName: '《小程序隐私保护指引》', agree: true, ...(options.privacy ?? {}) }
  const pendingPrivacy = []
  const answers = []

  /**
   * What WeChat does before a privacy API while the user has not agreed: the app's
   * onNeedPrivacyAuthorization listener (latest) gets resolve + { referrer }, and the API goes on
   * once it resolves { event: 'agree' }. Without a listener, privacy.agree answers for WeChat's own
   * popup ('manual' parks the answer in wx.__privacy.pending for the test to call).
   */
  function authorizePrivacy(referrer) {
    if (!privacy.needAuthorization) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const answer = (result = {}) => {
        answers.push({ referrer, ...result })
        if (result.event === 'exposureAuthorization') return // the app says it showed its sheet; the answer follows
        if (result.event === 'agree') {
          privacy.needAuthorization = false
          resolve()
        } else reject(new Error('privacy permission is not authorized'))
      }
      const listener = privacyListeners[privacyListeners.length - 1]
      if (listener) listener(answer, { referrer })
      else if (privacy.agree === 'manual') pendingPrivacy.push(answer)
      else answer({ event: privacy.agree ? 'agree' : 'disagree' })
    })
  }

  const api = {
    ...storageApi,
    ...networkApi,
    getSystemInfoSync: () => ({ ...systemInfo }),
    getSystemInfo: asyncApi('getSystemInfo', () => ({ ...systemInfo })),
    getWindowInfo: () => ({
      pixelRatio: systemInfo.pixelRatio,
      screenWidth: systemInfo.screenWidth,
      screenHeight: systemInfo.screenHeight,
      windowWidth: systemInfo.windowWidth,
      windowHeight: systemInfo.windowHeight,
      statusBarHeight: systemInfo.statusBarHeight,
      safeArea: systemInfo.safeArea,
      screenTop: 0,
    }),
    getDeviceInfo: () => ({ brand: systemInfo.brand, model: systemInfo.model, system: systemInfo.system, platform: systemInfo.platform, benchmarkLevel: systemInfo.benchmarkLevel }),
    getAppBaseInfo: () => ({ SDKVersion: systemInfo.SDKVersion, language: systemInfo.language, version: systemInfo.version, theme: systemInfo.theme, enableDebug: false, host: systemInfo.host }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wx-sim-app', envVersion: 'develop', version: '' }, plugin: {} }),
    getLaunchOptionsSync: () => ({ path: appJson.pages?.[0] ?? '', query: {}, scene: 1001, referrerInfo: {} }),
    getEnterOptionsSync: () => ({ path: appJson.pages?.[0] ?? '', query: {}, scene: 1001, referrerInfo: {} }),
    canIUse: () => true,
    nextTick: (fn) => later(fn),

    login: asyncApi('login', () => {
      loginCount++
      const code = typeof options.loginCode === 'function' ? options.loginCode(loginCount) : options.loginCode ?? 'sim-login-code'
      return code === null ? fail('login failed') : { code }
    }),
    checkSession: asyncApi('checkSession', () => ({})),

    getPrivacySetting: asyncApi('getPrivacySetting', () => ({
      needAuthorization: Boolean(privacy.needAuthorization),
      privacyContractName: privacy.contractName,
    })),
    onNeedPrivacyAuthorization(listener) {
      privacyListeners.push(listener)
    },
    offNeedPrivacyAuthorization(listener) {
      const index = privacyListeners.indexOf(listener)
      if (index >= 0) privacyListeners.splice(index, 1)
    },
    requirePrivacyAuthorize: asyncApi('requirePrivacyAuthorize', () => ({})), // gated like any privacy API
    openPrivacyContract: asyncApi('openPrivacyContract', () => ({})),

    makePhoneCall: asyncApi('makePhoneCall', ({ phoneNumber }) => (phoneNumber ? {} : fail('parameter error: phoneNumber required'))),
    setClipboardData: asyncApi('setClipboardData', ({ data }) => {
      clipboard = String(data)
    }),
    getClipboardData: asyncApi('getClipboardData', () => ({ data: clipboard })),
    showToast: asyncApi('showToast', () => ({})),
    hideToast: asyncApi('hideToast', () => ({})),
    showLoading: asyncApi('showLoading', () => ({})),
    hideLoading: asyncApi('hideLoading', () => ({})),
    showModal: asyncApi('showModal', (opts) => {
      const answer = typeof options.modal === 'function' ? options.modal(opts) : options.modal ?? {}
      const confirm = answer.confirm ?? true
      return { confirm, cancel: !confirm, ...(answer.content !== undefined ? { content: answer.content } : {}) }
    }),
    showActionSheet: asyncApi('showActionSheet', () => ({ tapIndex: options.actionSheet?.tapIndex ?? 0 })),
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', () => ({})),
    setNavigationBarColor: asyncApi('setNavigationBarColor', () => ({})),
    stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => ({})),
    startPullDownRefresh: asyncApi('startPullDownRefresh', () => ({})),
    pageScrollTo: asyncApi('pageScrollTo', () => ({})),
    vibrateShort: asyncApi('vibrateShort', () => ({})),

    // Recorded and answered ok; with options.onNavigate (the harness's followNavigation) the page opens too.
    navigateTo: asyncApi('navigateTo', (opts) => navigate('navigateTo', opts, { eventChannel: { emit() {}, on() {}, once() {}, off() {} } })),
    redirectTo: asyncApi('redirectTo', (opts) => navigate('redirectTo', opts)),
    switchTab: asyncApi('switchTab', (opts) => navigate('switchTab', opts)),
    reLaunch: asyncApi('reLaunch', (opts) => navigate('reLaunch', opts)),
    navigateBack: asyncApi('navigateBack', (opts) => navigate('navigateBack', opts)),
    navigateToMiniProgram: asyncApi('navigateToMiniProgram', () => ({})),

    requestSubscribeMessage: asyncApi('requestSubscribeMessage', () => ({})),
    chooseMessageFile: asyncApi('chooseMessageFile', () => fail('cancel')),
    chooseMedia: asyncApi('chooseMedia', () => fail('cancel')),
    chooseImage: asyncApi('chooseImage', () => fail('cancel')),
    uploadFile: asyncApi('uploadFile', () => fail('no upload handler')),
    downloadFile: asyncApi('downloadFile', () => fail('no download handler')),
    reportEvent() {},
    reportAnalytics() {},
    reportMonitor() {},
    onAppRoute() {},
    onAppShow() {},
    onAppHide() {},
    onError() {},
    onUnhandledRejection() {},
    onMemoryWarning() {},
    onNetworkStatusChange() {},
    getNetworkType: asyncApi('getNetworkType', () => ({ networkType: 'wifi' })),
    createVideoContext: () => ({ play() {}, pause() {}, stop() {}, seek() {}, requestFullScreen() {}, exitFullScreen() {} }),
  }
  let clipboard = ''

  function navigate(kind, opts, result = {}) {
    if (!options.onNavigate) return result
    // The page opens after this call's callbacks, as in WeChat; settle() waits for it (pendingRequests).
    state.pendingRequests++
    setTimeout(() => {
      Promise.resolve()
        .then(() => (closed ? undefined : options.onNavigate(kind, opts)))
        .catch(() => undefined) // the harness records its own errors
        .finally(() => state.pendingRequests--)
    }, 0)
    return result
  }

  const target = { ...base, ...api, ...(options.wx ?? {}), ...(options.wxOverrides ?? {}) }
  const recorded = {}
  for (const [name, value] of Object.entries(target)) {
    recorded[name] =
      typeof value === 'function'
        ? function recordedApi(...args) {
            calls.push({ name, args })
            return value.apply(this, args)
          }
        : value
  }
  // Bundles keep `webpackJsonp` on wx; any other unknown API is a recorded no-op rather than a crash.
  const wx = new Proxy(recorded, {
    get(object, key) {
      if (key in object || typeof key === 'symbol' || key === 'webpackJsonp' || key === 'then' || key.startsWith('__')) return object[key]
      return function unknownApi(...args) {
        calls.push({ name: key, args, unknown: true })
        return undefined
      }
    },
  })
  Object.defineProperties(recorded, {
    __calls: { value: calls },
    __requests: { value: requests },
    /** What the clipboard holds (read without going through the privacy-gated getClipboardData). */
    __clipboard: { get: () => clipboard },
    __storage: { value: storage },
    // settings (needAuthorization...), the app's listeners, answers parked by agree: 'manual', every answer
    // the app gave ({ referrer, event, buttonId }), and authorize(referrer) to run the flow as WeChat would.
    __privacy: { value: { settings: privacy, listeners: privacyListeners, pending: pendingPrivacy, answers, authorize: authorizePrivacy } },
    __close: {
      value: () => {
        closed = true
        for (const controller of abortControllers) controller.abort(new Error('closed'))
      },
    },
  })
  return wx
}

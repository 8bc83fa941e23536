// The `wx` object the bundles see. miniprogram-simulate's API mock is the base (hundreds of
// no-op/fixed-answer APIs); on top of it this adds what the app's behaviour depends on: storage
// in a Map, wx.request routed to a handler or a real HTTP server, wx.login with a chosen code,
// the privacy APIs, modals, navigation. Every call is recorded in order (wx.__calls). The API
// groups live in wx-mock/.
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
import { createAsyncRuntime } from './wx-mock/async.mjs'
import { createNetwork } from './wx-mock/network.mjs'
import { createPrivacy, privacyApi } from './wx-mock/privacy.mjs'
import { createStorage, storageApi } from './wx-mock/storage.mjs'
import { systemApi } from './wx-mock/system.mjs'
import { uiApi } from './wx-mock/ui.mjs'

export function createWxMock(options = {}) {
  const { base = {}, state = { pendingRequests: 0 }, appJson = {} } = options
  const calls = []
  const storage = createStorage(options.storage ?? {})
  const privacy = createPrivacy(options)
  const runtime = createAsyncRuntime({ state, privacy })
  const network = createNetwork({ options, state, runtime })
  const ui = uiApi({ options, state, runtime })
  const api = {
    ...storageApi(storage, runtime.asyncApi),
    ...network.api,
    ...systemApi({ options, appJson, runtime }),
    ...privacyApi(privacy, runtime.asyncApi),
    ...ui.api,
  }
  const recorded = recordCalls({ ...base, ...api, ...(options.wx ?? {}), ...(options.wxOverrides ?? {}) }, calls)
  Object.defineProperties(recorded, {
    __calls: { value: calls },
    __requests: { value: network.requests },
    /** What the clipboard holds (read without going through the privacy-gated getClipboardData). */
    __clipboard: { get: ui.clipboard },
    __storage: { value: storage },
    // settings (needAuthorization...), the app's listeners, answers parked by agree: 'manual', every answer
    // the app gave ({ referrer, event, buttonId }), and authorize(referrer) to run the flow as WeChat would.
    __privacy: { value: { settings: privacy.settings, listeners: privacy.listeners, pending: privacy.pending, answers: privacy.answers, authorize: privacy.authorize } },
    __close: {
      value: () => {
        runtime.close()
        network.abortAll()
      },
    },
  })
  return unknownApisAsNoOps(recorded, calls)
}

/** A copy of `apis` whose functions push { name, args } onto `calls` before running. */
function recordCalls(apis, calls) {
  const recorded = {}
  for (const [name, value] of Object.entries(apis)) {
    recorded[name] =
      typeof value === 'function'
        ? function recordedApi(...args) {
            calls.push({ name, args })
            return value.apply(this, args)
          }
        : value
  }
  return recorded
}

// Bundles keep `webpackJsonp` on wx; any other unknown API is a recorded no-op rather than a crash.
function unknownApisAsNoOps(recorded, calls) {
  return new Proxy(recorded, {
    get(object, key) {
      if (key in object || typeof key === 'symbol' || key === 'webpackJsonp' || key === 'then' || key.startsWith('__')) return object[key]
      return function unknownApi(...args) {
        calls.push({ name: key, args, unknown: true })
        return undefined
      }
    },
  })
}

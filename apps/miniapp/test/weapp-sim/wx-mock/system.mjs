// What the app asks about the phone, WeChat and itself: system/window/device info, launch options,
// the wx.login code. Fixed answers, so layouts and logins are reproducible.
import { fail } from './async.mjs'

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

/** options.systemInfo is merged over SYSTEM_INFO; options.loginCode is what wx.login returns. */
export function systemApi({ options, appJson, runtime }) {
  const { asyncApi, later } = runtime
  const systemInfo = { ...SYSTEM_INFO, ...(options.systemInfo ?? {}) }
  const launchOptions = () => ({ path: appJson.pages?.[0] ?? '', query: {}, scene: 1001, referrerInfo: {} })
  let loginCount = 0
  return {
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
    getLaunchOptionsSync: launchOptions,
    getEnterOptionsSync: launchOptions,
    canIUse: () => true,
    nextTick: (fn) => later(fn),
    getNetworkType: asyncApi('getNetworkType', () => ({ networkType: 'wifi' })),

    login: asyncApi('login', () => {
      loginCount++
      const code = typeof options.loginCode === 'function' ? options.loginCode(loginCount) : options.loginCode ?? 'sim-login-code'
      return code === null ? fail('login failed') : { code }
    }),
    checkSession: asyncApi('checkSession', () => ({})),
  }
}

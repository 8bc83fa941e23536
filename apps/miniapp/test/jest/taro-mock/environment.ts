/**
 * The platform around the page: which environment this is, the device, the event bus, and small utilities.
 */
import { state, type Listener } from './state'

export const ENV_TYPE = {
  WEAPP: 'WEAPP',
  SWAN: 'SWAN',
  ALIPAY: 'ALIPAY',
  TT: 'TT',
  QQ: 'QQ',
  JD: 'JD',
  WEB: 'WEB',
  RN: 'RN',
  HARMONY: 'HARMONY',
  QUICKAPP: 'QUICKAPP',
} as const

export class Events {
  private readonly own = new Map<string, Set<Listener>>()
  constructor(private readonly shared?: () => Map<string, Set<Listener>>) {}
  private get map(): Map<string, Set<Listener>> {
    return this.shared ? this.shared() : this.own
  }
  on(name: string, listener: Listener): this {
    const set = this.map.get(name) ?? new Set<Listener>()
    set.add(listener)
    this.map.set(name, set)
    return this
  }
  once(name: string, listener: Listener): this {
    const wrapper: Listener = (...args) => {
      this.off(name, wrapper)
      listener(...args)
    }
    return this.on(name, wrapper)
  }
  off(name?: string, listener?: Listener): this {
    if (name === undefined) this.map.clear()
    else if (listener === undefined) this.map.delete(name)
    else this.map.get(name)?.delete(listener)
    return this
  }
  trigger(name: string, ...args: unknown[]): this {
    for (const listener of [...(this.map.get(name) ?? [])]) listener(...args)
    return this
  }
}

export const eventCenter = new Events(() => state().events)

function getEnv(): string {
  return process.env.TARO_ENV === 'weapp' ? ENV_TYPE.WEAPP : ENV_TYPE.WEB
}

const systemInfo = {
  brand: 'devtools',
  model: 'jsdom',
  pixelRatio: 2,
  screenWidth: 375,
  screenHeight: 812,
  windowWidth: 375,
  windowHeight: 812,
  statusBarHeight: 44,
  language: 'zh_CN',
  version: '8.0.50',
  system: 'iOS 17.0',
  platform: 'devtools',
  SDKVersion: '3.5.0',
  safeArea: { left: 0, right: 375, top: 44, bottom: 778, width: 375, height: 734 },
}

export const environmentApis = {
  ENV_TYPE,
  Events,
  eventCenter,
  getEnv,
  getSystemInfoSync: () => ({ ...systemInfo }),
  getWindowInfo: () => ({ ...systemInfo }),
  getAppBaseInfo: () => ({ SDKVersion: systemInfo.SDKVersion, language: systemInfo.language, version: systemInfo.version }),
  getAccountInfoSync: () => ({ miniProgram: { appId: 'wx-test', envVersion: 'develop', version: '' } }),
  getMenuButtonBoundingClientRect: () => ({ width: 87, height: 32, top: 48, right: 365, bottom: 80, left: 278 }),
  canIUse: () => true,
  pxTransform: (size: number) => `${size / 2}px`,
  nextTick: (callback: () => void) => void Promise.resolve().then(callback),
  getCurrentPages: () => [] as unknown[],
}

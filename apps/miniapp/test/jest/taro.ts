/**
 * Stand-in for `@tarojs/taro` under Jest (see jest.config.cjs). Tests drive it through `taroMock`:
 * they answer requests, seed storage, read what was shown or navigated to, and fire page lifecycle events.
 *
 * The state lives on globalThis, so a test that re-imports the app with `jest.resetModules()` or
 * `jest.isolateModules()` still talks to the same mock as the module under test.
 */
import { useEffect, useRef } from 'react'

// ---- shapes ---------------------------------------------------------------------------------------------

/** What the app handed to Taro.request, as recorded. */
export interface SentRequest {
  url: string
  method: string
  data: unknown
  header: Record<string, string>
  timeout?: number
}

/** A server answer. Anything thrown or rejected by a handler becomes a failed request instead. */
export interface Reply {
  statusCode: number
  data?: unknown
  header?: Record<string, string>
}

export type RequestHandler = (request: SentRequest) => Reply | Promise<Reply>

export interface SentUpload {
  url: string
  filePath: string
  name: string
  header: Record<string, string>
  formData?: Record<string, unknown>
}
export type UploadHandler = (upload: SentUpload) => Reply | Promise<Reply>

/** How Taro.request fails: the promise rejects with (and `fail` receives) a plain object, not an Error. */
export interface TaroFailure {
  errMsg: string
}

type Callbacks = { success?: (result: never) => void; fail?: (result: never) => void; complete?: (result: never) => void }
/** A test's stand-in for one API's outcome: return the success result, or throw a TaroFailure. */
export type Answer = (options: unknown) => unknown

type PageEvent = 'show' | 'hide' | 'pullDownRefresh' | 'reachBottom'
type Listener = (...args: unknown[]) => void

interface MockState {
  storage: Map<string, string>
  log: Array<{ api: string; args: unknown }>
  requests: SentRequest[]
  uploads: SentUpload[]
  unexpected: string[]
  dropped: string[]
  droppedTolerated: boolean
  requestHandler: RequestHandler | null
  uploadHandler: UploadHandler | null
  modalAnswer: { confirm: boolean; cancel: boolean; content?: string }
  login: () => Promise<{ code: string; errMsg: string }>
  routerParams: Record<string, string>
  pageListeners: Map<PageEvent, Set<() => void>>
  events: Map<string, Set<Listener>>
  privacyListener: ((resolve: (option: unknown) => void) => void) | null
  answers: Map<string, Answer>
}

function freshState(): MockState {
  return {
    storage: new Map(),
    log: [],
    requests: [],
    uploads: [],
    unexpected: [],
    dropped: [],
    droppedTolerated: false,
    requestHandler: null,
    uploadHandler: null,
    modalAnswer: { confirm: true, cancel: false },
    login: async () => ({ code: 'wx-login-code', errMsg: 'login:ok' }),
    routerParams: {},
    pageListeners: new Map(),
    events: new Map(),
    privacyListener: null,
    answers: new Map(),
  }
}

const holder = globalThis as typeof globalThis & { __qmfzTaroMock?: MockState }
const state = (): MockState => (holder.__qmfzTaroMock ??= freshState())

// ---- helpers --------------------------------------------------------------------------------------------

function record(api: string, args: unknown): void {
  state().log.push({ api, args })
}

/**
 * Settles like a Taro API: callbacks first, then the returned promise. Taro rejects that promise even when a
 * `fail` callback was given, so code that passes callbacks and drops the promise leaves an unhandled rejection
 * in the real app. The mock notes each such failure as `droppedFailures` (setup.ts fails the test on them)
 * instead of letting it surface as an anonymous unhandled rejection.
 */
function settle<T>(api: string, options: Callbacks | undefined, run: () => T | Promise<T>): Promise<T> {
  let handled = false
  const outcome = Promise.resolve()
    .then(run)
    .then(
      (result) => {
        options?.success?.(result as never)
        options?.complete?.(result as never)
        return result
      },
      (failure: unknown) => {
        options?.fail?.(failure as never)
        options?.complete?.(failure as never)
        // Node calls a rejection unhandled once the microtask queue has drained; a few hops stand in for that.
        afterMicrotasks(5, () => {
          if (!handled) state().dropped.push(`Taro.${api}: ${(failure as TaroFailure)?.errMsg ?? String(failure)}`)
        })
        throw failure
      },
    )
  const task = new TaroPromise<T>((resolve, reject) => {
    outcome.then(resolve, reject)
  })
  // The mock reports dropped failures itself (above), so none reaches Jest as an anonymous unhandled rejection.
  Promise.prototype.then.call(task, undefined, () => undefined)
  // Not a plain Promise, so `await` goes through then() too (it skips it for a native promise).
  Object.defineProperty(task, 'then', {
    value: (...args: Parameters<Promise<T>['then']>) => {
      handled = true
      return Promise.prototype.then.apply(task, args)
    },
  })
  return task
}

class TaroPromise<T> extends Promise<T> {
  static get [Symbol.species]() {
    return Promise
  }
}

function afterMicrotasks(hops: number, callback: () => void): void {
  if (hops === 0) callback()
  else void Promise.resolve().then(() => afterMicrotasks(hops - 1, callback))
}

function ok<T extends object>(api: string, extra?: T): T & { errMsg: string } {
  return { errMsg: `${api}:ok`, ...(extra as T) }
}

/** Storage keeps what JSON keeps, as WeChat's does: a test catches a value that would not survive a restart. */
function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value))
}

// ---- Taro API -------------------------------------------------------------------------------------------

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

const MAX_REQUESTS_PER_TEST = 100

function request(options: {
  url: string
  method?: string
  data?: unknown
  header?: Record<string, string>
  timeout?: number
} & Callbacks) {
  const sent: SentRequest = {
    url: options.url,
    method: (options.method ?? 'GET').toUpperCase(),
    data: options.data,
    header: { ...(options.header ?? {}) },
    timeout: options.timeout,
  }
  state().requests.push(sent)
  const task = settle('request', options, async () => {
    if (state().requests.length > MAX_REQUESTS_PER_TEST) {
      // A request loop settles only through microtasks, which would starve Jest's own timeout: stop it here.
      state().unexpected.push(`more than ${MAX_REQUESTS_PER_TEST} requests (a retry or refresh loop?), last: ${sent.method} ${sent.url}`)
      throw { errMsg: 'request:fail too many requests in one test' } satisfies TaroFailure
    }
    const handler = state().requestHandler
    if (!handler) {
      state().unexpected.push(`${sent.method} ${sent.url}`)
      throw { errMsg: 'request:fail no handler set in the test (taroMock.handleRequests)' } satisfies TaroFailure
    }
    const reply = await handler(sent)
    // Through JSON, as over the wire: the page never shares an object with the test's fake server.
    return { statusCode: reply.statusCode, data: clone(reply.data), header: reply.header ?? {}, cookies: [], errMsg: 'request:ok' }
  })
  return Object.assign(task, { abort: () => record('request.abort', sent), onHeadersReceived: () => {}, offHeadersReceived: () => {} })
}

function uploadFile(options: { url: string; filePath: string; name: string; header?: Record<string, string>; formData?: Record<string, unknown> } & Callbacks) {
  const sent: SentUpload = {
    url: options.url,
    filePath: options.filePath,
    name: options.name,
    header: { ...(options.header ?? {}) },
    formData: options.formData,
  }
  state().uploads.push(sent)
  const task = settle('uploadFile', options, async () => {
    const handler = state().uploadHandler
    if (!handler) {
      state().unexpected.push(`UPLOAD ${sent.url}`)
      throw { errMsg: 'uploadFile:fail no handler set in the test (taroMock.handleUploads)' } satisfies TaroFailure
    }
    const reply = await handler(sent)
    // WeChat hands the body back as a string; so does this mock.
    const data = typeof reply.data === 'string' ? reply.data : JSON.stringify(reply.data ?? '')
    return { statusCode: reply.statusCode, data, errMsg: 'uploadFile:ok' }
  })
  return Object.assign(task, { abort: () => record('uploadFile.abort', sent), onProgressUpdate: () => {} })
}

/**
 * Records the call and succeeds (navigation, toasts, dialling, clipboard and the like), unless the test set
 * another outcome with taroMock.answer(api, …).
 */
function recorded(api: string, fallback: Answer = () => ok(api)) {
  return (options?: Callbacks & Record<string, unknown>) => {
    record(api, options)
    return settle(api, options, () => (state().answers.get(api) ?? fallback)(options))
  }
}

function onPage(event: PageEvent, callback: () => void, runOnMount: boolean) {
  // A ref so a re-render's fresh closure is the one that runs on the next event.
  const latest = useRef(callback)
  latest.current = callback
  useEffect(() => {
    const listener = () => latest.current()
    const set = state().pageListeners.get(event) ?? new Set()
    set.add(listener)
    state().pageListeners.set(event, set)
    if (runOnMount) listener()
    return () => {
      set.delete(listener)
    }
  }, [])
}

/** Runs on mount, then again each time the test calls taroMock.showPage(). */
export const useDidShow = (callback: () => void) => onPage('show', callback, true)
export const useDidHide = (callback: () => void) => onPage('hide', callback, false)
export const usePullDownRefresh = (callback: () => void) => onPage('pullDownRefresh', callback, false)
export const useReachBottom = (callback: () => void) => onPage('reachBottom', callback, false)

/** Runs once on mount with the route's params. */
export function useLoad(callback: (params: Record<string, string>) => void): void {
  useEffect(() => {
    callback({ ...state().routerParams })
  }, [])
}
export function useReady(callback: () => void): void {
  useEffect(() => {
    callback()
  }, [])
}
export function useUnload(callback: () => void): void {
  const latest = useRef(callback)
  latest.current = callback
  useEffect(() => () => latest.current(), [])
}
export function useShareAppMessage(_callback: () => unknown): void {}
export function useShareTimeline(_callback: () => unknown): void {}
export function usePageScroll(_callback: () => void): void {}
export function useTabItemTap(_callback: () => void): void {}
export function useRouter() {
  return { params: { ...state().routerParams }, path: '' }
}
export function getCurrentInstance() {
  return { router: { params: { ...state().routerParams }, path: '' }, page: null, app: null }
}

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

const Taro = {
  ENV_TYPE,
  Events,
  eventCenter,
  getEnv,
  request,
  uploadFile,
  login: (options?: Callbacks) => {
    record('login', options)
    return settle('login', options, () => state().login())
  },

  getStorageSync: (key: string): unknown => {
    const raw = state().storage.get(key)
    return raw === undefined ? '' : JSON.parse(raw)
  },
  setStorageSync: (key: string, value: unknown): void => {
    state().storage.set(key, JSON.stringify(clone(value)))
  },
  removeStorageSync: (key: string): void => {
    state().storage.delete(key)
  },
  clearStorageSync: (): void => state().storage.clear(),
  getStorage: (options: { key: string } & Callbacks) =>
    settle('getStorage', options, () => {
      const raw = state().storage.get(options.key)
      if (raw === undefined) throw { errMsg: 'getStorage:fail data not found' } satisfies TaroFailure
      return ok('getStorage', { data: JSON.parse(raw) })
    }),
  setStorage: (options: { key: string; data: unknown } & Callbacks) =>
    settle('setStorage', options, () => {
      state().storage.set(options.key, JSON.stringify(clone(options.data)))
      return ok('setStorage')
    }),
  removeStorage: (options: { key: string } & Callbacks) =>
    settle('removeStorage', options, () => {
      state().storage.delete(options.key)
      return ok('removeStorage')
    }),
  getStorageInfoSync: () => ({ keys: [...state().storage.keys()], currentSize: 0, limitSize: 10240 }),

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
  openPrivacyContract: recorded('openPrivacyContract'),
  requirePrivacyAuthorize: recorded('requirePrivacyAuthorize'),
  onNeedPrivacyAuthorization: (listener: (resolve: (option: unknown) => void) => void) => {
    state().privacyListener = listener
  },
  // Like a person closing the picker, unless the test answers with files.
  chooseMessageFile: recorded('chooseMessageFile', () => {
    throw { errMsg: 'chooseMessageFile:fail cancel' } satisfies TaroFailure
  }),

  getSystemInfoSync: () => ({ ...systemInfo }),
  getWindowInfo: () => ({ ...systemInfo }),
  getAppBaseInfo: () => ({ SDKVersion: systemInfo.SDKVersion, language: systemInfo.language, version: systemInfo.version }),
  getAccountInfoSync: () => ({ miniProgram: { appId: 'wx-test', envVersion: 'develop', version: '' } }),
  getMenuButtonBoundingClientRect: () => ({ width: 87, height: 32, top: 48, right: 365, bottom: 80, left: 278 }),
  canIUse: () => true,
  pxTransform: (size: number) => `${size / 2}px`,
  nextTick: (callback: () => void) => void Promise.resolve().then(callback),
  getCurrentPages: () => [] as unknown[],
  getCurrentInstance,

  useDidShow,
  useDidHide,
  useLoad,
  useReady,
  useUnload,
  usePullDownRefresh,
  useReachBottom,
  useRouter,
  useShareAppMessage,
  useShareTimeline,
  usePageScroll,
  useTabItemTap,
}

export default Taro

// ---- the test side --------------------------------------------------------------------------------------

function firePage(event: PageEvent): void {
  for (const listener of [...(state().pageListeners.get(event) ?? [])]) listener()
}

export const taroMock = {
  /** Called before each test by test/jest/setup.ts. */
  reset(): void {
    holder.__qmfzTaroMock = freshState()
  },

  /** Answers every Taro.request from now on; throw or reject (e.g. with networkFailure()) to fail one. */
  handleRequests(handler: RequestHandler): void {
    state().requestHandler = handler
  },
  handleUploads(handler: UploadHandler): void {
    state().uploadHandler = handler
  },
  /** Every Taro.request so far, oldest first. */
  get requests(): readonly SentRequest[] {
    return state().requests
  },
  get uploads(): readonly SentUpload[] {
    return state().uploads
  },
  /** Requests made while no handler was set, or beyond the per-test cap; setup.ts fails the test when any remain. */
  get unexpectedRequests(): readonly string[] {
    return state().unexpected
  },

  /** Taro calls that failed while nobody handled the promise they returned (see settle()). */
  get droppedFailures(): readonly string[] {
    return state().dropped
  },
  /** For a test about something else that knowingly runs into a dropped failure the app has not fixed yet. */
  tolerateDroppedFailures(): void {
    state().droppedTolerated = true
  },
  get droppedFailuresTolerated(): boolean {
    return state().droppedTolerated
  },

  /** The raw storage, as parsed JSON; `undefined` when the key is absent. */
  stored(key: string): unknown {
    const raw = state().storage.get(key)
    return raw === undefined ? undefined : JSON.parse(raw)
  },
  store(key: string, value: unknown): void {
    state().storage.set(key, JSON.stringify(clone(value)))
  },

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
  setRouterParams(params: Record<string, string>): void {
    state().routerParams = { ...params }
  },

  /** Page lifecycle, as the framework would fire it. Wrap in act() when it changes React state. */
  showPage: () => firePage('show'),
  hidePage: () => firePage('hide'),
  pullDownRefresh: () => firePage('pullDownRefresh'),
  reachBottom: () => firePage('reachBottom'),

  /** WeChat asking for privacy consent before a privacy API; returns what the app resolved it with. */
  needPrivacyConsent(): unknown[] {
    const answers: unknown[] = []
    state().privacyListener?.((option) => answers.push(option))
    return answers
  },
}

/** What Taro.request rejects with when the network is down (weapp's wording). */
export function networkFailure(detail = 'errcode:-101 cronet_error_code:-101 error_msg:net::ERR_INTERNET_DISCONNECTED'): TaroFailure {
  return { errMsg: `request:fail ${detail}` }
}

/** What Taro.request rejects with when the server does not answer within `timeout`, in WeChat. */
export function timeoutFailure(): TaroFailure {
  return { errMsg: 'request:fail timeout' }
}

/** The same in the web build: Taro aborts its fetch and passes on the abort's own message. */
export function webTimeoutFailure(): TaroFailure & { name: string } {
  return { name: 'AbortError', errMsg: 'signal is aborted without reason' }
}

/** A promise the test settles by hand, to hold a request open while others start. */
export function deferred<T>() {
  let resolve!: (value: T | PromiseLike<T>) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

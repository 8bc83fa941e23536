/**
 * What the mock remembers during one test, and the shapes tests see. The state lives on globalThis, so a test
 * that re-imports the app with `jest.resetModules()` or `jest.isolateModules()` still talks to the same mock as
 * the module under test: every copy of these modules reads the one holder.
 */

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
  timeout?: number
}
export type UploadHandler = (upload: SentUpload) => Reply | Promise<Reply>

/** What the app handed to Taro.downloadFile, as recorded. */
export interface SentDownload {
  url: string
  header: Record<string, string>
  /** Where the app asked WeChat to keep the file; absent for a temp file. */
  filePath?: string
  timeout?: number
}
/** The answer's body is written to the downloaded file: a string as it is, anything else as JSON. */
export type DownloadHandler = (download: SentDownload) => Reply | Promise<Reply>

/** How Taro.request fails: the promise rejects with (and `fail` receives) a plain object, not an Error. */
export interface TaroFailure {
  errMsg: string
}

export type Callbacks = { success?: (result: never) => void; fail?: (result: never) => void; complete?: (result: never) => void }
/** A test's stand-in for one API's outcome: return the success result, or throw a TaroFailure. */
export type Answer = (options: unknown) => unknown

export type PageEvent = 'show' | 'hide' | 'pullDownRefresh' | 'reachBottom'
export type Listener = (...args: unknown[]) => void

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
  downloads: SentDownload[]
  downloadHandler: DownloadHandler | null
  /** Local files (downloads), path → text, for the file system manager. */
  files: Map<string, string>
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
    downloads: [],
    downloadHandler: null,
    files: new Map(),
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
export const state = (): MockState => (holder.__qmfzTaroMock ??= freshState())

export function resetState(): void {
  holder.__qmfzTaroMock = freshState()
}

/**
 * Taro.request and Taro.uploadFile, answered by the test's handlers, and the failures and helpers tests use to
 * play the network.
 */
import { settle, record } from './settle'
import { state, type Callbacks, type RequestHandler, type SentRequest, type SentUpload, type TaroFailure, type UploadHandler } from './state'
import { clone } from './storage'

const MAX_REQUESTS_PER_TEST = 100

type RequestOptions = { url: string; method?: string; data?: unknown; header?: Record<string, string>; timeout?: number } & Callbacks
type UploadOptions = { url: string; filePath: string; name: string; header?: Record<string, string>; formData?: Record<string, unknown>; timeout?: number } & Callbacks

function request(options: RequestOptions) {
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

function uploadFile(options: UploadOptions) {
  const sent: SentUpload = {
    url: options.url,
    filePath: options.filePath,
    name: options.name,
    header: { ...(options.header ?? {}) },
    formData: options.formData,
    timeout: options.timeout,
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

export const networkApis = { request, uploadFile }

export const networkControls = {
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

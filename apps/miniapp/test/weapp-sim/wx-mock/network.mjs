// wx.request: answered by the test's request handler, else sent with fetch to apiBase, else failed
// like a phone without network. Every request is recorded with how it ended.
import { callbacksOrPromise, fail, finish } from './async.mjs'

/**
 * Returns { api: { request }, requests, abortAll }. `runtime` is the mock's async runtime (after
 * its close() no callback runs); abortAll() stops fetches still in flight.
 */
export function createNetwork({ options, state, runtime }) {
  /** Every wx.request with how it ended: { method, url, data, header, statusCode, response, errMsg }. */
  const requests = []
  const abortControllers = new Set()

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
    if (options.apiBase) return viaFetch(request, options, abortControllers)
    // Like a phone without network: the app sees request:fail and must cope.
    return fail(`no handler for ${request.method} ${request.url} (give request or apiBase)`)
  }

  function request(opts = {}) {
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
          if (runtime.closed) return
          if (aborted) return end({ reason: 'abort' }, false)
          if (result?.__fail) return end({ reason: result.__fail, errno: 600001 }, false)
          end(result, true)
        },
        (error) => {
          state.pendingRequests--
          if (!runtime.closed) end({ reason: error?.message ?? String(error) }, false)
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
    // Taro calls wx.request with callbacks; a direct promise call gets the task's methods too.
    return promise ? Object.assign(promise, task) : task
  }

  const abortAll = () => {
    for (const controller of abortControllers) controller.abort(new Error('closed'))
  }
  return { api: { request }, requests, abortAll }
}

/** Where a request goes when it reaches the network: relative URLs and other origins move to apiBase. */
function resolveUrl(url, options) {
  const apiBase = options.apiBase.replace(/\/$/, '')
  if (/^https?:\/\//i.test(url)) {
    if (options.allowNetwork || url.startsWith(apiBase)) return url
    const parsed = new URL(url)
    return `${apiBase}${parsed.pathname}${parsed.search}`
  }
  return `${apiBase}${url.startsWith('/') ? '' : '/'}${url}`
}

/** The fetch arguments wx.request's options amount to: { target, method, headers, body }. */
function toFetchRequest({ url, method = 'GET', data, header = {} }, options) {
  const target = new URL(resolveUrl(url, options))
  const headers = Object.fromEntries(Object.entries(header).map(([key, value]) => [key, String(value)]))
  const upper = method.toUpperCase()
  let body
  if (data === undefined || data === null) return { target, method: upper, headers, body }
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
  return { target, method: upper, headers, body }
}

async function viaFetch(request, options, abortControllers) {
  const { target, method, headers, body } = toFetchRequest(request, options)
  const { timeout, dataType = 'json', responseType = 'text' } = request
  const controller = new AbortController()
  abortControllers.add(controller)
  const timer = timeout ? setTimeout(() => controller.abort(new Error('timeout')), timeout) : null
  try {
    const response = await fetch(target, { method, headers, body, signal: controller.signal })
    const payload = responseType === 'arraybuffer' ? await response.arrayBuffer() : parseBody(await response.text(), dataType)
    return { statusCode: response.status, data: payload, header: Object.fromEntries(response.headers.entries()), cookies: [] }
  } catch (error) {
    const reason = controller.signal.aborted ? (String(controller.signal.reason?.message) === 'timeout' ? 'timeout' : 'abort') : error?.cause?.code ?? error?.message ?? 'network error'
    return fail(reason)
  } finally {
    if (timer) clearTimeout(timer)
    abortControllers.delete(controller)
  }
}

function parseBody(text, dataType) {
  if (dataType !== 'json') return text
  try {
    return JSON.parse(text)
  } catch {
    return text // wx.request leaves a non-JSON body as a string
  }
}

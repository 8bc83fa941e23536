/// <reference types="jest" />
import { ERROR_MESSAGES, ErrorCode, type ErrorResponse, type TokenResponse } from '@qmfz/contracts'

import { serveBrowserDownloads } from '../../test/jest/browser-download'
import { isolated } from '../../test/jest/isolated'
import { deferred, networkFailure, taroMock, timeoutFailure, USER_DATA_PATH, type Reply, type SentRequest } from '../../test/jest/taro'

/** A fresh client and session per test: the session is read from storage when its module loads. */
function loadApp() {
  return isolated(() => ({
    ...(require('./client') as typeof import('./client')),
    ...(require('./session') as typeof import('./session')),
  }))
}

function tokens(accessToken: string, refreshToken: string, expiresIn = 3600): TokenResponse {
  return { accessToken, refreshToken, expiresIn, refreshExpiresIn: 30 * 24 * 3600 }
}

function refusal(status: number, code: ErrorCode, message: string = ERROR_MESSAGES[code]): Reply {
  const body: ErrorResponse = { code, message, requestId: 'req-1' }
  return { statusCode: status, data: body }
}

const pathOf = (request: SentRequest) => request.url.replace(/^https:\/\/api\.test\/api/, '').replace(/\?.*$/, '')
const sentTo = (path: string) => taroMock.requests.filter((request) => pathOf(request) === path)
const bearer = (request: SentRequest) => request.header.Authorization

/** Stands in for the API: access-1 has expired, access-2 is good, refresh-1 renews once. */
function serverWithExpiredToken(refreshAnswer: () => Reply | Promise<Reply> = () => ({ statusCode: 200, data: tokens('access-2', 'refresh-2') })) {
  taroMock.handleRequests((request) => {
    if (pathOf(request) === '/auth/refresh') return refreshAnswer()
    if (bearer(request) === 'Bearer access-2') return { statusCode: 200, data: { path: pathOf(request) } }
    return refusal(401, ErrorCode.AUTH_TOKEN_EXPIRED)
  })
}

/** Lets every pending promise chain run, so concurrent calls reach their first await on the network. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

afterEach(() => {
  jest.useRealTimers()
})

describe('api client: the token', () => {
  it('attaches the signed-in person’s access token as a bearer token and sends no token on the URL', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => ({ statusCode: 200, data: { id: 'me' } }))

    await expect(api.get('/me')).resolves.toEqual({ id: 'me' })

    expect(taroMock.requests).toHaveLength(1)
    const [request] = taroMock.requests
    expect(request.url).toBe('https://api.test/api/me')
    expect(request.method).toBe('GET')
    expect(bearer(request)).toBe('Bearer access-1')
    expect(request.url).not.toContain('access-1')
  })

  it('uses the session kept in storage after a restart', async () => {
    const first = loadApp()
    first.session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => ({ statusCode: 200, data: [] }))

    const { api, session } = loadApp()
    await api.get('/units')

    expect(session.signedIn).toBe(true)
    expect(bearer(taroMock.requests[0])).toBe('Bearer access-1')
  })

  it('on the web, refuses to call without a session, asking the person to sign in, and sends nothing', async () => {
    const { api } = loadApp()
    taroMock.handleRequests(() => ({ statusCode: 200, data: {} }))

    await expect(api.get('/me')).rejects.toMatchObject({ code: ErrorCode.AUTH_REQUIRED, message: '请先登录' })
    expect(taroMock.requests).toHaveLength(0)
  })

  it('in WeChat, signs in silently with wx.login when there is no session, then makes the call', async () => {
    process.env.TARO_ENV = 'weapp'
    const { api, session } = loadApp()
    taroMock.answerLogin(async () => ({ code: 'code-from-wechat' }))
    taroMock.handleRequests((request) =>
      pathOf(request) === '/auth/wechat' ? { statusCode: 200, data: tokens('access-w', 'refresh-w') } : { statusCode: 200, data: { ok: true } },
    )

    await expect(api.get('/me')).resolves.toEqual({ ok: true })

    expect(sentTo('/auth/wechat').map((request) => request.data)).toEqual([{ code: 'code-from-wechat' }])
    expect(bearer(sentTo('/me')[0])).toBe('Bearer access-w')
    expect(session.signedIn).toBe(true)
  })

  it('renews a token that is about to run out before sending, instead of sending it and being refused', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1', 10)) // 10 s left: inside the safety margin
    serverWithExpiredToken()

    await api.get('/me')

    expect(sentTo('/auth/refresh').map((request) => request.data)).toEqual([{ refreshToken: 'refresh-1' }])
    expect(sentTo('/me').map(bearer)).toEqual(['Bearer access-2'])
  })
})

describe('api client: an expired token', () => {
  it('is refreshed once and the call repeated with the new token', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    serverWithExpiredToken()

    await expect(api.get('/me')).resolves.toEqual({ path: '/me' })

    expect(sentTo('/auth/refresh')).toHaveLength(1)
    expect(sentTo('/auth/refresh')[0].data).toEqual({ refreshToken: 'refresh-1' })
    expect(bearer(sentTo('/auth/refresh')[0])).toBeUndefined()
    expect(sentTo('/me').map(bearer)).toEqual(['Bearer access-1', 'Bearer access-2'])
  })

  it('is refreshed only once when several calls are refused at the same time, and all of them then succeed', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    const refresh = deferred<Reply>()
    serverWithExpiredToken(() => refresh.promise)

    const calls = [api.get('/me'), api.get('/units'), api.post('/memberships/join', { code: 'ABC' })]
    await settle()
    // All three were refused while the one refresh is still on its way.
    expect(taroMock.requests.filter((request) => bearer(request) === 'Bearer access-1')).toHaveLength(3)
    expect(sentTo('/auth/refresh')).toHaveLength(1)

    refresh.resolve({ statusCode: 200, data: tokens('access-2', 'refresh-2') })

    await expect(Promise.all(calls)).resolves.toEqual([{ path: '/me' }, { path: '/units' }, { path: '/memberships/join' }])
    expect(sentTo('/auth/refresh')).toHaveLength(1)
    expect(taroMock.requests.filter((request) => bearer(request) === 'Bearer access-2')).toHaveLength(3)
  })

  it('keeps the renewed tokens for the next start, replacing the spent refresh token', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    serverWithExpiredToken()
    await api.get('/me')

    const restarted = loadApp()
    taroMock.handleRequests(() => ({ statusCode: 200, data: {} }))
    await restarted.api.get('/me')

    expect(bearer(taroMock.requests.at(-1)!)).toBe('Bearer access-2')
    expect(sentTo('/auth/refresh')).toHaveLength(1)
  })

  it('is not refreshed a second time when the server still refuses the new token: the refusal reaches the page', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests((request) =>
      pathOf(request) === '/auth/refresh' ? { statusCode: 200, data: tokens('access-2', 'refresh-2') } : refusal(401, ErrorCode.AUTH_TOKEN_EXPIRED),
    )

    await expect(api.get('/me')).rejects.toMatchObject({ code: ErrorCode.AUTH_TOKEN_EXPIRED, message: '登录已过期，请重新登录' })
    expect(sentTo('/auth/refresh')).toHaveLength(1)
    expect(sentTo('/me')).toHaveLength(2)
  })

  it('signs the person out on the web when the refresh token is refused, asking them to sign in again', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    serverWithExpiredToken(() => refusal(401, ErrorCode.AUTH_REFRESH_INVALID))

    await expect(api.get('/me')).rejects.toMatchObject({ code: ErrorCode.AUTH_REQUIRED, message: '请先登录' })
    expect(session.signedIn).toBe(false)
    expect(taroMock.stored('qmfz.session')).toBeUndefined()
  })

  it('keeps the session when the refresh itself fails for lack of network, so a later try can still renew', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    serverWithExpiredToken(() => {
      throw networkFailure()
    })

    await expect(api.post('/units', { name: 'x' })).rejects.toMatchObject({ code: 'NETWORK' })
    expect(session.signedIn).toBe(true)
    expect(taroMock.stored('qmfz.session')).toMatchObject({ refreshToken: 'refresh-1' })
  })

  it('is not renewed for other refusals such as a missing permission', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => refusal(403, ErrorCode.FORBIDDEN, '您没有权限进行此操作'))

    await expect(api.get('/units/u1/roster')).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN, status: 403, message: '您没有权限进行此操作' })
    expect(sentTo('/auth/refresh')).toHaveLength(0)
    expect(taroMock.requests).toHaveLength(1)
  })
})

describe('api client: failures', () => {
  it('repeats a GET after a network failure and returns the answer once the network is back', async () => {
    jest.useFakeTimers()
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    let attempts = 0
    taroMock.handleRequests(() => {
      attempts += 1
      if (attempts < 3) throw networkFailure()
      return { statusCode: 200, data: ['unit'] }
    })

    const answer = api.get('/units')
    await jest.runAllTimersAsync()

    await expect(answer).resolves.toEqual(['unit'])
    expect(taroMock.requests).toHaveLength(3)
  })

  it('gives up on a GET after three attempts with a Chinese message about the network', async () => {
    jest.useFakeTimers()
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => {
      throw networkFailure()
    })

    const answer = api.get('/units')
    const outcome = expect(answer).rejects.toMatchObject({ code: 'NETWORK', status: 0, message: '网络连接失败，请检查网络后重试' })
    await jest.runAllTimersAsync()

    await outcome
    expect(taroMock.requests).toHaveLength(3)
  })

  it('sends a POST exactly once when the network fails, so nothing is ever done twice', async () => {
    jest.useFakeTimers()
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => {
      throw networkFailure()
    })

    const answer = api.post('/memberships/join', { code: 'ABC' })
    const outcome = expect(answer).rejects.toMatchObject({ code: 'NETWORK', message: '网络连接失败，请检查网络后重试', offline: true })
    await jest.runAllTimersAsync()

    await outcome
    expect(taroMock.requests).toHaveLength(1)
  })

  it('does not repeat PATCH or DELETE either', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => refusal(503, ErrorCode.INTERNAL))

    await expect(api.patch('/units/u1', { name: 'y' })).rejects.toMatchObject({ status: 503 })
    await expect(api.delete('/units/u1/invites/i1')).rejects.toMatchObject({ status: 503 })
    expect(taroMock.requests.map((request) => request.method)).toEqual(['PATCH', 'DELETE'])
  })

  it('repeats a GET the gateway answered with 503, but not one the server answered with 500', async () => {
    jest.useFakeTimers()
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    let unavailable = 1
    taroMock.handleRequests((request) => {
      if (pathOf(request) === '/broken') return refusal(500, ErrorCode.INTERNAL)
      return unavailable-- > 0 ? { statusCode: 503, data: 'Service Unavailable' } : { statusCode: 200, data: 'ok' }
    })

    const recovered = api.get('/flaky')
    const broken = expect(api.get('/broken')).rejects.toMatchObject({ code: ErrorCode.INTERNAL, message: '服务器开小差了，请稍后再试' })
    await jest.runAllTimersAsync()

    await expect(recovered).resolves.toBe('ok')
    await broken
    expect(sentTo('/flaky')).toHaveLength(2)
    expect(sentTo('/broken')).toHaveLength(1)
  })

  it('turns a timeout into its own Chinese message and gives Taro.request a time limit', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => {
      throw timeoutFailure()
    })

    await expect(api.post('/units', { name: '白土镇中心小学' })).rejects.toMatchObject({
      code: 'TIMEOUT',
      status: 0,
      message: '网络较慢，请求超时，请稍后重试',
    })
    expect(taroMock.requests[0].timeout).toBeGreaterThan(0)
  })

  it('passes the server’s Chinese message and per-field problems through to the page', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => ({
      statusCode: 400,
      data: {
        code: ErrorCode.VALIDATION_FAILED,
        message: '提交的内容不符合要求',
        requestId: 'req-9',
        details: [{ field: 'name', message: '单位名称不能为空' }],
      } satisfies ErrorResponse,
    }))

    const failure = await api.post('/units', { name: '' }).catch((error: unknown) => error)

    expect(failure).toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      status: 400,
      message: '提交的内容不符合要求',
      details: [{ field: 'name', message: '单位名称不能为空' }],
    })
  })

  it('shows a generic Chinese message, never raw HTML, when a proxy answers with a page instead of JSON', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => ({ statusCode: 502, data: '<html><body>Bad Gateway</body></html>' }))

    const failure = await api.post('/units', { name: 'x' }).catch((error: unknown) => error)

    expect(failure).toMatchObject({ code: ErrorCode.INTERNAL, status: 502, message: '服务器开小差了，请稍后再试' })
    expect((failure as Error).message).not.toContain('<html>')
  })
  it('names a bare answer that is not the API’s by its status, in Chinese: too many requests, not found', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests((request) =>
      request.url.endsWith('/busy') ? { statusCode: 429, data: '<html>Too Many Requests</html>' } : { statusCode: 404, data: '' },
    )

    await expect(api.post('/busy')).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED, status: 429, message: '操作过于频繁，请稍后再试' })
    await expect(api.post('/gone')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND, status: 404, message: '请求的资源不存在' })
    expect(sentTo('/auth/refresh')).toHaveLength(0)
  })
})

describe('api client: request shape', () => {
  it('sends JSON bodies with a JSON content type, bodiless GETs without one, and leaves unset query values out', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => ({ statusCode: 200, data: {} }))

    await api.get('/units/u1/members', { query: { status: 'pending', name: '白土 镇', skipped: undefined } })
    await api.post('/units', { name: '白土镇' })

    const [get, post] = taroMock.requests
    expect(get.url).toBe('https://api.test/api/units/u1/members?status=pending&name=%E7%99%BD%E5%9C%9F%20%E9%95%87')
    expect(get.header['Content-Type']).toBeUndefined()
    expect(get.data).toBeUndefined()
    expect(post.header['Content-Type']).toBe('application/json')
    expect(post.data).toEqual({ name: '白土镇' })
  })

  it('uploads a file with the bearer token and reads the JSON answer WeChat hands back as text', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleUploads(() => ({ statusCode: 201, data: { imported: 12 } }))

    await expect(api.upload('/units/u1/roster', { filePath: 'wxfile://tmp/roster.xlsx', field: 'file' })).resolves.toEqual({ imported: 12 })

    expect(taroMock.uploads).toHaveLength(1)
    expect(taroMock.uploads[0]).toMatchObject({ url: 'https://api.test/api/units/u1/roster', name: 'file', filePath: 'wxfile://tmp/roster.xlsx' })
    expect(taroMock.uploads[0].header.Authorization).toBe('Bearer access-1')
  })

  it('sends text fields with an upload and may give it more time', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleUploads(() => ({ statusCode: 201, data: { id: 'v1' } }))

    await api.upload('/videos', { filePath: 'wxfile://tmp/a.mp4', field: 'file', fileName: 'a.mp4', formData: { title: '防范电信诈骗', durationSeconds: '95' }, timeoutMs: 600_000 })

    expect(taroMock.uploads[0]).toMatchObject({ name: 'file', formData: { title: '防范电信诈骗', durationSeconds: '95' }, timeout: 600_000 })
  })

  it('sends no text fields when an upload has none, as before', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleUploads(() => ({ statusCode: 201, data: {} }))

    await api.upload('/units/u1/roster', { filePath: 'wxfile://tmp/roster.xlsx', field: 'file' })

    expect(taroMock.uploads[0].formData).toBeUndefined()
    expect(taroMock.uploads[0].timeout).toBe(60_000)
  })
})

/**
 * A fresh client whose Taro.uploadFile is the shared mock's, with its task's progress events played by the test:
 * `progress(n)` fires every listener the client put on the running task.
 */
function loadAppWithUploadProgress(options: { taskHasProgress?: boolean } = {}) {
  const listeners: Array<(result: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void> = []
  const app = isolated(() => {
    const Taro = (require('@tarojs/taro') as { default: Record<string, unknown> }).default
    const real = Taro.uploadFile as (options: unknown) => Promise<unknown> & Record<string, unknown>
    Taro.uploadFile = (uploadOptions: unknown) => {
      const task = real(uploadOptions)
      if (options.taskHasProgress === false) return Object.assign(task, { onProgressUpdate: undefined })
      return Object.assign(task, { onProgressUpdate: (listener: (typeof listeners)[number]) => listeners.push(listener) })
    }
    return {
      ...(require('./client') as typeof import('./client')),
      ...(require('./session') as typeof import('./session')),
    }
  })
  const progress = (percent: number) => {
    for (const listener of listeners) listener({ progress: percent, totalBytesSent: percent * 1000, totalBytesExpectedToSend: 100_000 })
  }
  return { ...app, listeners, progress }
}

describe('api client: upload progress', () => {
  it('passes the upload task’s progress to onProgress as whole percents while the file goes out', async () => {
    const { api, session, progress, listeners } = loadAppWithUploadProgress()
    session.adopt(tokens('access-1', 'refresh-1'))
    const reply = deferred<Reply>()
    taroMock.handleUploads(() => reply.promise)
    const seen: number[] = []

    const uploading = api.upload('/tips/attachments', { filePath: 'wxfile://tmp/chat.jpg', field: 'file', onProgress: (percent) => seen.push(percent) })
    await settle()
    expect(listeners).toHaveLength(1)
    progress(0)
    progress(37.6)
    progress(Number.NaN) // Taro H5 divides by a zero total for an empty body
    progress(100)
    reply.resolve({ statusCode: 201, data: { id: 'a1' } })

    await expect(uploading).resolves.toEqual({ id: 'a1' })
    expect(seen).toEqual([0, 38, 100])
  })

  it('reports progress again for the repeat after a token renewal, and still renews only once', async () => {
    const { api, session, progress, listeners } = loadAppWithUploadProgress()
    session.adopt(tokens('access-1', 'refresh-1'))
    serverWithExpiredToken()
    taroMock.handleUploads((upload) => (upload.header.Authorization === 'Bearer access-2' ? { statusCode: 201, data: { id: 'a2' } } : refusal(401, ErrorCode.AUTH_TOKEN_EXPIRED)))
    const seen: number[] = []

    await expect(api.upload('/tips/attachments', { filePath: 'wxfile://tmp/chat.jpg', field: 'file', onProgress: (percent) => seen.push(percent) })).resolves.toEqual({ id: 'a2' })

    expect(taroMock.uploads.map((upload) => upload.header.Authorization)).toEqual(['Bearer access-1', 'Bearer access-2'])
    expect(sentTo('/auth/refresh')).toHaveLength(1)
    expect(listeners).toHaveLength(2)
    progress(50)
    expect(seen).toEqual([50, 50])
  })

  it('uploads as before where the task has no progress events, and listens for none when not asked', async () => {
    const without = loadAppWithUploadProgress({ taskHasProgress: false })
    without.session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleUploads(() => ({ statusCode: 201, data: { id: 'a3' } }))
    const onProgress = jest.fn()
    await expect(without.api.upload('/tips/attachments', { filePath: 'blob:https://app.test/1', field: 'file', onProgress })).resolves.toEqual({ id: 'a3' })
    expect(onProgress).not.toHaveBeenCalled()

    const unasked = loadAppWithUploadProgress()
    await unasked.api.upload('/units/u1/roster', { filePath: 'wxfile://tmp/roster.xlsx', field: 'file' })
    expect(unasked.listeners).toHaveLength(0)
  })
})

describe('api client: downloads in a browser', () => {
  const xlsx = 'PK-xlsx-bytes'

  it('fetches the file with the bearer token and saves it under the given name, releasing its URL afterwards', async () => {
    jest.useFakeTimers()
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    const browser = serveBrowserDownloads(() => ({ statusCode: 200, data: xlsx }))

    await api.download('/campaigns/c1/units/u1/export', { fileName: '观看情况-白土村.xlsx' })

    expect(browser.fetches).toEqual([{ url: 'https://api.test/api/campaigns/c1/units/u1/export', headers: { Authorization: 'Bearer access-1' } }])
    const [file] = await browser.saved()
    expect(file).toMatchObject({ fileName: '观看情况-白土村.xlsx', text: xlsx })
    expect(document.querySelector('a[download]')).toBeNull()
    expect(browser.revoked).toEqual([])
    await jest.runAllTimersAsync()
    expect(browser.revoked).toEqual([file.href])
    expect(taroMock.requests).toHaveLength(0)
  })

  it('turns a JSON error answer into the server’s code and Chinese message, and saves nothing', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    const browser = serveBrowserDownloads(() => refusal(403, ErrorCode.FORBIDDEN, '您无权查看该单位'))

    await expect(api.download('/campaigns/c1/units/u9/export', { fileName: 'x.xlsx' })).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
      message: '您无权查看该单位',
      status: 403,
    })
    expect(await browser.saved()).toEqual([])
    expect(browser.fetches).toHaveLength(1)
  })

  it('renews an expired token once and fetches again with the new one', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => ({ statusCode: 200, data: tokens('access-2', 'refresh-2') }))
    const browser = serveBrowserDownloads((sent) =>
      sent.headers.Authorization === 'Bearer access-2' ? { statusCode: 200, data: xlsx } : refusal(401, ErrorCode.AUTH_TOKEN_EXPIRED),
    )

    await api.download('/campaigns/c1/units/u1/export', { fileName: 'x.xlsx' })

    expect(browser.fetches.map((sent) => sent.headers.Authorization)).toEqual(['Bearer access-1', 'Bearer access-2'])
    expect(sentTo('/auth/refresh')).toHaveLength(1)
    expect(await browser.saved()).toHaveLength(1)
  })

  it('tries again when the network fails, then says so in Chinese', async () => {
    jest.useFakeTimers()
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    const browser = serveBrowserDownloads(() => {
      throw new TypeError('Failed to fetch')
    })

    const outcome = expect(api.download('/campaigns/c1/units/u1/export', { fileName: 'x.xlsx' })).rejects.toMatchObject({
      code: 'NETWORK',
      message: '网络连接失败，请检查网络后重试',
    })
    await jest.runAllTimersAsync()

    await outcome
    expect(browser.fetches).toHaveLength(3)
  })
})

describe('api client: downloads in WeChat', () => {
  function loadWeChatApp() {
    process.env.TARO_ENV = 'weapp'
    const app = loadApp()
    app.session.adopt(tokens('access-1', 'refresh-1'))
    return app
  }

  it('downloads with the bearer token into a file named for people, then opens it with the viewer’s menu', async () => {
    const { api } = loadWeChatApp()
    taroMock.handleDownloads(() => ({ statusCode: 200, data: 'PK-xlsx-bytes' }))

    await api.download('/campaigns/c1/units/u1/export', { fileName: '观看情况-白土村 一组.xlsx' })

    expect(taroMock.downloads).toEqual([
      expect.objectContaining({
        url: 'https://api.test/api/campaigns/c1/units/u1/export',
        header: { Authorization: 'Bearer access-1' },
        filePath: `${USER_DATA_PATH}/观看情况-白土村_一组.xlsx`,
      }),
    ])
    expect(taroMock.calls('openDocument')).toEqual([
      expect.objectContaining({ filePath: `${USER_DATA_PATH}/观看情况-白土村_一组.xlsx`, fileType: 'xlsx', showMenu: true }),
    ])
    expect(taroMock.requests).toHaveLength(0)
  })

  it('reads an error answer back from the downloaded file and opens nothing', async () => {
    const { api } = loadWeChatApp()
    taroMock.handleDownloads(() => refusal(404, ErrorCode.CAMPAIGN_NOT_FOUND, '观看任务不存在'))

    await expect(api.download('/campaigns/c9/units/u1/export', { fileName: 'x.xlsx' })).rejects.toMatchObject({
      code: ErrorCode.CAMPAIGN_NOT_FOUND,
      message: '观看任务不存在',
      status: 404,
    })
    expect(taroMock.calls('openDocument')).toHaveLength(0)
  })

  it('renews an expired token once and downloads again with the new one', async () => {
    const { api } = loadWeChatApp()
    taroMock.handleRequests(() => ({ statusCode: 200, data: tokens('access-2', 'refresh-2') }))
    taroMock.handleDownloads((sent) =>
      sent.header.Authorization === 'Bearer access-2' ? { statusCode: 200, data: 'PK' } : refusal(401, ErrorCode.AUTH_TOKEN_EXPIRED),
    )

    await api.download('/campaigns/c1/units/u1/export', { fileName: 'x.xlsx' })

    expect(taroMock.downloads.map((sent) => sent.header.Authorization)).toEqual(['Bearer access-1', 'Bearer access-2'])
    expect(taroMock.calls('openDocument')).toHaveLength(1)
  })

  it('says in Chinese that the file could not be opened when the viewer fails', async () => {
    const { api } = loadWeChatApp()
    taroMock.handleDownloads(() => ({ statusCode: 200, data: 'PK' }))
    taroMock.answer('openDocument', () => {
      throw { errMsg: 'openDocument:fail filetype not supported' }
    })

    await expect(api.download('/campaigns/c1/units/u1/export', { fileName: 'x.xlsx' })).rejects.toMatchObject({
      code: 'FILE_NOT_OPENED',
      message: '文件已下载，但无法打开，请稍后重试',
    })
  })
})

/// <reference types="jest" />
import { ERROR_MESSAGES, ErrorCode, type ErrorResponse, type TokenResponse } from '@qmfz/contracts'

import { isolated } from '../../test/jest/isolated'
import { deferred, taroMock, webTimeoutFailure, type Reply, type SentRequest } from '../../test/jest/taro'

/** A fresh copy of the app, as a new start (or a second browser tab) would load it from the same storage. */
function loadApp() {
  return isolated(() => ({
    ...(require('./client') as typeof import('./client')),
    ...(require('./session') as typeof import('./session')),
    ...(require('./demo-login') as typeof import('./demo-login')),
  }))
}

function tokens(accessToken: string, refreshToken: string, expiresIn = 3600): TokenResponse {
  return { accessToken, refreshToken, expiresIn, refreshExpiresIn: 30 * 24 * 3600 }
}

function refusal(status: number, code: ErrorCode): Reply {
  const body: ErrorResponse = { code, message: ERROR_MESSAGES[code], requestId: 'req-1' }
  return { statusCode: status, data: body }
}

const pathOf = (request: SentRequest) => request.url.replace(/^https:\/\/api\.test\/api/, '').replace(/\?.*$/, '')
const sentTo = (path: string) => taroMock.requests.filter((request) => pathOf(request) === path)
const bodyOf = (request: SentRequest) => request.data as Record<string, unknown>

describe('session: renewals that end badly', () => {
  it.each([
    ['a gateway answering 503', 503, ErrorCode.INTERNAL],
    ['the rate limit answering 429', 429, ErrorCode.RATE_LIMITED],
  ])('keeps the login when the refresh meets %s, so a later call can still renew it', async (_what, status, code) => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1', 0))
    taroMock.handleRequests((request) => (pathOf(request) === '/auth/refresh' ? refusal(status, code) : { statusCode: 200, data: {} }))

    await expect(api.post('/units', { name: '某村' })).rejects.toMatchObject({ status })
    expect(session.signedIn).toBe(true)
    expect(taroMock.stored('qmfz.session')).toMatchObject({ refreshToken: 'refresh-1' })
  })

  it('stays signed out when a refresh that was under way at sign-out comes back, and ends that login on the server', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1', 0))
    const refresh = deferred<Reply>()
    taroMock.handleRequests((request) => {
      if (pathOf(request) === '/auth/refresh') return refresh.promise
      return { statusCode: 204, data: '' }
    })

    const call = api.get('/me')
    await new Promise((resolve) => setTimeout(resolve, 0))
    await session.signOut()
    refresh.resolve({ statusCode: 200, data: tokens('access-2', 'refresh-2') })

    await expect(call).rejects.toMatchObject({ code: ErrorCode.AUTH_REQUIRED })
    expect(session.signedIn).toBe(false)
    expect(taroMock.stored('qmfz.session')).toBeUndefined()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(sentTo('/auth/logout').map(bodyOf)).toEqual([{ refreshToken: 'refresh-1' }, { refreshToken: 'refresh-2' }])
  })
})

describe('session: two copies of the app (browser tabs) on one storage', () => {
  it('uses the tokens the other tab renewed instead of presenting the spent refresh token again', async () => {
    taroMock.store('qmfz.session', { accessToken: 'access-1', refreshToken: 'refresh-1', accessExpiresAt: 0 })
    const tabA = loadApp()
    const tabB = loadApp()
    taroMock.handleRequests((request) => {
      if (pathOf(request) === '/auth/refresh') {
        // The server rotates: refresh-1 works once.
        return bodyOf(request).refreshToken === 'refresh-1' && sentTo('/auth/refresh').length === 1
          ? { statusCode: 200, data: tokens('access-2', 'refresh-2') }
          : refusal(401, ErrorCode.AUTH_REFRESH_INVALID)
      }
      return request.header.Authorization === 'Bearer access-2' ? { statusCode: 200, data: { ok: true } } : refusal(401, ErrorCode.AUTH_TOKEN_EXPIRED)
    })

    await expect(tabA.api.get('/me')).resolves.toEqual({ ok: true })
    await expect(tabB.api.get('/me')).resolves.toEqual({ ok: true })

    expect(sentTo('/auth/refresh')).toHaveLength(1)
    expect(tabB.session.signedIn).toBe(true)
  })

  it('follows a sign-out in the other tab', async () => {
    taroMock.store('qmfz.session', { accessToken: 'access-1', refreshToken: 'refresh-1', accessExpiresAt: Date.now() + 3_600_000 })
    const tabA = loadApp()
    const tabB = loadApp()
    taroMock.handleRequests(() => ({ statusCode: 204, data: '' }))

    await tabA.session.signOut()

    await expect(tabB.api.get('/me')).rejects.toMatchObject({ code: ErrorCode.AUTH_REQUIRED })
    expect(tabB.session.signedIn).toBe(false)
  })
})

describe('session: the demo login', () => {
  it('keeps the current login when signing in as someone else fails', async () => {
    const { demoLogin, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => refusal(403, ErrorCode.AUTH_DEV_LOGIN_DISABLED))

    await expect(demoLogin({ name: '张三' })).rejects.toMatchObject({ code: ErrorCode.AUTH_DEV_LOGIN_DISABLED })
    expect(session.signedIn).toBe(true)
    expect(sentTo('/auth/logout')).toHaveLength(0)
  })

  it('replaces the login once the new one is granted, and ends the previous one on the server', async () => {
    const { demoLogin, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests((request) => (pathOf(request) === '/auth/dev-login' ? { statusCode: 200, data: tokens('access-9', 'refresh-9') } : { statusCode: 204, data: '' }))

    await demoLogin({ name: '张三' })

    expect(taroMock.stored('qmfz.session')).toMatchObject({ accessToken: 'access-9', refreshToken: 'refresh-9' })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(sentTo('/auth/logout').map(bodyOf)).toEqual([{ refreshToken: 'refresh-1' }])
  })
})

describe('transport on the web', () => {
  it('calls an aborted fetch (Taro’s web timeout) a timeout, not a lost network', async () => {
    const { api, session } = loadApp()
    session.adopt(tokens('access-1', 'refresh-1'))
    taroMock.handleRequests(() => {
      throw webTimeoutFailure()
    })

    await expect(api.post('/units', { name: '某村' })).rejects.toMatchObject({ code: 'TIMEOUT', message: '网络较慢，请求超时，请稍后重试' })
  })
})

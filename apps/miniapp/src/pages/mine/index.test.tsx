/// <reference types="jest" />
import { ErrorCode, type MeResponse } from '@qmfz/contracts'

import { fireOpenTypeEvent, openTypeOf, settled } from '../../../test/jest/dom'
import { isolated } from '../../../test/jest/isolated'
import { taroMock, type SentRequest } from '../../../test/jest/taro'

const me: MeResponse = {
  id: 'user-1',
  displayName: '张老师',
  phoneMasked: null,
  township: { id: 't1', code: 'baitu', name: '白土镇' },
  memberships: [],
}

const pathOf = (request: SentRequest) => request.url.replace(/^https:\/\/api\.test\/api/, '')

/** The 我的 tab as a fresh app start on a platform, optionally signed in. */
function openMine(options: { platform?: 'weapp' | 'h5'; demo?: boolean; signedIn?: boolean } = {}) {
  process.env.TARO_ENV = options.platform ?? 'h5'
  process.env.TARO_APP_DEMO_LOGIN = options.demo ? 'true' : 'false'
  const app = isolated(() => ({
    Mine: (require('./index') as typeof import('./index')).default,
    ...(require('../../api/session') as typeof import('../../api/session')),
  }))
  if (options.signedIn) app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  return { ...app, ...app.rtl.render(<app.Mine />) }
}

describe('我的 page', () => {
  it('on the web without a session, says where to sign in instead of showing an error, and calls nothing', async () => {
    const { findByText, queryByText } = openMine({ platform: 'h5' })

    expect(await findByText('尚未登录')).toBeTruthy()
    expect(await findByText('请在微信中搜索“全民反诈”小程序并打开。')).toBeTruthy()
    expect(queryByText('演示登录')).toBeNull()
    expect(queryByText('请先登录')).toBeNull()
    expect(taroMock.requests).toHaveLength(0)
  })

  it('in a demo build without a session, offers the demo login page', async () => {
    const { rtl, findByText } = openMine({ platform: 'h5', demo: true })

    rtl.fireEvent.click(await findByText('演示登录'))

    expect(taroMock.calls('navigateTo')).toEqual([{ url: '/packages/demo/pages/login/index' }])
  })

  it('shows the signed-in person’s name and township, with the 大字模式 switch', async () => {
    taroMock.handleRequests(() => ({ statusCode: 200, data: me }))
    const { findByText, getByText } = openMine({ signedIn: true })

    expect(await findByText('张老师')).toBeTruthy()
    expect(getByText('白土镇')).toBeTruthy()
    expect(getByText('未验证手机号')).toBeTruthy()
    expect(getByText('大字模式')).toBeTruthy()
  })

  it('shows the Chinese message and a retry button when the profile cannot load, and retrying loads it', async () => {
    let online = false
    taroMock.handleRequests(() => {
      if (!online) return { statusCode: 500, data: { code: ErrorCode.INTERNAL, message: '服务器开小差了，请稍后再试', requestId: 'r' } }
      return { statusCode: 200, data: me }
    })
    const { rtl, findByText, queryByText } = openMine({ signedIn: true })

    expect(await findByText('服务器开小差了，请稍后再试')).toBeTruthy()
    online = true
    rtl.fireEvent.click(await findByText('重试'))

    expect(await findByText('张老师')).toBeTruthy()
    expect(queryByText('服务器开小差了，请稍后再试')).toBeNull()
  })

  it('in WeChat, verifies the phone number from WeChat’s phone button and reloads the profile', async () => {
    let verified = false
    taroMock.handleRequests((request) => {
      if (pathOf(request) === '/auth/phone') {
        verified = true
        return { statusCode: 200, data: { phoneMasked: '138****0000', claimedMemberships: 0 } }
      }
      return { statusCode: 200, data: { ...me, phoneMasked: verified ? '138****0000' : null } }
    })
    const { rtl, findByText } = openMine({ platform: 'weapp', signedIn: true })
    const button = await findByText(/^验证手机号/)
    expect(openTypeOf(button)).toBe('getPhoneNumber')

    rtl.act(() => fireOpenTypeEvent(button, 'getPhoneNumber', { code: 'phone-code-1' }))

    expect(await findByText('手机号 138****0000')).toBeTruthy()
    expect(taroMock.requests.filter((request) => pathOf(request) === '/auth/phone').map((request) => request.data)).toEqual([{ code: 'phone-code-1' }])
    expect(taroMock.calls('showToast')).toEqual([expect.objectContaining({ title: '手机号已验证' })])
  })

  it('in WeChat, sends nothing when the person declines to share the phone number', async () => {
    taroMock.handleRequests(() => ({ statusCode: 200, data: me }))
    const { rtl, findByText } = openMine({ platform: 'weapp', signedIn: true })
    const button = await findByText(/^验证手机号/)

    rtl.act(() => fireOpenTypeEvent(button, 'getPhoneNumber', { errMsg: 'getPhoneNumber:fail user deny' }))
    await settled(rtl)

    expect(taroMock.requests.filter((request) => pathOf(request) === '/auth/phone')).toHaveLength(0)
  })

  it('on the web, offers no phone verification (it needs WeChat)', async () => {
    taroMock.handleRequests(() => ({ statusCode: 200, data: me }))
    const { findByText, queryByText } = openMine({ platform: 'h5', signedIn: true })

    await findByText('张老师')

    expect(queryByText(/验证手机号（/)).toBeNull()
  })

  it('signing out forgets the session on this device and tells the server', async () => {
    taroMock.handleRequests(() => ({ statusCode: 200, data: me }))
    const { rtl, findByText, session } = openMine({ signedIn: true })
    await findByText('张老师')

    rtl.fireEvent.click(await findByText('退出登录'))

    expect(await findByText('尚未登录')).toBeTruthy()
    expect(session.signedIn).toBe(false)
    expect(taroMock.stored('qmfz.session')).toBeUndefined()
    expect(taroMock.requests.filter((request) => pathOf(request) === '/auth/logout').map((request) => request.data)).toEqual([
      { refreshToken: 'refresh-1' },
    ])
  })
})

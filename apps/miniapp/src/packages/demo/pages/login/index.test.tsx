/// <reference types="jest" />
import { ErrorCode, Role, UnitKind, type DevLoginRequest, type TokenResponse, type UnitResponse } from '@qmfz/contracts'

import { pickOption } from '../../../../../test/jest/dom'
import { isolated } from '../../../../../test/jest/isolated'
import { taroMock, type SentRequest } from '../../../../../test/jest/taro'

const units: UnitResponse[] = [
  { id: 'u1', townshipId: 't1', name: '白土村', kind: UnitKind.VILLAGE, createdAt: '2026-11-01T00:00:00.000Z' },
  { id: 'u2', townshipId: 't1', name: '白土镇中心小学', kind: UnitKind.SCHOOL, createdAt: '2026-11-01T00:00:00.000Z' },
]

const pathOf = (request: SentRequest) => request.url.replace('https://api.test/api', '')
const devLogins = () => taroMock.requests.filter((request) => pathOf(request) === '/auth/dev-login').map((request) => request.data as DevLoginRequest)

/** A demo API: every dev-login gets its own token pair; `refuse` turns dev-login off as production does. */
function fakeDemoApi(options: { refuse?: boolean } = {}) {
  let issued = 0
  taroMock.handleRequests((request) => {
    const path = pathOf(request)
    if (path === '/auth/dev-login') {
      if (options.refuse && issued > 0) {
        return { statusCode: 403, data: { code: ErrorCode.AUTH_DEV_LOGIN_DISABLED, message: '演示登录未开启', requestId: 'r' } }
      }
      issued += 1
      const tokens: TokenResponse = { accessToken: `access-${issued}`, refreshToken: `refresh-${issued}`, expiresIn: 3600, refreshExpiresIn: 86400 }
      return { statusCode: 200, data: tokens }
    }
    if (path === '/auth/logout') return { statusCode: 204 }
    if (path === '/units') return { statusCode: 200, data: units }
    return { statusCode: 404, data: { code: ErrorCode.NOT_FOUND, message: 'no route', requestId: 'r' } }
  })
}

function openDemoLogin() {
  process.env.TARO_APP_DEMO_LOGIN = 'true'
  const app = isolated(() => ({
    DemoLogin: (require('./index') as typeof import('./index')).default,
    ...(require('../../../../api/session') as typeof import('../../../../api/session')),
  }))
  const view = app.rtl.render(<app.DemoLogin />)
  return { ...app, ...view }
}

describe('demo login page', () => {
  it('signs a visitor in as a demo resident first, so it can list the units to choose from', async () => {
    fakeDemoApi()
    const { findByText, rtl } = openDemoLogin()

    await rtl.waitFor(() => expect(taroMock.requests.some((request) => pathOf(request) === '/units')).toBe(true))
    expect(await findByText('登录')).toBeTruthy()
    expect(devLogins()).toEqual([{ name: '演示访客' }])
    const unitsCall = taroMock.requests.find((request) => pathOf(request) === '/units')!
    expect(unitsCall.header.Authorization).toBe('Bearer access-1')
  })

  it('signs in as a resident with the typed name, ends the visitor’s login on the server, and opens 我的', async () => {
    fakeDemoApi()
    const { rtl, findByText, container, session } = openDemoLogin()
    await rtl.waitFor(() => expect(devLogins()).toHaveLength(1))

    rtl.fireEvent.input(container.querySelector('.demo-login__name')!, { target: { value: ' 张三 ' } })
    rtl.fireEvent.click(await findByText('登录'))

    await rtl.waitFor(() => expect(taroMock.calls('switchTab')).toEqual([{ url: '/pages/mine/index' }]))
    expect(devLogins()).toEqual([{ name: '演示访客' }, { name: '张三' }])
    expect(taroMock.requests.filter((request) => pathOf(request) === '/auth/logout').map((request) => request.data)).toEqual([{ refreshToken: 'refresh-1' }])
    expect(session.signedIn).toBe(true)
    expect(taroMock.stored('qmfz.session')).toMatchObject({ accessToken: 'access-2' })
  })

  it('signs in with the chosen role in the chosen unit', async () => {
    fakeDemoApi()
    const { rtl, findByText, container } = openDemoLogin()
    await rtl.waitFor(() => expect(taroMock.requests.some((request) => pathOf(request) === '/units')).toBe(true))

    await pickOption(rtl, container.querySelector('.demo-login__role')!, '单位管理员')
    await pickOption(rtl, await findByText('白土村 ›'), '白土镇中心小学')
    expect(await findByText('白土镇中心小学 ›')).toBeTruthy()
    rtl.fireEvent.click(await findByText('登录'))

    await rtl.waitFor(() => expect(taroMock.calls('switchTab')).toHaveLength(1))
    expect(devLogins().at(-1)).toEqual({ name: '演示用户', role: Role.UNIT_ADMIN, unitId: 'u2' })
  })

  it('shows the server’s Chinese message and stays on the page when the server has demo login turned off', async () => {
    fakeDemoApi({ refuse: true })
    const { rtl, findByText } = openDemoLogin()
    await rtl.waitFor(() => expect(devLogins()).toHaveLength(1))

    rtl.fireEvent.click(await findByText('登录'))

    expect(await findByText('演示登录未开启')).toBeTruthy()
    expect(taroMock.calls('switchTab')).toHaveLength(0)
  })
})

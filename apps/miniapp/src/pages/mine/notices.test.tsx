/// <reference types="jest" />
import type { MeResponse, NoticeResponse } from '@qmfz/contracts'

import { classesOf, settled } from '../../../test/jest/dom'
import { isolated } from '../../../test/jest/isolated'
import { taroMock, type SentRequest } from '../../../test/jest/taro'
import { ROUTES } from '../../routes'

const me: MeResponse = {
  id: 'user-1',
  displayName: '张老师',
  phoneMasked: null,
  township: { id: 't1', code: 'baitu', name: '白土镇' },
  memberships: [],
}

function notice(id: string, overrides: Partial<NoticeResponse> = {}): NoticeResponse {
  return { id, title: `通知${id}`, body: `内容${id}`, link: null, createdAt: '2025-03-01T02:00:00.000Z', readAt: null, ...overrides }
}

const pathOf = (request: SentRequest) => `${request.method} ${request.url.replace('https://api.test/api', '')}`
const marked = () => taroMock.requests.filter((request) => /^POST \/notices\/.+\/read$/.test(pathOf(request))).map(pathOf)

function openMine(notices: NoticeResponse[]) {
  taroMock.handleRequests((request) => {
    const route = pathOf(request)
    if (route === 'GET /me') return { statusCode: 200, data: me }
    if (route === 'GET /notices') return { statusCode: 200, data: notices }
    if (/^POST \/notices\/.+\/read$/.test(route)) return { statusCode: 204 }
    return { statusCode: 404, data: { code: 'NOT_FOUND', message: '不存在', requestId: 'r' } }
  })
  const app = isolated(() => ({
    Mine: (require('./index') as typeof import('./index')).default,
    ...(require('../../api/session') as typeof import('../../api/session')),
  }))
  app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  return { ...app, ...app.rtl.render(<app.Mine />) }
}

const noticeOf = (element: Element) => element.closest('.notice') as HTMLElement

describe('我的: 消息', () => {
  it('should list the notices and set the unread ones apart', async () => {
    const { findByText } = openMine([notice('1'), notice('2', { readAt: '2025-03-01T03:00:00.000Z' })])

    expect(await findByText('消息（1 条未读）')).toBeTruthy()
    expect(classesOf(noticeOf(await findByText('● 通知1')))).toContain('notice--unread')
    expect(classesOf(noticeOf(await findByText('通知2')))).not.toContain('notice--unread')
    expect(await findByText('内容1')).toBeTruthy()
  })

  it('should mark an unread notice read when tapped, and open the page it links to', async () => {
    const { findByText, rtl } = openMine([notice('n1', { title: '请按时观看', link: ROUTES.videoCampaigns })])

    rtl.fireEvent.click(await findByText('● 请按时观看'))

    expect(await findByText('消息')).toBeTruthy()
    expect(classesOf(noticeOf(await findByText('请按时观看')))).not.toContain('notice--unread')
    expect(marked()).toEqual(['POST /notices/n1/read'])
    expect(taroMock.calls('navigateTo')).toEqual([{ url: ROUTES.videoCampaigns }])
  })

  it('should not mark a read notice again, nor navigate for one without a link', async () => {
    const { findByText, rtl } = openMine([notice('n1', { readAt: '2025-03-01T03:00:00.000Z' })])

    rtl.fireEvent.click(await findByText('通知n1'))
    await settled(rtl)

    expect(marked()).toEqual([])
    expect(taroMock.calls('navigateTo')).toEqual([])
  })

  it('should say when there are no messages', async () => {
    const { findByText } = openMine([])

    expect(await findByText('暂无消息')).toBeTruthy()
  })

  it('should open the campaigns from 观看打卡', async () => {
    const { findByText, rtl } = openMine([])

    rtl.fireEvent.click(await findByText('观看打卡'))

    expect(taroMock.calls('navigateTo')).toEqual([{ url: ROUTES.videoCampaigns }])
  })
})

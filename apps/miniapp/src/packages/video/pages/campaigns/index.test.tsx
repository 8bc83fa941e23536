/// <reference types="jest" />
import { ErrorCode, ERROR_MESSAGES, type MyCampaignResponse, type SubscribeTemplatesResponse } from '@qmfz/contracts'

import { classesOf, settled } from '../../../../../test/jest/dom'
import { isolated } from '../../../../../test/jest/isolated'
import { taroMock, type SentRequest } from '../../../../../test/jest/taro'
import { ROUTES } from '../../../../routes'
import { formatDateTime } from '../../../../utils/format'

function campaign(id: string, overrides: Partial<MyCampaignResponse> = {}): MyCampaignResponse {
  return {
    id,
    title: `任务${id}`,
    deadline: '2025-03-31T10:00:00.000Z',
    videoTitle: `视频${id}`,
    durationSeconds: 600,
    status: 'pending',
    coveredSeconds: 0,
    percent: 0,
    verified: false,
    waitingForHead: false,
    checkedInAt: null,
    ...overrides,
  }
}

const pathOf = (request: SentRequest) => `${request.method} ${request.url.replace('https://api.test/api', '')}`

function fakeApi(campaigns: MyCampaignResponse[], templates: SubscribeTemplatesResponse = { templates: {} }) {
  taroMock.handleRequests((request) => {
    switch (pathOf(request)) {
      case 'GET /viewing/campaigns':
        return { statusCode: 200, data: campaigns }
      case 'GET /subscriptions/templates':
        return { statusCode: 200, data: templates }
      case 'POST /subscriptions/consents':
        return { statusCode: 204 }
      default:
        return { statusCode: 404, data: { code: ErrorCode.NOT_FOUND, message: ERROR_MESSAGES.NOT_FOUND, requestId: 'r' } }
    }
  })
}

function openCampaigns(platform: 'weapp' | 'h5' = 'h5') {
  process.env.TARO_ENV = platform
  const app = isolated(() => ({
    Campaigns: (require('./index') as typeof import('./index')).default,
    ...(require('../../../../api/session') as typeof import('../../../../api/session')),
  }))
  app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  return { ...app, ...app.rtl.render(<app.Campaigns />) }
}

const cardOf = (element: Element) => element.closest('.campaign') as HTMLElement

describe('我的观看任务', () => {
  it('should show each campaign with its video, deadline, progress and status', async () => {
    fakeApi([
      campaign('1', { status: 'pending', percent: 40 }),
      campaign('2', { status: 'completed', percent: 97, verified: true }),
      campaign('3', { status: 'done', percent: 100, verified: true, checkedInAt: '2025-03-02T01:00:00.000Z' }),
      campaign('4', { status: 'overdue', percent: 10 }),
    ])
    const { findByText, rtl } = openCampaigns()

    const cards = await Promise.all(['任务1', '任务2', '任务3', '任务4'].map(async (title) => cardOf(await findByText(title))))

    expect(cards.map((card) => card.querySelector('.badge')?.textContent)).toEqual(['待观看', '待确认', '已完成', '已逾期'])
    expect(cards.map((card) => rtl.within(card).getByText(/^已观看/).textContent)).toEqual(['已观看 40%', '已观看 97%', '已观看 100%', '已观看 10%'])
    expect(rtl.within(cards[0]).getByText('视频：视频1')).toBeTruthy()
    expect(rtl.within(cards[0]).getByText(`截止：${formatDateTime('2025-03-31T10:00:00.000Z')}`)).toBeTruthy()
    expect(rtl.within(cards[2]).getByText(`已于 ${formatDateTime('2025-03-02T01:00:00.000Z')} 打卡`)).toBeTruthy()
    expect(rtl.within(cards[0]).getByText('继续观看')).toBeTruthy()
    expect(rtl.within(cards[1]).getByText('去确认')).toBeTruthy()
  })

  it('should open the player of a campaign when it is tapped', async () => {
    fakeApi([campaign('c1')])
    const { findByText, rtl } = openCampaigns()

    rtl.fireEvent.click(await findByText('去观看'))

    expect(taroMock.calls('navigateTo')).toEqual([{ url: ROUTES.videoPlayer('c1') }])
  })

  it('should say 等待领导观看 and offer nothing to tap while the unit’s head has not watched', async () => {
    fakeApi([campaign('c1', { waitingForHead: true })])
    const { findByText, rtl } = openCampaigns()

    const waiting = await findByText('等待领导观看')
    rtl.fireEvent.click(waiting)
    rtl.fireEvent.click(await findByText('任务c1'))

    expect(cardOf(waiting).querySelector('.campaign__open')).toBeNull()
    expect(taroMock.calls('navigateTo')).toEqual([])
  })

  it('should say so when there is nothing to watch', async () => {
    fakeApi([])
    const { findByText } = openCampaigns()

    expect(await findByText('暂无需要观看的视频')).toBeTruthy()
  })

  it('should show the server’s message and a retry when the list cannot load', async () => {
    let online = false
    taroMock.handleRequests(() =>
      online
        ? { statusCode: 200, data: [campaign('c1')] }
        : { statusCode: 500, data: { code: ErrorCode.INTERNAL, message: ERROR_MESSAGES.INTERNAL, requestId: 'r' } },
    )
    const { findByText, rtl } = openCampaigns()

    expect(await findByText(ERROR_MESSAGES.INTERNAL)).toBeTruthy()
    online = true
    rtl.fireEvent.click(await findByText('重试'))

    expect(await findByText('任务c1')).toBeTruthy()
  })
})

describe('开启截止提醒', () => {
  it('should ask WeChat for the reminder template and tell the server it was accepted', async () => {
    fakeApi([campaign('c1')], { templates: { video_reminder: 'tmpl-1' } })
    taroMock.answer('requestSubscribeMessage', () => ({ errMsg: 'requestSubscribeMessage:ok', 'tmpl-1': 'accept' }))
    const { findByText, rtl } = openCampaigns('weapp')

    rtl.fireEvent.click(await findByText('开启截止提醒'))

    expect(await findByText('已开启，截止前会通过微信提醒您')).toBeTruthy()
    expect(taroMock.calls('requestSubscribeMessage')).toEqual([expect.objectContaining({ tmplIds: ['tmpl-1'] })])
    const consents = taroMock.requests.filter((request) => pathOf(request) === 'POST /subscriptions/consents')
    expect(consents.map((request) => request.data)).toEqual([{ kind: 'video_reminder', accepted: true }])
  })

  it('should tell the server a refusal as not accepted', async () => {
    fakeApi([campaign('c1')], { templates: { video_reminder: 'tmpl-1' } })
    taroMock.answer('requestSubscribeMessage', () => ({ errMsg: 'requestSubscribeMessage:ok', 'tmpl-1': 'reject' }))
    const { findByText, rtl } = openCampaigns('weapp')

    rtl.fireEvent.click(await findByText('开启截止提醒'))

    expect(await findByText('未开启提醒，需要时可再次开启')).toBeTruthy()
    const consents = taroMock.requests.filter((request) => pathOf(request) === 'POST /subscriptions/consents')
    expect(consents.map((request) => request.data)).toEqual([{ kind: 'video_reminder', accepted: false }])
  })

  it('should not be offered when the server has no template', async () => {
    fakeApi([campaign('c1')])
    const { findByText, queryByText, rtl } = openCampaigns('weapp')

    await findByText('任务c1')
    await settled(rtl)

    expect(queryByText('开启截止提醒')).toBeNull()
  })

  it('should not be offered, nor asked for, outside WeChat', async () => {
    fakeApi([campaign('c1')], { templates: { video_reminder: 'tmpl-1' } })
    const { findByText, queryByText, rtl } = openCampaigns('h5')

    await findByText('任务c1')
    await settled(rtl)

    expect(queryByText('开启截止提醒')).toBeNull()
    expect(taroMock.requests.filter((request) => pathOf(request) === 'GET /subscriptions/templates')).toHaveLength(0)
  })
})

describe('status badges', () => {
  it('should colour each status by its own class', async () => {
    fakeApi([campaign('1', { status: 'overdue' })])
    const { findByText } = openCampaigns()

    expect(classesOf(await findByText('已逾期'))).toContain('badge--viewing-overdue')
  })
})

/// <reference types="jest" />
import {
  ErrorCode,
  Role,
  VideoSource,
  type CampaignProgressResponse,
  type RejectionCounts,
  type RemindResponse,
  type UnitProgress,
  type ViewerStatusResponse,
} from '@qmfz/contracts'

import { serveBrowserDownloads } from '../../../../../test/jest/browser-download'
import { classesOf, settled } from '../../../../../test/jest/dom'
import { isolated } from '../../../../../test/jest/isolated'
import { taroMock, USER_DATA_PATH, type Reply } from '../../../../../test/jest/taro'

const NO_REJECTIONS: RejectionCounts = { run_ahead: 0, jump: 0, duplicate: 0, stale_session: 0, wrong_user: 0 }
/** 2026-11-20 09:30 on the device's clock. */
const checkedIn = new Date(2026, 10, 20, 9, 30).toISOString()

const VILLAGE: UnitProgress = { unitId: 'u1', unitName: '白土村', required: 4, done: 1, overdue: 2, headsFirst: 'waiting' }
const SCHOOL: UnitProgress = { unitId: 'u2', unitName: '白土镇中心小学', required: 3, done: 3, overdue: 0, headsFirst: 'released' }

function progressOf(units: UnitProgress[]): CampaignProgressResponse {
  return {
    campaign: {
      id: 'c1',
      title: '十一月反诈集中学习',
      video: { id: 'v1', title: '警惕冒充客服退款', source: VideoSource.UPLOAD, url: null, contentType: 'video/mp4', durationSeconds: 750, sizeBytes: 1, createdAt: checkedIn },
      deadline: new Date(2026, 11, 1, 18, 0).toISOString(),
      unitIds: units.map((unit) => unit.unitId),
      roles: [Role.STAFF, Role.UNIT_ADMIN],
      headsFirst: true,
      createdAt: checkedIn,
    },
    units,
  }
}

function viewer(userId: string, displayName: string, overrides: Partial<ViewerStatusResponse> = {}): ViewerStatusResponse {
  return { userId, displayName, role: Role.STAFF, status: 'pending', percent: 0, checkedInAt: null, late: false, rejections: NO_REJECTIONS, ...overrides }
}

const VILLAGERS = [
  viewer('a', '张主任', { role: Role.UNIT_ADMIN, status: 'done', percent: 100, checkedInAt: checkedIn }),
  viewer('b', '李会计', { status: 'overdue', percent: 40, rejections: { ...NO_REJECTIONS, jump: 3, run_ahead: 1 } }),
  viewer('c', '王文书', { status: 'overdue', percent: 0 }),
  viewer('d', '赵干事', { status: 'completed', percent: 96 }),
]

const refusal = (status: number, code: ErrorCode, message: string): Reply => ({ statusCode: status, data: { code, message, requestId: 'r' } })

/** One campaign as a township admin sees it (two units), unless `units` narrows it as a unit admin's view does. */
function fakeProgressApi(units: UnitProgress[] = [VILLAGE, SCHOOL]) {
  const reminded: RemindResponse = { notified: 3, wechatSent: 2, wechatNoConsent: 1, wechatFailed: 0 }
  taroMock.handleRequests((request) => {
    const url = new URL(request.url)
    const route = `${request.method} ${url.pathname.replace('/api', '')}`
    switch (route) {
      case 'GET /campaigns/c1/progress':
        return { statusCode: 200, data: progressOf(units) }
      case 'GET /campaigns/c1/units/u1/viewers': {
        const status = url.searchParams.get('status')
        return { statusCode: 200, data: status ? VILLAGERS.filter((person) => person.status === status) : VILLAGERS }
      }
      case 'GET /campaigns/c1/units/u2/viewers':
        return { statusCode: 200, data: [viewer('e', '陈老师', { status: 'done', percent: 100, checkedInAt: checkedIn, late: true })] }
      case 'POST /campaigns/c1/reminders':
        return { statusCode: 200, data: reminded }
      default:
        return refusal(404, ErrorCode.NOT_FOUND, `no route ${route}`)
    }
  })
}

function openProgressPage(platform: 'weapp' | 'h5' = 'h5') {
  process.env.TARO_ENV = platform
  taroMock.setRouterParams({ campaignId: 'c1' })
  const app = isolated(() => ({
    CampaignProgress: (require('./index') as typeof import('./index')).default,
    ...(require('../../../../api/session') as typeof import('../../../../api/session')),
  }))
  app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  const view = app.rtl.render(<app.CampaignProgress />)
  const within = (element: Element) => app.rtl.within(element as HTMLElement)
  const unitRow = async (name: string) => (await view.findByText(name, { selector: '.unit-progress__name' })).closest('.unit-progress')!
  /** Taps a unit and waits for its people. */
  const openUnit = async (name: string, firstPerson: string) => {
    app.rtl.fireEvent.click(await unitRow(name))
    return (await view.findByText(firstPerson)).closest('.viewers')!
  }
  return { ...app, ...view, within, unitRow, openUnit }
}

const viewerRequests = () => taroMock.requests.filter((request) => request.url.includes('/viewers'))

describe('campaign progress page: units', () => {
  it('shows each unit’s done, required and overdue counts, a bar, and where 领导先学 stands', async () => {
    fakeProgressApi()
    const { findByText, unitRow, within } = openProgressPage()

    expect(await findByText('十一月反诈集中学习')).toBeTruthy()
    expect(await findByText('已完成 4/7 人，逾期 2 人')).toBeTruthy()
    const village = await unitRow('白土村')
    expect(within(village).getByText('已完成 1/4 人')).toBeTruthy()
    expect(within(village).getByText('逾期 2 人')).toBeTruthy()
    expect(within(village).getByText('等待领导观看')).toBeTruthy()
    expect(village.querySelector<HTMLElement>('.progress-bar__fill')?.style.width).toBe('25%')
    const school = await unitRow('白土镇中心小学')
    expect(within(school).getByText('领导已完成')).toBeTruthy()
    expect(school.querySelector<HTMLElement>('.progress-bar__fill')?.style.width).toBe('100%')
    // Nobody is listed before a unit is chosen.
    expect(viewerRequests()).toHaveLength(0)
  })

  it('lists a tapped unit’s people with role, status, progress, check-in time and only the refusals that occurred', async () => {
    fakeProgressApi()
    const { openUnit, within } = openProgressPage()

    const viewers = await openUnit('白土村', '张主任')

    const head = within(viewers).getByText('张主任').closest('.viewer')!
    expect(within(head).getByText('单位管理员，已看 100%，2026-11-20 09:30 打卡')).toBeTruthy()
    expect(within(head).getByText('已完成')).toBeTruthy()
    expect(classesOf(head)).not.toContain('viewer--flagged')
    expect(head.querySelector('.viewer__rejections')).toBeNull()

    const flagged = within(viewers).getByText('李会计').closest('.viewer')!
    expect(classesOf(flagged)).toContain('viewer--flagged')
    expect(within(flagged).getByText('异常记录：进度超前 1 次，跳跃拖动 3 次')).toBeTruthy()
    expect(within(flagged).getByText('已逾期')).toBeTruthy()
    expect(flagged.textContent).not.toMatch(/重复提交|过期会话|冒用他人/)

    expect(within(within(viewers).getByText('赵干事').closest('.viewer')!).getByText('待确认')).toBeTruthy()
    expect(viewerRequests().map((request) => request.url)).toEqual(['https://api.test/api/campaigns/c1/units/u1/viewers'])
  })

  it('asks for the overdue list alone with 已逾期', async () => {
    fakeProgressApi()
    const { rtl, openUnit, within, queryByText } = openProgressPage()
    const viewers = await openUnit('白土村', '张主任')

    rtl.fireEvent.click(within(viewers).getByText('已逾期', { selector: '.segmented__item' }))

    expect(await within(viewers).findByText('李会计')).toBeTruthy()
    expect(within(viewers).getByText('王文书')).toBeTruthy()
    expect(queryByText('张主任')).toBeNull()
    expect(viewerRequests().map((request) => request.url)).toEqual([
      'https://api.test/api/campaigns/c1/units/u1/viewers',
      'https://api.test/api/campaigns/c1/units/u1/viewers?status=overdue',
    ])
  })

  it('shows another unit’s people when another unit is tapped, never the first unit’s', async () => {
    fakeProgressApi()
    const { openUnit, queryByText } = openProgressPage()
    await openUnit('白土村', '张主任')

    const viewers = await openUnit('白土镇中心小学', '陈老师')

    expect(queryByText('张主任')).toBeNull()
    expect(viewers.textContent).toContain('本单位已全部完成观看。')
    // Confirmed after the deadline: said so beside the time.
    expect(viewers.textContent).toContain('2026-11-20 09:30 打卡（逾期）')
  })

  it('shows a unit admin’s only unit straight away, without a reminder for all units', async () => {
    fakeProgressApi([VILLAGE])
    const { findByText, queryByText } = openProgressPage()

    expect(await findByText('李会计')).toBeTruthy()
    expect(queryByText('提醒全部未完成')).toBeNull()
    expect(await findByText('提醒未完成')).toBeTruthy()
  })
})

describe('campaign progress page: reminders', () => {
  it('asks first, naming the unit and how many are not done, then reminds that unit and says who was reached', async () => {
    fakeProgressApi()
    taroMock.answerModals({ confirm: true })
    const { rtl, openUnit, within, findByText } = openProgressPage()
    const viewers = await openUnit('白土村', '张主任')

    rtl.fireEvent.click(within(viewers).getByText('提醒未完成'))

    expect(await findByText('站内通知 3 人，微信提醒 2 人，未订阅 1 人')).toBeTruthy()
    expect(taroMock.calls('showModal')).toEqual([expect.objectContaining({ content: expect.stringContaining('“白土村”尚未完成观看的 3 人') })])
    const sent = taroMock.requests.filter((request) => request.method === 'POST')
    expect(sent.map((request) => [request.url, request.data])).toEqual([['https://api.test/api/campaigns/c1/reminders', { unitId: 'u1' }]])
  })

  it('sends nothing when the admin cancels', async () => {
    fakeProgressApi()
    taroMock.answerModals({ confirm: false })
    const { rtl, openUnit, within, queryByText } = openProgressPage()
    const viewers = await openUnit('白土村', '张主任')

    rtl.fireEvent.click(within(viewers).getByText('提醒未完成'))
    await rtl.waitFor(() => expect(taroMock.calls('showModal')).toHaveLength(1))
    await settled(rtl)

    expect(taroMock.requests.filter((request) => request.method === 'POST')).toHaveLength(0)
    expect(queryByText(/站内通知/)).toBeNull()
  })

  it('reminds every unit at once from the summary, without naming one', async () => {
    fakeProgressApi()
    taroMock.answerModals({ confirm: true })
    const { rtl, findByText } = openProgressPage()

    rtl.fireEvent.click(await findByText('提醒全部未完成'))

    expect(await findByText('站内通知 3 人，微信提醒 2 人，未订阅 1 人')).toBeTruthy()
    expect(taroMock.calls('showModal')).toEqual([expect.objectContaining({ content: expect.stringContaining('所有单位尚未完成观看的 3 人') })])
    expect(taroMock.requests.filter((request) => request.method === 'POST').map((request) => request.data)).toEqual([{}])
  })
})

describe('campaign progress page: export', () => {
  it('in a browser, downloads the unit’s sheet with the admin’s token and saves it named after the unit', async () => {
    fakeProgressApi()
    const browser = serveBrowserDownloads(() => ({ statusCode: 200, data: 'PK-xlsx' }))
    const { rtl, openUnit, within } = openProgressPage()
    const viewers = await openUnit('白土村', '张主任')

    rtl.fireEvent.click(within(viewers).getByText('导出 Excel'))

    await rtl.waitFor(() => expect(browser.fetches).toHaveLength(1))
    expect(browser.fetches[0]).toEqual({ url: 'https://api.test/api/campaigns/c1/units/u1/export', headers: { Authorization: 'Bearer access-1' } })
    const [file] = await rtl.waitFor(async () => {
      const saved = await browser.saved()
      if (saved.length === 0) throw new Error('not saved yet')
      return saved
    })
    expect(file).toMatchObject({ fileName: '观看情况-白土村.xlsx', text: 'PK-xlsx' })
  })

  it('in WeChat, downloads it with the token and opens it in the document viewer with its menu', async () => {
    fakeProgressApi()
    taroMock.handleDownloads(() => ({ statusCode: 200, data: 'PK-xlsx' }))
    const { rtl, openUnit, within } = openProgressPage('weapp')
    const viewers = await openUnit('白土村', '张主任')

    rtl.fireEvent.click(within(viewers).getByText('导出 Excel'))

    await rtl.waitFor(() => expect(taroMock.calls('openDocument')).toHaveLength(1))
    expect(taroMock.downloads).toEqual([
      expect.objectContaining({ url: 'https://api.test/api/campaigns/c1/units/u1/export', header: { Authorization: 'Bearer access-1' } }),
    ])
    expect(taroMock.calls('openDocument')).toEqual([
      expect.objectContaining({ filePath: `${USER_DATA_PATH}/观看情况-白土村.xlsx`, fileType: 'xlsx', showMenu: true }),
    ])
  })

  it('shows the server’s message when the export is refused', async () => {
    fakeProgressApi()
    taroMock.handleDownloads(() => refusal(403, ErrorCode.FORBIDDEN, '您无权查看该单位'))
    const { rtl, openUnit, within, findByText } = openProgressPage('weapp')
    const viewers = await openUnit('白土村', '张主任')

    rtl.fireEvent.click(within(viewers).getByText('导出 Excel'))

    expect(await findByText('您无权查看该单位')).toBeTruthy()
    expect(taroMock.calls('openDocument')).toHaveLength(0)
  })
})

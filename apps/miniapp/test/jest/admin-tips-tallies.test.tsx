/// <reference types="jest" />
import { ErrorCode, type RewardTallyResponse } from '@qmfz/contracts'

import { ok, openPage, pickDay, queryOf, refusal, sent, serveRoutes } from './admin-tips-fixtures'
import { serveBrowserDownloads } from './browser-download'
import { taroMock, USER_DATA_PATH } from './taro'

const pad = (value: number) => String(value).padStart(2, '0')
const day = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
/** The page's default range: the first of the month two months back, to today. */
function defaultRange() {
  const now = new Date()
  return { from: day(new Date(now.getFullYear(), now.getMonth() - 2, 1)), to: day(now) }
}

const row = (key: string, label: string, count: number, amountYuan: number, paidYuan: number) => ({ key, label, count, amountYuan, paidYuan })

function tallies(period: 'week' | 'month', from: string, to: string): RewardTallyResponse {
  return {
    period,
    from,
    to,
    periods: period === 'month' ? [row('2026-10', '2026年10月', 1, 500, 500), row('2026-11', '2026年11月', 2, 3000, 0)] : [row('2026-W47', '第47周', 3, 3500, 500)],
    units: [row('u1', '白土村', 2, 2500, 500), row('u2', '黄草村', 1, 1000, 0)],
    reporters: [row('r1', '139****0001', 2, 2500, 500), row('r2', '匿名举报人 A', 1, 1000, 0)],
    total: row('total', '合计', 3, 3500, 500),
  }
}

function fakeTalliesApi() {
  serveRoutes({
    'GET /rewards/tallies': (request) => {
      const query = queryOf(request)
      return ok(tallies(query.period as 'week' | 'month', query.from, query.to))
    },
  })
}

const openTallies = (platform: 'weapp' | 'h5' = 'h5') => openPage(() => require('../../src/packages/admin/pages/tallies/index'), { platform })
const tableRows = (page: ReturnType<typeof openTallies>, table: string) =>
  [...page.container.querySelectorAll(`.${table} .tally__row:not(.tally__row--head)`)].map((element) =>
    [...element.children].map((cell) => cell.textContent),
  )

describe('奖励统计', () => {
  it('shows totals and the three tables for the default months, reporters masked as the server sends them', async () => {
    fakeTalliesApi()
    const page = openTallies()

    expect(await page.findByText('获奖励举报 3 件，奖励 3500 元，已发放 500 元')).toBeTruthy()
    expect(tableRows(page, 'tallies__periods')).toEqual([
      ['2026年10月', '1', '500 元', '500 元'],
      ['2026年11月', '2', '3000 元', '0 元'],
    ])
    expect(tableRows(page, 'tallies__units')).toEqual([
      ['白土村', '2', '2500 元', '500 元'],
      ['黄草村', '1', '1000 元', '0 元'],
    ])
    expect(tableRows(page, 'tallies__reporters').map((cells) => cells[0])).toEqual(['139****0001', '匿名举报人 A'])
    expect(sent('GET /rewards/tallies').map(queryOf)).toEqual([{ period: 'month', ...defaultRange() }])
  })

  it('asks for weeks when 按周 is chosen, and a new range when a date is picked', async () => {
    fakeTalliesApi()
    const page = openTallies()
    await page.findByText('2026年11月')

    page.rtl.fireEvent.click(page.getByText('按周', { selector: '.segmented__item' }))
    expect(await page.findByText('第47周')).toBeTruthy()
    await pickDay(page.rtl, page.getByText('开始日期'), ['15日'])
    await page.rtl.waitFor(() => expect(sent('GET /rewards/tallies')).toHaveLength(3))

    const { from, to } = defaultRange()
    expect(sent('GET /rewards/tallies').map(queryOf)).toEqual([
      { period: 'month', from, to },
      { period: 'week', from, to },
      { period: 'week', from: `${from.slice(0, 8)}15`, to },
    ])
  })

  it('says so when a table is empty', async () => {
    serveRoutes({ 'GET /rewards/tallies': () => ok({ ...tallies('month', 'a', 'b'), periods: [], units: [], reporters: [], total: row('total', '合计', 0, 0, 0) }) })
    const page = openTallies()

    expect(await page.findByText('获奖励举报 0 件，奖励 0 元，已发放 0 元')).toBeTruthy()
    expect(page.getAllByText('该时段没有获得奖励的举报。')).toHaveLength(3)
  })

  it('in a browser, downloads the same tallies as XLSX with the token, named after the range', async () => {
    fakeTalliesApi()
    const browser = serveBrowserDownloads(() => ({ statusCode: 200, data: 'PK-xlsx' }))
    const page = openTallies()
    await page.findByText('2026年11月')

    page.rtl.fireEvent.click(page.getByText('导出 Excel'))

    await page.rtl.waitFor(() => expect(browser.fetches).toHaveLength(1))
    const { from, to } = defaultRange()
    expect(browser.fetches[0]).toEqual({
      url: `https://api.test/api/rewards/tallies/export?period=month&from=${from}&to=${to}`,
      headers: { Authorization: 'Bearer access-1' },
    })
    const [file] = await page.rtl.waitFor(async () => {
      const saved = await browser.saved()
      if (saved.length === 0) throw new Error('not saved yet')
      return saved
    })
    expect(file).toMatchObject({ fileName: `奖励统计-${from}至${to}.xlsx`, text: 'PK-xlsx' })
  })

  it('in WeChat, opens the sheet in the document viewer, and shows the server’s message when refused', async () => {
    fakeTalliesApi()
    let refuse = false
    taroMock.handleDownloads(() => (refuse ? refusal(403, ErrorCode.FORBIDDEN, '您无权导出奖励统计') : { statusCode: 200, data: 'PK-xlsx' }))
    const page = openTallies('weapp')
    await page.findByText('2026年11月')

    page.rtl.fireEvent.click(page.getByText('导出 Excel'))
    await page.rtl.waitFor(() => expect(taroMock.calls('openDocument')).toHaveLength(1))
    const { from, to } = defaultRange()
    expect(taroMock.calls('openDocument')).toEqual([
      expect.objectContaining({ filePath: `${USER_DATA_PATH}/奖励统计-${from}至${to}.xlsx`, fileType: 'xlsx' }),
    ])

    refuse = true
    page.rtl.fireEvent.click(page.getByText('导出 Excel'))
    expect(await page.findByText('您无权导出奖励统计')).toBeTruthy()
    expect(taroMock.calls('openDocument')).toHaveLength(1)
  })
})

/// <reference types="jest" />
import { ErrorCode, type TipListResponse } from '@qmfz/contracts'

import { CREATED_TEXT, ok, openPage, pickDay, queryOf, refusal, sent, serveRoutes, summary } from './admin-tips-fixtures'
import { pickOption, settled } from './dom'
import { taroMock } from './taro'

const FIRST_PAGE: TipListResponse = {
  items: [
    summary('t1', {
      status: 'verifying',
      assignee: { userId: 'p1', displayName: '王警官' },
      labels: ['已冻结'],
      groupId: 't1',
      groupSize: 3,
      firstInGroup: true,
      attachmentCount: 2,
    }),
    summary('t2', { fraudType: 'fake_loan', identifiers: [{ kind: 'bank_card', masked: '6222 **** 1234' }], reporterMode: 'named' }),
  ],
  nextCursor: 'cursor-2',
}
const SECOND_PAGE: TipListResponse = { items: [summary('t3', { fraudType: 'romance' })], nextCursor: null }

/** Pages by cursor; any filter answers with the first page, so tests read the filters from the requests. */
function fakeTipsApi(pages: Record<string, TipListResponse> = { '': FIRST_PAGE, 'cursor-2': SECOND_PAGE }) {
  serveRoutes({ 'GET /tips': (request) => ok(pages[queryOf(request).cursor ?? ''] ?? { items: [], nextCursor: null }) })
}

const openTips = () => openPage(() => require('../../src/packages/admin/pages/tips/index'))
const listQueries = () => sent('GET /tips').map(queryOf)

const today = () => {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}

describe('举报研判 list', () => {
  it('shows each tip with masked identifiers, status, assignee, labels and its linked group, asking for one page', async () => {
    fakeTipsApi()
    const page = openTips()

    const first = (await page.findByText('王警官', { exact: false })).closest('.tip-row')!
    expect(page.within(first).getByText('刷单返利')).toBeTruthy()
    expect(page.within(first).getByText('核查中')).toBeTruthy()
    expect(page.within(first).getByText('电话号码 138****5678')).toBeTruthy()
    expect(page.within(first).getByText('承办：王警官')).toBeTruthy()
    expect(page.within(first).getByText('标签：已冻结')).toBeTruthy()
    expect(page.within(first).getByText('关联 3 条·首报')).toBeTruthy()
    expect(page.within(first).getByText(`${CREATED_TEXT}，匿名，图片 2 张`)).toBeTruthy()
    const second = page.getByText('虚假贷款').closest('.tip-row')!
    expect(page.within(second).getByText('未指派')).toBeTruthy()
    expect(page.within(second).getByText('银行卡号 6222 **** 1234')).toBeTruthy()
    expect(page.within(second).queryByText(/关联/)).toBeNull()
    expect(listQueries()).toEqual([{ limit: '20' }])
  })

  it('sends each filter as its query parameter: status, type, assignee and dates', async () => {
    fakeTipsApi()
    const page = openTips()
    await page.findByText('虚假贷款')

    await pickOption(page.rtl, page.getByText('全部状态 ›'), '核查中')
    await page.rtl.waitFor(() => expect(listQueries()).toHaveLength(2))
    await pickOption(page.rtl, page.getByText('全部类型 ›'), '刷单返利')
    await page.rtl.waitFor(() => expect(listQueries()).toHaveLength(3))
    page.rtl.fireEvent.click(page.getByText('我的', { selector: '.segmented__item' }))
    await page.rtl.waitFor(() => expect(listQueries()).toHaveLength(4))
    page.rtl.fireEvent.click(page.getByText('未指派', { selector: '.segmented__item' }))
    await page.rtl.waitFor(() => expect(listQueries()).toHaveLength(5))
    // With no start chosen the picker shows today; accepting it as it is makes today the start.
    await pickDay(page.rtl, page.getByText('开始日期'))
    await page.rtl.waitFor(() => expect(listQueries()).toHaveLength(6))

    expect(listQueries().slice(1)).toEqual([
      { status: 'verifying', limit: '20' },
      { status: 'verifying', fraudType: 'order_brushing', limit: '20' },
      { status: 'verifying', fraudType: 'order_brushing', assignee: 'me', limit: '20' },
      { status: 'verifying', fraudType: 'order_brushing', assignee: 'none', limit: '20' },
      { status: 'verifying', fraudType: 'order_brushing', assignee: 'none', from: today(), limit: '20' },
    ])
    expect(page.getByText(`${today()} ›`)).toBeTruthy()
  })

  it('filters by a linked group when its badge is tapped, and lets the filter go again', async () => {
    fakeTipsApi()
    const page = openTips()

    page.rtl.fireEvent.click(await page.findByText('关联 3 条·首报'))
    await page.rtl.waitFor(() => expect(listQueries()).toHaveLength(2))
    expect(listQueries()[1]).toEqual({ groupId: 't1', limit: '20' })
    expect(page.getByText('只看同一关联组的举报')).toBeTruthy()

    page.rtl.fireEvent.click(page.getByText('取消'))
    await page.rtl.waitFor(() => expect(listQueries()).toHaveLength(3))
    expect(listQueries()[2]).toEqual({ limit: '20' })
  })

  it('loads the next page by its cursor with 加载更多, keeps the first page, and stops when there is no more', async () => {
    fakeTipsApi()
    const page = openTips()
    await page.findByText('虚假贷款')
    expect(page.queryByText('已显示全部')).toBeNull()

    page.rtl.fireEvent.click(page.getByText('加载更多'))

    expect(await page.findByText('杀猪盘/网络交友')).toBeTruthy()
    expect(page.getByText('虚假贷款')).toBeTruthy()
    expect(listQueries()).toEqual([{ limit: '20' }, { cursor: 'cursor-2', limit: '20' }])
    expect(page.queryByText('加载更多')).toBeNull()
    expect(page.getByText('已显示全部')).toBeTruthy()
  })

  it('starts again from the first page, without a cursor, when a filter changes after paging', async () => {
    fakeTipsApi()
    const page = openTips()
    await page.findByText('虚假贷款')
    page.rtl.fireEvent.click(page.getByText('加载更多'))
    await page.findByText('杀猪盘/网络交友')

    page.rtl.fireEvent.click(page.getByText('未指派', { selector: '.segmented__item' }))

    await page.rtl.waitFor(() => expect(page.queryByText('杀猪盘/网络交友')).toBeNull())
    expect(listQueries()[2]).toEqual({ assignee: 'none', limit: '20' })
  })

  it('refreshes the first page when the page shows again, keeping the list on screen meanwhile', async () => {
    fakeTipsApi()
    const page = openTips()
    await page.findByText('虚假贷款')

    page.rtl.act(() => taroMock.showPage())

    expect(page.getByText('虚假贷款')).toBeTruthy()
    expect(page.queryByText('正在加载…')).toBeNull()
    await page.rtl.waitFor(() => expect(listQueries()).toEqual([{ limit: '20' }, { limit: '20' }]))
  })

  it('says so in Chinese when nothing matches, differently with and without filters', async () => {
    fakeTipsApi({})
    const page = openTips()

    expect(await page.findByText('暂无举报。')).toBeTruthy()
    page.rtl.fireEvent.click(page.getByText('我的', { selector: '.segmented__item' }))
    expect(await page.findByText('没有符合条件的举报，可调整筛选条件。')).toBeTruthy()
  })

  it('shows the server’s message when the list is refused', async () => {
    serveRoutes({ 'GET /tips': () => refusal(403, ErrorCode.FORBIDDEN, '只有民警可以查看举报') })
    const page = openTips()

    expect(await page.findByText('只有民警可以查看举报')).toBeTruthy()
    await settled(page.rtl)
    expect(page.queryByText('暂无举报。')).toBeNull()
  })

  it('opens a tip’s page from 查看详情', async () => {
    fakeTipsApi()
    const page = openTips()
    const row = (await page.findByText('虚假贷款')).closest('.tip-row')!

    page.rtl.fireEvent.click(page.within(row).getByText('查看详情'))

    expect(taroMock.calls('navigateTo')).toEqual([{ url: '/packages/admin/pages/tip/index?tipId=t2' }])
  })
})

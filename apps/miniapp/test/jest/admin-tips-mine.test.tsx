/// <reference types="jest" />
import type { MeResponse, Role } from '@qmfz/contracts'

import { membership, meWith, ok, openPage, serveRoutes } from './admin-tips-fixtures'
import { taroMock } from './taro'

function openMine(me: MeResponse) {
  serveRoutes({ 'GET /me': () => ok(me), 'GET /notices': () => ok([]) })
  return openPage(() => require('../../src/pages/mine/index'))
}

const ENTRIES = ['举报研判', '奖励审批', '奖励统计']
/** The 有奖举报 entries shown, in order. */
const entriesOn = (page: ReturnType<typeof openMine>) =>
  [...page.container.querySelectorAll('.tips-entries .btn')].map((button) => button.textContent).filter((text) => ENTRIES.includes(text ?? ''))

describe('我的: 有奖举报 entries by role', () => {
  it.each<[string, Role[], string[]]>([
    ['police', ['police'], ['举报研判', '奖励统计']],
    ['a township admin', ['township_admin'], ['奖励审批', '奖励统计']],
    ['someone who is both', ['police', 'township_admin'], ['举报研判', '奖励审批', '奖励统计']],
  ])('shows %s their entries', async (_who, roles, expected) => {
    const page = openMine(meWith(roles))

    await page.findByText('有奖举报')

    expect(entriesOn(page)).toEqual(expected)
  })

  it.each<[string, MeResponse]>([
    ['staff and unit admins', meWith(['staff', 'unit_admin'])],
    ['police whose membership is still pending', { ...meWith([]), memberships: [membership('police', 'pending')] }],
  ])('shows none to %s', async (_who, me) => {
    const page = openMine(me)

    await page.findByText('我的单位')

    expect(page.queryByText('有奖举报')).toBeNull()
    expect(page.container.querySelector('.tips-entries')).toBeNull()
  })

  it('opens each page from its entry', async () => {
    const page = openMine(meWith(['police', 'township_admin']))

    for (const entry of ENTRIES) page.rtl.fireEvent.click(await page.findByText(entry))

    expect(taroMock.calls('navigateTo')).toEqual([
      { url: '/packages/admin/pages/tips/index' },
      { url: '/packages/admin/pages/rewards/index' },
      { url: '/packages/admin/pages/tallies/index' },
    ])
  })
})

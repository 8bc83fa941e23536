/// <reference types="jest" />
import { ErrorCode, ERROR_MESSAGES, type RewardAuditEntry, type RewardResponse, type Role } from '@qmfz/contracts'

import { CREATED, meWith, ok, openPage, queryOf, refusal, reward, sent, serveRoutes } from './admin-tips-fixtures'
import { settled } from './dom'
import { taroMock, type SentRequest } from './taro'

const ADMIN_ID = 'admin-1'
const APPROVED_BY_ME = reward('t2', {
  status: 'approved',
  tier: 'custom',
  amountYuan: 800,
  tip: { fraudType: 'romance', status: 'valid', createdAt: CREATED, unitName: '黄草村', reporterMode: 'anonymous', reporterMasked: null },
  reviewedBy: { userId: ADMIN_ID, displayName: '李干部' },
  reviewedAt: CREATED,
})
const AUDIT: RewardAuditEntry[] = [
  { id: 'l1', actorId: 'p1', actorName: '王警官', action: 'reward.decided', detail: 'tier=first amountYuan=2000', createdAt: CREATED },
  { id: 'l2', actorId: ADMIN_ID, actorName: '李干部', action: 'identity.revealed', detail: 'source=claim fields=name,phone', createdAt: CREATED },
]

/** Rewards by status as the server keeps them; approving, rejecting and paying move them on. */
function fakeRewardsApi(options: { roles?: Role[]; rewards?: RewardResponse[]; refuse?: Partial<Record<string, () => ReturnType<typeof refusal>>> } = {}) {
  let rewards = options.rewards ?? [reward('t1'), APPROVED_BY_ME]
  const move = (tipId: string, change: Partial<RewardResponse>) => {
    rewards = rewards.map((candidate) => (candidate.tipId === tipId ? { ...candidate, ...change } : candidate))
    return ok(rewards.find((candidate) => candidate.tipId === tipId))
  }
  const act = (name: string, change: (request: SentRequest) => Partial<RewardResponse>) => (request: SentRequest) =>
    options.refuse?.[name]?.() ?? move(request.url.split('/').slice(-2)[0], change(request))
  serveRoutes({
    'GET /me': () => ok(meWith(options.roles ?? ['township_admin'], ADMIN_ID)),
    'GET /rewards': (request) => ok(rewards.filter((candidate) => candidate.status === queryOf(request).status)),
    'POST /rewards/t1/approve': act('approve', (request) => ({
      status: 'approved',
      reviewedBy: { userId: ADMIN_ID, displayName: '李干部' },
      reviewedAt: CREATED,
      reviewNote: (request.data as { note?: string }).note ?? null,
    })),
    'POST /rewards/t1/reject': act('reject', (request) => ({ status: 'rejected', reviewNote: (request.data as { note: string }).note })),
    'POST /rewards/t2/paid': act('paid', () => ({ status: 'paid', paidAt: CREATED })),
    'POST /rewards/t2/reveal': () => options.refuse?.reveal?.() ?? ok({ name: '陈某某', phone: '13900000001', source: 'claim' }),
    'GET /rewards/t1/audit': () => ok(AUDIT),
    'GET /rewards/t2/audit': () => ok(AUDIT),
  })
}

const openRewards = () => openPage(() => require('../../src/packages/admin/pages/rewards/index'))
const bodies = (route: string) => sent(route).map((request) => request.data)
const cardOf = (element: Element) => element.closest('.reward-card')!

async function typeNote(page: ReturnType<typeof openRewards>, value: string) {
  const field = await page.rtl.waitFor(() => page.container.querySelector('input.reward-card__note')!)
  page.rtl.fireEvent.input(field, { target: { value } })
}

/** Switches to 待发放 and waits for the approved reward. */
async function showApproved(page: ReturnType<typeof openRewards>) {
  page.rtl.fireEvent.click(await page.findByText('待发放', { selector: '.segmented__item' }))
  return cardOf(await page.findByText('杀猪盘/网络交友，800 元'))
}

describe('奖励审批 for a township admin: approval', () => {
  it('lists rewards waiting for approval with the masked reporter, and another status when chosen', async () => {
    fakeRewardsApi()
    const page = openRewards()

    const card = cardOf(await page.findByText('虚假投资理财，2000 元'))
    expect(page.within(card).getByText('举报人：实名举报（139****0001）')).toBeTruthy()
    expect(page.within(card).getByText('理由：提供的银行卡号协助冻结涉诈资金')).toBeTruthy()
    expect(page.within(card).getByText('一等奖励')).toBeTruthy()

    await showApproved(page)
    expect(page.queryByText('虚假投资理财，2000 元')).toBeNull()
    expect(sent('GET /rewards').map(queryOf)).toEqual([{ status: 'decided' }, { status: 'approved' }])
  })

  it('approves after a confirmation, with the note when one is given', async () => {
    fakeRewardsApi()
    taroMock.answerModals({ confirm: true })
    const page = openRewards()
    await page.findByText('虚假投资理财，2000 元')

    await typeNote(page, ' 材料齐全 ')
    page.rtl.fireEvent.click(page.getByText('批准'))

    expect(await page.findByText('没有待审批的奖励。')).toBeTruthy()
    expect(bodies('POST /rewards/t1/approve')).toEqual([{ note: '材料齐全' }])
    expect(taroMock.calls('showModal')).toEqual([expect.objectContaining({ content: '批准发放 2000 元？' })])
  })

  it('will not reject without a reason, then rejects with it', async () => {
    fakeRewardsApi()
    const page = openRewards()
    await page.findByText('虚假投资理财，2000 元')

    page.rtl.fireEvent.click(page.getByText('驳回'))
    expect(await page.findByText('驳回须填写理由')).toBeTruthy()
    expect(sent('POST /rewards/t1/reject')).toHaveLength(0)

    await typeNote(page, '线索与本案无关')
    page.rtl.fireEvent.click(page.getByText('驳回'))

    expect(await page.findByText('没有待审批的奖励。')).toBeTruthy()
    expect(bodies('POST /rewards/t1/reject')).toEqual([{ note: '线索与本案无关' }])
  })

  it('says plainly that the person who decided a reward cannot approve it when the server refuses so', async () => {
    fakeRewardsApi({ refuse: { approve: () => refusal(403, ErrorCode.REWARD_SAME_PERSON, ERROR_MESSAGES.REWARD_SAME_PERSON) } })
    taroMock.answerModals({ confirm: true })
    const page = openRewards()
    await page.findByText('虚假投资理财，2000 元')

    page.rtl.fireEvent.click(page.getByText('批准'))

    expect(await page.findByText('决定奖励的人不能审批同一笔奖励')).toBeTruthy()
    expect(page.getByText('虚假投资理财，2000 元')).toBeTruthy()
  })

  it('offers no approval on a reward the admin decided themselves', async () => {
    fakeRewardsApi({ rewards: [reward('t1', { decidedBy: { userId: ADMIN_ID, displayName: '李干部' } })] })
    const page = openRewards()

    expect(await page.findByText('这笔奖励由您决定，须由另一位乡镇管理员审批。')).toBeTruthy()
    expect(page.queryByText('批准')).toBeNull()
    expect(page.queryByText('驳回')).toBeNull()
  })
})

describe('奖励审批 for a township admin: payout', () => {
  it('reveals the reporter only after a confirmation that names the audit record, and shows them once', async () => {
    fakeRewardsApi()
    taroMock.answerModals({ confirm: true })
    const page = openRewards()
    const card = await showApproved(page)
    expect(page.within(card).getByText('举报人：匿名举报')).toBeTruthy()

    page.rtl.fireEvent.click(page.within(card).getByText('查看举报人身份'))

    expect(await page.findByText('手机号码：13900000001')).toBeTruthy()
    expect(page.getByText('姓名：陈某某')).toBeTruthy()
    expect(page.getByText('来源：申领奖励时提供')).toBeTruthy()
    expect(page.getByText(/本次查看已记入审计日志/)).toBeTruthy()
    expect(taroMock.calls('showModal')).toEqual([expect.objectContaining({ content: expect.stringContaining('审计日志'), confirmText: '确认查看' })])
    expect(sent('POST /rewards/t2/reveal')).toHaveLength(1)

    page.rtl.fireEvent.click(page.getByText('关闭'))
    expect(page.queryByText('手机号码：13900000001')).toBeNull()
    expect(page.container.textContent).not.toContain('13900000001')
    for (const key of ['qmfz.session']) expect(JSON.stringify(taroMock.stored(key) ?? '')).not.toContain('13900000001')
  })

  it('reveals nothing when the admin cancels', async () => {
    fakeRewardsApi()
    taroMock.answerModals({ confirm: false })
    const page = openRewards()
    const card = await showApproved(page)

    page.rtl.fireEvent.click(page.within(card).getByText('查看举报人身份'))
    await page.rtl.waitFor(() => expect(taroMock.calls('showModal')).toHaveLength(1))
    await settled(page.rtl)

    expect(sent('POST /rewards/t2/reveal')).toHaveLength(0)
    expect(page.queryByText(/手机号码/)).toBeNull()
  })

  it('offers the reveal only to the approver', async () => {
    fakeRewardsApi({ rewards: [{ ...APPROVED_BY_ME, reviewedBy: { userId: 'admin-2', displayName: '周主任' } }] })
    const page = openRewards()
    const card = await showApproved(page)

    expect(page.within(card).queryByText('查看举报人身份')).toBeNull()
    expect(page.within(card).getByText('仅审批人可查看举报人身份。')).toBeTruthy()
  })

  it('marks an approved reward paid after a confirmation', async () => {
    fakeRewardsApi()
    taroMock.answerModals({ confirm: true })
    const page = openRewards()
    const card = await showApproved(page)

    page.rtl.fireEvent.click(page.within(card).getByText('标记已发放'))

    expect(await page.findByText('没有待发放的奖励。')).toBeTruthy()
    expect(sent('POST /rewards/t2/paid')).toHaveLength(1)
    expect(taroMock.calls('showModal')).toEqual([expect.objectContaining({ content: '确认已向举报人发放 800 元？' })])
  })

  it('shows the audit trail: who did what, and when', async () => {
    fakeRewardsApi()
    const page = openRewards()
    const card = cardOf(await page.findByText('虚假投资理财，2000 元'))

    page.rtl.fireEvent.click(page.within(card).getByText('审计记录'))

    expect(await page.findByText('王警官：决定奖励')).toBeTruthy()
    expect(page.getByText('李干部：查看举报人身份')).toBeTruthy()
    expect(sent('GET /rewards/t1/audit')).toHaveLength(1)
    page.rtl.fireEvent.click(page.getByText('收起审计记录'))
    expect(page.queryByText('王警官：决定奖励')).toBeNull()
  })
})

describe('奖励审批 for police', () => {
  it('is read-only: no approval, reveal or payout', async () => {
    fakeRewardsApi({ roles: ['police'] })
    const page = openRewards()

    expect(await page.findByText('您可查看奖励进度；审批和发放由乡镇管理员办理。')).toBeTruthy()
    expect(page.getByText('奖励记录')).toBeTruthy()
    await page.findByText('虚假投资理财，2000 元')
    expect(page.queryByText('批准')).toBeNull()
    expect(page.queryByText('驳回')).toBeNull()
    const card = await showApproved(page)
    expect(page.within(card).queryByText('查看举报人身份')).toBeNull()
    expect(page.within(card).queryByText('标记已发放')).toBeNull()
  })
})

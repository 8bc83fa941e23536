/// <reference types="jest" />
import { ErrorCode, ERROR_MESSAGES, type TipDetailResponse } from '@qmfz/contracts'

import { CREATED, detail, ok, openPage, refusal, sent, serveRoutes } from './admin-tips-fixtures'
import { pickOption, settled } from './dom'
import { taroMock, type SentRequest } from './taro'

const OFFICERS = [
  { userId: 'p1', displayName: '王警官' },
  { userId: 'p2', displayName: '赵警官' },
]

/** One tip whose server copy follows PATCHes, replies and reward decisions, so a reload shows what was sent. */
function fakeTipApi(initial: Partial<TipDetailResponse> = {}, refuse: Partial<Record<string, () => ReturnType<typeof refusal>>> = {}) {
  let tip = detail(initial)
  serveRoutes({
    'GET /tips/t1': () => ok(tip),
    'GET /tips/officers': () => ok(OFFICERS),
    'PATCH /tips/t1': (request: SentRequest) => {
      if (refuse.patch) return refuse.patch()
      const body = request.data as { status?: TipDetailResponse['status']; assigneeUserId?: string | null; labels?: string[] }
      if (body.status) tip = { ...tip, status: body.status }
      if (body.assigneeUserId !== undefined) tip = { ...tip, assignee: OFFICERS.find((officer) => officer.userId === body.assigneeUserId) ?? null }
      if (body.labels) tip = { ...tip, labels: body.labels }
      return ok(tip)
    },
    'POST /tips/t1/replies': (request: SentRequest) => {
      const reply = { id: `e${tip.events.length + 1}`, kind: 'reply' as const, status: null, body: (request.data as { body: string }).body, author: OFFICERS[0], createdAt: CREATED }
      tip = { ...tip, events: [...tip.events, reply] }
      return ok(reply, 201)
    },
    'POST /tips/t1/attachments/a1/link': () => ok({ url: 'https://files.test/a1?sig=1', expiresAt: CREATED }),
    'POST /tips/t1/attachments/a2/link': () => ok({ url: 'https://files.test/a2?sig=1', expiresAt: CREATED }),
    'PUT /tips/t1/reward': (request: SentRequest) => {
      if (refuse.reward) return refuse.reward()
      const body = request.data as { tier: 'first' | 'custom'; amountYuan?: number }
      tip = { ...tip, reward: { status: 'decided', tier: body.tier, amountYuan: body.amountYuan ?? 2000, claimed: false } }
      return ok({}, 200)
    },
  })
}

const openTip = () => openPage(() => require('../../src/packages/admin/pages/tip/index'), { params: { tipId: 't1' } })
const bodies = (route: string) => sent(route).map((request) => request.data)
/** Types into an Input, or a Textarea once Taro's element has drawn its inner <textarea> (it does so a moment later). */
async function type(page: ReturnType<typeof openTip>, selector: string, value: string) {
  const field = await page.rtl.waitFor(() => {
    const found = page.container.querySelector(`${selector} textarea, input${selector}`)
    if (!found) throw new Error(`no field ${selector} yet`)
    return found
  })
  page.rtl.fireEvent.input(field, { target: { value } })
}

describe('tip page: what was reported', () => {
  it('shows the description, the suspects’ full identifiers with copy, the masked reporter and the timeline', async () => {
    fakeTipApi()
    const page = openTip()

    expect(await page.findByText('对方自称淘宝客服，让我下载会议软件共享屏幕，转走 3000 元。')).toBeTruthy()
    expect(page.getByText('13812345678')).toBeTruthy()
    expect(page.getByText('6222020200112341234')).toBeTruthy()
    expect(page.getByText('举报人：实名举报（139****0001）')).toBeTruthy()
    expect(page.getByText('所在村/单位：白土村')).toBeTruthy()
    expect(page.getByText('状态改为：核查中')).toBeTruthy()
    expect(page.getByText('补充：对方还加了我的微信。')).toBeTruthy()

    const card = page.getByText('6222020200112341234').closest('.tip-identifier')!
    page.rtl.fireEvent.click(page.within(card).getByText('复制'))
    expect(taroMock.calls('setClipboardData')).toEqual([expect.objectContaining({ data: '6222020200112341234' })])
  })

  it('loads each image through its short-lived link and opens the viewer with them', async () => {
    fakeTipApi({
      attachments: [
        { id: 'a1', contentType: 'image/jpeg', sizeBytes: 1000, width: 800, height: 600 },
        { id: 'a2', contentType: 'image/png', sizeBytes: 1000, width: 800, height: 600 },
      ],
    })
    const page = openTip()

    await page.findByText('图片（2 张）')
    await page.rtl.waitFor(() => expect(page.container.querySelectorAll('.tip-attachment img')).toHaveLength(2))
    const sources = [...page.container.querySelectorAll('.tip-attachment img')].map((image) => image.getAttribute('src'))
    expect(sources).toEqual(['https://files.test/a1?sig=1', 'https://files.test/a2?sig=1'])
    expect(sent('POST /tips/t1/attachments/a1/link')).toHaveLength(1)

    page.rtl.fireEvent.click(page.container.querySelectorAll('.tip-attachment')[1])
    expect(taroMock.calls('previewImage')).toEqual([
      expect.objectContaining({ urls: ['https://files.test/a1?sig=1', 'https://files.test/a2?sig=1'], current: 'https://files.test/a2?sig=1' }),
    ])
  })
})

describe('tip page: triage', () => {
  it('offers only the transitions allowed from the current status and sends the chosen one', async () => {
    fakeTipApi({ status: 'verifying' })
    const page = openTip()
    await page.findByText('当前：核查中')

    const offered = [...page.container.querySelectorAll('.tip-status__to')].map((button) => button.textContent)
    expect(offered).toEqual(['标记为举报属实', '标记为经核查不属实', '标记为无效/恶意举报', '标记为重复举报'])

    page.rtl.fireEvent.click(page.getByText('标记为举报属实'))

    expect(await page.findByText('当前：举报属实')).toBeTruthy()
    expect(bodies('PATCH /tips/t1')).toEqual([{ status: 'valid' }])
    // From valid the only way is back to checking.
    expect([...page.container.querySelectorAll('.tip-status__to')].map((button) => button.textContent)).toEqual(['标记为核查中'])
  })

  it('offers no status change once a reward is decided, and says why', async () => {
    fakeTipApi({ status: 'valid', reward: { status: 'decided', tier: 'first', amountYuan: 2000, claimed: false } })
    const page = openTip()

    expect(await page.findByText(ERROR_MESSAGES.TIP_LOCKED_BY_REWARD)).toBeTruthy()
    expect(page.container.querySelectorAll('.tip-status__to')).toHaveLength(0)
  })

  it('shows the server’s message when a status change is refused', async () => {
    fakeTipApi({}, { patch: () => refusal(409, ErrorCode.TIP_STATUS_TRANSITION_INVALID, ERROR_MESSAGES.TIP_STATUS_TRANSITION_INVALID) })
    const page = openTip()

    page.rtl.fireEvent.click(await page.findByText('标记为重复举报'))

    expect(await page.findByText('当前状态不能改为该状态')).toBeTruthy()
  })

  it('assigns the tip to an officer chosen from the township’s officers', async () => {
    fakeTipApi()
    const page = openTip()
    await page.findByText('未指派 ›')
    await page.rtl.waitFor(() => expect(sent('GET /tips/officers')).toHaveLength(1))

    await pickOption(page.rtl, page.getByText('未指派 ›'), '赵警官')

    expect(await page.findByText('赵警官 ›')).toBeTruthy()
    expect(bodies('PATCH /tips/t1')).toEqual([{ assigneeUserId: 'p2' }])
  })

  it('edits labels locally and saves them together', async () => {
    fakeTipApi({ labels: ['待回访', '已冻结'] })
    const page = openTip()
    await page.findByText('待回访 ×')
    expect(page.queryByText('保存标签')).toBeNull()

    page.rtl.fireEvent.click(page.getByText('待回访 ×'))
    await type(page, '.tip-labels__input', ' 跨省 ')
    page.rtl.fireEvent.click(page.getByText('添加'))
    page.rtl.fireEvent.click(page.getByText('保存标签'))

    await page.rtl.waitFor(() => expect(page.queryByText('保存标签')).toBeNull())
    expect(bodies('PATCH /tips/t1')).toEqual([{ labels: ['已冻结', '跨省'] }])
    expect(page.getByText('跨省 ×')).toBeTruthy()
  })

  it('sends a reply to the reporter, shows it in the timeline and clears the box', async () => {
    fakeTipApi()
    const page = openTip()
    await page.findByText('发送回复')

    await type(page, '.tip-reply__body', '  您举报的号码已报送封停，感谢支持。 ')
    page.rtl.fireEvent.click(page.getByText('发送回复'))

    expect(await page.findByText('您举报的号码已报送封停，感谢支持。')).toBeTruthy()
    expect(bodies('POST /tips/t1/replies')).toEqual([{ body: '您举报的号码已报送封停，感谢支持。' }])
    expect(taroMock.calls('showToast')).toEqual([expect.objectContaining({ title: '回复已发送' })])
    await page.rtl.waitFor(() => expect(page.getByText('0/500')).toBeTruthy())
  })

  it('sends no empty reply', async () => {
    fakeTipApi()
    const page = openTip()

    page.rtl.fireEvent.click(await page.findByText('发送回复'))

    expect(await page.findByText('请填写回复内容')).toBeTruthy()
    expect(sent('POST /tips/t1/replies')).toHaveLength(0)
  })
})

describe('tip page: reward decision', () => {
  it('is offered only for a valid tip without a reward', async () => {
    fakeTipApi({ status: 'verifying' })
    const page = openTip()
    await page.findByText('当前：核查中')

    expect(page.queryByText('提交奖励决定')).toBeNull()
  })

  it('sends a tier with its reason after a confirmation, and no amount of its own', async () => {
    fakeTipApi({ status: 'valid' })
    taroMock.answerModals({ confirm: true })
    const page = openTip()
    await page.findByText('提交奖励决定')

    page.rtl.fireEvent.click(page.getByText('一等奖励'))
    await type(page, '.tip-reward-form__reason', '提供的银行卡号协助冻结涉诈资金')
    page.rtl.fireEvent.click(page.getByText('提交奖励决定'))

    expect(await page.findByText('举报人尚未申领')).toBeTruthy()
    expect(bodies('PUT /tips/t1/reward')).toEqual([{ tier: 'first', reason: '提供的银行卡号协助冻结涉诈资金' }])
    expect(taroMock.calls('showModal')).toEqual([expect.objectContaining({ content: expect.stringContaining('一等奖励，2000 元') })])
    expect(page.queryByText('提交奖励决定')).toBeNull()
  })

  it('needs an amount for 其他金额 and sends it', async () => {
    fakeTipApi({ status: 'valid' })
    taroMock.answerModals({ confirm: true })
    const page = openTip()
    await page.findByText('提交奖励决定')

    page.rtl.fireEvent.click(page.getByText('其他金额'))
    await type(page, '.tip-reward-form__reason', '线索关键')
    page.rtl.fireEvent.click(page.getByText('提交奖励决定'))
    expect(await page.findByText('其他金额请填写 1–100000 之间的整数（元）')).toBeTruthy()
    expect(sent('PUT /tips/t1/reward')).toHaveLength(0)
    expect(taroMock.calls('showModal')).toHaveLength(0)

    await type(page, '.tip-reward-form__amount', '300')
    page.rtl.fireEvent.click(page.getByText('提交奖励决定'))

    await page.rtl.waitFor(() => expect(bodies('PUT /tips/t1/reward')).toEqual([{ tier: 'custom', amountYuan: 300, reason: '线索关键' }]))
  })

  it('needs a reason', async () => {
    fakeTipApi({ status: 'valid' })
    const page = openTip()

    page.rtl.fireEvent.click(await page.findByText('提交奖励决定'))

    expect(await page.findByText('请填写奖励理由')).toBeTruthy()
    expect(sent('PUT /tips/t1/reward')).toHaveLength(0)
  })

  it('sends nothing when the officer cancels the confirmation', async () => {
    fakeTipApi({ status: 'valid' })
    taroMock.answerModals({ confirm: false })
    const page = openTip()
    await page.findByText('提交奖励决定')

    await type(page, '.tip-reward-form__reason', '线索关键')
    page.rtl.fireEvent.click(page.getByText('提交奖励决定'))
    await page.rtl.waitFor(() => expect(taroMock.calls('showModal')).toHaveLength(1))
    await settled(page.rtl)

    expect(sent('PUT /tips/t1/reward')).toHaveLength(0)
  })

  it('shows the server’s message when the decision is refused', async () => {
    fakeTipApi({ status: 'valid' }, { reward: () => refusal(409, ErrorCode.REWARD_ALREADY_DECIDED, ERROR_MESSAGES.REWARD_ALREADY_DECIDED) })
    taroMock.answerModals({ confirm: true })
    const page = openTip()
    await page.findByText('提交奖励决定')

    await type(page, '.tip-reward-form__reason', '线索关键')
    page.rtl.fireEvent.click(page.getByText('提交奖励决定'))

    expect(await page.findByText('该举报已有奖励决定')).toBeTruthy()
  })
})

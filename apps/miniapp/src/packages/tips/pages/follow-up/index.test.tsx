/// <reference types="jest" />
import { ErrorCode, type ClaimRewardResponse, type TipFollowUpResponse } from '@qmfz/contracts'

import { fireOpenTypeEvent, settled } from '../../../../../test/jest/dom'
import { isolated } from '../../../../../test/jest/isolated'
import { taroMock, type Reply, type SentRequest } from '../../../../../test/jest/taro'

const CODE = 'ABCDEFGHJKMNPQRSTUVW'
const pathOf = (request: SentRequest) => request.url.replace(/^https:\/\/api\.test\/api/, '')
const sent = (path: string) => taroMock.requests.filter((request) => pathOf(request) === path)

function tip(extra: Partial<TipFollowUpResponse> = {}): TipFollowUpResponse {
  return {
    fraudType: 'impersonating_authorities',
    status: 'verifying',
    createdAt: '2026-11-20T02:00:00.000Z',
    updatedAt: '2026-11-22T03:00:00.000Z',
    identifiers: [
      { kind: 'phone', masked: '138****5678' },
      { kind: 'bank_card', masked: '6222 **** **** 0128' },
    ],
    attachmentCount: 2,
    events: [
      { id: 'e1', kind: 'status', status: 'received', body: null, author: null, createdAt: '2026-11-20T02:00:00.000Z' },
      { id: 'e2', kind: 'status', status: 'verifying', body: null, author: null, createdAt: '2026-11-21T02:00:00.000Z' },
      { id: 'e3', kind: 'reply', status: null, body: '已联系银行冻结该账户，请保留好转账记录。', author: null, createdAt: '2026-11-22T03:00:00.000Z' },
    ],
    reward: null,
    ...extra,
  }
}

const decided = (claimNeedsContact: boolean): ClaimRewardResponse => ({ status: 'decided', tier: 'second', amountYuan: 1000, claimed: false, claimNeedsContact })

/** A fake API holding one tip, reachable by CODE only. */
function serve(initial: TipFollowUpResponse) {
  let current = initial
  taroMock.handleRequests((request): Reply => {
    const body = request.data as { receiptCode: string; text?: string }
    if (body.receiptCode !== CODE) return { statusCode: 404, data: { code: ErrorCode.TIP_RECEIPT_NOT_FOUND, message: '回执码不正确，请核对后重试', requestId: 'r' } }
    switch (pathOf(request)) {
      case '/tips/follow-up':
        return { statusCode: 200, data: current }
      case '/tips/follow-up/additions':
        current = { ...current, events: [...current.events, { id: 'e9', kind: 'addition', status: null, body: body.text!, author: null, createdAt: '2026-11-23T02:00:00.000Z' }] }
        return { statusCode: 200, data: current }
      case '/tips/follow-up/claim':
        current = { ...current, reward: { ...current.reward!, claimed: true } }
        return { statusCode: 200, data: current.reward }
      default:
        return { statusCode: 404, data: { code: ErrorCode.NOT_FOUND, message: '不存在', requestId: 'r' } }
    }
  })
}

function openFollowUp(platform: 'h5' | 'weapp' = 'h5', before?: (modules: { receipts: typeof import('../../../../pages/report/receipts') }) => void) {
  process.env.TARO_ENV = platform
  const app = isolated(() => {
    const receipts = require('../../../../pages/report/receipts') as typeof import('../../../../pages/report/receipts')
    before?.({ receipts })
    return { FollowUp: (require('./index') as typeof import('./index')).default }
  })
  const view = app.rtl.render(<app.FollowUp />)
  const type = (selector: string, value: string) => {
    const host = view.container.querySelector(selector)!
    app.rtl.fireEvent.input(host.matches('input') ? host : host.querySelector('input, textarea')!, { target: { value } })
  }
  return { ...view, rtl: app.rtl, type }
}

describe('举报进度 (follow-up by receipt code)', () => {
  it('opens a tip by a typed code (lower case, with dashes) and shows its status, masked numbers and history, without a token', async () => {
    serve(tip())
    const page = openFollowUp()

    page.type('.follow-up__code', 'abcde-fghjk-mnpqr-stuvw')
    page.rtl.fireEvent.click(page.getByText('查询进度'))

    expect(await page.findByText('核查中')).toBeTruthy()
    expect(page.getByText('冒充公检法')).toBeTruthy()
    expect(page.getByText('电话号码：138****5678')).toBeTruthy()
    expect(page.getByText('银行卡号：6222 **** **** 0128')).toBeTruthy()
    expect(page.getByText('处理状态：已受理')).toBeTruthy()
    expect(page.getByText('民警回复：已联系银行冻结该账户，请保留好转账记录。')).toBeTruthy()
    expect(page.getByText('附图片 2 张')).toBeTruthy()
    expect(sent('/tips/follow-up').map((request) => [request.method, request.data, request.header.Authorization])).toEqual([['POST', { receiptCode: CODE }, undefined]])
  })

  it('refuses a code of the wrong length without asking the server', async () => {
    const page = openFollowUp()

    page.type('.follow-up__code', 'ABCDE-FGHJK')
    page.rtl.fireEvent.click(page.getByText('查询进度'))

    expect(page.getByText('回执码为 20 位字母和数字（可带短横线），请核对')).toBeTruthy()
    await settled(page.rtl)
    expect(taroMock.requests).toHaveLength(0)
  })

  it('shows the server’s message for a code that opens no tip', async () => {
    serve(tip())
    const page = openFollowUp()

    page.type('.follow-up__code', 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ')
    page.rtl.fireEvent.click(page.getByText('查询进度'))

    expect(await page.findByText('回执码不正确，请核对后重试')).toBeTruthy()
    expect(page.queryByText('处理记录')).toBeNull()
  })

  it('opens the code the receipt panel handed over, with nothing typed and nothing in the URL', async () => {
    serve(tip())
    const page = openFollowUp('h5', ({ receipts }) => receipts.handOverReceipt(CODE))

    expect(await page.findByText('回执码 ABCDE-FGHJK-MNPQR-STUVW')).toBeTruthy()
    expect(page.getByText('核查中')).toBeTruthy()
  })

  it('lists codes kept on this device partly hidden, opens one with a tap, and forgets one after confirmation', async () => {
    serve(tip())
    taroMock.store('qmfz.tipReceipts', [{ code: CODE, fraudType: 'fake_loan', createdAt: '2026-11-20T02:00:00.000Z' }])
    const page = openFollowUp()

    expect(page.getByText('ABCDE-•••••-•••••-STUVW')).toBeTruthy()
    expect(page.queryByText('ABCDE-FGHJK-MNPQR-STUVW')).toBeNull()
    page.rtl.fireEvent.click(page.getByText('查看'))
    expect(await page.findByText('核查中')).toBeTruthy()

    page.rtl.fireEvent.click(page.getByText('查询其他回执码'))
    taroMock.answerModals({ confirm: true })
    await page.rtl.act(async () => page.rtl.fireEvent.click(page.getByText('删除')))
    expect(taroMock.stored('qmfz.tipReceipts')).toEqual([])
    expect(page.queryByText('本机保存的回执码')).toBeNull()
  })

  it('adds information, which then appears in the history', async () => {
    serve(tip())
    const page = openFollowUp('h5', ({ receipts }) => receipts.handOverReceipt(CODE))
    await page.findByText('核查中')
    await page.rtl.waitFor(() => expect(page.container.querySelector('.follow-up__addition-text textarea')).toBeTruthy())

    page.type('.follow-up__addition-text', '对方又换了一个号码 13900001111 联系我。')
    page.rtl.fireEvent.click(page.getByText('提交补充'))

    expect(await page.findByText('我补充的信息：对方又换了一个号码 13900001111 联系我。')).toBeTruthy()
    expect(sent('/tips/follow-up/additions').map((request) => request.data)).toEqual([{ receiptCode: CODE, text: '对方又换了一个号码 13900001111 联系我。' }])
    expect(sent('/tips/follow-up')).toHaveLength(1)
  })

  it('does not send an empty addition', async () => {
    serve(tip())
    const page = openFollowUp('h5', ({ receipts }) => receipts.handOverReceipt(CODE))
    await page.findByText('核查中')

    page.rtl.fireEvent.click(page.getByText('提交补充'))

    expect(page.getByText('请填写要补充的内容')).toBeTruthy()
    expect(sent('/tips/follow-up/additions')).toHaveLength(0)
  })
})

describe('claiming a reward', () => {
  it('for an anonymous tip asks for a name and a mainland mobile before sending them with the code', async () => {
    serve(tip({ status: 'valid', reward: decided(true) }))
    const page = openFollowUp('h5', ({ receipts }) => receipts.handOverReceipt(CODE))
    expect(await page.findByText('二等奖励：1000 元')).toBeTruthy()
    expect(page.getByText('待审批')).toBeTruthy()

    page.rtl.fireEvent.click(page.getByText('提交申领'))
    expect(page.getByText('请填写姓名')).toBeTruthy()
    expect(page.getByText('请填写手机号码')).toBeTruthy()
    page.type('.follow-up__claim-name', '王大姐')
    page.type('.follow-up__claim-phone', '02379332042')
    page.rtl.fireEvent.click(page.getByText('提交申领'))
    expect(page.getByText('请填写 11 位大陆手机号码')).toBeTruthy()
    await settled(page.rtl)
    expect(sent('/tips/follow-up/claim')).toHaveLength(0)

    page.type('.follow-up__claim-phone', '13700001234')
    page.rtl.fireEvent.click(page.getByText('提交申领'))

    expect(await page.findByText('您已申领，审批通过后发放。')).toBeTruthy()
    expect(sent('/tips/follow-up/claim').map((request) => request.data)).toEqual([{ receiptCode: CODE, name: '王大姐', phone: '13700001234' }])
    expect(page.queryByText('提交申领')).toBeNull()
  })

  it('for a named tip only asks to confirm, sending the code alone', async () => {
    serve(tip({ status: 'valid', reward: decided(false) }))
    const page = openFollowUp('h5', ({ receipts }) => receipts.handOverReceipt(CODE))
    await page.findByText('二等奖励：1000 元')

    expect(page.queryByText('姓名')).toBeNull()
    page.rtl.fireEvent.click(page.getByText('确认申领奖励'))

    expect(await page.findByText('您已申领，审批通过后发放。')).toBeTruthy()
    expect(sent('/tips/follow-up/claim').map((request) => request.data)).toEqual([{ receiptCode: CODE }])
  })

  it('in WeChat, an anonymous reporter may give WeChat’s verified phone instead of typing one', async () => {
    serve(tip({ status: 'valid', reward: decided(true) }))
    const page = openFollowUp('weapp', ({ receipts }) => receipts.handOverReceipt(CODE))
    await page.findByText('二等奖励：1000 元')

    page.type('.follow-up__claim-name', '王大姐')
    page.rtl.act(() => fireOpenTypeEvent(page.getByText('使用微信绑定的手机号'), 'getPhoneNumber', { code: 'phone-code-7' }))
    expect(page.container.querySelector('.follow-up__claim-phone')).toBeNull()
    page.rtl.fireEvent.click(page.getByText('提交申领'))

    await page.findByText('您已申领，审批通过后发放。')
    expect(sent('/tips/follow-up/claim').map((request) => request.data)).toEqual([{ receiptCode: CODE, name: '王大姐', phoneCode: 'phone-code-7' }])
  })

  it('offers no claim for a reward that is rejected, paid or already claimed', async () => {
    for (const reward of [
      { ...decided(true), status: 'rejected' as const },
      { ...decided(true), status: 'paid' as const, claimed: true },
      { ...decided(false), claimed: true },
    ]) {
      serve(tip({ status: 'valid', reward }))
      const page = openFollowUp('h5', ({ receipts }) => receipts.handOverReceipt(CODE))
      await page.findByText('二等奖励：1000 元')

      expect(page.queryByText('提交申领')).toBeNull()
      expect(page.queryByText('确认申领奖励')).toBeNull()
      page.unmount()
    }
  })
})

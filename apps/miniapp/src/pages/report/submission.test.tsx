/// <reference types="jest" />
import { ErrorCode } from '@qmfz/contracts'

import { settled } from '../../../test/jest/dom'
import { deferred, networkFailure, taroMock, type Reply, type SentRequest } from '../../../test/jest/taro'
import { completeDraft, created, DRAFT_KEY, pathOf, renderReport, tipBodies, tipPosts } from './report-fixtures'

const RECEIPTS_KEY = 'qmfz.tipReceipts'
const RECEIPT = 'ABCDEFGHJKMNPQRSTUVW'
const storedDraft = () => taroMock.stored(DRAFT_KEY) as { idempotencyKey: string; pending: boolean; description: string } | undefined

const refusal = (statusCode: number, code: ErrorCode, message: string): Reply => ({ statusCode, data: { code, message, requestId: 'r' } })

/** Answers POST /tips with `answer`, and the township's units with an empty list. */
function handleTips(answer: (request: SentRequest) => Reply | Promise<Reply>) {
  taroMock.handleRequests((request) => (pathOf(request) === '/units' ? { statusCode: 200, data: [] } : answer(request)))
}

type NetworkListener = (result: { isConnected: boolean; networkType: string }) => void

/** The 举报 tab, signed in; in WeChat the network listener is captured so the test can play the network returning. */
function openReport(platform: 'h5' | 'weapp' = 'h5') {
  const networkListeners: NetworkListener[] = []
  const view = renderReport(platform, (Taro) => {
    // Not in the shared Taro mock: WeChat's network events, played by this test.
    Taro.onNetworkStatusChange = (listener: NetworkListener) => networkListeners.push(listener)
    Taro.offNetworkStatusChange = (listener: NetworkListener) => networkListeners.splice(networkListeners.indexOf(listener), 1)
  })
  const networkReturns = (isConnected = true) =>
    view.rtl.act(async () => {
      for (const listener of [...networkListeners]) listener({ isConnected, networkType: isConnected ? 'wifi' : 'none' })
    })
  const submit = () => view.rtl.fireEvent.click(view.getByText(/^(提交举报|立即重新发送)$/))
  return { ...view, submit, networkReturns, networkListeners }
}

describe('sending a tip', () => {
  it('sends once however often 提交 is tapped while the first send is on its way', async () => {
    const answer = deferred<Reply>()
    handleTips(() => answer.promise)
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport()

    // Two taps before React re-renders (the button is not disabled yet), then one on the busy button.
    const button = page.getByText('提交举报')
    page.rtl.act(() => {
      page.rtl.fireEvent.click(button)
      page.rtl.fireEvent.click(button)
    })
    page.rtl.fireEvent.click(page.getByText('正在提交…'))
    await page.rtl.act(async () => answer.resolve(created()))

    expect(await page.findByText('举报已提交')).toBeTruthy()
    expect(tipPosts()).toHaveLength(1)
  })

  it('keeps the draft as 待发送 when the network fails, and sends it with the same key when the browser is back online', async () => {
    let online = false
    handleTips(() => {
      if (!online) throw networkFailure()
      return created()
    })
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport()

    page.submit()
    expect(await page.findByText('待发送')).toBeTruthy()
    expect(page.getByText('网络连接失败，举报已保存在本机。网络恢复或再次打开本页时会自动发送。')).toBeTruthy()
    expect(storedDraft()?.pending).toBe(true)

    online = true
    await page.rtl.act(async () => {
      window.dispatchEvent(new Event('online'))
    })

    expect(await page.findByText('举报已提交')).toBeTruthy()
    expect(tipBodies()).toHaveLength(2)
    expect(tipBodies()[1]).toEqual(tipBodies()[0])
    expect(tipBodies()[1].idempotencyKey).toBe('0123456789abcdef0123456789abcdef')
    expect(storedDraft()).toBeUndefined()
  })

  it('in WeChat, sends a 待发送 draft when WeChat reports the network is connected again, not before', async () => {
    let online = false
    handleTips(() => {
      if (!online) throw networkFailure()
      return created()
    })
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport('weapp')
    page.submit()
    await page.findByText('待发送')

    await page.networkReturns(false)
    await settled(page.rtl)
    expect(tipPosts()).toHaveLength(1)

    online = true
    await page.networkReturns(true)

    expect(await page.findByText('举报已提交')).toBeTruthy()
    expect(new Set(tipBodies().map((body) => body.idempotencyKey)).size).toBe(1)
    expect(tipPosts()).toHaveLength(2)
  })

  it('sends a draft left 待发送 as soon as the page opens, and again each time it is shown while it still fails', async () => {
    let online = false
    handleTips(() => {
      if (!online) throw networkFailure()
      return created()
    })
    taroMock.store(DRAFT_KEY, completeDraft({ pending: true }))
    const page = openReport()

    expect(await page.findByText('待发送')).toBeTruthy()
    await settled(page.rtl)
    expect(tipPosts()).toHaveLength(1)

    online = true
    await page.rtl.act(async () => taroMock.showPage())

    expect(await page.findByText('举报已提交')).toBeTruthy()
    expect(tipPosts()).toHaveLength(2)
  })

  it('clears 待发送 and shows the server’s message when the server refuses the pending tip', async () => {
    handleTips(() => refusal(400, ErrorCode.TIP_CONSENT_REQUIRED, '请先阅读并同意举报信息的使用与保存说明'))
    taroMock.store(DRAFT_KEY, completeDraft({ pending: true }))
    const page = openReport()

    expect(await page.findByText('请先阅读并同意举报信息的使用与保存说明', { selector: '.message' })).toBeTruthy()
    expect(page.queryByText('待发送')).toBeNull()
    expect(storedDraft()?.pending).toBe(false)
    await page.rtl.act(async () => window.dispatchEvent(new Event('online')))
    await settled(page.rtl)
    expect(tipPosts()).toHaveLength(1)
  })

  it('says so when sending too often, and keeps the draft for later', async () => {
    handleTips(() => refusal(429, ErrorCode.RATE_LIMITED, '操作过于频繁，请稍后再试'))
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport()

    page.submit()

    expect(await page.findByText('操作过于频繁，请稍后再试。举报已保存在本机，请稍后再提交。')).toBeTruthy()
    expect(storedDraft()?.description).toBe('网友拉我进投资群，说稳赚不赔，我转了两万元。')
  })

  it('after an unanswered send and an edit, a conflict resends what the server got and shows that tip’s receipt', async () => {
    const answers: Array<(request: SentRequest) => Reply> = [
      () => {
        throw networkFailure()
      },
      () => refusal(409, ErrorCode.TIP_IDEMPOTENCY_CONFLICT, '该举报已提交过，内容与首次提交不一致'),
      () => created(),
    ]
    handleTips((request) => answers.shift()!(request))
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport()
    page.submit()
    await page.findByText('待发送')

    const description = page.container.querySelector('.tip-form__description')!
    await page.rtl.waitFor(() => expect(description.querySelector('textarea')).toBeTruthy())
    page.rtl.fireEvent.input(description.querySelector('textarea')!, { target: { value: '网友拉我进投资群，说稳赚不赔，我前后转了三万元。' } })
    page.submit()

    expect(await page.findByText('举报已提交')).toBeTruthy()
    expect(tipBodies().map((body) => body.description)).toEqual([
      '网友拉我进投资群，说稳赚不赔，我转了两万元。',
      '网友拉我进投资群，说稳赚不赔，我前后转了三万元。',
      '网友拉我进投资群，说稳赚不赔，我转了两万元。',
    ])
    expect(page.getByText(/网络中断后您做的修改没有提交成功/)).toBeTruthy()
  })
})

describe('the receipt', () => {
  it('is shown once, formatted, with a copy button and the warning that it is the only way to follow up', async () => {
    handleTips(() => created())
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport()
    page.submit()

    expect(await page.findByText('ABCDE-FGHJK-MNPQR-STUVW')).toBeTruthy()
    expect(page.getByText(/回执码是查看处理进度、补充信息和领取奖励的唯一凭证，离开本页后不会再显示/)).toBeTruthy()
    page.rtl.fireEvent.click(page.getByText('复制'))
    expect(taroMock.calls('setClipboardData')).toEqual([expect.objectContaining({ data: 'ABCDE-FGHJK-MNPQR-STUVW' })])
    // Shown, not stored: the draft is gone and nothing keeps the code unless the person asks.
    expect(storedDraft()).toBeUndefined()
    expect(taroMock.stored(RECEIPTS_KEY)).toBeUndefined()
  })

  it('is kept on this device only when the person asks, and can be un-kept', async () => {
    handleTips(() => created())
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport()
    page.submit()
    await page.findByText('举报已提交')

    page.rtl.fireEvent.click(page.getByText('在本机保存回执码'))
    expect(taroMock.stored(RECEIPTS_KEY)).toEqual([{ code: RECEIPT, fraudType: 'fake_investment', createdAt: '2026-11-30T02:00:00.000Z' }])
    page.rtl.fireEvent.click(page.getByText('在本机保存回执码'))
    expect(taroMock.stored(RECEIPTS_KEY)).toEqual([])
  })

  it('opens the follow-up page without putting the code in the URL', async () => {
    handleTips(() => created())
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport()
    page.submit()
    await page.findByText('举报已提交')

    page.rtl.fireEvent.click(page.getByText('查看举报进度'))

    expect(taroMock.calls('navigateTo')).toEqual([expect.objectContaining({ url: '/packages/tips/pages/follow-up/index' })])
  })

  it('goes away only after the person confirms it is saved, leaving an empty form with a new key', async () => {
    handleTips(() => created())
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport()
    page.submit()
    await page.findByText('举报已提交')

    taroMock.answerModals({ confirm: false })
    page.rtl.fireEvent.click(page.getByText('我已保存，继续举报'))
    await settled(page.rtl)
    expect(page.getByText('ABCDE-FGHJK-MNPQR-STUVW')).toBeTruthy()

    taroMock.answerModals({ confirm: true })
    page.rtl.fireEvent.click(page.getByText('我已保存，继续举报'))

    expect(await page.findByText('提交举报')).toBeTruthy()
    expect(page.queryByText('ABCDE-FGHJK-MNPQR-STUVW')).toBeNull()
    page.rtl.fireEvent.click(page.getByText('实名举报'))
    await settled(page.rtl)
    expect(storedDraft()?.idempotencyKey).toMatch(/^[0-9a-f]{32}$/)
    expect(storedDraft()?.idempotencyKey).not.toBe('0123456789abcdef0123456789abcdef')
  })
})

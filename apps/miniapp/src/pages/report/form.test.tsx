/// <reference types="jest" />
import { ErrorCode, type CreateTipRequest } from '@qmfz/contracts'

import { fireOpenTypeEvent, pickOption, settled } from '../../../test/jest/dom'
import { isolated } from '../../../test/jest/isolated'
import { taroMock } from '../../../test/jest/taro'
import { completeDraft, created, DRAFT_KEY, pathOf, renderReport, tipPosts } from './report-fixtures'

/** The 举报 tab as a fresh app start, signed in, on the web unless told otherwise. */
function openReport(platform: 'h5' | 'weapp' = 'h5') {
  const view = renderReport(platform)
  const { rtl, container } = view
  const inner = (selector: string, index = 0) => {
    const host = container.querySelectorAll(selector)[index]
    if (!host) throw new Error(`no ${selector}`)
    return (host.matches('input, textarea') ? host : host.querySelector('input, textarea')) as HTMLInputElement
  }
  const type = (selector: string, value: string, index = 0) => rtl.fireEvent.input(inner(selector, index), { target: { value } })
  const typeDescription = async (value: string) => {
    await rtl.waitFor(() => inner('.tip-form__description'))
    type('.tip-form__description', value)
  }
  const submit = () => rtl.fireEvent.click(view.getByText('提交举报'))
  return { ...view, type, typeDescription, submit, inner }
}

const fraudTypePicker = (page: { container: HTMLElement }) => page.container.querySelector('.tip-form__fraud-type .text:last-child')!
const stored = () => taroMock.stored(DRAFT_KEY) as { idempotencyKey: string; [field: string]: unknown } | undefined

describe('the tip form', () => {
  it('shows why a typed bank card is wrong while it is typed, and sends nothing when 提交 is tapped', async () => {
    const page = openReport()
    await pickOption(page.rtl, page.getByText('电话号码 ▾'), '银行卡号')

    page.type('.tip-identifier__value', '6222 0212 3456 7890 127')

    expect(await page.findByText('银行卡号：卡号校验位不正确，请核对')).toBeTruthy()
    page.submit()
    await settled(page.rtl)
    expect(tipPosts()).toHaveLength(0)
    expect(page.getByText('请先按红色提示修改后再提交')).toBeTruthy()
  })

  it('accepts a card number with a valid check digit, and a phone number written with +86 and dashes', async () => {
    const page = openReport()
    page.type('.tip-identifier__value', '+86 138-1234-5678')
    page.rtl.fireEvent.click(page.getByText('再添加一个号码或账号'))
    await pickOption(page.rtl, page.getAllByText('电话号码 ▾')[1], '银行卡号')
    page.type('.tip-identifier__value', '6222 0212 3456 7890 128', 1)
    await settled(page.rtl)

    expect(page.queryByText(/卡号校验位/)).toBeNull()
    expect(page.queryByText(/不是有效的/)).toBeNull()
  })

  it('marks a second row that repeats the first, and lets a row be removed', async () => {
    const page = openReport()
    page.type('.tip-identifier__value', '13812345678')
    page.rtl.fireEvent.click(page.getByText('再添加一个号码或账号'))
    page.type('.tip-identifier__value', '+86 138 1234 5678', 1)
    page.submit()

    expect(await page.findByText('与上面填写的重复')).toBeTruthy()
    page.rtl.fireEvent.click(page.getByText('删除第 2 个'))
    expect(page.queryByText('与上面填写的重复')).toBeNull()
    expect(page.container.querySelectorAll('.tip-identifier')).toHaveLength(1)
  })

  it('on 提交, points out every missing field in Chinese: type, number, a too-short description and the notice', async () => {
    const page = openReport()
    await page.typeDescription('被骗了')
    page.submit()

    expect(await page.findByText('请选择诈骗类型')).toBeTruthy()
    expect(page.getByText('请填写电话号码，或删除这一行')).toBeTruthy()
    expect(page.getByText('请至少写 10 个字，说明经过')).toBeTruthy()
    expect(page.getByText('请阅读并同意举报信息的使用与保存说明')).toBeTruthy()
    expect(page.getByText('3/2000')).toBeTruthy()
    expect(tipPosts()).toHaveLength(0)
  })

  it('does not send a complete tip until the notice of purpose and retention is accepted', async () => {
    taroMock.handleRequests(() => (created()))
    const page = openReport()
    await pickOption(page.rtl, fraudTypePicker(page), '刷单返利')
    page.type('.tip-identifier__value', '13812345678')
    await page.typeDescription('对方让我刷单返利，先返了小钱，后来要求转账。')
    expect(page.getByText('1. 用途：举报只用于派出所民警核查诈骗线索，并与其他群众举报的相同号码、账号关联比对，以便尽早发现和打击诈骗。')).toBeTruthy()

    page.submit()
    expect(await page.findByText('请阅读并同意举报信息的使用与保存说明')).toBeTruthy()
    await settled(page.rtl)
    expect(tipPosts()).toHaveLength(0)

    page.rtl.fireEvent.click(page.getByText('我已阅读并同意上述说明'))
    page.submit()
    await page.findByText('举报已提交')
    const body = tipPosts()[0].data as CreateTipRequest
    expect(body).toEqual({
      idempotencyKey: expect.stringMatching(/^[0-9a-f]{32}$/),
      fraudType: 'order_brushing',
      identifiers: [{ kind: 'phone', value: '13812345678' }],
      description: '对方让我刷单返利，先返了小钱，后来要求转账。',
      lossYuan: null,
      occurredAt: null,
      attachmentIds: [],
      reporter: { mode: 'anonymous' },
      unitId: null,
      consent: true,
    })
  })

  it('refuses a money amount that is not a number, and a description over the limit', async () => {
    const page = openReport()
    page.type('.tip-form__loss', '12.5')
    await page.typeDescription('长'.repeat(2001))

    expect(await page.findByText('请填写整数金额（元）')).toBeTruthy()
    expect(page.getByText('不能超过 2000 个字')).toBeTruthy()
  })

  it('shows the server’s Chinese message when it refuses the tip, and keeps the draft', async () => {
    taroMock.handleRequests(() => ({ statusCode: 400, data: { code: ErrorCode.TIP_IDENTIFIER_INVALID, message: '可疑号码或账号格式不正确', requestId: 'r' } }))
    taroMock.store(DRAFT_KEY, { ...completeDraft(), pending: false })
    const page = openReport()

    page.submit()

    expect(await page.findByText('可疑号码或账号格式不正确')).toBeTruthy()
    expect(stored()?.idempotencyKey).toBe(completeDraft().idempotencyKey)
  })
})

describe('signing in', () => {
  it('on the web without a session, says a tip needs signing in (WeChat signs in silently)', async () => {
    const app = isolated(() => ({ Report: (require('./index') as typeof import('./index')).default }))
    const view = app.rtl.render(<app.Report />)

    expect(view.getByText(/^网页版需登录后才能提交举报/)).toBeTruthy()
    await settled(app.rtl)
    expect(taroMock.requests).toHaveLength(0)
  })

  it('in WeChat, does not ask anyone to sign in, even before the silent login', async () => {
    process.env.TARO_ENV = 'weapp'
    const app = isolated(() => ({ Report: (require('./index') as typeof import('./index')).default }))
    const view = app.rtl.render(<app.Report />)

    expect(view.queryByText(/^网页版需登录后才能提交举报/)).toBeNull()
    expect(view.getByText('提交举报')).toBeTruthy()
  })
})

describe('the reporter', () => {
  it('in WeChat, a named reporter gives WeChat’s verified phone and picks a village; the tip carries the phone code and unit', async () => {
    taroMock.handleRequests((request) => {
      if (pathOf(request) === '/units') {
        return {
          statusCode: 200,
          data: [
            { id: '01JUNIT00000000000000000001', townshipId: 't1', name: '白土村', kind: 'village', createdAt: '2026-01-01T00:00:00.000Z' },
            { id: '01JUNIT00000000000000000002', townshipId: 't1', name: '白土镇中心小学', kind: 'school', createdAt: '2026-01-01T00:00:00.000Z' },
            { id: '01JUNIT00000000000000000003', townshipId: 't1', name: '新街社区', kind: 'community', createdAt: '2026-01-01T00:00:00.000Z' },
          ],
        }
      }
      return created()
    })
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport('weapp')
    page.rtl.fireEvent.click(page.getByText('实名举报'))
    page.rtl.act(() => fireOpenTypeEvent(page.getByText('使用微信绑定的手机号'), 'getPhoneNumber', { code: 'phone-code-3' }))
    expect(page.getByText('将使用您在微信验证的手机号')).toBeTruthy()
    page.type('.tip-reporter__name', '李四')
    const unitRow = await page.findByText('不填写 ›')
    await pickOption(page.rtl, unitRow, '新街社区')
    expect(page.queryByText('白土镇中心小学')).toBeNull()

    page.submit()

    await page.findByText('举报已提交')
    const body = tipPosts()[0].data as CreateTipRequest
    expect(body.reporter).toEqual({ mode: 'named', name: '李四', phoneCode: 'phone-code-3' })
    expect(body.unitId).toBe('01JUNIT00000000000000000003')
  })

  it('on the web, a named reporter must type a mainland mobile; an anonymous tip carries nothing about the reporter', async () => {
    taroMock.handleRequests((request) =>
      pathOf(request) === '/units'
        ? { statusCode: 200, data: [] }
        : created(),
    )
    taroMock.store(DRAFT_KEY, completeDraft({ name: '留下的名字', phone: '13900001111' }))
    const page = openReport()
    expect(page.queryByText('使用微信绑定的手机号')).toBeNull()
    page.rtl.fireEvent.click(page.getByText('实名举报'))
    page.type('.tip-reporter__phone', '1390000111')
    page.submit()
    expect(await page.findByText('请填写 11 位大陆手机号码')).toBeTruthy()
    await settled(page.rtl)
    expect(tipPosts()).toHaveLength(0)

    page.rtl.fireEvent.click(page.getByText('匿名举报'))
    page.submit()

    await page.findByText('举报已提交')
    expect((tipPosts()[0].data as CreateTipRequest).reporter).toEqual({ mode: 'anonymous' })
    expect((tipPosts()[0].data as CreateTipRequest).unitId).toBeNull()
  })
})

describe('when it happened', () => {
  it('may not be in the future', async () => {
    const tomorrow = new Date(Date.now() + 24 * 3600_000)
    const date = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`
    taroMock.store(DRAFT_KEY, completeDraft({ occurredDate: date, occurredTime: '08:00' }))
    const page = openReport()

    expect(page.getByText('发生时间不能晚于现在')).toBeTruthy()
    page.submit()
    await settled(page.rtl)
    expect(tipPosts()).toHaveLength(0)
  })

  it('goes as an instant in the device’s time zone', async () => {
    taroMock.handleRequests(() => (created()))
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport()

    page.submit()

    await page.findByText('举报已提交')
    expect((tipPosts()[0].data as CreateTipRequest).occurredAt).toBe(new Date(2026, 10, 1, 20, 30).toISOString())
    expect((tipPosts()[0].data as CreateTipRequest).lossYuan).toBe(20000)
  })
})

describe('the draft', () => {
  it('in WeChat, takes its key from WeChat’s secure random source once that answers', async () => {
    process.env.TARO_ENV = 'weapp'
    const app = isolated(() => {
      const Taro = (require('@tarojs/taro') as { default: Record<string, unknown> }).default
      Taro.getRandomValues = async ({ length }: { length: number }) => ({ randomValues: Uint8Array.from({ length }, (_, index) => index + 0xa0).buffer })
      return { Report: (require('./index') as typeof import('./index')).default }
    })
    const view = app.rtl.render(<app.Report />)
    await settled(app.rtl)

    app.rtl.fireEvent.click(view.getByText('我已阅读并同意上述说明'))

    expect(stored()?.idempotencyKey).toBe('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf')
  })


  it('is saved on every change, key included, and restored when the page opens again', async () => {
    taroMock.handleRequests(() => ({ statusCode: 200, data: [] }))
    const first = openReport()
    await pickOption(first.rtl, fraudTypePicker(first), '冒充客服')
    first.type('.tip-identifier__value', 'www.fake-refund.cn')
    await first.typeDescription('自称淘宝客服说要给我退款，让我下载会议软件')
    first.type('.tip-form__loss', '3000')
    first.rtl.fireEvent.click(first.getByText('实名举报'))
    first.type('.tip-reporter__phone', '13900001111')
    const saved = stored()!
    expect(saved).toMatchObject({
      fraudType: 'impersonating_service',
      identifiers: [{ kind: 'phone', value: 'www.fake-refund.cn' }],
      description: '自称淘宝客服说要给我退款，让我下载会议软件',
      lossYuan: '3000',
      mode: 'named',
      phone: '13900001111',
    })
    expect(saved.idempotencyKey).toMatch(/^[0-9a-f]{32}$/)
    first.unmount()

    const again = openReport()

    expect(again.getByText('冒充客服 ›')).toBeTruthy()
    expect(again.inner('.tip-identifier__value').value).toBe('www.fake-refund.cn')
    expect(again.inner('.tip-form__loss').value).toBe('3000')
    expect(again.inner('.tip-reporter__phone').value).toBe('13900001111')
    expect(stored()?.idempotencyKey).toBe(saved.idempotencyKey)
    await settled(again.rtl)
  })
})

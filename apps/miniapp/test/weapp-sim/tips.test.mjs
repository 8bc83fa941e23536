// 有奖举报 in the weapp build against the real API: the form refuses a bad card number without sending, a tip goes
// through the real client (silent wx.login, idempotency key) and its receipt code opens the follow-up page, and a tip
// whose send found no network is sent, once, when the page is shown again. Needs `pnpm build:weapp` and the built API.
//   node --test test/weapp-sim/tips.test.mjs
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, it } from 'node:test'

import { startApi } from './api-server.mjs'
import { DEFAULT_DIST, renderPage } from './harness.mjs'

const LIMIT = { timeout: 60_000 }
const REPORT = 'pages/report/index'
const FOLLOW_UP = 'packages/tips/pages/follow-up/index'
const RECEIPT_SHAPE = /^[2-9A-HJ-NP-Z]{5}(-[2-9A-HJ-NP-Z]{5}){3}$/

let api

before(async () => {
  api = await startApi()
})

after(() => api?.close())

const opened = []
afterEach(() => {
  while (opened.length) opened.pop().close()
})

async function openReport(loginCode, options = {}) {
  const page = await renderPage(DEFAULT_DIST, REPORT, { apiBase: api.url, loginCode, ...options })
  opened.push(page)
  await page.waitForText('提交举报')
  return page
}

/** POST /api/tips as the bundle sent them (data as JSON), with how each ended. */
const tipPosts = (page) => page.requests.filter((request) => request.method === 'POST' && /\/api\/tips$/.test(request.url))
const bodyOf = (request) => (typeof request.data === 'string' ? JSON.parse(request.data) : request.data)

/** Fills a complete tip: the first fraud type (刷单返利), a phone number, what happened, the notice accepted. */
async function fillTip(page, { phone = '13812345678', description = '对方在群里发刷单任务，先返了 20 元，后来让我垫付 3000 元。' } = {}) {
  await page.trigger(page.querySelectorAll('picker')[0], 'change', { value: 0 })
  await page.input('input.tip-identifier__value', phone)
  await page.input('textarea', description)
  await page.tap({ text: '我已阅读并同意上述说明' })
}

describe('有奖举报 in the weapp build against the real API', () => {
  it('should show why a bad card number is wrong, and send nothing when 提交 is tapped', LIMIT, async () => {
    const page = await openReport('sim-tip-bad-card')
    await fillTip(page)

    await page.trigger(page.querySelectorAll('picker')[1], 'change', { value: 1 })
    await page.input('input.tip-identifier__value', '6222 0212 3456 7890 127')
    await page.waitForText('银行卡号：卡号校验位不正确，请核对')
    await page.tap({ text: '提交举报' })
    await page.settle()

    assert.deepEqual(tipPosts(page), [])
    assert.ok(page.text().includes('请先按红色提示修改后再提交'), page.text())
    assert.deepEqual(page.errors.map(String), [])
  })

  it('should submit a tip, show its receipt code once, and open the follow-up page with it', LIMIT, async () => {
    const page = await openReport('sim-tip-reporter', { followNavigation: true })
    await fillTip(page)

    await page.tap({ text: '提交举报' })
    await page.waitForText('举报已提交')

    const posts = tipPosts(page)
    assert.deepEqual(posts.map((request) => request.statusCode), [201])
    const sent = bodyOf(posts[0])
    assert.match(sent.idempotencyKey, /^[0-9a-f]{32}$/)
    assert.deepEqual(sent.identifiers, [{ kind: 'phone', value: '13812345678' }])
    assert.deepEqual(sent.reporter, { mode: 'anonymous' })
    const shown = page.querySelector('.tip-receipt__code').text().trim()
    assert.match(shown, RECEIPT_SHAPE)
    assert.equal(shown.replace(/-/g, ''), posts[0].response.receiptCode.replace(/-/g, ''))
    assert.equal(page.storage.get('qmfz.tipDraft'), undefined, 'the draft outlived its sending')
    assert.equal(page.storage.get('qmfz.tipReceipts'), undefined, 'the code was kept without being asked')

    // The tip exists on the server and answers to its code alone.
    const followUp = await fetch(`${api.url}/api/tips/follow-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ receiptCode: shown }) })
    assert.equal(followUp.status, 200)
    assert.equal((await followUp.json()).fraudType, 'order_brushing')

    await page.tap('.tip-receipt__follow-up')
    await page.waitFor(() => page.app.currentPage?.route === FOLLOW_UP)
    const followUpPage = page.app.currentPage
    await followUpPage.waitForText('已受理')
    assert.ok(followUpPage.text().includes('刷单返利'), followUpPage.text())
    assert.ok(followUpPage.text().includes('电话号码：'), followUpPage.text())
    assert.ok(!followUpPage.text().includes('13812345678'), 'the follow-up page shows the suspect’s full number')
    assert.deepEqual(page.callsTo('navigateTo').map((options) => options.url), ['/packages/tips/pages/follow-up/index'])
    assert.deepEqual(page.errors.map(String), [])
  })

  it('should send a named tip with WeChat’s verified phone and the reporter’s village', LIMIT, async () => {
    const page = await openReport('sim-tip-named', { openTypes: { getPhoneNumber: () => ({ code: 'phone-13700001111' }) } })
    await fillTip(page, { phone: '02379332042' })

    await page.tap('.tip-reporter__named')
    await page.tap({ text: '使用微信绑定的手机号' })
    await page.waitForText('将使用您在微信验证的手机号')
    await page.waitFor(() => page.querySelectorAll('picker').length === 5)
    await page.trigger(page.querySelectorAll('picker')[4], 'change', { value: 1 })
    const village = page.querySelector('.tip-reporter__unit').text().replace('所在村（社区，选填）', '').replace('›', '').trim()
    await page.tap({ text: '提交举报' })
    await page.waitForText('举报已提交')

    const [post] = tipPosts(page)
    assert.equal(post.statusCode, 201, JSON.stringify(post.response))
    const sent = bodyOf(post)
    assert.deepEqual(sent.reporter, { mode: 'named', phoneCode: 'phone-13700001111' })
    assert.match(sent.unitId, /^[0-9A-HJKMNP-TV-Z]{26}$/)
    assert.ok(village && village !== '不填写', `no village chosen: ${page.text()}`)
    assert.ok(api.wechatCalls.some((call) => call.code === 'phone-13700001111'), 'the API did not redeem the phone code with WeChat')
    assert.deepEqual(page.errors.map(String), [])
  })

  it('should keep a tip 待发送 when the network fails, and send it once when the page is shown again', LIMIT, async () => {
    let offline = true
    const page = await openReport('sim-tip-offline', {
      // Only the tip's own POST finds no network; sign-in and everything else reach the API.
      request: ({ method, url }) => (offline && method === 'POST' && /\/api\/tips$/.test(url) ? { fail: 'net::ERR_INTERNET_DISCONNECTED' } : undefined),
    })
    await fillTip(page, { phone: '13987654321' })

    await page.tap({ text: '提交举报' })
    await page.waitForText('待发送')
    assert.equal(page.storage.get('qmfz.tipDraft')?.pending, true)

    offline = false
    await page.show()
    await page.waitForText('举报已提交')

    const posts = tipPosts(page)
    assert.equal(posts.length, 2)
    assert.equal(posts[1].statusCode, 201)
    assert.deepEqual(bodyOf(posts[1]), bodyOf(posts[0]))
    assert.deepEqual(page.errors.map(String), [])
  })
})

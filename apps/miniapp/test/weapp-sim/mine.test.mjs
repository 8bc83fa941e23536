// The weapp build's own client against the real API: wx.login signs in silently, 我的 loads the profile,
// a staff member joins a unit with an invite code, and one on the roster verifies a phone number.
// Needs `pnpm build:weapp` and the built API.
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, it } from 'node:test'

import { startApi } from './api-server.mjs'
import { DEFAULT_DIST, renderPage } from './harness.mjs'

const LIMIT = { timeout: 30_000 }
const MINE = 'pages/mine/index'

let api
let invite
const ROSTER_PERSON = { name: '模拟器名册人员', phone: '13800138123', masked: '138****8123' }

/** A JSON call to the API as a given user, for the setup a unit admin would do elsewhere. */
async function call(method, path, body, token) {
  const response = await fetch(`${api.url}/api${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const data = response.status === 204 ? null : await response.json()
  assert.ok(response.ok, `${method} ${path} -> ${response.status} ${JSON.stringify(data)}`)
  return data
}

before(async () => {
  api = await startApi({ env: { DEV_LOGIN: 'true' } })
  const visitor = await call('POST', '/auth/dev-login', { name: '模拟器访客' })
  const village = (await call('GET', '/units', undefined, visitor.accessToken)).find((unit) => unit.kind === 'village')
  const admin = await call('POST', '/auth/dev-login', { name: '模拟器管理员', role: 'unit_admin', unitId: village.id })
  invite = { ...(await call('POST', `/units/${village.id}/invites`, {}, admin.accessToken)), unitName: village.name, adminToken: admin.accessToken }
  const roster = new FormData()
  roster.append('file', new Blob([`姓名,手机号\n${ROSTER_PERSON.name},${ROSTER_PERSON.phone}\n`], { type: 'text/csv' }), 'roster.csv')
  const imported = await fetch(`${api.url}/api/units/${village.id}/roster`, { method: 'POST', headers: { authorization: `Bearer ${admin.accessToken}` }, body: roster })
  assert.equal(imported.status, 200, await imported.text())
})

after(() => api?.close())

const opened = []
afterEach(() => {
  while (opened.length) opened.pop().close()
})

async function openMine(loginCode) {
  const page = await renderPage(DEFAULT_DIST, MINE, { apiBase: api.url, loginCode })
  opened.push(page)
  await page.waitForText('加入单位')
  return page
}

describe('我的 in the weapp build against the real API', () => {
  it('should sign in with the wx.login code and show the profile without asking anything', LIMIT, async () => {
    const page = await openMine('sim-profile')

    assert.deepEqual(api.wechatCalls.filter((call) => call.code === 'sim-profile').length, 1)
    assert.ok(page.text().includes('白土乡'), page.text())
    assert.ok(page.text().includes('还没有加入任何单位'), page.text())
    assert.ok(page.storage.get('qmfz.session')?.refreshToken, 'no session stored')
  })

  it('should join a unit with an invite code and show the membership as pending', LIMIT, async () => {
    const page = await openMine('sim-joiner')

    await page.input('.join-form__code input, input.join-form__code', invite.code.toLowerCase())
    await page.tap({ text: '加入' })
    await page.waitForText('待审批')

    assert.ok(page.text().includes(`已申请加入“${invite.unitName}”`), page.text())
    const join = page.requests.find((request) => request.url.endsWith('/api/memberships/join'))
    assert.equal(join.statusCode, 201)
    assert.deepEqual(JSON.parse(typeof join.data === 'string' ? join.data : JSON.stringify(join.data)), { code: invite.code })
    const pending = await call('GET', `/units/${invite.unitId}/members?status=pending`, undefined, invite.adminToken)
    assert.equal(pending.length, 1)
  })

  it('should show the server’s message for a wrong code and keep what was typed', LIMIT, async () => {
    const page = await openMine('sim-wrong-code')

    await page.input('.join-form__code input, input.join-form__code', 'ZZZZ2222')
    await page.tap({ text: '加入' })
    await page.waitForText('邀请码不存在或已撤销')

    assert.equal(page.querySelector('input').attr('value'), 'ZZZZ2222')
    assert.ok(!page.text().includes('待审批'), page.text())
  })

  it('should verify the phone through the getPhoneNumber button and make a roster entry a membership', LIMIT, async () => {
    const page = await renderPage(DEFAULT_DIST, MINE, {
      apiBase: api.url,
      loginCode: 'sim-roster-person',
      openTypes: { getPhoneNumber: () => ({ code: `phone-${ROSTER_PERSON.phone}` }) },
    })
    opened.push(page)
    await page.waitForText('未验证手机号')

    await page.tap({ text: '验证手机号' })
    await page.waitForText(ROSTER_PERSON.masked)

    assert.ok(page.text().includes(invite.unitName), page.text())
    assert.ok(page.text().includes('已加入'), page.text())
    assert.ok(!page.text().includes(ROSTER_PERSON.phone), 'the full number is shown')
    const bind = page.requests.find((request) => request.url.endsWith('/api/auth/phone'))
    assert.equal(bind.statusCode, 200)
  })
})

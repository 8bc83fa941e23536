// 观看打卡 in the weapp build against the real API: the campaign list, and the player sending heartbeats from its
// real <video> event handlers (bindplay, bindtimeupdate, bindpause, bindended) until the server verifies the
// viewing, then 确认已观看; and a reminder arriving in 我的 → 消息. Needs `pnpm build:weapp` and the built API.
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, it } from 'node:test'

import { startApi } from './api-server.mjs'
import { DEFAULT_DIST, renderPage } from './harness.mjs'

const LIMIT = { timeout: 60_000 }
const CAMPAIGNS = 'packages/video/pages/campaigns/index'
const PLAYER = 'packages/video/pages/player/index'
/** Short, so that real time can cover it: the server allows at most 2 s of video per second (plus slack). */
const VIDEO_SECONDS = 6

let api
let village
let campaign
let admin

/** A JSON call to the API as a given user, for the setup a township admin would do elsewhere. */
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

/** A staff member of the village, signed in on the device as the app itself would have stored it. */
async function staffDevice(name) {
  const tokens = await call('POST', '/auth/dev-login', { name, role: 'staff', unitId: village.id })
  const session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessExpiresAt: Date.now() + tokens.expiresIn * 1000 }
  return { tokens, storage: { 'qmfz.session': session } }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const bodyOf = (request) => (typeof request.data === 'string' ? JSON.parse(request.data) : request.data)
const responseOf = (request) => (typeof request.response === 'string' ? JSON.parse(request.response) : request.response)

before(async () => {
  api = await startApi({ env: { DEV_LOGIN: 'true' } })
  const visitor = await call('POST', '/auth/dev-login', { name: '模拟器访客' })
  village = (await call('GET', '/units', undefined, visitor.accessToken)).find((unit) => unit.kind === 'village')
  admin = await call('POST', '/auth/dev-login', { name: '模拟器乡镇管理员', role: 'township_admin' })
  const video = await call('POST', '/videos/external', { title: '识破刷单诈骗', url: 'https://video.example.cn/fanzha.mp4', durationSeconds: VIDEO_SECONDS }, admin.accessToken)
  campaign = await call(
    'POST',
    '/campaigns',
    { title: '模拟器观看任务', videoId: video.id, deadline: new Date(Date.now() + 7 * 86400_000).toISOString(), unitIds: [village.id], roles: ['staff'], headsFirst: false },
    admin.accessToken,
  )
})

after(() => api?.close())

const opened = []
afterEach(() => {
  while (opened.length) opened.pop().close()
})

async function open(route, options) {
  const page = await renderPage(DEFAULT_DIST, route, { apiBase: api.url, ...options })
  opened.push(page)
  return page
}

describe('观看打卡 in the weapp build against the real API', () => {
  it('should list the campaign the staff member must watch and open its player when tapped', LIMIT, async () => {
    const { storage } = await staffDevice('模拟器列表查看者')
    const page = await open(CAMPAIGNS, { storage })
    await page.waitForText('模拟器观看任务')

    assert.ok(page.text().includes('待观看'), page.text())
    assert.ok(page.text().includes('视频：识破刷单诈骗'), page.text())
    await page.tap({ text: '去观看' })

    assert.deepEqual(
      page.callsTo('navigateTo').map((options) => options.url),
      [`/packages/video/pages/player/index?campaignId=${campaign.id}`],
    )
    assert.deepEqual(page.errors.map(String), [])
  })

  it('should send heartbeats from the player’s own event handlers until the server verifies the viewing, then check in', LIMIT, async () => {
    const { tokens, storage } = await staffDevice('模拟器观看者')
    const page = await open(PLAYER, { storage, query: { campaignId: campaign.id } })
    await page.waitForText('已计入观看 0%')
    const heartbeats = () => page.requests.filter((request) => request.url.endsWith(`/viewing/campaigns/${campaign.id}/heartbeats`))
    const answered = (count) => page.waitFor(() => heartbeats().filter((request) => request.statusCode).length >= count, { timeout: 10_000 })
    assert.ok(page.querySelector('button.player__confirm-button').attr('disabled'), 'confirm is enabled before any viewing')

    // Played in real time: the server allows at most twice the wall-clock time it has seen.
    await page.trigger('video', 'play')
    await answered(1)
    await sleep(1_800)
    await page.trigger('video', 'timeupdate', { currentTime: 3.5, duration: VIDEO_SECONDS })
    await page.trigger('video', 'pause')
    await answered(2)
    await page.trigger('video', 'play')
    await answered(3)
    await sleep(1_800)
    await page.trigger('video', 'timeupdate', { currentTime: VIDEO_SECONDS, duration: VIDEO_SECONDS })
    await page.trigger('video', 'ended')
    await answered(4)
    await page.waitForText('已计入观看 100%')

    const sent = heartbeats()
    assert.deepEqual(
      sent.map((request) => `${bodyOf(request).event}@${bodyOf(request).position}`),
      ['play@0', 'pause@3.5', 'play@3.5', `ended@${VIDEO_SECONDS}`],
    )
    assert.deepEqual(sent.map((request) => request.statusCode), [200, 200, 200, 200])
    // Each heartbeat carries the token the previous reply handed out.
    for (let index = 1; index < sent.length; index++) {
      assert.equal(bodyOf(sent[index]).sessionToken, responseOf(sent[index - 1]).sessionToken, `heartbeat ${index} broke the token chain`)
    }
    assert.deepEqual(sent.map((request) => responseOf(request).rejected), [null, null, null, null])
    assert.equal(responseOf(sent.at(-1)).verified, true)

    await page.waitFor(() => !page.querySelector('button.player__confirm-button').attr('disabled'))
    await page.tap({ text: '确认已观看' })
    await page.waitForText('已完成打卡')

    const checkIns = page.requests.filter((request) => request.url.endsWith(`/viewing/campaigns/${campaign.id}/check-in`))
    assert.equal(checkIns.length, 1)
    assert.equal(checkIns[0].statusCode, 201)
    assert.deepEqual(bodyOf(checkIns[0]), { deviceModel: 'iPhone 12/13 (Pro)', system: 'iOS 16.0', platform: 'devtools' })
    const mine = await call('GET', '/viewing/campaigns', undefined, tokens.accessToken)
    assert.deepEqual(
      mine.filter((entry) => entry.id === campaign.id).map((entry) => [entry.status, entry.verified, entry.percent]),
      [['done', true, 100]],
    )
    assert.deepEqual(page.errors.map(String), [])
  })

  it('should not let a jump in playback count as watched', LIMIT, async () => {
    const { storage } = await staffDevice('模拟器拖动者')
    const page = await open(PLAYER, { storage, query: { campaignId: campaign.id } })
    await page.waitForText('已计入观看 0%')
    const heartbeats = () => page.requests.filter((request) => request.url.endsWith('/heartbeats') && request.statusCode)

    await page.trigger('video', 'play')
    await page.waitFor(() => heartbeats().length >= 1)
    await page.trigger('video', 'timeupdate', { currentTime: VIDEO_SECONDS, duration: VIDEO_SECONDS })
    await page.trigger('video', 'ended')
    await page.waitFor(() => heartbeats().length >= 3)

    assert.deepEqual(heartbeats().map((request) => bodyOf(request).event), ['play', 'seek', 'ended'])
    assert.equal(responseOf(heartbeats()[1]).rejected, 'jump')
    await page.waitForText('跳跃拖动')
    assert.ok(page.text().includes('已计入观看 0%'), page.text())
    assert.ok(page.querySelector('button.player__confirm-button').attr('disabled'), 'confirm enabled after a jump')
  })

  it('should show a unit admin’s reminder under 消息 in 我的, mark it read when tapped and open the campaigns', LIMIT, async () => {
    const { storage } = await staffDevice('模拟器被提醒者')
    const reminded = await call('POST', `/campaigns/${campaign.id}/reminders`, { unitId: village.id }, admin.accessToken)
    assert.ok(reminded.notified >= 1, JSON.stringify(reminded))
    const page = await open('pages/mine/index', { storage })
    await page.waitForText('观看打卡提醒')

    assert.ok(page.text().includes('消息（1 条未读）'), page.text())
    assert.ok(page.text().includes('模拟器观看任务'), page.text())
    await page.tap({ text: '观看打卡提醒' })
    await page.waitFor(() => page.requests.some((request) => /\/api\/notices\/[^/]+\/read$/.test(request.url) && request.statusCode === 204))

    assert.ok(!page.text().includes('未读'), page.text())
    assert.deepEqual(page.callsTo('navigateTo').map((options) => options.url), ['/packages/video/pages/campaigns/index'])
    assert.deepEqual(page.errors.map(String), [])
  })
})

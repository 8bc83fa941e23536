// The H5 build in a real browser against the real API: a video campaign (观看打卡) from upload to check-in.
// A township admin uploads the project's 6-second WebM and publishes a campaign for one village's staff; a staff
// member plays it to the end in Chromium and confirms; the admin sees the village's count change; a second staff
// member who skips ahead gets no verified viewing. Nothing of the app or the API is mocked.
// Run: cd apps/miniapp && node --test --test-reporter=spec test/h5/video.test.mjs   (npm test runs it in the tier
//      "h5 in Chromium", after the build tier has made dist/h5-demo)
// Inputs, environment and artifacts: see app-helpers.mjs.
import assert from 'node:assert/strict'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe } from 'node:test'

import { demoSignIn, flowTest, LABELS, ROUTES, SEED, SEL, startApp, SUITE_TIMEOUT } from './app-helpers.mjs'
import { button, choosePickerOption, inputIn, visiblePage } from './harness.mjs'

const TEST_VIDEO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/test-video.webm')
/** The fixture's Duration, as the admin's video list formats it (packages/admin/pages/campaigns/form.ts). */
const TEST_VIDEO_DURATION = '6秒'
/** Loading, 6 s of playback and the last heartbeats, with room for a slow machine. */
const PLAYBACK_TIMEOUT = 25_000

startApp('video')

describe('H5 app in Chromium against the real API: video campaigns', { timeout: SUITE_TIMEOUT }, () => {
  flowTest(
    '11. staff play the uploaded video to verified completion and confirm; the admin sees the village’s count change; a seek does not complete',
    [ROUTES.demoLogin, ROUTES.mine, ROUTES.units, ROUTES.campaignsAdmin, ROUTES.campaignProgressPage, ROUTES.videoCampaigns, ROUTES.videoPlayerPage],
    'video-viewing',
    async (flow) => {
      // Two staff of the village exist before the campaign, so it requires both of them.
      const watcher = { name: '观看测试甲', page: await flow.newPage('staff-watcher') }
      const skipper = { name: '拖动测试乙', page: await flow.newPage('staff-skipper') }
      for (const staff of [watcher, skipper]) {
        await demoSignIn(flow, staff.page, { name: staff.name, role: LABELS.staff, unit: SEED.videoUnit })
      }

      // 1. The township admin uploads the WebM through the page and publishes a campaign for the village's staff.
      const admin = await flow.newPage('township-admin')
      const campaign = await publishForVillageStaff(flow, admin)

      // 2. Its progress page: the village requires both staff, none done.
      await button(visiblePage(admin).locator(SEL.campaignRow).filter({ hasText: campaign.title }), LABELS.progress).tap()
      await admin.waitForURL(/packages\/admin\/pages\/campaign\/index\?campaignId=/)
      assert.equal(new URLSearchParams(admin.url().split('?')[1]).get('campaignId'), campaign.id)
      await expectProgress(admin, '已完成 0/2 人', { [watcher.name]: LABELS.viewingPending, [skipper.name]: LABELS.viewingPending })
      await flow.shot(admin, 'progress-none-done')

      // 3. The watcher plays the video to its end: the server verifies it, 确认已观看 opens, the check-in is recorded.
      await watchToTheEndAndConfirm(flow, watcher.page, campaign)

      // 4. The admin reloads the progress page: one of two done, the watcher 已完成.
      await admin.reload()
      await expectProgress(admin, '已完成 1/2 人', { [watcher.name]: LABELS.viewingDone, [skipper.name]: LABELS.viewingPending })
      await flow.shot(admin, 'progress-one-done')

      // 5. The skipper jumps ahead: not verified on the page, nor on the server, and the admin sees the jump.
      const authorization = await skipAheadToTheEnd(flow, skipper.page, campaign)
      const mine = await apiGet(flow.baseUrl, '/api/viewing/campaigns', authorization)
      const standing = mine.find((candidate) => candidate.id === campaign.id)
      assert.ok(standing, `the skipper's campaigns lack ${campaign.id}`)
      assert.deepEqual(
        { verified: standing.verified, status: standing.status, checkedInAt: standing.checkedInAt },
        { verified: false, status: 'pending', checkedInAt: null },
      )
      await admin.reload()
      await expectProgress(admin, '已完成 1/2 人', { [watcher.name]: LABELS.viewingDone, [skipper.name]: LABELS.viewingPending })
      const skipperRow = viewerRow(admin, skipper.name)
      await skipperRow.locator(SEL.viewerRejections).getByText(new RegExp(`${LABELS.jump} [1-9]\\d* 次`)).waitFor()
      await skipperRow.scrollIntoViewIfNeeded()
      await flow.shot(admin, 'progress-jump-flagged')
    },
  )
})

/**
 * Township admin: 我的 → 管理本乡镇单位 → 观看任务; uploads the fixture and publishes a campaign with it. Returns
 * the campaign's id and title.
 */
async function publishForVillageStaff(flow, admin) {
  await demoSignIn(flow, admin, { name: '视频测试管理员', role: LABELS.townshipAdmin, unit: SEED.townshipOffice })
  await button(visiblePage(admin), LABELS.manageUnits).tap()
  await admin.waitForURL(/packages\/admin\/pages\/units\/index/)
  await button(visiblePage(admin), LABELS.campaignsAdmin).tap()
  await admin.waitForURL(/packages\/admin\/pages\/campaigns\/index/)
  const videoTitle = '测试短片：识破刷单'
  await uploadVideo(flow, admin, videoTitle)
  const title = `${SEED.videoUnit}反诈观看测试`
  return { id: await publishCampaign(flow, admin, { title, videoTitle }), title }
}

/**
 * Plays the whole video: the ended heartbeat's reply says verified, the page shows the server's percent and
 * enables 确认已观看, every heartbeat carried the previous reply's token and none was refused; then confirms.
 */
async function watchToTheEndAndConfirm(flow, page, campaign) {
  const traffic = await openPlayer(flow, page, campaign)
  const player = visiblePage(page)
  const confirm = button(player.locator(SEL.playerConfirm), LABELS.confirmViewing)
  assert.equal(await isDisabled(confirm), true, '确认已观看 must be disabled before anything was watched')
  const ended = heartbeatReply(page, campaign.id, 'ended')
  await startPlayback(page)
  await flow.shot(page, 'playing')
  const endReply = await ended
  assert.equal(endReply.verified, true, `the server should verify a viewing played to the end: ${describeReply(endReply)}`)
  assert.ok(endReply.percent >= 95, `covered ${endReply.percent}%`)
  await player.locator(SEL.playerPercent).getByText(`已计入观看 ${endReply.percent}%`).waitFor()
  await player.getByText(LABELS.viewingVerified, { exact: true }).waitFor()
  await waitUntilEnabled(confirm)
  await flow.shot(page, 'verified')
  const beats = await assertHeartbeatChain(traffic, ['play', 'ended'])
  assert.ok(beats.every((beat) => beat.reply?.rejected === null), `an uninterrupted viewing had a heartbeat refused: ${describeBeats(beats)}`)

  const checkIn = page.waitForResponse((response) => isPost(response, `/api/viewing/campaigns/${campaign.id}/check-in`))
  await confirm.tap()
  assert.equal((await checkIn).status(), 201)
  await player.locator(SEL.playerDone).getByText(LABELS.checkedIn).waitFor()
  assert.equal(await confirm.count(), 0, '确认已观看 should be gone after the check-in')
  await flow.shot(page, 'checked-in')
}

/**
 * Starts playing, then sets the underlying <video> to 0:05 (what dragging a progress bar does) and lets it end: the
 * jump is refused, nothing is verified, the page says why and 确认已观看 stays disabled. Returns the Authorization
 * header the page used, to ask the server as this person.
 */
async function skipAheadToTheEnd(flow, page, campaign) {
  const traffic = await openPlayer(flow, page, campaign)
  const played = heartbeatReply(page, campaign.id, 'play')
  const ended = heartbeatReply(page, campaign.id, 'ended')
  await startPlayback(page)
  await played
  await page.locator(`${SEL.videoHost} video`).evaluate((video) => {
    video.currentTime = 5
  })
  const endReply = await ended
  assert.equal(endReply.verified, false, `a viewing that skipped 0:01–0:05 was verified: ${describeReply(endReply)}`)
  assert.ok(endReply.percent < 95, `a skipped viewing should stay under 95%, got ${endReply.percent}%`)
  const beats = await assertHeartbeatChain(traffic, ['play', 'ended'])
  assert.ok(beats.some((beat) => beat.reply?.rejected === 'jump'), `the jump to 0:05 was not refused as one: ${describeBeats(beats)}`)

  const player = visiblePage(page)
  await player.locator(SEL.playerProblem).getByText(LABELS.jump).waitFor()
  await player.locator(SEL.playerPercent).getByText(`已计入观看 ${endReply.percent}%`).waitFor()
  await flow.shot(page, 'after-seek')
  assert.equal(await player.getByText(LABELS.viewingVerified, { exact: true }).count(), 0, 'the skipped viewing shows as verified')
  assert.equal(await isDisabled(button(player.locator(SEL.playerConfirm), LABELS.confirmViewing)), true, '确认已观看 enabled after a seek')
  return traffic.authorization()
}

/** The progress page shows the village's `counts` and each named person's status badge. */
async function expectProgress(page, counts, statuses) {
  await visiblePage(page).locator(SEL.unitProgress).filter({ hasText: SEED.videoUnit }).getByText(counts, { exact: true }).waitFor()
  for (const [name, status] of Object.entries(statuses)) {
    await viewerRow(page, name).locator(SEL.viewerStatus).getByText(status, { exact: true }).waitFor()
  }
}

/** On 观看任务: the title, the fixture chosen in the page's own file dialog, 开始上传; the list shows it with its length. */
async function uploadVideo(flow, page, title) {
  const view = visiblePage(page)
  await inputIn(view, SEL.videoUploadTitle).fill(title)
  const chooser = page.waitForEvent('filechooser')
  await button(view, LABELS.pickVideo).tap()
  await (await chooser).setFiles(TEST_VIDEO)
  await view.locator(SEL.videoUploadFile).getByText(/已选择：test-video\.webm/).waitFor()
  await flow.shot(page, 'video-chosen')
  const uploaded = page.waitForResponse((response) => isPost(response, '/api/videos'))
  await button(view, LABELS.uploadVideo).tap()
  const response = await uploaded
  assert.equal(response.status(), 201, `upload answered ${response.status()}: ${await response.text()}`)
  const video = await response.json()
  assert.equal(video.durationSeconds, 6, 'the server should read the duration from the WebM')
  const row = view.locator(SEL.videoRow).filter({ hasText: title })
  await row.getByText(TEST_VIDEO_DURATION, { exact: true }).waitFor()
  await flow.shot(page, 'video-uploaded')
}

/**
 * 发布任务 with the picked video, the village only, 工作人员 only (the form starts with unit admins too), the default
 * deadline a week ahead and no 领导先学. Returns the new campaign's id.
 */
async function publishCampaign(flow, page, { title, videoTitle }) {
  const form = visiblePage(page).locator(SEL.publish)
  await inputIn(form, SEL.publishTitle).fill(title)
  await choosePickerOption(page, form.locator(SEL.publishVideoPicker), videoTitle)
  await form.locator(SEL.publishVideoPicker).getByText(`${videoTitle} ›`).waitFor()
  await form.locator(SEL.publishUnit).filter({ hasText: SEED.videoUnit }).tap()
  await form.locator(SEL.publishRole).filter({ hasText: LABELS.unitAdmin }).tap()
  const roleOn = async (label) => (await form.locator(SEL.publishRole).filter({ hasText: label }).getAttribute('class')).includes(SEL.choiceOn)
  assert.equal(await roleOn(LABELS.staff), true, `${LABELS.staff} should stay chosen`)
  assert.equal(await roleOn(LABELS.unitAdmin), false, `${LABELS.unitAdmin} should be unchosen`)
  await form.locator(SEL.publishUnit).filter({ hasText: SEED.videoUnit }).scrollIntoViewIfNeeded()
  await flow.shot(page, 'publish-filled')

  const published = page.waitForResponse((response) => isPost(response, '/api/campaigns'))
  await button(form, LABELS.publish).tap()
  const response = await published
  assert.equal(response.status(), 201, `publishing answered ${response.status()}: ${await response.text()}`)
  const campaign = await response.json()
  assert.deepEqual(campaign.roles, ['staff'])
  assert.equal(campaign.unitIds.length, 1)
  assert.equal(campaign.headsFirst, false)
  assert.ok(Date.parse(campaign.deadline) > Date.now(), `deadline ${campaign.deadline} is not in the future`)
  const row = visiblePage(page).locator(SEL.campaignRow).filter({ hasText: title })
  await row.waitFor()
  await row.scrollIntoViewIfNeeded()
  await flow.shot(page, 'campaign-published')
  return campaign.id
}

/**
 * 我的 → 观看打卡 → the campaign's card → its player, recording the viewing's traffic from before the session starts.
 * Waits until the player shows the server's starting percent.
 */
async function openPlayer(flow, page, campaign) {
  const traffic = recordViewing(page, campaign.id)
  await button(visiblePage(page), LABELS.viewing).tap()
  await page.waitForURL(/packages\/video\/pages\/campaigns\/index/)
  const card = visiblePage(page).locator(SEL.myCampaign).filter({ hasText: campaign.title })
  await card.getByText(LABELS.viewingPending, { exact: true }).waitFor()
  await flow.shot(page, 'my-campaigns')
  await button(card, LABELS.watch).tap()
  await page.waitForURL(/packages\/video\/pages\/player\/index\?campaignId=/)
  const player = visiblePage(page)
  await player.locator(SEL.playerPercent).getByText('已计入观看 0%').waitFor()
  await player.locator(`${SEL.videoHost} video`).waitFor({ state: 'attached' })
  await flow.shot(page, 'player')
  return traffic
}

/** The play control Taro's <Video> shows before the first play: a tap, as a person would. */
async function startPlayback(page) {
  await visiblePage(page).locator(`${SEL.videoHost} ${SEL.videoPlayButton}`).tap()
}

/**
 * The viewing's session start and heartbeats as the page sent them, in order, each with the server's reply.
 * `authorization` is the header the page signed them with.
 */
function recordViewing(page, campaignId) {
  const base = `/api/viewing/campaigns/${campaignId}`
  const starts = []
  const beats = []
  let authorization = null
  page.on('request', (request) => {
    if (request.method() !== 'POST') return
    const { pathname } = new URL(request.url())
    const entry = { body: request.postDataJSON(), reply: undefined }
    entry.replied = request.response().then(
      (response) => response?.json(),
      () => undefined,
    ).then((reply) => (entry.reply = reply))
    if (pathname === `${base}/sessions`) starts.push(entry)
    else if (pathname === `${base}/heartbeats`) beats.push(entry)
    else return
    authorization = request.headers().authorization ?? authorization
  })
  return {
    starts,
    beats,
    authorization: () => authorization,
    /** Every recorded request's reply, once they have all arrived. */
    async settled() {
      await Promise.all([...starts, ...beats].map((entry) => entry.replied))
      return beats
    },
  }
}

/**
 * The reply to the next heartbeat of `event` this page sends for the campaign. Called before the action that sends
 * it and awaited after; a failure while something else is awaited is reported when this is awaited, not as unhandled.
 */
function heartbeatReply(page, campaignId, event) {
  const reply = nextHeartbeatReply(page, campaignId, event)
  reply.catch(() => undefined)
  return reply
}

async function nextHeartbeatReply(page, campaignId, event) {
  const response = await page
    .waitForResponse(
      (candidate) => isPost(candidate, `/api/viewing/campaigns/${campaignId}/heartbeats`) && candidate.request().postDataJSON()?.event === event,
      { timeout: PLAYBACK_TIMEOUT },
    )
    .catch((error) => {
      throw new Error(`no ${event} heartbeat answered within ${PLAYBACK_TIMEOUT / 1000} s (${error.message.split('\n')[0]})`)
    })
  assert.equal(response.status(), 200, `the ${event} heartbeat answered ${response.status()}: ${await response.text()}`)
  return response.json()
}

/** A reply without its token, for a failure message. */
function describeReply({ coveredSeconds, percent, verified, rejected }) {
  return JSON.stringify({ coveredSeconds, percent, verified, rejected })
}

/** event@position → percent (rejection), one per heartbeat. */
function describeBeats(beats) {
  return beats.map(({ body, reply }) => `${body.event}@${body.position} → ${reply?.percent}%${reply?.rejected ? ` (${reply.rejected})` : ''}`).join(', ')
}

/**
 * The heartbeats carry `events` (among others), in the order of a strictly increasing clock, and each carries the
 * token of the reply before it: the first, the session's own.
 */
async function assertHeartbeatChain(traffic, events) {
  const beats = await traffic.settled()
  const sent = beats.map((beat) => beat.body.event)
  for (const event of events) assert.ok(sent.includes(event), `no ${event} heartbeat; sent: ${sent.join(', ')}`)
  assert.equal(traffic.starts.length, 1, `expected one viewing session, started ${traffic.starts.length}`)
  let token = traffic.starts[0].reply?.sessionToken
  assert.ok(token, 'the session start gave no token')
  beats.forEach((beat, index) => {
    assert.equal(beat.body.sessionToken, token, `heartbeat ${index} (${beat.body.event}) did not carry the previous reply's token`)
    assert.ok(beat.reply?.sessionToken, `heartbeat ${index} (${beat.body.event}) got no token back`)
    token = beat.reply.sessionToken
  })
  const clocks = beats.map((beat) => beat.body.clientTimeMs)
  assert.ok(clocks.every((clock, index) => index === 0 || clock > clocks[index - 1]), `clientTimeMs not increasing: ${clocks.join(', ')}`)
  return beats
}

function isPost(response, pathname) {
  return response.request().method() === 'POST' && new URL(response.url()).pathname === pathname
}

async function isDisabled(taroButton) {
  return taroButton.evaluate((element) => element.disabled === true)
}

async function waitUntilEnabled(taroButton) {
  await taroButton.page().waitForFunction((element) => element.disabled !== true, await taroButton.elementHandle())
}

function viewerRow(page, name) {
  return visiblePage(page).locator(SEL.viewerRow).filter({ hasText: name })
}

async function apiGet(baseUrl, pathname, authorization) {
  assert.ok(authorization, 'no Authorization header was seen on the viewing requests')
  const response = await fetch(`${baseUrl}${pathname}`, { headers: { authorization } })
  assert.equal(response.status, 200, `GET ${pathname} answered ${response.status}`)
  return response.json()
}

// What the H5 flows share: the pages' routes, labels and selectors, the per-file setup (a real API and one
// Chromium), `flowTest`, and the steps several flows take (demo login, the unit admin page, invites).
// Inputs, built beforehand (the flows build nothing):
//   pnpm --filter @qmfz/contracts build && pnpm --filter @qmfz/api build
//   cd apps/miniapp && TARO_APP_DEMO_LOGIN=true TARO_APP_API_BASE= pnpm exec taro build --type h5   (→ dist/h5-demo)
// Env: H5_DIST (built folder; default dist/h5-demo), CHROMIUM_PATH (default /usr/bin/chromium),
//      H5_ALLOW_MISSING_PAGES=1 (skip, rather than fail, a flow whose pages the build lacks).
// Screenshots of every step: <repo>/artifacts/h5/*.png; each test file's API output: artifacts/h5/api-<file>.log.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, it } from 'node:test'

import {
  ARTIFACTS,
  button,
  checkPrerequisites,
  choosePickerOption,
  clearScreenshots,
  H5_DIST,
  inputIn,
  launchBrowser,
  openRoute,
  runFlow,
  startApi,
  visiblePage,
} from './harness.mjs'

// ---- What the flows look for. Adjust here when the pages change. -----------------------------------------------

export const ROUTES = {
  home: '',
  homePage: 'pages/index/index',
  mine: 'pages/mine/index',
  demoLogin: 'packages/demo/pages/login/index',
  unitAdminPage: 'packages/admin/pages/unit/index',
  unitAdmin: (unitId) => `packages/admin/pages/unit/index?unitId=${encodeURIComponent(unitId)}`,
  /** The township admin's list of units. */
  units: 'packages/admin/pages/units/index',
  /** The township admin's 观看任务: videos, publishing, the campaign list. */
  campaignsAdmin: 'packages/admin/pages/campaigns/index',
  /** One campaign's progress (`?campaignId=`). */
  campaignProgressPage: 'packages/admin/pages/campaign/index',
  /** 我的观看任务 and the player of one campaign. */
  videoCampaigns: 'packages/video/pages/campaigns/index',
  videoPlayerPage: 'packages/video/pages/player/index',
}

/** Pages whose features later issues build: each must open in the browser and say what it is. */
export const PLACEHOLDER_PAGES = [
  { route: 'pages/quiz/index', title: '反诈答题' },
  { route: 'packages/school/pages/notices/index', title: '家校通知' },
]

export const APP_NAME = '全民反诈'
export const HOTLINES = [
  { number: '023-79332042', dial: '02379332042' },
  { number: '96110', dial: '96110' },
]

/** Seeded by apps/api/src/seed/demo-data.ts. */
export const SEED = {
  township: '白土乡',
  adminUnit: '三塘村',
  loginUnit: '白土司法所',
  /** The township office, whose 乡镇管理员 manages the township's units. */
  townshipOffice: '白土乡平安办',
  // One unit per flow, so no flow sees another's invites, members or roster.
  rosterUnit: '白土社区',
  revokeUnit: '白土乡中心小学',
  offlineUnit: '白土中学',
  legibilityUnit: '永安村',
  /** The village whose staff watch the test video (its seeded members: one unit admin, no staff). */
  videoUnit: '石门村',
}

export const LABELS = {
  // contracts ROLE_LABELS / MEMBERSHIP_STATUS_LABELS
  unitAdmin: '单位管理员',
  townshipAdmin: '乡镇管理员',
  village: '村', // contracts UNIT_KIND_LABELS.village
  pending: '待审批',
  active: '已加入',
  // buttons
  signIn: '登录',
  manage: '管理',
  createInvite: '生成邀请码',
  join: '加入',
  approve: '批准',
  elderMode: '大字模式',
  manageUnits: '管理本乡镇单位',
  createUnit: '创建',
  rename: '改名',
  save: '保存',
  importRoster: '导入名册文件',
  revoke: '撤销',
  // the server's message for an unknown or revoked code (contracts ERROR_MESSAGES.INVITE_NOT_FOUND)
  inviteNotFound: '邀请码不存在或已撤销',
  // contracts ERROR_MESSAGES.UNIT_NAME_TAKEN
  unitNameTaken: '该乡镇已有同名单位',
  // the client's own message when a request never reached the server (api/transport.ts CLIENT_MESSAGES.NETWORK)
  network: '网络连接失败，请检查网络后重试',
  // video campaigns (观看打卡)
  staff: '工作人员', // contracts ROLE_LABELS.staff
  viewing: '观看打卡', // 我的 → 我的观看任务
  campaignsAdmin: '观看任务',
  pickVideo: '选择视频文件',
  uploadVideo: '开始上传',
  publish: '发布',
  progress: '进度',
  watch: /^\s*(去观看|继续观看)\s*$/,
  confirmViewing: '确认已观看',
  /** The player's hint once the server has verified the viewing (packages/video/pages/player). */
  viewingVerified: '系统已核验您看完了视频，请确认。',
  checkedIn: '已完成打卡',
  // contracts VIEWING_STATUS_LABELS, REJECTION_REASON_LABELS.jump
  viewingPending: '待观看',
  viewingDone: '已完成',
  jump: '跳跃拖动',
}

export const SEL = {
  /** A call affordance for a hotline: a tel: link, or a button naming the number or saying 拨打. */
  hotlineCall: (number) => `a[href^="tel:"]:visible, taro-button-core:visible:has-text("${number}"), taro-button-core:visible:has-text("拨打")`,
  demoName: '.demo-login__name',
  /** The rows that open the demo login's pickers (tap the row: the <taro-picker-core> host itself has no box). */
  demoRolePicker: '.demo-login__role',
  demoUnitPicker: '.demo-login__unit',
  /** 我的: one row per membership (unit name, role label, status badge). */
  membershipRow: '.memberships .membership',
  joinForm: '.join-form',
  joinCode: '.join-form__code',
  inviteCode: '.invite__code',
  /** One usable invite code on the unit admin page (code, role and expiry, 复制, 撤销). */
  inviteRow: '.invites .invite',
  pendingRow: '.members-pending .member',
  memberRow: '.members .member',
  elderToggle: '.elder-toggle',
  elderRoot: '.page--elder',
  /** A body-text element whose computed font-size 大字模式 must raise. */
  bodyText: '.elder-toggle .text',
  /** The township admin's units page: the 新增单位 card, its name field and kind picker row, the unit rows. */
  unitCreate: '.unit-create',
  unitCreateName: '.unit-create__name',
  unitKindPicker: '.unit-create .row',
  unitRow: '.units .unit-row',
  unitRowEditing: '.units .unit-row--editing',
  /** Roster card: the import result (counts, one error line per refused file line) and one row per entry. */
  rosterResult: '.roster__result',
  rosterRowError: '.roster__row-error',
  rosterEntry: '.roster .roster-entry',
  /** 观看任务 (township admin): the upload form's title field, the video rows, the publish card and its rows. */
  videoUploadTitle: '.video-upload__title',
  videoUploadFile: '.video-upload__file',
  videoRow: '.videos .video',
  publish: '.publish',
  publishTitle: '.publish__title',
  publishVideoPicker: '.publish__video',
  publishUnit: '.publish__unit',
  publishRole: '.publish__role',
  /** The class (not a selector) of a chosen unit or role row. */
  choiceOn: 'choice--on',
  campaignRow: '.campaigns .campaign-row',
  /** The progress page: one row per unit (counts), one row per required person (status badge, rejections). */
  unitProgress: '.unit-progress',
  viewerRow: '.viewers .viewer',
  viewerStatus: '.viewer__status',
  viewerRejections: '.viewer__rejections',
  /** 我的观看任务: one card per campaign. */
  myCampaign: '.campaign',
  /** The player: Taro's <Video> host (a real <video> inside), the server's percent, the confirm card. */
  videoHost: 'taro-video-core',
  videoPlayButton: '.taro-video-cover-play-button',
  playerPercent: '.player__percent',
  playerProblem: '.player__problem',
  playerConfirm: '.player__confirm',
  playerDone: '.player__done',
}

// ---- One API and one browser per test file; one test per flow ---------------------------------------------------

const FLOW_TIMEOUT = 90_000
/** For a test file's describe(): a stuck flow times out on its own long before this. */
export const SUITE_TIMEOUT = 12 * FLOW_TIMEOUT

let api
let browser
const flowNames = []

/** Starts the API and Chromium before the file's flows and stops them after; `name` names its API log. */
export function startApp(name) {
  before(async () => {
    checkPrerequisites()
    clearScreenshots(flowNames)
    api = await startApi({ logFile: path.join(ARTIFACTS, `api-${name}.log`) })
    browser = await launchBrowser()
    console.log(`H5 tests: ${H5_DIST} served by ${api.baseUrl}; Chromium ${browser.version()}`)
  })
  after(async () => {
    await browser?.close()
    await api?.stop()
  })
}

/** Routes compiled into the build (Taro lists every page in the app bundle). */
const builtText = (() => {
  const js = path.join(H5_DIST, 'js')
  if (!existsSync(js)) return null
  return readdirSync(js)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(path.join(js, file), 'utf8'))
    .join('\n')
})()

/** Pages of `routes` that the build lacks. */
function missingPages(routes) {
  if (builtText === null) return [] // no build at all: before() fails the run, saying what to build
  return routes.filter((route) => !builtText.includes(route))
}

/**
 * One flow, one test, its screenshots named after `slug`. A flow whose pages are not in the build fails, naming
 * them; with H5_ALLOW_MISSING_PAGES=1 it is skipped instead (for a build made while pages are still being written).
 */
export function flowTest(name, routes, slug, body) {
  flowNames.push(slug)
  const missing = missingPages(routes)
  const reason = `page(s) not in ${H5_DIST}: ${missing.join(', ')}`
  const skip = missing.length > 0 && process.env.H5_ALLOW_MISSING_PAGES === '1' ? `waiting on ${reason}` : false
  it(name, { timeout: FLOW_TIMEOUT, skip }, async () => {
    assert.deepEqual(missing, [], `${reason} (H5_ALLOW_MISSING_PAGES=1 skips such flows)`)
    await runFlow(browser, api.baseUrl, slug, body)
  })
}

// ---- Shared steps -------------------------------------------------------------------------------------------------

/** Demo login (demo builds only): a name, optionally a role in a unit; lands on 我的. */
export async function demoSignIn(flow, page, { name, role, unit }) {
  await openRoute(page, ROUTES.demoLogin)
  const view = visiblePage(page)
  await inputIn(view, SEL.demoName).fill(name)
  if (role) {
    await choosePickerOption(page, view.locator(SEL.demoRolePicker), role)
    await choosePickerOption(page, view.locator(SEL.demoUnitPicker), unit)
  }
  await flow.shot(page, `demo-login-${role ? 'member' : 'resident'}-filled`)
  await button(view, LABELS.signIn).tap()
  await page.waitForURL(/#\/pages\/mine\/index/)
  await visiblePage(page).getByText(name, { exact: true }).first().waitFor()
}

export function membershipRow(page, unit) {
  return visiblePage(page).locator(SEL.membershipRow).filter({ hasText: unit })
}

/**
 * Types `value` into `field`, taps `submit` in `form` and waits for `message` there: the refusal every form must
 * show. The typed value must still be in the field afterwards, so the person can correct it or try again.
 */
export async function submitExpectingMessage(form, field, value, submit, message) {
  await field.fill(value)
  await button(form, submit).tap()
  await form.getByText(message).waitFor()
  assert.equal(await field.inputValue(), value, `after "${message}" the field should still hold "${value}"`)
}

/** From 我的, 管理 on the membership row of `unit`: lands on the unit admin page; returns the unit id. */
export async function openUnitAdmin(page, unit) {
  await button(membershipRow(page, unit), LABELS.manage).tap()
  await page.waitForURL(/packages\/admin\/pages\/unit\/index\?unitId=/)
  const unitId = new URLSearchParams(page.url().split('?')[1]).get('unitId')
  assert.ok(unitId, `no unitId in ${page.url()}`)
  await visiblePage(page).getByText(unit).first().waitFor()
  return unitId
}

/** On the unit admin page, 生成邀请码; returns the code that was not listed before. */
export async function createInvite(page) {
  const view = visiblePage(page)
  const codes = view.locator(SEL.inviteCode)
  const before = (await codes.allTextContents()).map((text) => text.trim())
  await button(view, LABELS.createInvite).tap()
  await codes.nth(before.length).waitFor()
  const added = (await codes.allTextContents()).map((text) => text.trim()).filter((code) => !before.includes(code))
  assert.equal(added.length, 1, `expected one new invite code; before: ${before.join(', ')}; added: ${added.join(', ')}`)
  assert.match(added[0], /^[0-9A-Z]{8}$/, `invite code on the page: "${added[0]}"`)
  return added[0]
}

/** A unit row on the units page whose name is exactly `name`. */
export function unitRow(page, name) {
  return visiblePage(page).locator(SEL.unitRow).filter({ has: page.getByText(name, { exact: true }) })
}

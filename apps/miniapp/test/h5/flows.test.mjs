// The H5 build in a real browser against the real API: what a resident, a unit admin and an elderly user do.
// Inputs, built beforehand (this suite builds nothing):
//   pnpm --filter @qmfz/contracts build && pnpm --filter @qmfz/api build
//   cd apps/miniapp && TARO_APP_DEMO_LOGIN=true TARO_APP_API_BASE= pnpm exec taro build --type h5   (→ dist/h5-demo)
// Run: cd apps/miniapp && node --test --test-reporter=spec test/h5/flows.test.mjs   (npm test runs it as the tier
//      "h5 in Chromium", after the build tier has made dist/h5-demo)
// Env: H5_DIST (built folder; default dist/h5-demo), CHROMIUM_PATH (default /usr/bin/chromium),
//      H5_ALLOW_MISSING_PAGES=1 (skip, rather than fail, a flow whose pages the build lacks).
// Screenshots of every step: <repo>/artifacts/h5/*.png; the API's output: artifacts/h5/api.log.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import {
  button,
  checkPrerequisites,
  choosePickerOption,
  clearScreenshots,
  fontSizeOf,
  illegibleText,
  H5_DIST,
  inputIn,
  launchBrowser,
  openRoute,
  runFlow,
  startApi,
  visiblePage,
} from './harness.mjs'

// ---- What the flows look for. Adjust here when the pages change. -----------------------------------------------

const ROUTES = {
  home: '',
  homePage: 'pages/index/index',
  mine: 'pages/mine/index',
  demoLogin: 'packages/demo/pages/login/index',
  unitAdminPage: 'packages/admin/pages/unit/index',
  unitAdmin: (unitId) => `packages/admin/pages/unit/index?unitId=${encodeURIComponent(unitId)}`,
  /** The township admin's list of units. */
  units: 'packages/admin/pages/units/index',
}

const APP_NAME = '全民反诈'
const HOTLINES = [
  { number: '023-79332042', dial: '02379332042' },
  { number: '96110', dial: '96110' },
]

/** Seeded by apps/api/src/seed/demo-data.ts. */
const SEED = {
  township: '白土乡',
  adminUnit: '三塘村',
  loginUnit: '白土司法所',
  /** The township office, whose 乡镇管理员 manages the township's units. */
  townshipOffice: '白土乡平安办',
  // One unit per flow below, so no flow sees another's invites, members or roster.
  rosterUnit: '白土社区',
  revokeUnit: '白土乡中心小学',
  offlineUnit: '白土中学',
}

const LABELS = {
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
}

const SEL = {
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
}

// ---- Which flows the build can run --------------------------------------------------------------------------------

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

const FLOW_TIMEOUT = 90_000

/**
 * One flow, one test, its screenshots named after `slug`. A flow whose pages are not in the build fails, naming
 * them; with H5_ALLOW_MISSING_PAGES=1 it is skipped instead (for a build made while pages are still being written).
 */
function flowTest(name, routes, slug, body) {
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
async function demoSignIn(flow, page, { name, role, unit }) {
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

function membershipRow(page, unit) {
  return visiblePage(page).locator(SEL.membershipRow).filter({ hasText: unit })
}

/**
 * Types `value` into `field`, taps `submit` in `form` and waits for `message` there: the refusal every form must
 * show. The typed value must still be in the field afterwards, so the person can correct it or try again.
 */
async function submitExpectingMessage(form, field, value, submit, message) {
  await field.fill(value)
  await button(form, submit).tap()
  await form.getByText(message).waitFor()
  assert.equal(await field.inputValue(), value, `after "${message}" the field should still hold "${value}"`)
}

/** From 我的, 管理 on the membership row of `unit`: lands on the unit admin page; returns the unit id. */
async function openUnitAdmin(page, unit) {
  await button(membershipRow(page, unit), LABELS.manage).tap()
  await page.waitForURL(/packages\/admin\/pages\/unit\/index\?unitId=/)
  const unitId = new URLSearchParams(page.url().split('?')[1]).get('unitId')
  assert.ok(unitId, `no unitId in ${page.url()}`)
  await visiblePage(page).getByText(unit).first().waitFor()
  return unitId
}

/** On the unit admin page, 生成邀请码; returns the code that was not listed before. */
async function createInvite(page) {
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
function unitRow(page, name) {
  return visiblePage(page).locator(SEL.unitRow).filter({ has: page.getByText(name, { exact: true }) })
}

// ---- The flows ----------------------------------------------------------------------------------------------------

let api
let browser

before(async () => {
  checkPrerequisites()
  clearScreenshots()
  api = await startApi()
  browser = await launchBrowser()
  console.log(`H5 tests: ${H5_DIST} served by ${api.baseUrl}; Chromium ${browser.version()}`)
})

after(async () => {
  await browser?.close()
  await api?.stop()
})

describe('H5 app in Chromium against the real API', { timeout: 12 * FLOW_TIMEOUT }, () => {
  flowTest('1. home at / shows the app name and both hotlines', [ROUTES.homePage], 'home', async (flow) => {
    const page = await flow.newPage('visitor')
    await openRoute(page, ROUTES.home)
    const view = visiblePage(page)
    await view.getByText(APP_NAME, { exact: true }).first().waitFor()
    for (const { number } of HOTLINES) {
      await view.getByText(number).filter({ visible: true }).first().waitFor()
    }
    await flow.shot(page, 'home')
  })

  flowTest('1b. each hotline can be called from the home page (tel: link or call button)', [ROUTES.homePage], 'home-call', async (flow) => {
    const page = await flow.newPage('visitor')
    // Taro's H5 makePhoneCall sets location.href = 'tel:…'; Chromium asks to leave the page for it, which CDP reports.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Page.enable')
    const dialled = []
    cdp.on('Page.frameRequestedNavigation', (event) => dialled.push(event.url))
    await openRoute(page, ROUTES.home)
    const view = visiblePage(page)
    for (const { number, dial } of HOTLINES) {
      const call = page.locator(SEL.hotlineCall(number)).filter({ hasText: number })
      assert.ok((await call.count()) > 0, `no tel: link or call button for ${number}`)
      const href = await call.first().getAttribute('href')
      if (href) {
        assert.equal(href.replace(/[^\d]/g, ''), dial)
      } else {
        // A click event, not a Playwright tap: after the first tel: navigation Chromium can hold further input
        // behind its external-protocol prompt, and a tap then waits out its timeout (flaky, about 1 run in 5).
        await call.first().dispatchEvent('click')
        await assert.doesNotReject(
          waitFor(() => dialled.some((url) => url.replace(/[^\d]/g, '') === dial && url.startsWith('tel:'))),
          `tapping the button for ${number} did not dial tel:${dial} (navigations: ${dialled.join(', ') || 'none'})`,
        )
      }
    }
    await view.getByText(APP_NAME, { exact: true }).first().waitFor()
    await flow.shot(page, 'after-calls')
  })

  flowTest('2. demo login as a unit admin; 我的 shows the unit and the role', [ROUTES.demoLogin, ROUTES.mine], 'demo-login', async (flow) => {
    const page = await flow.newPage('admin')
    await openRoute(page, ROUTES.demoLogin)
    await flow.shot(page, 'login-page')
    await demoSignIn(flow, page, { name: 'H5测试管理员', role: LABELS.unitAdmin, unit: SEED.loginUnit })
    const row = membershipRow(page, SEED.loginUnit)
    await row.waitFor()
    await row.getByText(LABELS.unitAdmin, { exact: true }).waitFor()
    await row.getByText(LABELS.active, { exact: true }).waitFor()
    await visiblePage(page).getByText(SEED.township).first().waitFor()
    await flow.shot(page, 'mine')
  })

  flowTest(
    '3. join by invite code: admin creates a code, a resident joins (待审批), the admin approves, the resident is active',
    [ROUTES.demoLogin, ROUTES.mine, ROUTES.unitAdminPage],
    'join-by-code',
    async (flow) => {
      const admin = await flow.newPage('admin')
      await demoSignIn(flow, admin, { name: '三塘村测试管理员', role: LABELS.unitAdmin, unit: SEED.adminUnit })
      await flow.shot(admin, 'admin-mine')

      // 我的 → 管理 opens the unit admin page; its URL carries the unit id.
      await button(membershipRow(admin, SEED.adminUnit), LABELS.manage).tap()
      await admin.waitForURL(/packages\/admin\/pages\/unit\/index\?unitId=/)
      const unitId = new URLSearchParams(admin.url().split('?')[1]).get('unitId')
      assert.ok(unitId, `no unitId in ${admin.url()}`)
      const adminView = visiblePage(admin)
      await adminView.getByText(SEED.adminUnit).first().waitFor()
      await button(adminView, LABELS.createInvite).tap()
      const codeText = adminView.locator(SEL.inviteCode).first()
      await codeText.waitFor()
      const code = (await codeText.innerText()).trim()
      assert.match(code, /^[0-9A-Z]{8}$/, `invite code on the page: "${code}"`)
      await flow.shot(admin, 'invite-created')

      const resident = await flow.newPage('resident')
      await demoSignIn(flow, resident, { name: '张三' })
      const residentView = visiblePage(resident)
      await inputIn(residentView, SEL.joinCode).fill(code)
      await flow.shot(resident, 'code-typed')
      await button(residentView.locator(SEL.joinForm), LABELS.join).tap()
      const pendingRow = membershipRow(resident, SEED.adminUnit)
      await pendingRow.getByText(LABELS.pending, { exact: true }).waitFor()
      await flow.shot(resident, 'pending')

      // The admin's page loads applications when shown: open it afresh by its deep link.
      await openRoute(admin, ROUTES.unitAdmin(unitId))
      const application = visiblePage(admin).locator(SEL.pendingRow).filter({ hasText: '张三' })
      await application.waitFor()
      await flow.shot(admin, 'application')
      await button(application, LABELS.approve).tap()
      await visiblePage(admin).locator(SEL.memberRow).filter({ hasText: '张三' }).getByText(LABELS.active, { exact: true }).waitFor()
      await flow.shot(admin, 'approved')

      await resident.reload()
      await membershipRow(resident, SEED.adminUnit).getByText(LABELS.active, { exact: true }).waitFor()
      assert.equal(await membershipRow(resident, SEED.adminUnit).getByText(LABELS.pending, { exact: true }).count(), 0)
      await flow.shot(resident, 'active')
    },
  )

  flowTest('4. 大字模式 on 我的 enlarges the text and survives a reload', [ROUTES.mine], 'elder-mode', async (flow) => {
    const page = await flow.newPage('elder')
    await openRoute(page, ROUTES.mine)
    const view = visiblePage(page)
    const text = view.locator(SEL.bodyText)
    await text.first().waitFor()
    const before = await fontSizeOf(text)
    await flow.shot(page, 'off')

    await view.locator(SEL.elderToggle).getByText(LABELS.elderMode, { exact: true }).tap()
    await view.locator(SEL.elderRoot).first().waitFor()
    const on = await fontSizeOf(text)
    assert.ok(on >= before * 1.2, `大字模式 should enlarge body text at least 1.2×: ${before}px → ${on}px`)
    // The 兜兜 yardstick: text of 44 rpx and more, tap targets of at least 128 rpx (rpx = viewport width / 750).
    const rpx = page.viewportSize().width / 750
    assert.ok(on >= 44 * rpx, `body text is ${on}px, under 44 rpx (${44 * rpx}px)`)
    const targets = await view.locator('.btn, .row').evaluateAll((elements) =>
      elements.filter((element) => element.getClientRects().length > 0).map((element) => [element.textContent.trim().slice(0, 12), element.getBoundingClientRect().height]),
    )
    assert.ok(targets.length >= 2, `no buttons or rows to measure: ${JSON.stringify(targets)}`)
    for (const [label, height] of targets) assert.ok(height >= 128 * rpx - 0.5, `"${label}" is ${height}px tall, under 128 rpx (${128 * rpx}px)`)
    await flow.shot(page, 'on')

    await page.reload()
    const afterReload = visiblePage(page)
    await afterReload.locator(SEL.elderRoot).first().waitFor()
    const reloaded = await fontSizeOf(afterReload.locator(SEL.bodyText))
    assert.equal(reloaded, on, `大字模式 should survive a reload: ${on}px before, ${reloaded}px after`)
    await flow.shot(page, 'after-reload')
  })

  flowTest('5. a wrong invite code shows the server message and keeps the typed code', [ROUTES.demoLogin, ROUTES.mine], 'bad-code', async (flow) => {
    const page = await flow.newPage('resident')
    await demoSignIn(flow, page, { name: '李四' })
    const view = visiblePage(page)
    const field = inputIn(view, SEL.joinCode)
    const wrong = 'ZZZZ9999'
    await submitExpectingMessage(view.locator(SEL.joinForm), field, wrong, LABELS.join, LABELS.inviteNotFound)
    await flow.shot(page, 'refused')
  })

  flowTest(
    '6. every page is legible: no text squeezed to 0 px, no label fainter than 3:1 (disabled buttons exempt)',
    [ROUTES.demoLogin, ROUTES.mine, ROUTES.unitAdminPage],
    'legibility',
    async (flow) => {
      const problems = []
      const check = async (page, name) => {
        await flow.shot(page, name)
        for (const problem of await illegibleText(page)) problems.push(`${name}: ${problem}`)
      }
      const page = await flow.newPage('visitor')
      await openRoute(page, ROUTES.home)
      await visiblePage(page).getByText(APP_NAME, { exact: true }).first().waitFor()
      await check(page, 'home')
      await openRoute(page, ROUTES.mine)
      await visiblePage(page).locator(SEL.elderToggle).waitFor()
      await check(page, 'mine-signed-out')
      await openRoute(page, ROUTES.demoLogin)
      await button(visiblePage(page), LABELS.signIn).waitFor()
      await check(page, 'demo-login')
      await demoSignIn(flow, page, { name: '永安村测试管理员', role: LABELS.unitAdmin, unit: '永安村' })
      await membershipRow(page, '永安村').waitFor()
      await check(page, 'mine-admin')
      await button(membershipRow(page, '永安村'), LABELS.manage).tap()
      await visiblePage(page).getByText(LABELS.createInvite).waitFor()
      await button(visiblePage(page), LABELS.createInvite).tap()
      await visiblePage(page).locator(SEL.inviteCode).first().waitFor()
      await check(page, 'unit-admin')
      assert.deepEqual(problems, [], `illegible text:\n  ${problems.join('\n  ')}`)
    },
  )

  flowTest(
    '7. township admin manages units: create, rename, and a duplicate name is refused with the typed name kept',
    [ROUTES.demoLogin, ROUTES.mine, ROUTES.units],
    'township-units',
    async (flow) => {
      const page = await flow.newPage('township-admin')
      await demoSignIn(flow, page, { name: '平安办测试管理员', role: LABELS.townshipAdmin, unit: SEED.townshipOffice })
      await membershipRow(page, SEED.townshipOffice).getByText(LABELS.townshipAdmin, { exact: true }).waitFor()
      await flow.shot(page, 'mine')

      await button(visiblePage(page), LABELS.manageUnits).tap()
      await page.waitForURL(/packages\/admin\/pages\/units\/index/)
      const view = visiblePage(page)
      await unitRow(page, SEED.adminUnit).waitFor()
      await flow.shot(page, 'units')

      // Create: name and kind 村; the new unit joins the list and the form empties for the next one.
      const field = inputIn(view, SEL.unitCreateName)
      const created = '测试新村'
      await field.fill(created)
      await choosePickerOption(page, view.locator(SEL.unitKindPicker), LABELS.village)
      await flow.shot(page, 'create-filled')
      await button(view.locator(SEL.unitCreate), LABELS.createUnit).tap()
      const createdRow = unitRow(page, created)
      await createdRow.waitFor()
      await createdRow.getByText(LABELS.village, { exact: true }).waitFor()
      assert.equal(await field.inputValue(), '', 'the name field should empty after a unit was created')
      await flow.shot(page, 'created')

      // Rename it: the row shows the new name, the old one is gone.
      const renamed = '测试和平村'
      await button(createdRow, LABELS.rename).tap()
      const editing = view.locator(SEL.unitRowEditing)
      await inputIn(editing).fill(renamed)
      await flow.shot(page, 'rename-typed')
      await button(editing, LABELS.save).tap()
      await unitRow(page, renamed).waitFor()
      await editing.waitFor({ state: 'detached' })
      assert.equal(await unitRow(page, created).count(), 0, `"${created}" should be gone after the rename`)
      await flow.shot(page, 'renamed')

      // A name the township already has: the server's message, the typed name kept, no second row.
      await submitExpectingMessage(view.locator(SEL.unitCreate), field, SEED.adminUnit, LABELS.createUnit, LABELS.unitNameTaken)
      assert.equal(await unitRow(page, SEED.adminUnit).count(), 1, `only one "${SEED.adminUnit}" in the list`)
      await flow.shot(page, 'duplicate-refused')
    },
  )

  flowTest(
    '8. roster import from a CSV: good rows imported, the bad row reported by its line, phones only masked',
    [ROUTES.demoLogin, ROUTES.mine, ROUTES.unitAdminPage],
    'roster-import',
    async (flow) => {
      const page = await flow.newPage('admin')
      await demoSignIn(flow, page, { name: '社区测试管理员', role: LABELS.unitAdmin, unit: SEED.rosterUnit })
      await openUnitAdmin(page, SEED.rosterUnit)
      const view = visiblePage(page)
      await flow.shot(page, 'unit-admin')

      // Line 1 is the header (roster-file.ts), so the bad third person is line 4.
      const good = [
        { name: '名册甲', phone: '13800138001', masked: '138****8001' },
        { name: '名册乙', phone: '13900139002', masked: '139****9002' },
      ]
      const csv = ['姓名,手机号,角色', `${good[0].name},${good[0].phone},工作人员`, `${good[1].name},${good[1].phone},`, '名册丙,1380013,工作人员', ''].join('\n')
      const chooser = page.waitForEvent('filechooser')
      await button(view, LABELS.importRoster).tap()
      await (await chooser).setFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })

      const result = view.locator(SEL.rosterResult)
      await result.getByText(/新增 2 人/).waitFor()
      const rowErrors = (await result.locator(SEL.rosterRowError).allTextContents()).map((text) => text.trim())
      assert.equal(rowErrors.length, 1, `one refused line expected: ${rowErrors.join(' | ')}`)
      assert.match(rowErrors[0], /^第 4 行/, `the refused line: "${rowErrors[0]}"`)
      assert.match(rowErrors[0], /手机号/, `the reason should name the phone: "${rowErrors[0]}"`)

      for (const { name, masked } of good) {
        await view.locator(SEL.rosterEntry).filter({ hasText: name }).getByText(masked).waitFor()
      }
      assert.equal(await view.locator(SEL.rosterEntry).filter({ hasText: '名册丙' }).count(), 0, 'the refused line must not be on the roster')
      const everything = await page.evaluate(() => document.body.textContent ?? '')
      for (const { phone } of good) assert.ok(!everything.includes(phone), `the full number ${phone} is in the page text`)
      // The page scrolls inside its own container: bring the roster rows into the shot.
      await view.locator(SEL.rosterEntry).last().scrollIntoViewIfNeeded()
      await flow.shot(page, 'imported')
    },
  )

  flowTest(
    '9. a revoked invite code disappears from the list and no longer lets anyone join',
    [ROUTES.demoLogin, ROUTES.mine, ROUTES.unitAdminPage],
    'revoke-invite',
    async (flow) => {
      const admin = await flow.newPage('admin')
      await demoSignIn(flow, admin, { name: '小学测试管理员', role: LABELS.unitAdmin, unit: SEED.revokeUnit })
      const unitId = await openUnitAdmin(admin, SEED.revokeUnit)
      const kept = await createInvite(admin)
      const revoked = await createInvite(admin)
      await flow.shot(admin, 'two-codes')

      const inviteRow = (code) => visiblePage(admin).locator(SEL.inviteRow).filter({ hasText: code })
      await button(inviteRow(revoked), LABELS.revoke).tap()
      // Revoking asks first (Taro's H5 modal); cancelling keeps the code.
      const modal = admin.locator('.taro__modal')
      await modal.locator('.taro-model__cancel').click()
      await modal.waitFor({ state: 'hidden' })
      assert.equal(await inviteRow(revoked).count(), 1, 'a cancelled revoke removed the code')
      await button(inviteRow(revoked), LABELS.revoke).tap()
      await flow.shot(admin, 'confirm-revoke')
      await modal.locator('.taro-model__confirm').click()
      await inviteRow(revoked).waitFor({ state: 'detached' })
      await inviteRow(kept).waitFor()
      await flow.shot(admin, 'revoked')

      // Revoked on the server too: a fresh load lists the kept code and not the revoked one.
      await openRoute(admin, ROUTES.unitAdmin(unitId))
      await inviteRow(kept).waitFor()
      assert.equal(await inviteRow(revoked).count(), 0, `revoked code ${revoked} is listed again after a reload`)
      await flow.shot(admin, 'after-reload')

      const resident = await flow.newPage('resident')
      await demoSignIn(flow, resident, { name: '王五' })
      const view = visiblePage(resident)
      const field = inputIn(view, SEL.joinCode)
      await submitExpectingMessage(view.locator(SEL.joinForm), field, revoked, LABELS.join, LABELS.inviteNotFound)
      assert.equal(await membershipRow(resident, SEED.revokeUnit).count(), 0, 'a revoked code must not make a membership')
      await flow.shot(resident, 'refused')
    },
  )

  flowTest(
    '10. joining while offline shows the network message and keeps the code; tapping again once online joins',
    [ROUTES.demoLogin, ROUTES.mine, ROUTES.unitAdminPage],
    'join-offline',
    async (flow) => {
      const admin = await flow.newPage('admin')
      await demoSignIn(flow, admin, { name: '中学测试管理员', role: LABELS.unitAdmin, unit: SEED.offlineUnit })
      await openUnitAdmin(admin, SEED.offlineUnit)
      const code = await createInvite(admin)
      await flow.shot(admin, 'invite-created')

      const resident = await flow.newPage('resident')
      await demoSignIn(flow, resident, { name: '赵六' })
      const view = visiblePage(resident)
      const field = inputIn(view, SEL.joinCode)
      await field.fill(code)

      // The join POST never reaches the server (the client retries only GETs, so this fails at once).
      let aborted = 0
      const joinRoute = '**/api/memberships/join'
      const abort = (route) => {
        aborted += 1
        return route.abort('internetdisconnected')
      }
      await resident.route(joinRoute, abort)
      await button(view.locator(SEL.joinForm), LABELS.join).tap()
      await view.locator(SEL.joinForm).getByText(LABELS.network).waitFor()
      assert.equal(aborted, 1, `the join request should have been sent (and cut) once, was ${aborted} times`)
      assert.equal(await field.inputValue(), code, 'the typed code must stay in the field when the network fails')
      assert.equal(await membershipRow(resident, SEED.offlineUnit).count(), 0)
      await flow.shot(resident, 'offline')

      await resident.unroute(joinRoute, abort)
      await button(view.locator(SEL.joinForm), LABELS.join).tap()
      await membershipRow(resident, SEED.offlineUnit).getByText(LABELS.pending, { exact: true }).waitFor()
      assert.equal(await view.locator(SEL.joinForm).getByText(LABELS.network).count(), 0, 'the network message should go once the join worked')
      await flow.shot(resident, 'joined')
    },
  )
})

/** Polls `condition` every 100 ms for up to 5 s. */
async function waitFor(condition, ms = 5000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

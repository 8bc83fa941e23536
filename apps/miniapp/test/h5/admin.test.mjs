// The H5 build in a real browser against the real API: what a unit admin and a township admin do.
// Run: cd apps/miniapp && node --test --test-reporter=spec test/h5/admin.test.mjs   (npm test runs it with
//      resident.test.mjs as the tier "h5 in Chromium", after the build tier has made dist/h5-demo)
// Inputs, environment and artifacts: see app-helpers.mjs.
import assert from 'node:assert/strict'
import { describe } from 'node:test'

import {
  createInvite,
  demoSignIn,
  flowTest,
  LABELS,
  membershipRow,
  openUnitAdmin,
  ROUTES,
  SEED,
  SEL,
  startApp,
  submitExpectingMessage,
  SUITE_TIMEOUT,
  unitRow,
} from './app-helpers.mjs'
import { button, choosePickerOption, inputIn, openRoute, visiblePage } from './harness.mjs'

startApp('admin')

describe('H5 app in Chromium against the real API: unit and township admins', { timeout: SUITE_TIMEOUT }, () => {
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

      const unitId = await openUnitAdmin(admin, SEED.adminUnit)
      const code = await createInvite(admin)
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
})

// The H5 build in a real browser against the real API: what a visitor, a resident and an elderly user see and do.
// Run: cd apps/miniapp && node --test --test-reporter=spec test/h5/resident.test.mjs   (npm test runs it with
//      admin.test.mjs as the tier "h5 in Chromium", after the build tier has made dist/h5-demo)
// Inputs, environment and artifacts: see app-helpers.mjs.
import assert from 'node:assert/strict'
import { describe } from 'node:test'

import {
  APP_NAME,
  createInvite,
  demoSignIn,
  flowTest,
  HOTLINES,
  LABELS,
  PLACEHOLDER_PAGES,
  membershipRow,
  openUnitAdmin,
  ROUTES,
  SEED,
  SEL,
  startApp,
  submitExpectingMessage,
  SUITE_TIMEOUT,
} from './app-helpers.mjs'
import { button, fontSizeOf, illegibleText, inputIn, openRoute, visiblePage } from './harness.mjs'

startApp('resident')

describe('H5 app in Chromium against the real API: visitors and residents', { timeout: SUITE_TIMEOUT }, () => {
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

  flowTest(
    '1c. every page a later issue fills opens by its link and says what it will offer',
    PLACEHOLDER_PAGES.map((entry) => entry.route),
    'placeholders',
    async (flow) => {
      const page = await flow.newPage('visitor')
      for (const { route, title } of PLACEHOLDER_PAGES) {
        await openRoute(page, route)
        const view = visiblePage(page)
        await view.getByText(title, { exact: true }).first().waitFor()
        await view.getByText('该功能即将开放，敬请期待。').first().waitFor()
        await flow.shot(page, route.split('/').slice(-2, -1)[0])
      }
    },
  )

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
      await demoSignIn(flow, page, { name: '永安村测试管理员', role: LABELS.unitAdmin, unit: SEED.legibilityUnit })
      await membershipRow(page, SEED.legibilityUnit).waitFor()
      await check(page, 'mine-admin')
      await openUnitAdmin(page, SEED.legibilityUnit)
      await createInvite(page)
      await check(page, 'unit-admin')
      assert.deepEqual(problems, [], `illegible text:\n  ${problems.join('\n  ')}`)
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

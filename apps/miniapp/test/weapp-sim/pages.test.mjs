// Pages of the production weapp build, rendered from dist/weapp (or $WEAPP_DIST) with WeChat's wcc,
// Taro's base.wxml and the real bundles. This file does not build: run `pnpm build:weapp` first.
//   node --test test/weapp-sim/pages.test.mjs
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, before, describe, it } from 'node:test'

import { DEFAULT_DIST, listPages, renderPage } from './harness.mjs'

const dist = DEFAULT_DIST
// No test may hang the run: an app promise that never settles fails its test instead.
const LIMIT = { timeout: 30_000 }
const HOME = 'pages/index/index'
const TAB_PAGES = ['pages/index/index', 'pages/quiz/index', 'pages/report/index', 'pages/mine/index']
const SUBPACKAGE_PAGES = [
  'packages/admin/pages/unit/index',
  'packages/admin/pages/units/index',
  'packages/video/pages/campaigns/index',
  'packages/tips/pages/follow-up/index',
  'packages/school/pages/notices/index',
]
const HOTLINES = [
  { label: '反诈专线', shown: '023-79332042', dialled: '02379332042' },
  { label: '全国反诈专线', shown: '96110', dialled: '96110' },
]

const opened = []
async function open(route, options = {}) {
  const page = await renderPage(dist, route, options)
  opened.push(page)
  return page
}
afterEach(() => {
  while (opened.length) opened.pop().close()
})

before(() => {
  assert.ok(existsSync(path.join(dist, 'app.json')), `${dist} has no app.json: run \`pnpm build:weapp\` in apps/miniapp first (or set WEAPP_DIST)`)
})

/** The tappable element that dials `number`: a <button> whose label carries the number (today `.hotline__call`). */
function callButton(page, number) {
  const button = page.querySelectorAll('button').find((element) => element.text().includes(number))
  assert.ok(button, `no <button> mentioning ${number} on ${page.route}; rendered: ${page.html().slice(0, 1500)}`)
  return button
}

describe('home page (pages/index/index)', () => {
  it('renders the app name and both hotline numbers', LIMIT, async () => {
    const page = await open(HOME)
    const text = page.text()

    assert.ok(text.includes('全民反诈'), `no app name in: ${text}`)
    for (const line of HOTLINES) {
      assert.ok(text.includes(line.shown), `no ${line.shown} in: ${text}`)
      assert.ok(text.includes(line.label), `no ${line.label} in: ${text}`)
    }
    assert.deepEqual(page.errors, [])
  })

  it('dials each hotline as digits only when its call button is tapped', LIMIT, async () => {
    const page = await open(HOME)
    assert.deepEqual(page.callsTo('makePhoneCall'), [], 'something dialled before any tap')

    for (const [index, line] of HOTLINES.entries()) {
      await page.tap(callButton(page, line.shown))

      const dialled = page.callsTo('makePhoneCall').map((options) => options.phoneNumber)
      assert.equal(dialled.length, index + 1, `expected ${index + 1} calls, got ${JSON.stringify(dialled)}`)
      assert.equal(dialled[index], line.dialled)
      assert.match(dialled[index], /^\d+$/)
    }
    assert.deepEqual(page.errors, [])
  })

  it('switches 大字模式 on and off with a tap, re-renders the page and stores the choice', LIMIT, async () => {
    const page = await open(HOME)
    assert.equal(page.querySelector('.page--elder'), null, 'page starts in 大字模式 with empty storage')
    const before = page.html()

    await page.tap({ text: '大字模式' })

    assert.ok(page.querySelector('.page--elder'), `no .page--elder after the tap: ${page.html().slice(0, 600)}`)
    assert.notEqual(page.html(), before)
    const switchedOn = page.callArgs('setStorageSync').filter(([, value]) => value === true)
    assert.equal(switchedOn.length, 1, `expected one setStorageSync(key, true), got ${JSON.stringify(page.callArgs('setStorageSync'))}`)
    const [key] = switchedOn[0]
    assert.equal(page.storage.get(key), true)

    await page.tap({ text: '大字模式' })

    assert.equal(page.querySelector('.page--elder'), null, 'still .page--elder after the second tap')
    assert.deepEqual(page.callArgs('setStorageSync').filter(([name]) => name === key), [[key, true], [key, false]])
    assert.equal(page.storage.get(key), false)

    // The stored choice is what the next launch starts with.
    const relaunched = await open(HOME, { storage: { [key]: true } })
    assert.ok(relaunched.querySelector('.page--elder'), 'stored 大字模式 not applied at start')
  })
})

describe('every page of app.json', () => {
  const pages = existsSync(path.join(dist, 'app.json')) ? listPages(dist) : []

  it('lists the four tab pages in the main package and the subpackage pages', LIMIT, () => {
    const appJson = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8'))
    for (const route of TAB_PAGES) assert.ok(appJson.pages.includes(route), `app.json pages lack ${route}: ${JSON.stringify(appJson.pages)}`)
    assert.deepEqual(
      (appJson.tabBar?.list ?? []).map((tab) => tab.pagePath),
      TAB_PAGES,
      'tab bar should list the four main-package pages in order',
    )
    for (const route of SUBPACKAGE_PAGES) assert.ok(pages.includes(route), `no subpackage page ${route}: ${JSON.stringify(pages)}`)
  })

  for (const route of pages) {
    it(`renders ${route} with text and no errors`, LIMIT, async () => {
      const page = await open(route)

      assert.ok(page.text().length > 0, `${route} rendered no text: ${page.html().slice(0, 600)}`)
      assert.deepEqual(page.errors.map(String), [], `${route} logged errors`)
    })
  }
})

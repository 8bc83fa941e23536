// Checks of the simulator itself: the wx mock on its own, then the bundle's wx.request reaching a
// real HTTP server and typing into a rendered <input>. Needs dist/weapp (or $WEAPP_DIST) for the latter.
//   node --test test/weapp-sim/harness.test.mjs
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import path from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'

import { apiBuilt, startApi } from './api-server.mjs'
import { DEFAULT_DIST, listPages, renderPage } from './harness.mjs'
import { createWxMock } from './wx-mock.mjs'

// No test may hang the run: an app promise that never settles fails its test instead.
const LIMIT = { timeout: 30_000 }

/** A throwaway HTTP server that records requests and answers with respond(request, body). */
async function startServer(respond = () => ({ status: 200, body: { ok: true } })) {
  const requests = []
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      const url = new URL(req.url, 'http://localhost')
      const request = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: raw ? safeJson(raw) : undefined }
      requests.push(request)
      const { status = 200, body = {} } = respond(request) ?? {}
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((resolve) => server.close(resolve)) }
}

function safeJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const call = (fn, options = {}) => new Promise((resolve) => fn({ ...options, success: (res) => resolve({ ok: true, res }), fail: (res) => resolve({ ok: false, res }) }))

describe('wx mock', () => {
  it('keeps storage in a Map, returns copies and "" for missing keys, and records every call', LIMIT, async () => {
    const wx = createWxMock({ storage: { seeded: { a: 1 } } })
    assert.deepEqual(wx.getStorageSync('seeded'), { a: 1 })
    assert.equal(wx.getStorageSync('missing'), '')
    const value = { list: [1] }
    wx.setStorageSync('k', value)
    value.list.push(2)
    assert.deepEqual(wx.getStorageSync('k'), { list: [1] })
    const read = await wx.getStorage({ key: 'k' })
    assert.deepEqual(read.data, { list: [1] })
    await assert.rejects(wx.getStorage({ key: 'nope' }), (res) => /getStorage:fail/.test(res.errMsg))
    wx.someFutureApi?.({ x: 1 })
    assert.deepEqual(
      wx.__calls.map((entry) => entry.name),
      ['getStorageSync', 'getStorageSync', 'setStorageSync', 'getStorageSync', 'getStorage', 'getStorage', 'someFutureApi'],
    )
  })

  it('answers wx.request from a handler, as callbacks or a promise, and fails without one', LIMIT, async () => {
    const wx = createWxMock({ request: ({ method, url, data }) => (url === '/api/ping' ? { statusCode: 201, data: { method, echo: data } } : undefined) })
    const viaCallbacks = await call(wx.request, { url: '/api/ping', method: 'POST', data: { a: 1 } })
    assert.equal(viaCallbacks.ok, true)
    assert.equal(viaCallbacks.res.statusCode, 201)
    assert.deepEqual(viaCallbacks.res.data, { method: 'POST', echo: { a: 1 } })
    const viaPromise = await wx.request({ url: '/api/ping' })
    assert.equal(viaPromise.errMsg, 'request:ok')
    const unhandled = await call(wx.request, { url: '/api/other' })
    assert.equal(unhandled.ok, false)
    assert.match(unhandled.res.errMsg, /^request:fail/)
  })

  it('sends wx.request to a real server with fetch when given apiBase', LIMIT, async () => {
    const server = await startServer((request) => (request.path === '/api/missing' ? { status: 404, body: { code: 'NOT_FOUND', message: '不存在' } } : { body: { got: request.body ?? null, query: request.query } }))
    try {
      const wx = createWxMock({ apiBase: server.url })
      const get = await call(wx.request, { url: '/api/items', data: { page: 2 } })
      assert.deepEqual(get.res.data, { got: null, query: { page: '2' } })
      const post = await call(wx.request, { url: 'https://api.example.invalid/api/items', method: 'POST', data: { name: '新村' }, header: { Authorization: 'Bearer t' } })
      assert.deepEqual(post.res.data, { got: { name: '新村' }, query: {} })
      assert.equal(server.requests[1].headers.authorization, 'Bearer t')
      assert.equal(server.requests[1].headers['content-type'], 'application/json')
      const missing = await call(wx.request, { url: '/api/missing' })
      assert.equal(missing.ok, true, 'an HTTP error status still reaches success, as in WeChat')
      assert.equal(missing.res.statusCode, 404)
      assert.equal(missing.res.data.code, 'NOT_FOUND')
    } finally {
      await server.close()
    }
    const offline = await call(createWxMock({ apiBase: server.url }).request, { url: '/api/items' })
    assert.equal(offline.ok, false)
    assert.match(offline.res.errMsg, /^request:fail/)
  })

  it('logs in with the configured code and runs the privacy authorisation through the registered listener', LIMIT, async () => {
    const wx = createWxMock({ loginCode: 'code-42', privacy: { needAuthorization: true } })
    assert.equal((await wx.login()).code, 'code-42')
    assert.equal((await wx.getPrivacySetting()).needAuthorization, true)
    const asked = []
    wx.onNeedPrivacyAuthorization((resolve, info) => {
      asked.push(info.referrer)
      resolve({ event: 'agree', buttonId: 'agree-btn' })
    })
    const result = await call(wx.requirePrivacyAuthorize)
    assert.equal(result.ok, true)
    assert.deepEqual(asked, ['requirePrivacyAuthorize'])
    assert.equal((await wx.getPrivacySetting()).needAuthorization, false)

    const refusing = createWxMock({ privacy: { needAuthorization: true, agree: false } })
    assert.equal((await call(refusing.requirePrivacyAuthorize)).ok, false)
  })

  it('holds a privacy API until the user answers, and fails it on a refusal', LIMIT, async () => {
    const wx = createWxMock({ privacy: { needAuthorization: true, agree: 'manual' } })
    let done = null
    const copying = wx.setClipboardData({ data: '国家反诈中心' }).then((res) => (done = res))
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.equal(done, null, 'setClipboardData ran before the user agreed')
    assert.equal(wx.__privacy.pending.length, 1)
    wx.__privacy.pending.shift()({ event: 'agree' })
    assert.equal((await copying).errMsg, 'setClipboardData:ok')
    assert.equal((await wx.getClipboardData()).data, '国家反诈中心')

    const refusing = createWxMock({ privacy: { needAuthorization: true } })
    refusing.onNeedPrivacyAuthorization((resolve) => resolve({ event: 'disagree' }))
    await assert.rejects(refusing.chooseMessageFile({ count: 1 }), (res) => /chooseMessageFile:fail privacy/.test(res.errMsg))
  })
})

describe('rendered bundle', () => {
  const dist = DEFAULT_DIST
  const available = existsSync(path.join(dist, 'app.json'))
  const opened = []
  const servers = []
  afterEach(() => {
    while (opened.length) opened.pop().close()
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.close()))
  })
  before(() => {
    assert.ok(available, `${dist} has no app.json: run \`pnpm build:weapp\` first (or set WEAPP_DIST)`)
  })

  it('routes the app’s wx.request to a real HTTP server (我的 loads the profile when opened)', LIMIT, async (t) => {
    const server = await startServer(() => ({ status: 503, body: { code: 'UNAVAILABLE', message: '维护中' } }))
    servers.push(server)
    {
      const route = 'pages/mine/index'
      const page = await renderPage(dist, route, { apiBase: server.url, loginCode: 'sim-code-7' })
      opened.push(page)
      await page.waitFor(() => page.callsTo('request').length > 0)
      const sent = page.callsTo('request')
      await page.waitFor(() => server.requests.length >= sent.length)
      assert.equal(server.requests.length, sent.length, `${route}: wx.request calls ${JSON.stringify(sent.map((r) => r.url))}, server saw ${JSON.stringify(server.requests.map((r) => r.path))}`)
      assert.ok(server.requests.every((request) => request.path.startsWith('/api/')), JSON.stringify(server.requests.map((r) => r.path)))
      const login = page.callsTo('login').length
      if (login > 0) assert.ok(JSON.stringify(server.requests).includes('sim-code-7'), 'the wx.login code never reached the server')
      t.diagnostic(`${route}: ${server.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`)
    }
  })

  it('types into the units page’s name field and sees the value rendered back', LIMIT, async () => {
    const route = 'packages/admin/pages/units/index'
    const page = await renderPage(dist, route)
    opened.push(page)
    const field = page.querySelector('input')
    assert.ok(field, `${route} renders no <input>: ${page.text()}`)
    await page.input(field, '新村')
    assert.equal(page.querySelector('input').attr('value'), '新村', `${route}: value not rendered back`)
  })

  it('signs in with wx.login against the real API (apps/api/dist) and gets only 2xx answers', { timeout: 60_000 }, async (t) => {
    assert.ok(apiBuilt(), 'apps/api/dist is not built: run pnpm --filter @qmfz/api build first')
    const api = await startApi()
    servers.push(api)
    {
      const route = 'pages/mine/index'
      const page = await renderPage(dist, route, { apiBase: api.url, loginCode: 'sim-login-42' })
      opened.push(page)
      await page.waitFor(() => page.callsTo('login').length > 0)
      await page.waitFor(() => page.requests.length > 0 && page.requests.every((request) => request.errMsg !== undefined))
      await page.settle()
      assert.deepEqual(api.wechatCalls.map((entry) => entry.code), ['sim-login-42'], 'the wx.login code should reach WeChat through the API once')
      const answers = page.requests.map((request) => `${request.method} ${request.url} -> ${request.statusCode ?? request.errMsg}`)
      assert.ok(page.requests.every((request) => request.statusCode >= 200 && request.statusCode < 300), answers.join('\n'))
      assert.deepEqual(page.errors.map(String), [])
      t.diagnostic(`${route}: ${answers.join(', ')}`)
    }
  })

  it('holds a privacy API behind the app’s consent sheet until its open-type agree button is tapped', LIMIT, async () => {
    // The home page's 复制应用名称 button copies to the clipboard, a privacy API.
    const probe = await renderPage(dist, 'pages/index/index')
    opened.push(probe)
    const index = probe.querySelectorAll('button').findIndex((button) => button.text().includes('复制应用名称'))
    assert.ok(index >= 0, `no 复制应用名称 button on the home page: ${probe.text()}`)

    const page = await renderPage(dist, 'pages/index/index', { privacy: { needAuthorization: true } })
    opened.push(page)
    const before = page.text()
    await page.tap(page.querySelectorAll('button')[index])
    assert.equal(page.wx.__clipboard, '', 'copied before consent')
    const agree = page.querySelectorAll('button').find((button) => button.attr('open-type') === 'agreePrivacyAuthorization')
    assert.ok(agree, `no consent sheet with an agreePrivacyAuthorization button: ${page.text()}`)
    assert.notEqual(page.text(), before)

    await page.tap(agree)

    assert.ok(page.wx.__privacy.answers.some((answer) => answer.event === 'agree'), JSON.stringify(page.wx.__privacy.answers))
    assert.notEqual(page.wx.__clipboard, '', 'nothing copied after consent')
    assert.equal(page.querySelectorAll('button').find((button) => button.attr('open-type') === 'agreePrivacyAuthorization'), undefined, 'sheet still open')
    assert.equal(page.text(), before)
  })

  it('follows wx.navigateTo / navigateBack / switchTab when asked to (followNavigation)', LIMIT, async () => {
    const routes = listPages(dist)
    const target = routes[routes.length - 1]
    const page = await renderPage(dist, routes[0], { followNavigation: true })
    opened.push(page)

    await page.wx.navigateTo({ url: `/${target}?from=test` })
    await page.settle()
    assert.deepEqual(page.app.pages.map((entry) => entry.route), [routes[0], target])
    assert.equal(page.app.currentPage.route, target)
    assert.deepEqual(page.app.currentPage.query, { from: 'test' })
    assert.ok(page.app.currentPage.text().length > 0)

    await page.wx.navigateBack()
    await page.settle()
    assert.deepEqual(page.app.pages.map((entry) => entry.route), [routes[0]])

    await page.wx.switchTab({ url: `/${routes[1]}` })
    await page.settle()
    assert.deepEqual(page.app.pages.map((entry) => entry.route), [routes[1]])
    assert.deepEqual(page.errors.map(String), [])
  })
})

// One booted app: its wx mock, logic layer and page stack, and the handle tests use to wait for it
// (settle, waitFor), read what it did (calls, requests, errors) and open pages.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { createWxMock } from '../wx-mock.mjs'
import { DEFAULT_DIST, setupEnvironment } from './environment.mjs'
import { createLogicLayer } from './logic-layer.mjs'
import { createPageHost } from './page-host.mjs'
import { compileWxml } from './wxml.mjs'

/**
 * Boots dist/weapp: evaluates app.js with a fresh module registry and wx mock, runs App's
 * onLaunch/onShow. Returns an app handle that opens pages.
 */
export async function loadApp(distDir = DEFAULT_DIST, options = {}) {
  distDir = path.resolve(distDir)
  const { jComponent, simulateApi } = setupEnvironment()
  if (!existsSync(path.join(distDir, 'app.js'))) {
    throw new Error(`${distDir}/app.js not found: build the mini-program first (pnpm build:weapp)`)
  }
  const appJson = JSON.parse(readFileSync(path.join(distDir, 'app.json'), 'utf8'))
  const gwx = compileWxml(distDir)
  const state = { setDataCount: 0, pendingTimers: 0, pendingRequests: 0, closed: false }

  // followNavigation: navigateTo & co. open the target page in this app (page stack, onHide/onShow).
  const onNavigate = options.followNavigation ? (kind, navigation) => followNavigation(app, kind, navigation) : undefined
  const wx = createWxMock({ ...options, base: simulateApi, state, appJson, onNavigate })
  const app = createAppHandle({ distDir, appJson, options, wx, state })
  const logic = createLogicLayer({ distDir, wx, jComponent, pageStack: app.pages, state, errors: app.errors, logs: app.logs, options })
  const openPage = createPageHost({ app, logic, gwx, state })
  app.openPage = async (route, pageOptions = {}) => openPage(route, pageOptions)
  app.close = () => closeApp(app, state, logic)

  logic.load(path.join(distDir, 'app.js'))
  app.instance = logic.appDefinition()
  if (!app.instance) throw new Error('app.js did not call App()')
  const launch = {
    path: options.launchPath ?? appJson.pages[0],
    query: options.launchQuery ?? {},
    scene: options.scene ?? 1001,
    referrerInfo: {},
    apiCategory: 'default',
  }
  app.instance.onLaunch?.call(app.instance, launch)
  app.instance.onShow?.call(app.instance, launch)
  return app
}

function createAppHandle({ distDir, appJson, options, wx, state }) {
  const pageStack = []
  return {
    distDir,
    appJson,
    options,
    wx,
    /** Every wx.* call in order: { name, args }. */
    get calls() {
      return wx.__calls
    },
    /** First arguments of every call to wx[name] (the options object for most APIs). */
    callsTo: (name) => wx.__calls.filter((call) => call.name === name).map((call) => call.args[0]),
    /** Full argument lists of every call to wx[name], e.g. [['qmfz.elderMode', true]] for setStorageSync. */
    callArgs: (name) => wx.__calls.filter((call) => call.name === name).map((call) => call.args),
    /** Every wx.request and how it ended: { method, url, data, header, statusCode, response, errMsg }. */
    requests: wx.__requests,
    storage: wx.__storage,
    /** console.error from the app and exceptions in its timers. */
    errors: [],
    /** console.error/warn calls from the app: { level, args }. */
    logs: [],
    /** The object app.js passed to App() (what getApp() returns). */
    instance: null,
    /** Open pages, bottom first: { route, query, instance, page, unload } (page is the handle). */
    pages: pageStack,
    /** Handle of the page on top of the stack (the one a followed navigateTo opened). */
    get currentPage() {
      return pageStack[pageStack.length - 1]?.page ?? null
    },
    settle: (settleOptions) => settle(state, wx, settleOptions),
    /** Resolves once predicate() is truthy (re-checked after each settle step). */
    waitFor,
  }
}

/**
 * Resolves once nothing has happened for quietMs: no setData, no wx call, no short timer or request
 * pending. There is no event loop hook for "the app is idle", so activity is polled.
 */
async function settle(state, wx, { timeout = 5000, quietMs = 30 } = {}) {
  const started = Date.now()
  let lastSeen = -1
  let quietSince = Date.now()
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2))
    const activity = state.setDataCount + wx.__calls.length
    const busy = state.pendingTimers > 0 || state.pendingRequests > 0
    if (busy || activity !== lastSeen) {
      lastSeen = activity
      quietSince = Date.now()
    } else if (Date.now() - quietSince >= quietMs) {
      return
    }
    if (Date.now() - started > timeout) {
      throw new Error(`app did not settle within ${timeout} ms (timers ${state.pendingTimers}, requests ${state.pendingRequests})`)
    }
  }
}

async function waitFor(predicate, { timeout = 5000, interval = 10 } = {}) {
  const started = Date.now()
  let lastError
  for (;;) {
    try {
      const value = await predicate()
      if (value) return value
    } catch (error) {
      lastError = error
    }
    if (Date.now() - started > timeout) {
      throw new Error(`waitFor timed out after ${timeout} ms${lastError ? `: ${lastError.message}` : ''}`)
    }
    await new Promise((resolve) => setTimeout(resolve, interval))
  }
}

/** Unloads every page top first, clears the app's timers and aborts its fetches; safe to call twice. */
function closeApp(app, state, logic) {
  if (state.closed) return
  state.closed = true
  for (const entry of [...app.pages].reverse()) entry.unload()
  logic.clearTimers()
  app.wx.__close()
}

/** What WeChat does to the page stack for each navigation API the app called. */
async function followNavigation(app, kind, { url, delta = 1 } = {}) {
  const pageStack = app.pages
  const top = () => pageStack[pageStack.length - 1]
  try {
    if (kind === 'navigateBack') {
      for (let i = 0; i < delta && pageStack.length > 1; i++) top().unload()
      top()?.instance?.onShow?.()
      return
    }
    if (kind === 'redirectTo') top()?.unload()
    if (kind === 'switchTab' || kind === 'reLaunch') for (const entry of [...pageStack].reverse()) entry.unload()
    await app.openPage(url, { settle: false })
  } catch (error) {
    app.errors.push(error)
    throw error
  }
}

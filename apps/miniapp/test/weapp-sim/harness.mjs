// Renders the real weapp build (dist/weapp) in Node: WeChat's own `wcc` (from miniprogram-compiler)
// compiles every .wxml, Taro's base.wxml included; j-component + miniprogram-exparser render the
// result into a jsdom tree; the bundles (app.js, taro.js, page js) run against a recording `wx`
// mock (wx-mock.mjs). Each page gets a small host component whose methods are the page's Page()
// definition, so Taro's setData re-renders it, and a tap on a rendered node reaches Taro's `eh`
// handler, React, and back. See README.md in this folder.
//
//   const page = await renderPage(DEFAULT_DIST, 'pages/index/index', { query: { a: '1' }, storage: {...} })
//   page.text(); await page.tap('.hotline__call'); page.callsTo('makePhoneCall'); page.close()
import { accessSync, chmodSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import vm from 'node:vm'
import { fileURLToPath } from 'node:url'

import { createWxMock } from './wx-mock.mjs'

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const requireFromApp = createRequire(path.join(appDir, 'package.json'))

/** Default build output, overridable with WEAPP_DIST (absolute, or relative to apps/miniapp). */
export const DEFAULT_DIST = path.resolve(appDir, process.env.WEAPP_DIST || 'dist/weapp')

// ---------------------------------------------------------------------------------------------
// One-time environment: jsdom globals for exparser, built-in components from miniprogram-simulate.
// ---------------------------------------------------------------------------------------------

let env = null

function requireFrom(packageName, fromRequire) {
  const dir = realpathSync(path.dirname(fromRequire.resolve(`${packageName}/package.json`)))
  return createRequire(path.join(dir, 'package.json'))
}

function setupEnvironment() {
  if (env) return env
  const { JSDOM } = requireFromApp('jsdom')
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true })
  const win = dom.window
  const define = (key, value) => Object.defineProperty(globalThis, key, { value, configurable: true, writable: true })
  define('window', win)
  for (const key of ['document', 'Node', 'Element', 'HTMLElement', 'Text', 'DocumentFragment', 'Event', 'CustomEvent', 'TouchEvent']) {
    define(key, win[key])
  }
  // miniprogram-simulate registers the built-in components (view, text, button, ...) with
  // j-component and shims Touch. It also sets global.wx/Component/Behavior; bundles never see those.
  const simulate = requireFromApp('miniprogram-simulate')
  const simulateRequire = requireFrom('miniprogram-simulate', requireFromApp)
  const jComponent = simulateRequire('j-component')
  const exparser = requireFrom('j-component', simulateRequire)('miniprogram-exparser')
  const compiler = simulateRequire('miniprogram-compiler')
  const simulateApi = { ...globalThis.wx }
  env = { window: win, simulate, jComponent, exparser, compiler, simulateApi }
  return env
}

// ---------------------------------------------------------------------------------------------
// WXML: compile the whole dist once with wcc (it needs every file to resolve imports).
// ---------------------------------------------------------------------------------------------

const gwxCache = new Map()

/**
 * Returns wxmlPath => template function. wcc's output keeps state in globals (__WXML_GLOBAL__,
 * $gwx, caches keyed by template index), so each dist gets its own realm, like WeChat's view layer;
 * data crosses into it as JSON, as setData data does in WeChat.
 */
function compileWxml(distDir) {
  if (!gwxCache.has(distDir)) {
    const { compiler } = setupEnvironment()
    ensureWccExecutable()
    const source = compiler.wxmlToJs(distDir, { maxBuffer: 256 * 1024 * 1024 })
    const context = vm.createContext({ console, window: { __webview_engine_version__: 0.02 } })
    const gwx = vm.runInContext(`(function () {${source}\n})()`, context, { filename: path.join(distDir, '[wcc output]') })
    const parseInView = vm.runInContext('JSON.parse', context)
    gwxCache.set(distDir, (wxmlPath) => {
      const generate = gwx(wxmlPath)
      if (typeof generate !== 'function') throw new Error(`wcc produced no template for ${wxmlPath}`)
      return (data, ...rest) => generate(parseInView(JSON.stringify(data ?? {})), ...rest)
    })
  }
  return gwxCache.get(distDir)
}

function ensureWccExecutable() {
  // The package ships wcc without the exec bit and chmods it on first use, which a read-only store refuses.
  const compilerDir = realpathSync(path.dirname(requireFrom('miniprogram-simulate', requireFromApp).resolve('miniprogram-compiler/package.json')))
  const wcc = path.join(compilerDir, 'bin', process.platform === 'linux' ? 'linux/wcc' : process.platform === 'darwin' ? 'mac/wcc' : 'windows/wcc.exe')
  if (!existsSync(wcc)) throw new Error(`wcc compiler not found at ${wcc}`)
  if (process.platform === 'win32') return
  try {
    accessSync(wcc, constants.X_OK)
  } catch {
    try {
      chmodSync(wcc, 0o755)
    } catch (error) {
      throw new Error(`${wcc} is not executable and chmod failed (${error.code}): run \`chmod +x ${wcc}\` once`)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Loading the bundles.
// ---------------------------------------------------------------------------------------------

// Identifiers a bundle must not see from Node/jsdom: WeChat's logic layer has none of them.
const SHADOWED = [
  'window', 'document', 'self', 'navigator', 'location', 'Node', 'Element', 'HTMLElement', 'Text',
  'DocumentFragment', 'Event', 'CustomEvent', 'TouchEvent', 'Touch', 'requestAnimationFrame',
  'cancelAnimationFrame', 'setImmediate', 'clearImmediate', 'MessageChannel', 'process',
]
const INJECTED = [
  'wx', 'App', 'Page', 'Component', 'Behavior', 'getApp', 'getCurrentPages', 'requirePlugin',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'console',
]

let hostSeed = 0

/**
 * Boots dist/weapp: evaluates app.js with a fresh module registry and wx mock, runs App's
 * onLaunch/onShow. Returns an app handle that opens pages.
 */
export async function loadApp(distDir = DEFAULT_DIST, options = {}) {
  distDir = path.resolve(distDir)
  if (options.wxOverrides) options = { ...options, wx: { ...(options.wx ?? {}), ...options.wxOverrides } }
  const { jComponent, exparser } = setupEnvironment()
  if (!existsSync(path.join(distDir, 'app.js'))) {
    throw new Error(`${distDir}/app.js not found: build the mini-program first (pnpm build:weapp)`)
  }
  const appJson = JSON.parse(readFileSync(path.join(distDir, 'app.json'), 'utf8'))
  const gwx = compileWxml(distDir)

  const errors = []
  const logs = []
  const timers = new Set()
  const state = { setDataCount: 0, pendingTimers: 0, pendingRequests: 0, closed: false }

  // followNavigation: navigateTo & co. open the target page in this app (page stack, onHide/onShow).
  const onNavigate = options.followNavigation ? (kind, navigation) => followNavigation(kind, navigation) : undefined
  const wx = createWxMock({ ...options, base: env.simulateApi, state, appJson, onNavigate })

  // --- timers: tracked so settle() knows about short pending work and close() can clear everything
  const guard = (fn) => function guarded(...args) {
    try {
      return fn.apply(this, args)
    } catch (error) {
      errors.push(error)
      if (options.logErrors !== false) console.error('[weapp-sim] uncaught in app code:', error)
      return undefined
    }
  }
  const SHORT = 100 // ms: timers at most this long count as work settle() waits for
  const appSetTimeout = (fn, delay = 0, ...args) => {
    const short = !(delay > SHORT)
    if (short) state.pendingTimers++
    const handle = setTimeout(() => {
      timers.delete(handle)
      if (short) state.pendingTimers--
      if (typeof fn === 'function') guard(fn)(...args)
    }, delay)
    handle.unref?.()
    handle.short = short
    timers.add(handle)
    return handle
  }
  const appClearTimeout = (handle) => {
    if (handle && timers.delete(handle)) {
      if (handle.short) state.pendingTimers--
      clearTimeout(handle)
    }
  }
  const appSetInterval = (fn, delay = 0, ...args) => {
    const handle = setInterval(guard(fn), delay, ...args)
    handle.unref?.()
    timers.add(handle)
    return handle
  }
  const appClearInterval = (handle) => {
    if (handle && timers.delete(handle)) clearInterval(handle)
  }

  const appConsole = Object.create(console)
  for (const level of ['error', 'warn']) {
    appConsole[level] = (...args) => {
      logs.push({ level, args })
      if (level === 'error') errors.push(new Error(args.map(String).join(' ')))
      if (options.logErrors !== false) console[level]('[weapp-sim app]', ...args)
    }
  }

  // --- App / Page / Component capture
  let appDefinition = null
  let appInstance = null
  let pendingPage = null
  let pendingComponent = null
  const pageStack = []
  const globals = {
    wx,
    App: (definition) => {
      appDefinition = definition
      appInstance = definition
    },
    Page: (definition) => {
      pendingPage = definition
    },
    Component: (definition) => {
      pendingComponent = definition
    },
    Behavior: (definition) => jComponent.behavior(definition),
    getApp: () => appInstance,
    getCurrentPages: () => pageStack.map((entry) => entry.instance).filter(Boolean),
    requirePlugin: () => ({}),
    setTimeout: appSetTimeout,
    clearTimeout: appClearTimeout,
    setInterval: appSetInterval,
    clearInterval: appClearInterval,
    console: appConsole,
  }

  const modules = new Map()
  const wrapperParams = [...INJECTED, ...SHADOWED, 'require', 'module', 'exports', '__filename', '__dirname']
  const injectedValues = INJECTED.map((name) => globals[name])
  const shadowedValues = SHADOWED.map(() => undefined)
  const load = (file) => {
    if (!file.endsWith('.js')) file += '.js'
    if (modules.has(file)) return modules.get(file).exports
    const module = { exports: {} }
    modules.set(file, module)
    const source = readFileSync(file, 'utf8')
    const wrapped = vm.runInThisContext(`(function (${wrapperParams.join(', ')}) {${source}\n})`, { filename: file })
    const localRequire = (request) => {
      const target = request.startsWith('/') ? path.join(distDir, request) : path.resolve(path.dirname(file), request)
      return load(target)
    }
    wrapped.call(module.exports, ...injectedValues, ...shadowedValues, localRequire, module, module.exports, file, path.dirname(file))
    return module.exports
  }

  const launch = {
    path: options.launchPath ?? appJson.pages[0],
    query: options.launchQuery ?? {},
    scene: options.scene ?? 1001,
    referrerInfo: {},
    apiCategory: 'default',
  }
  load(path.join(distDir, 'app.js'))
  if (!appDefinition) throw new Error('app.js did not call App()')
  appDefinition.onLaunch?.call(appInstance, launch)
  appDefinition.onShow?.call(appInstance, launch)

  // --- components (Taro's recursive `comp`, custom-wrapper, any native component)
  const componentIds = new Map() // absolute path without extension -> j-component id
  function registerComponent(componentPath) {
    if (componentIds.has(componentPath)) return componentIds.get(componentPath)
    const id = `wsim${++hostSeed}c`
    componentIds.set(componentPath, id) // before children: recursive components refer to themselves
    const json = readJson(`${componentPath}.json`)
    const usingComponents = resolveUsing(componentPath, json.usingComponents)
    pendingComponent = null
    load(componentPath)
    const definition = pendingComponent
    if (!definition) throw new Error(`${componentPath}.js did not call Component()`)
    pendingComponent = null
    jComponent.register({
      ...definition,
      id,
      path: componentPath,
      tagName: path.basename(componentPath),
      template: gwx(`${path.relative(distDir, componentPath).split(path.sep).join('/')}.wxml`),
      usingComponents,
      options: { ...(definition.options || {}), classPrefix: '' },
    })
    return id
  }
  function resolveUsing(ownerPath, using = {}) {
    const result = {}
    for (const [tag, target] of Object.entries(using || {})) {
      if (target.startsWith('plugin://')) continue
      const targetPath = target.startsWith('/') ? path.join(distDir, target) : path.resolve(path.dirname(ownerPath), target)
      result[tag] = registerComponent(targetPath)
    }
    return result
  }

  async function settle({ timeout = 5000, quietMs = 30 } = {}) {
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

  const app = {
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
    errors,
    logs,
    instance: appInstance,
    /** Open pages, bottom first: { route, query, instance, page, unload } (page is the handle). */
    pages: pageStack,
    /** Handle of the page on top of the stack (the one a followed navigateTo opened). */
    get currentPage() {
      return pageStack[pageStack.length - 1]?.page ?? null
    },
    settle,
    /** Resolves once predicate() is truthy (re-checked after each settle step). */
    async waitFor(predicate, { timeout = 5000, interval = 10 } = {}) {
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
    },
    async openPage(route, pageOptions = {}) {
      return openPage(route, pageOptions)
    },
    close() {
      if (state.closed) return
      state.closed = true
      for (const entry of [...pageStack].reverse()) entry.unload()
      for (const handle of timers) {
        clearTimeout(handle)
        clearInterval(handle)
      }
      timers.clear()
      state.pendingTimers = 0
      wx.__close()
    },
  }

  async function followNavigation(kind, { url, delta = 1 } = {}) {
    try {
      const top = () => pageStack[pageStack.length - 1]
      if (kind === 'navigateBack') {
        for (let i = 0; i < delta && pageStack.length > 1; i++) top().unload()
        top()?.instance?.onShow?.()
        return
      }
      if (kind === 'redirectTo') top()?.unload()
      if (kind === 'switchTab' || kind === 'reLaunch') for (const entry of [...pageStack].reverse()) entry.unload()
      await openPage(url, { settle: false })
    } catch (error) {
      errors.push(error)
      throw error
    }
  }

  async function openPage(url, { query = {}, settle: shouldSettle = true } = {}) {
    // Accepts what navigateTo gets: '/packages/x/pages/y/index?id=3'
    const [routePart, search = ''] = url.split('?')
    query = { ...Object.fromEntries(new URLSearchParams(search)), ...query }
    const route = routePart.replace(/^\//, '').replace(/\.(js|wxml)$/, '')
    const pagePath = path.join(distDir, route)
    if (!existsSync(`${pagePath}.js`)) throw new Error(`no page ${route} in ${distDir} (missing ${route}.js)`)
    const json = readJson(`${pagePath}.json`)
    const usingComponents = resolveUsing(pagePath, json.usingComponents)
    pendingPage = null
    load(pagePath)
    const definition = pendingPage
    pendingPage = null
    if (!definition) throw new Error(`${route}.js did not call Page()`)

    const entry = { route, query, instance: null, component: null, unload: () => {} }
    const methods = {}
    const fields = {}
    for (const [key, value] of Object.entries(definition)) {
      if (key === 'data') continue
      if (typeof value === 'function') methods[key] = value
      else fields[key] = value
    }
    const stringQuery = Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]))
    const id = `wsim${++hostSeed}p`
    jComponent.register({
      id,
      path: pagePath,
      tagName: 'wx-page',
      template: gwx(`${route}.wxml`),
      usingComponents,
      data: JSON.parse(JSON.stringify(definition.data || {})),
      methods,
      options: { classPrefix: '' },
      lifetimes: {
        created() {
          // Page instances carry route/options; Taro reads route for its router.
          Object.assign(this, fields, { route, __route__: route, options: stringQuery })
          const originalSetData = this.setData
          this.setData = (data, callback) => {
            state.setDataCount++
            return originalSetData.call(this, data, callback)
          }
          entry.instance = this
        },
      },
    })
    const component = jComponent.create(id)
    entry.component = component
    const previous = pageStack[pageStack.length - 1]
    previous?.instance?.onHide?.()
    pageStack.push(entry)
    const container = env.window.document.createElement('div')
    env.window.document.body.appendChild(container)
    component.attach(container)
    const instance = entry.instance
    instance.onLoad?.(stringQuery)
    instance.onShow?.()
    instance.onReady?.()
    let unloaded = false
    entry.unload = () => {
      if (unloaded) return
      unloaded = true
      try {
        instance.onUnload?.()
      } catch (error) {
        errors.push(error)
      }
      component.detach()
      container.remove()
      const index = pageStack.indexOf(entry)
      if (index >= 0) pageStack.splice(index, 1)
    }
    const page = createPageHandle({ app, entry, component, instance, exparser })
    entry.page = page
    if (shouldSettle) await settle()
    return page
  }

  return app
}

/** loadApp + openPage in one call; page.close() also closes the app. */
export async function renderPage(distDir = DEFAULT_DIST, route, options = {}) {
  const app = await loadApp(distDir, options)
  try {
    const page = await app.openPage(route, options)
    page.close = () => app.close()
    return page
  } catch (error) {
    app.close()
    throw error
  }
}

/** Lists every page of app.json, main package first: ['pages/index/index', 'packages/admin/pages/unit/index', ...]. */
export function listPages(distDir = DEFAULT_DIST) {
  const appJson = JSON.parse(readFileSync(path.join(distDir, 'app.json'), 'utf8'))
  const subPackages = appJson.subPackages ?? appJson.subpackages ?? []
  return [
    ...appJson.pages,
    ...subPackages.flatMap((sub) => sub.pages.map((page) => `${sub.root.replace(/\/$/, '')}/${page}`)),
  ]
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return {}
  }
}

// ---------------------------------------------------------------------------------------------
// Querying and interacting with the rendered tree.
// ---------------------------------------------------------------------------------------------

const BUILTIN_TAGS = [
  'view', 'text', 'button', 'input', 'textarea', 'image', 'icon', 'scroll-view', 'swiper', 'swiper-item',
  'navigator', 'form', 'label', 'checkbox', 'checkbox-group', 'radio', 'radio-group', 'switch', 'slider',
  'picker', 'picker-view', 'picker-view-column', 'video', 'audio', 'camera', 'map', 'canvas', 'rich-text',
  'progress', 'web-view', 'cover-view', 'cover-image', 'movable-area', 'movable-view', 'editor', 'ad',
  'open-data', 'official-account', 'page-meta', 'navigation-bar', 'root-portal', 'match-media',
]
const TAG_PATTERN = new RegExp(`(^|[\\s>+~,(])(${BUILTIN_TAGS.map((tag) => tag.replace('-', '\\-')).join('|')})(?=$|[\\s.#\\[:>+~,)])`, 'g')

/** `button.call` -> `wx-button.call`: built-in components render as <wx-*> elements. */
export function toDomSelector(selector) {
  return selector.replace(TAG_PATTERN, (_, before, tag) => `${before}wx-${tag}`)
}

function normaliseText(text) {
  return text.replace(/\s+/g, ' ').trim()
}

/**
 * Rendered text with one space between elements (so separate <text> nodes do not run together),
 * but none inside an element: <Text>共{n}人</Text> reads "共3人". Whitespace is collapsed.
 */
function renderedText(dom) {
  const parts = []
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) parts.push(child.data)
      else if (child.nodeType === 1) {
        parts.push(' ')
        walk(child)
        parts.push(' ')
      }
    }
  }
  walk(dom)
  return normaliseText(parts.join(''))
}

function createPageHandle({ app, entry, component, instance, exparser }) {
  const root = () => component.dom

  const wrap = (dom) => (dom ? new SimElement(dom, page) : null)

  const resolve = (target) => {
    if (target instanceof SimElement) return target
    if (typeof target === 'string') {
      const found = page.querySelector(target)
      if (!found) throw new Error(`no element matches ${JSON.stringify(target)} on ${entry.route}. Rendered:\n${page.html().slice(0, 2000)}`)
      return found
    }
    if (target && typeof target === 'object' && 'text' in target) {
      const found = page.getByText(target.text)
      if (!found) throw new Error(`no element with text ${JSON.stringify(target.text)} on ${entry.route}. Text: ${page.text()}`)
      return found
    }
    throw new Error(`cannot resolve element from ${String(target)}`)
  }

  const dispatch = (element, type, detail = {}, extra = {}) => {
    const node = element.dom.__wxElement
    if (!node) throw new Error(`element <${element.tagName}> has no exparser node`)
    const touch = { identifier: 0, pageX: 1, pageY: 1, clientX: 1, clientY: 1, x: 1, y: 1 }
    const event = exparser.Event.create(type, detail, {
      bubbles: extra.bubbles ?? true,
      capturePhase: true,
      composed: true,
      extraFields: {
        touches: extra.touches ?? (type === 'touchend' || type === 'touchcancel' ? [] : [touch]),
        changedTouches: extra.changedTouches ?? [touch],
      },
    })
    exparser.Event.dispatchEvent(node, event)
  }

  const page = {
    route: entry.route,
    query: entry.query,
    app,
    wx: app.wx,
    get calls() {
      return app.calls
    },
    callsTo: app.callsTo,
    callArgs: app.callArgs,
    storage: app.storage,
    requests: app.requests,
    errors: app.errors,
    /** The page instance (what Page() methods see as `this`). */
    instance,
    component,
    /** Current page data, as setData left it. */
    get data() {
      return component.data
    },
    get dom() {
      return root()
    },
    /** All rendered text: elements separated by one space, whitespace collapsed. */
    text: () => renderedText(root()),
    /** Raw DOM textContent (no separators between elements). */
    textContent: () => root().textContent,
    /** Outer HTML of the rendered tree (wx-* elements), for debugging. */
    html: () => root().outerHTML,
    querySelector: (selector) => wrap(root().querySelector(toDomSelector(selector))),
    querySelectorAll: (selector) => [...root().querySelectorAll(toDomSelector(selector))].map(wrap),
    /** Innermost element whose text contains `text` (string or RegExp). */
    getByText(text) {
      const matches = (value) => (text instanceof RegExp ? text.test(value) : value.includes(text))
      let best = null
      for (const dom of root().querySelectorAll('*')) {
        if (matches(renderedText(dom))) best = dom // document order: a later match is nested deeper
      }
      return wrap(best)
    },
    /**
     * Taps like a finger: touchstart, touchend, tap on the element (bubbling), then settles. A <button>
     * with an open-type also gets the event WeChat would send (agreeprivacyauthorization,
     * getphonenumber, chooseavatar, ...), after the privacy flow where WeChat runs one.
     */
    async tap(target) {
      const element = resolve(target)
      dispatch(element, 'touchstart')
      dispatch(element, 'touchend')
      dispatch(element, 'tap', { x: 1, y: 1 })
      const openType = element.tagName === 'button' ? element.attr('open-type') : undefined
      if (openType) {
        // Not awaited: a privacy sheet may hold it until a later tap answers (settle() still returns).
        openTypeEvent(openType, app)
          .then((outcome) => {
            page.openTypeEvents.push({ openType, ...(outcome ?? { type: null }) })
            if (outcome) dispatch(element, outcome.type, outcome.detail, { bubbles: false })
          })
          .catch((error) => app.errors.push(error))
      }
      await app.settle()
      return element
    },
    /** Events sent for open-type buttons, in order: { openType, type, detail }. */
    openTypeEvents: [],
    /** Types into an <input>/<textarea>: fires `input` (value, cursor, keyCode) then settles. */
    async input(target, value) {
      const element = resolve(target)
      dispatch(element, 'focus', { value: element.attr('value') ?? '', height: 0 }, { bubbles: false })
      dispatch(element, 'input', { value: String(value), cursor: String(value).length, keyCode: 0 }, { bubbles: false })
      dispatch(element, 'blur', { value: String(value), cursor: String(value).length }, { bubbles: false })
      await app.settle()
      return element
    },
    /** Fires any component event, e.g. trigger('switch', 'change', { value: true }). */
    async trigger(target, type, detail = {}, extra = {}) {
      const element = resolve(target)
      dispatch(element, type, detail, extra)
      await app.settle()
      return element
    },
    settle: (options) => app.settle(options),
    flush: (options) => app.settle(options),
    waitFor: (predicate, options) => app.waitFor(predicate, options),
    waitForText: (text, options) => app.waitFor(() => page.text().includes(text), options),
    show: async () => {
      instance.onShow?.()
      await app.settle()
    },
    hide: async () => {
      instance.onHide?.()
      await app.settle()
    },
    pullDownRefresh: async () => {
      instance.onPullDownRefresh?.()
      await app.settle()
    },
    unload: () => entry.unload(),
    close: () => entry.unload(),
  }
  return page
}

/** WeChat's answer to a tap on <button open-type=...>; options.openTypes[openType]() overrides the detail. */
async function openTypeEvent(openType, app) {
  const custom = app.options.openTypes?.[openType]
  const privacy = app.wx.__privacy
  const privacyGated = async (type, name, okDetail) => {
    try {
      await privacy.authorize(name)
    } catch {
      return { type, detail: { errMsg: `${name}:fail privacy permission is not authorized`, errno: 104 } }
    }
    return { type, detail: custom ? await custom() : okDetail }
  }
  switch (openType) {
    case 'agreePrivacyAuthorization':
      privacy.settings.needAuthorization = false
      return { type: 'agreeprivacyauthorization', detail: custom ? await custom() : {} }
    case 'getPhoneNumber':
      return privacyGated('getphonenumber', 'getPhoneNumber', { errMsg: 'getPhoneNumber:ok', code: 'sim-phone-code' })
    case 'getRealtimePhoneNumber':
      return privacyGated('getrealtimephonenumber', 'getRealtimePhoneNumber', { errMsg: 'getRealtimePhoneNumber:ok', code: 'sim-phone-code' })
    case 'chooseAvatar':
      return privacyGated('chooseavatar', 'chooseAvatar', { avatarUrl: 'http://tmp/sim-avatar.png' })
    case 'getUserInfo':
      return { type: 'getuserinfo', detail: custom ? await custom() : { errMsg: 'getUserInfo:ok', userInfo: { nickName: '微信用户', avatarUrl: '' } } }
    case 'openSetting':
      return { type: 'opensetting', detail: custom ? await custom() : { authSetting: {} } }
    case 'contact':
      return { type: 'contact', detail: custom ? await custom() : {} }
    default:
      return custom ? { type: openType.toLowerCase(), detail: await custom() } : null // share, feedback, ...: nothing comes back
  }
}

class SimElement {
  constructor(dom, page) {
    this.dom = dom
    this.page = page
  }

  /** `view`, `text`, `button`, ... (or the custom component tag). */
  get tagName() {
    return this.dom.tagName.toLowerCase().replace(/^wx-/, '')
  }

  get className() {
    return this.dom.getAttribute('class') ?? ''
  }

  get classList() {
    return this.className.split(/\s+/).filter(Boolean)
  }

  hasClass(name) {
    return this.classList.includes(name)
  }

  get id() {
    return this.dom.__wxElement?.id ?? ''
  }

  get dataset() {
    return { ...(this.dom.__wxElement?.dataset ?? {}) }
  }

  /**
   * Attributes the template gave this node, after data binding: { checked: true, hoverClass: 'none',
   * value: '...', 'data-sid': '_AS', ... } (wcc camel-cases dashed names).
   */
  get props() {
    const props = {}
    for (const { name, value } of this.dom.__wxElement?._vt?.attrs ?? []) props[name] = value
    return props
  }

  /** One template attribute (`checked`, `value`, `hover-class`/`hoverClass`), else the DOM attribute. */
  attr(name) {
    const props = this.props
    const camel = name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase())
    if (name in props) return props[name]
    if (camel in props) return props[camel]
    return this.dom.getAttribute(name)
  }

  text() {
    return renderedText(this.dom)
  }

  querySelector(selector) {
    const found = this.dom.querySelector(toDomSelector(selector))
    return found ? new SimElement(found, this.page) : null
  }

  querySelectorAll(selector) {
    return [...this.dom.querySelectorAll(toDomSelector(selector))].map((dom) => new SimElement(dom, this.page))
  }

  tap() {
    return this.page.tap(this)
  }

  input(value) {
    return this.page.input(this, value)
  }

  trigger(type, detail, extra) {
    return this.page.trigger(this, type, detail, extra)
  }
}

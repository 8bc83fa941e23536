// A minimal stand-in for the WeChat runtime: enough to evaluate dist/weapp, capture App()/Page()
// and record what Taro sends through setData. It catches bundles that build but crash at start
// (React 19 did exactly that). WeChat DevTools cannot run here, so this is the cheapest real check.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'

const wxApis = {
  getSystemInfoSync: () => ({ platform: 'devtools', windowWidth: 375, pixelRatio: 2, SDKVersion: '3.0.0' }),
  getWindowInfo: () => ({ windowWidth: 375, pixelRatio: 2 }),
  getDeviceInfo: () => ({ platform: 'devtools' }),
  getAppBaseInfo: () => ({ SDKVersion: '3.0.0' }),
  canIUse: () => true,
  nextTick: (fn) => setTimeout(fn, 0),
}

// Any other wx API Taro touches at start-up is a no-op; webpackJsonp must stay a plain property.
const wx = new Proxy(wxApis, {
  get: (target, key) => (key in target || key === 'webpackJsonp' ? target[key] : () => undefined),
})

/** Boots dist/weapp, loads one page and resolves with the setData payloads it produced. */
export async function renderWeappPage(weappDir, route) {
  let app
  let page
  const context = vm.createContext({
    wx,
    console,
    setTimeout,
    clearTimeout,
    App: (definition) => (app = definition),
    Page: (definition) => (page = definition),
    Component: () => undefined,
    getApp: () => app,
    getCurrentPages: () => [],
  })
  const modules = new Map()
  const load = (file) => {
    if (!modules.has(file)) {
      const module = { exports: {} }
      modules.set(file, module)
      const source = readFileSync(file, 'utf8')
      const wrapped = vm.runInContext(`(function (require, module, exports) {${source}\n})`, context, { filename: file })
      const requireFrom = (request) => load(path.resolve(path.dirname(file), request.replace(/(\.js)?$/, '.js')))
      wrapped(requireFrom, module, module.exports)
    }
    return modules.get(file).exports
  }

  load(path.join(weappDir, 'app.js'))
  if (!app) throw new Error('app.js did not call App()')
  app.onLaunch?.call(app, { path: route, query: {} })
  load(path.join(weappDir, `${route}.js`))
  if (!page) throw new Error(`${route}.js did not call Page()`)

  const updates = []
  const instance = Object.assign(Object.create(page), {
    route,
    data: {},
    setData(data, callback) {
      updates.push(data)
      callback?.()
    },
  })
  context.getCurrentPages = () => [instance]
  instance.onLoad.call(instance, {})
  instance.onShow?.call(instance)
  // React commits asynchronously; wait for the first setData rather than a fixed delay (the machine may be busy).
  for (let waited = 0; updates.length === 0 && waited < 5000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await new Promise((resolve) => setTimeout(resolve, 50))
  return updates
}

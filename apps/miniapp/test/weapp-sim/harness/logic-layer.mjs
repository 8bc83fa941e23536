// The logic layer the bundles (app.js, taro.js, page and component js) run in: a CommonJS-style
// wrapper in the main realm that hands them the wx mock, App/Page/Component capture, tracked timers
// and a recording console, and hides the Node/jsdom globals WeChat's logic layer lacks.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'

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

const SHORT = 100 // ms: timers at most this long count as work settle() waits for

/**
 * Returns { load(file), loadDefinition(file, 'page' | 'component'), appDefinition(), clearTimers() }.
 * Errors thrown in timers and console.error calls land in `errors` (and on the console unless
 * options.logErrors is false).
 */
export function createLogicLayer({ distDir, wx, jComponent, pageStack, state, errors, logs, options }) {
  const captured = { app: null, page: null, component: null }
  const timers = createAppTimers({ state, errors, logErrors: options.logErrors !== false })
  const globals = {
    wx,
    App: (definition) => {
      captured.app = definition
    },
    Page: (definition) => {
      captured.page = definition
    },
    Component: (definition) => {
      captured.component = definition
    },
    Behavior: (definition) => jComponent.behavior(definition),
    getApp: () => captured.app,
    getCurrentPages: () => pageStack.map((entry) => entry.instance).filter(Boolean),
    requirePlugin: () => ({}),
    ...timers.api,
    console: createAppConsole({ errors, logs, logErrors: options.logErrors !== false }),
  }
  const load = createModuleLoader(distDir, globals)
  return {
    load,
    /** The definition a page or component file passed to Page()/Component() as it ran, or null. */
    loadDefinition(file, kind) {
      captured[kind] = null
      load(file)
      const definition = captured[kind]
      captured[kind] = null
      return definition
    },
    appDefinition: () => captured.app,
    clearTimers: timers.clearAll,
  }
}

/** Node's module wrapper, with the logic layer's globals as parameters and a require rooted in the dist. */
function createModuleLoader(distDir, globals) {
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
  return load
}

/** Timers tracked so settle() knows about short pending work and close() can clear everything. */
function createAppTimers({ state, errors, logErrors }) {
  const timers = new Set()
  // WeChat reports an exception in a timer and carries on; so does the app here, and the test sees it.
  const guard = (fn) => function guarded(...args) {
    try {
      return fn.apply(this, args)
    } catch (error) {
      errors.push(error)
      if (logErrors) console.error('[weapp-sim] uncaught in app code:', error)
      return undefined
    }
  }
  const api = {
    setTimeout: (fn, delay = 0, ...args) => {
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
    },
    clearTimeout: (handle) => {
      if (handle && timers.delete(handle)) {
        if (handle.short) state.pendingTimers--
        clearTimeout(handle)
      }
    },
    setInterval: (fn, delay = 0, ...args) => {
      const handle = setInterval(guard(fn), delay, ...args)
      handle.unref?.()
      timers.add(handle)
      return handle
    },
    clearInterval: (handle) => {
      if (handle && timers.delete(handle)) clearInterval(handle)
    },
  }
  const clearAll = () => {
    for (const handle of timers) {
      clearTimeout(handle)
      clearInterval(handle)
    }
    timers.clear()
    state.pendingTimers = 0
  }
  return { api, clearAll }
}

/** console whose error/warn calls are kept in `logs`; an error also counts as an app error. */
function createAppConsole({ errors, logs, logErrors }) {
  const appConsole = Object.create(console)
  for (const level of ['error', 'warn']) {
    appConsole[level] = (...args) => {
      logs.push({ level, args })
      if (level === 'error') errors.push(new Error(args.map(String).join(' ')))
      if (logErrors) console[level]('[weapp-sim app]', ...args)
    }
  }
  return appConsole
}

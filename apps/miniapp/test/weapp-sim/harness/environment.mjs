// The one-time Node environment every app shares: jsdom globals for exparser, and the packages
// (j-component, miniprogram-exparser, miniprogram-compiler) resolved through miniprogram-simulate.
import { createRequire } from 'node:module'
import { realpathSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const requireFromApp = createRequire(path.join(appDir, 'package.json'))

/** Default build output, overridable with WEAPP_DIST (absolute, or relative to apps/miniapp). */
export const DEFAULT_DIST = path.resolve(appDir, process.env.WEAPP_DIST || 'dist/weapp')

const DOM_GLOBALS = ['document', 'Node', 'Element', 'HTMLElement', 'Text', 'DocumentFragment', 'Event', 'CustomEvent', 'TouchEvent']

let env = null

// The packages are nested dependencies of miniprogram-simulate, reachable only from its own folder.
function requireFrom(packageName, fromRequire) {
  const dir = realpathSync(path.dirname(fromRequire.resolve(`${packageName}/package.json`)))
  return createRequire(path.join(dir, 'package.json'))
}

/** { window, jComponent, exparser, compiler, compilerDir, simulateApi }, created on first use. */
export function setupEnvironment() {
  if (env) return env
  const { JSDOM } = requireFromApp('jsdom')
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true })
  const win = dom.window
  const define = (key, value) => Object.defineProperty(globalThis, key, { value, configurable: true, writable: true })
  define('window', win)
  for (const key of DOM_GLOBALS) define(key, win[key])
  // miniprogram-simulate registers the built-in components (view, text, button, ...) with
  // j-component and shims Touch. It also sets global.wx/Component/Behavior; bundles never see those.
  requireFromApp('miniprogram-simulate')
  const simulateRequire = requireFrom('miniprogram-simulate', requireFromApp)
  const jComponent = simulateRequire('j-component')
  const exparser = requireFrom('j-component', simulateRequire)('miniprogram-exparser')
  const compiler = simulateRequire('miniprogram-compiler')
  const compilerDir = realpathSync(path.dirname(simulateRequire.resolve('miniprogram-compiler/package.json')))
  const simulateApi = { ...globalThis.wx }
  env = { window: win, jComponent, exparser, compiler, compilerDir, simulateApi }
  return env
}

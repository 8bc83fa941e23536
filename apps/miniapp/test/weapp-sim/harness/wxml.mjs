// WXML: WeChat's own wcc compiles the whole dist at once (it needs every file to resolve imports).
import { accessSync, chmodSync, constants, existsSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'

import { setupEnvironment } from './environment.mjs'

const gwxCache = new Map()

/**
 * Returns wxmlPath => template function. wcc's output keeps state in globals (__WXML_GLOBAL__,
 * $gwx, caches keyed by template index), so each dist gets its own realm, like WeChat's view layer;
 * data crosses into it as JSON, as setData data does in WeChat.
 */
export function compileWxml(distDir) {
  if (!gwxCache.has(distDir)) {
    const { compiler, compilerDir } = setupEnvironment()
    ensureWccExecutable(compilerDir)
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

function ensureWccExecutable(compilerDir) {
  // The package ships wcc without the exec bit and chmods it on first use, which a read-only store refuses.
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

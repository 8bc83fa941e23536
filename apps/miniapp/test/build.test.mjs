// Runs the real production builds and checks what they emit. Slow (~45 s on 2 cores) by design:
// this is the proof that the Taro toolchain, the workspace wiring and the size budget hold.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

import { renderWeappPage } from './weapp-runtime.mjs'

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const weappDir = path.join(appDir, 'dist/weapp')
const h5Dir = path.join(appDir, 'dist/h5')
const MAIN_PACKAGE_LIMIT = 1024 * 1024 // our budget; WeChat's hard limit is 2 MB

function run(args, env = process.env) {
  const started = Date.now()
  const result = spawnSync('pnpm', args, {
    cwd: appDir,
    encoding: 'utf8',
    env: { ...env, CI: 'true', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
  assert.equal(result.status, 0, `pnpm ${args.join(' ')} failed (${result.error ?? `exit ${result.status}`}):\n${output.slice(-4000)}`)
  console.log(`pnpm ${args.join(' ')}: ${seconds} s`)
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
}

function totalSize(dir, files) {
  return files.reduce((sum, file) => sum + statSync(path.join(dir, file)).size, 0)
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

/** Minified bundles escape non-ASCII text as \uXXXX; undo that so Chinese copy can be searched. */
function readBundleText(file) {
  return readFileSync(file, 'utf8').replace(/\\u([0-9a-fA-F]{4})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
}

before(() => {
  // The app imports @qmfz/contracts from its dist/, so build it first rather than trust a stale copy.
  run(['--filter', '@qmfz/contracts', 'build'])
  rmSync(weappDir, { recursive: true, force: true })
  rmSync(h5Dir, { recursive: true, force: true })
  // Built without TARO_APP_API_BASE on purpose: the default must still leave no bare process.env behind.
  const { TARO_APP_API_BASE: _unset, ...env } = process.env
  run(['run', 'build:weapp'], env)
  run(['run', 'build:h5'], env)
})

describe('sources', () => {
  it('should type-check with the project tsconfig', () => {
    run(['run', 'typecheck'])
  })
})

describe('weapp production build', () => {
  it('should register the index page in app.json', () => {
    const appJson = JSON.parse(readFileSync(path.join(weappDir, 'app.json'), 'utf8'))
    assert.ok(appJson.pages.includes('pages/index/index'), `pages: ${JSON.stringify(appJson.pages)}`)
    assert.equal(appJson.window.navigationBarTitleText, '全民反诈')
  })

  it('should emit the app shell, the Taro templates and every file of the index page', () => {
    const expected = ['app.js', 'app.json', 'app.wxss', 'base.wxml', 'taro.js']
    const page = ['js', 'json', 'wxml', 'wxss'].map((ext) => `pages/index/index.${ext}`)
    for (const file of [...expected, ...page]) {
      assert.ok(existsSync(path.join(weappDir, file)), `missing dist/weapp/${file}`)
    }
  })

  it('should boot under a mocked wx and render the app name, both hotlines and contracts role labels', async () => {
    const rendered = JSON.stringify(await renderWeappPage(weappDir, 'pages/index/index'))
    for (const copy of ['全民反诈', '反诈专线 023-79332042', '全国反诈专线 96110', '单位管理员', '民警']) {
      assert.ok(rendered.includes(copy), `index page rendered without "${copy}": ${rendered.slice(0, 300)}`)
    }
  })

  it('should leave no process.env lookups, which throw in the mini-program runtime', () => {
    for (const file of listFiles(weappDir).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(path.join(weappDir, file), 'utf8')
      assert.ok(!code.includes('process.env.TARO_APP_'), `${file} reads process.env.TARO_APP_* at runtime`)
    }
  })

  it('should keep the main package under 1 MB', () => {
    const appJson = JSON.parse(readFileSync(path.join(weappDir, 'app.json'), 'utf8'))
    const subRoots = (appJson.subPackages ?? appJson.subpackages ?? []).map((sub) => sub.root.replace(/\/?$/, '/'))
    const files = listFiles(weappDir).filter((file) => !file.endsWith('.map'))
    const mainFiles = files.filter((file) => !subRoots.some((root) => file.startsWith(root)))
    const mainSize = totalSize(weappDir, mainFiles)
    const largest = mainFiles
      .map((file) => [file, statSync(path.join(weappDir, file)).size])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([file, size]) => `${file} ${kb(size)}`)
    console.log(`weapp total ${kb(totalSize(weappDir, files))}, main package ${kb(mainSize)} (largest: ${largest.join(', ')})`)
    assert.ok(mainSize < MAIN_PACKAGE_LIMIT, `main package is ${kb(mainSize)}`)
  })
})

describe('h5 production build', () => {
  it('should emit index.html that loads JS bundles which exist', () => {
    const html = readFileSync(path.join(h5Dir, 'index.html'), 'utf8')
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g)].map((match) => match[1])
    assert.ok(scripts.length > 0, 'index.html references no JS bundle')
    for (const src of scripts) {
      const file = path.join(h5Dir, src.replace(/^\//, ''))
      assert.ok(existsSync(file) && statSync(file).size > 0, `index.html references ${src}, which is missing or empty`)
    }
    assert.match(html, /<title>全民反诈<\/title>/)
  })

  it('should bundle the index page with the hotlines', () => {
    const bundles = listFiles(h5Dir).filter((file) => file.endsWith('.js'))
    const text = bundles.map((file) => readBundleText(path.join(h5Dir, file))).join('\n')
    for (const copy of ['全民反诈', '023-79332042', '96110', '单位管理员']) {
      assert.ok(text.includes(copy), `h5 bundles lack "${copy}"`)
    }
    console.log(`h5 total ${kb(totalSize(h5Dir, listFiles(h5Dir)))} in ${bundles.length} JS files`)
  })
})

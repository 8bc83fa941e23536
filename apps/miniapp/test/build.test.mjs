// Runs the real production builds and checks what they emit. Slow (~45 s on 2 cores) by design:
// this is the proof that the Taro toolchain, the workspace wiring and the size budget hold.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'


const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const weappDir = path.join(appDir, 'dist/weapp')
const h5Dir = path.join(appDir, 'dist/h5')
const h5DemoDir = path.join(appDir, 'dist/h5-demo')
// Our budgets; WeChat's hard limit is 2 MB for the main package and for each subpackage.
const MAIN_PACKAGE_LIMIT = 1024 * 1024
const SUBPACKAGE_LIMIT = 500 * 1024
const TAB_PAGES = ['pages/index/index', 'pages/quiz/index', 'pages/report/index', 'pages/mine/index']
const SUBPACKAGE_ROOTS = ['packages/admin', 'packages/video', 'packages/tips', 'packages/school']
/** Strings only the demo login carries: its route and its page. */
const DEMO_MARKERS = ['/auth/dev-login', 'packages/demo/pages/login']

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
  for (const dir of [weappDir, h5Dir, h5DemoDir]) rmSync(dir, { recursive: true, force: true })
  // Built without TARO_APP_API_BASE on purpose: the default must still leave no bare process.env behind.
  const { TARO_APP_API_BASE: _unset, TARO_APP_DEMO_LOGIN: _demo, ...env } = process.env
  run(['run', 'build:weapp'], env)
  run(['run', 'build:h5'], env)
  // The demo flavour, which `npm start` serves and the browser tests drive, lands in dist/h5-demo.
  run(['run', 'build:h5'], { ...env, TARO_APP_DEMO_LOGIN: 'true' })
})

function readAppJson() {
  return JSON.parse(readFileSync(path.join(weappDir, 'app.json'), 'utf8'))
}

/** Files per weapp package: '' is the main package, then one entry per subpackage root. */
function packageFiles() {
  const roots = (readAppJson().subPackages ?? []).map((sub) => sub.root.replace(/\/?$/, '/'))
  const files = listFiles(weappDir).filter((file) => !file.endsWith('.map'))
  const packages = new Map([['', files.filter((file) => !roots.some((root) => file.startsWith(root)))]])
  for (const root of roots) packages.set(root, files.filter((file) => file.startsWith(root)))
  return packages
}

function bundleText(dir) {
  return listFiles(dir)
    .filter((file) => file.endsWith('.js') || file.endsWith('.json'))
    .map((file) => readBundleText(path.join(dir, file)))
    .join('\n')
}

describe('sources', () => {
  it('should type-check with the project tsconfig', () => {
    run(['run', 'typecheck'])
  })
})

describe('weapp production build', () => {
  it('should put the four tab pages in the main package and every other area in a subpackage', () => {
    const appJson = readAppJson()
    assert.deepEqual(appJson.pages, TAB_PAGES)
    assert.deepEqual(appJson.tabBar.list.map((tab) => tab.pagePath), TAB_PAGES)
    assert.deepEqual(appJson.tabBar.list.map((tab) => tab.text), ['首页', '答题', '举报', '我的'])
    assert.deepEqual(appJson.subPackages.map((sub) => sub.root), SUBPACKAGE_ROOTS)
    assert.equal(appJson.lazyCodeLoading, 'requiredComponents')
    assert.equal(appJson.window.navigationBarTitleText, '全民反诈')
  })

  it('should emit the app shell, the Taro templates and every file of every page', () => {
    const appJson = readAppJson()
    const pages = [...appJson.pages, ...appJson.subPackages.flatMap((sub) => sub.pages.map((page) => `${sub.root}/${page}`))]
    const expected = ['app.js', 'app.json', 'app.wxss', 'base.wxml', 'taro.js', ...pages.flatMap((page) => ['js', 'json', 'wxml'].map((ext) => `${page}.${ext}`))]
    for (const file of expected) {
      assert.ok(existsSync(path.join(weappDir, file)), `missing dist/weapp/${file}`)
    }
  })

  it('should leave no process.env lookups, which throw in the mini-program runtime', () => {
    for (const file of listFiles(weappDir).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(path.join(weappDir, file), 'utf8')
      assert.ok(!code.includes('process.env.TARO_APP_'), `${file} reads process.env.TARO_APP_* at runtime`)
    }
  })

  it('should contain no demo login', () => {
    const text = bundleText(weappDir)
    for (const marker of DEMO_MARKERS) assert.ok(!text.includes(marker), `production weapp contains "${marker}"`)
  })

  it('should keep the main package under 1 MB and each subpackage under 500 KB', () => {
    const sizes = []
    for (const [root, files] of packageFiles()) {
      const size = totalSize(weappDir, files)
      const limit = root === '' ? MAIN_PACKAGE_LIMIT : SUBPACKAGE_LIMIT
      sizes.push(`${root || 'main'} ${kb(size)}`)
      assert.ok(size < limit, `${root || 'main package'} is ${kb(size)}, over ${kb(limit)}`)
    }
    console.log(`weapp packages: ${sizes.join(', ')}`)
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

  it('should contain no demo login, while the demo build does', () => {
    const production = bundleText(h5Dir)
    const demo = bundleText(h5DemoDir)
    for (const marker of DEMO_MARKERS) {
      assert.ok(!production.includes(marker), `production h5 contains "${marker}"`)
      assert.ok(demo.includes(marker), `demo h5 lacks "${marker}"`)
    }
  })
})

// Harness for the H5 browser tests: the real API (its build, a fresh seeded SQLite file) serving the built H5 app
// at `/`, driven by Debian's Chromium through playwright-core. Nothing is built here: the caller builds the API
// (`pnpm --filter @qmfz/contracts build && pnpm --filter @qmfz/api build`) and the H5 demo flavour first.
import { spawn, spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { chromium } from 'playwright-core'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
export const API_DIR = path.join(REPO_ROOT, 'apps/api')
/** The demo flavour (TARO_APP_DEMO_LOGIN=true, same-origin API); H5_DIST points elsewhere. */
export const H5_DIST = path.resolve(process.env.H5_DIST || path.join(REPO_ROOT, 'apps/miniapp/dist/h5-demo'))
export const ARTIFACTS = path.join(REPO_ROOT, 'artifacts/h5')
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** Flags measured on these machines: without the networking ones Chromium keeps dialling Google's hosts. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** A phone-sized touch screen: Taro's `<Button formType="submit">` submits on touchend, so taps, not clicks. */
export const MOBILE_CONTEXT = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Fails early, with the command that fixes it, when an input of the run is missing. */
export function checkPrerequisites() {
  const missing = []
  if (!existsSync(path.join(API_DIR, 'dist/main.js'))) {
    missing.push(`the API build (${API_DIR}/dist/main.js): pnpm --filter @qmfz/contracts build && pnpm --filter @qmfz/api build`)
  }
  if (!existsSync(path.join(H5_DIST, 'index.html'))) {
    missing.push(
      `the H5 build (${H5_DIST}/index.html): cd apps/miniapp && TARO_APP_DEMO_LOGIN=true TARO_APP_API_BASE= pnpm exec taro build --type h5` +
        ' (or set H5_DIST to a built folder)',
    )
  }
  if (!existsSync(CHROMIUM_PATH)) missing.push(`Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`)
  if (missing.length) throw new Error(`H5 tests cannot run; missing:\n  - ${missing.join('\n  - ')}`)
}

/**
 * Migrates and seeds a fresh SQLite file (白土乡 and its units), then starts `node dist/main.js` on a free port
 * with the demo login on and WEB_DIR set. Resolves once /api/health answers 200.
 */
export async function startApi({ webDir = H5_DIST, logFile = path.join(ARTIFACTS, 'api.log') } = {}) {
  mkdirSync(path.dirname(logFile), { recursive: true })
  const scratch = mkdtempSync(path.join(tmpdir(), 'qmfz-h5-'))
  const port = await freePort()
  const env = {
    PATH: process.env.PATH ?? '',
    APP_ENV: 'development',
    DEV_LOGIN: 'true',
    HOST: '127.0.0.1',
    PORT: String(port),
    SQLITE_PATH: path.join(scratch, 'api.sqlite'),
    WEB_DIR: webDir,
    LOG_LEVEL: process.env.H5_API_LOG_LEVEL || 'warn',
  }
  for (const cli of ['dist/cli/migrate.js', 'dist/cli/seed.js']) {
    const result = spawnSync(process.execPath, [cli], { cwd: API_DIR, env, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`node ${cli} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`)
  }

  const log = createWriteStream(logFile)
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: API_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const collect = (chunk) => {
    output = (output + chunk).slice(-20_000)
    log.write(chunk)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))

  const baseUrl = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])
      if (!done) child.kill('SIGKILL')
      await exited
    }
    log.end()
    rmSync(scratch, { recursive: true, force: true })
  }

  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop()
      throw new Error(`the API exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output}`)
    }
    const healthy = await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)
    if (healthy) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the API did not answer /api/health within 30 s:\n${output}`)
    }
    await sleep(150)
  }
  return { baseUrl, port, webDir, stop, output: () => output }
}

/**
 * Removes an earlier run's screenshots of these flows, so artifacts/h5 shows this run's. Only these flows': the
 * test files share the folder, and each clears its own before it starts.
 */
export function clearScreenshots(flowNames) {
  mkdirSync(ARTIFACTS, { recursive: true })
  if (flowNames.length === 0) return
  const ours = new RegExp(`^(${flowNames.map((name) => escapeRegExp(screenshotPrefix(name))).join('|')})-\\d+-.*\\.png$`)
  for (const file of readdirSync(ARTIFACTS)) if (ours.test(file)) rmSync(path.join(ARTIFACTS, file))
}

/** A flow's screenshots are `<prefix>-<nn>-<step>.png`. */
function screenshotPrefix(flowName) {
  return flowName.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')
}

/**
 * One headless Chromium for the run (playwright-core gives it a fresh temporary profile); each `Flow.newPage()`
 * opens an isolated context in it, one per person.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
  return browser
}

/** Per-flow state: contexts, pages, screenshots and what the pages reported. */
export class Flow {
  constructor(browser, baseUrl, name) {
    this.browser = browser
    this.baseUrl = baseUrl
    this.name = screenshotPrefix(name)
    this.contexts = []
    this.shots = []
    this.consoleErrors = []
    this.pageErrors = []
    this.step = 0
    mkdirSync(ARTIFACTS, { recursive: true })
  }

  /** A new person: own cookies and storage (so own session and 大字模式 setting). */
  async newPage(label = 'user') {
    const context = await this.browser.newContext({ ...MOBILE_CONTEXT, baseURL: this.baseUrl })
    context.setDefaultTimeout(10_000)
    this.contexts.push(context)
    const page = await context.newPage()
    page.on('console', (message) => {
      if (message.type() !== 'error') return
      const where = message.location().url ?? ''
      // The build ships no favicon; the browser's own request for one is not the app's error.
      if (where.endsWith('/favicon.ico')) return
      this.consoleErrors.push(`[${label}] ${message.text()} (${where})`)
    })
    page.on('pageerror', (error) => this.pageErrors.push(`[${label}] ${error.stack || error.message}`))
    return page
  }

  /** Numbered screenshot in artifacts/h5: `<flow>-<nn>-<step>.png`. */
  async shot(page, step) {
    this.step += 1
    const file = path.join(ARTIFACTS, `${this.name}-${String(this.step).padStart(2, '0')}-${step}.png`)
    // Fast-forwards Taro's page slide-in, so a shot taken right after a navigation shows the page, not half of it.
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' })
    this.shots.push(file)
    return file
  }

  checkPageErrors() {
    if (this.pageErrors.length) throw new Error(`uncaught page error(s) in ${this.name}:\n${this.pageErrors.join('\n')}`)
  }

  async close() {
    for (const context of this.contexts) await context.close().catch(() => undefined)
    this.contexts = []
  }
}

/**
 * Runs `body(flow)`; on failure takes a last screenshot of every open page. Always reports the console errors,
 * fails on uncaught page errors (after the body passed, so the body's own failure is the one reported first).
 */
export async function runFlow(browser, baseUrl, name, body, log = console.log) {
  const flow = new Flow(browser, baseUrl, name)
  try {
    await body(flow)
    flow.checkPageErrors()
  } catch (error) {
    for (const context of flow.contexts) {
      for (const page of context.pages()) await flow.shot(page, 'FAILED').catch(() => undefined)
    }
    if (flow.pageErrors.length && !String(error.message).includes('uncaught page error')) {
      error.message += `\nuncaught page error(s):\n${flow.pageErrors.join('\n')}`
    }
    throw error
  } finally {
    if (flow.consoleErrors.length) log(`${name}: console errors:\n  ${flow.consoleErrors.join('\n  ')}`)
    await flow.close()
  }
  return flow
}

// ---- Taro H5 helpers ------------------------------------------------------------------------------------------

/** Opens a route of the hash router (`/#/pages/mine/index`) and waits for the page's first render. */
export async function openRoute(page, route = '') {
  const hash = route ? `/#/${route.replace(/^[#/]+/, '')}` : '/'
  await page.goto(hash, { waitUntil: 'load' })
  // Taro mounts each page into its own `.taro_page` node; earlier pages stay in the DOM, hidden.
  await visiblePage(page).waitFor()
}

/** Taro's `<Input>` is a custom element wrapping a real `<input>`: type into that one. */
export function inputIn(scope, selector = 'taro-input-core') {
  return scope.locator(`${selector} input`)
}

/** Computed font size in px of the first visible element the locator matches. */
export async function fontSizeOf(locator) {
  return locator.first().evaluate((element) => parseFloat(getComputedStyle(element).fontSize))
}

/**
 * The page on screen. Taro keeps earlier pages in the DOM, and during a transition (or after a switchTab away from
 * a sub-page) more than one can still be rendered: the current one is the last page marked shown and not shaded.
 */
export function visiblePage(page) {
  return page.locator('.taro_page.taro_page_show:not(.taro_page_shade):visible').last()
}

/** A Taro `<Button>` (`taro-button-core`) on screen whose whole label is `label` (a string or a RegExp). */
export function button(scope, label) {
  const text = typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) : label
  return scope.locator('taro-button-core:visible').filter({ hasText: text })
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

// Geometry of Taro's H5 picker column (@tarojs/components picker-group.js): item i sits under the indicator when
// the content is translated to TOP - i * LINE_HEIGHT.
const PICKER_TOP = 102
const PICKER_LINE_HEIGHT = 34

/**
 * Picks `option` in a Taro `<Picker mode="selector">`: taps the trigger, drags the column (the picker reacts to
 * real pointer moves, not to clicks on an item) until the option is under the indicator, then taps 确定.
 * Taro renders the sheet into <body>, outside the page.
 */
export async function choosePickerOption(page, trigger, option) {
  await trigger.tap()
  // The sheet, not its overlay: the overlay's children are position:fixed, so it has no box of its own.
  const sheet = page.locator('.weui-picker:visible')
  await sheet.waitFor()
  const column = sheet.locator('.weui-picker__group').first()
  // The range can still be loading (the unit list comes from the API): wait for the option itself.
  await column.locator('.weui-picker__item').filter({ hasText: option }).first().waitFor({ state: 'attached' })
  const items = (await column.locator('.weui-picker__item').allTextContents()).map((text) => text.trim())
  const target = items.indexOf(option)
  if (target < 0) throw new Error(`picker has no option "${option}"; it offers: ${items.join(', ')}`)
  const currentIndex = () =>
    column.evaluate(
      (element, [top, line]) => {
        const match = /translate3d\([^,]+,\s*(-?[\d.]+)px/.exec(element.querySelector('.weui-picker__content').style.transform)
        return Math.round((top - Number(match?.[1] ?? top)) / line)
      },
      [PICKER_TOP, PICKER_LINE_HEIGHT],
    )
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await currentIndex()
    if (current === target) break
    // At most three rows per drag, so the pointer stays inside the 238 px column (leaving it ends the drag).
    const rows = Math.max(-3, Math.min(3, current - target))
    const box = await column.boundingBox()
    const x = box.x + box.width / 2
    const y = box.y + box.height / 2 - (rows * PICKER_LINE_HEIGHT) / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x, y + rows * PICKER_LINE_HEIGHT, { steps: 6 })
    await page.mouse.up()
    await page.waitForTimeout(350) // the column's snap transition
  }
  if ((await currentIndex()) !== target) throw new Error(`could not turn the picker to "${option}"`)
  await sheet.locator('.weui-picker__action').filter({ hasText: '确定' }).tap()
  await sheet.waitFor({ state: 'hidden' })
}

/**
 * Text on the visible page that a person cannot read: laid out 0 px wide (squeezed out by a sibling), or fainter
 * than `minContrast` against the background it sits on (WCAG's 3:1 floor for large text). Disabled buttons are
 * exempt, as in WCAG. Returns one line per problem, empty when all is well.
 */
export async function illegibleText(page, minContrast = 3) {
  return visiblePage(page).evaluate((root, min) => {
    const parse = (css) => {
      const m = css.match(/rgba?\(([^)]+)\)/)
      if (!m) return null
      const [r, g, b, a = 1] = m[1].split(/[,\s/]+/).filter(Boolean).map(Number)
      return { r, g, b, a }
    }
    const backgroundOf = (element) => {
      for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
        const color = parse(getComputedStyle(node).backgroundColor)
        if (color && color.a > 0) return color
      }
      return { r: 255, g: 255, b: 255, a: 1 }
    }
    const luminance = ({ r, g, b }) => {
      const channel = (v) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      }
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }
    const problems = []
    for (const element of root.querySelectorAll('*')) {
      const ownText = [...element.childNodes]
        .filter((node) => node.nodeType === 3)
        .map((node) => node.textContent.trim())
        .join('')
      if (!ownText) continue
      const style = getComputedStyle(element)
      if (style.display === 'none' || style.visibility === 'hidden' || element.closest('[hidden]')) continue
      // The component's properties, not its attributes: Taro writes disabled="false" on enabled buttons.
      const control = element.closest('taro-button-core')
      if (control && (control.disabled === true || control.loading === true)) continue
      const box = element.getBoundingClientRect()
      if (box.width < 1 || box.height < 1) {
        problems.push(`"${ownText}" is laid out ${Math.round(box.width)}×${Math.round(box.height)} px`)
        continue
      }
      const text = parse(style.color)
      const background = backgroundOf(element)
      if (!text) continue
      // A translucent colour is what it blends to over the background.
      const blended = {
        r: text.r * text.a + background.r * (1 - text.a),
        g: text.g * text.a + background.g * (1 - text.a),
        b: text.b * text.a + background.b * (1 - text.a),
      }
      const [light, dark] = [luminance(blended), luminance(background)].sort((x, y) => y - x)
      const contrast = (light + 0.05) / (dark + 0.05)
      if (contrast < min) problems.push(`"${ownText}" has contrast ${contrast.toFixed(2)}:1 (${style.color} on rgb(${background.r}, ${background.g}, ${background.b}))`)
    }
    return problems
  }, minContrast)
}

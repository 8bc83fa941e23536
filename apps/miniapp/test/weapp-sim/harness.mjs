// Renders the real weapp build (dist/weapp) in Node: WeChat's own `wcc` (from miniprogram-compiler)
// compiles every .wxml, Taro's base.wxml included; j-component + miniprogram-exparser render the
// result into a jsdom tree; the bundles (app.js, taro.js, page js) run against a recording `wx`
// mock (wx-mock.mjs). Each page gets a small host component whose methods are the page's Page()
// definition, so Taro's setData re-renders it, and a tap on a rendered node reaches Taro's `eh`
// handler, React, and back. See README.md in this folder; the parts live in harness/.
//
//   const page = await renderPage(DEFAULT_DIST, 'pages/index/index', { query: { a: '1' }, storage: {...} })
//   page.text(); await page.tap('.hotline__call'); page.callsTo('makePhoneCall'); page.close()
import { readFileSync } from 'node:fs'
import path from 'node:path'

import { loadApp } from './harness/app.mjs'
import { DEFAULT_DIST } from './harness/environment.mjs'

export { DEFAULT_DIST, loadApp }
export { toDomSelector } from './harness/sim-element.mjs'

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

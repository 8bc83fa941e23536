// Drives the weapp build inside WeChat DevTools through miniprogram-automator. Not part of `npm test` or CI:
// DevTools does not run on Linux CI machines. For developers who have it:
//   WECHAT_DEVTOOLS_CLI=/path/to/cli pnpm --filter @qmfz/miniapp test:devtools
// (macOS: /Applications/wechatwebdevtools.app/Contents/MacOS/cli; enable 设置 → 安全设置 → 服务端口 first.)
// It builds nothing: run `pnpm --filter @qmfz/miniapp build:weapp` before, with TARO_APP_API_BASE set to a reachable API.
import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

import automator from 'miniprogram-automator'

const cliPath = process.env.WECHAT_DEVTOOLS_CLI
if (!cliPath) {
  console.error('WECHAT_DEVTOOLS_CLI is not set: these tests need WeChat DevTools and its CLI.')
  process.exit(1)
}
const projectPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/weapp')

describe('weapp in WeChat DevTools', () => {
  let miniProgram

  before(async () => {
    miniProgram = await automator.launch({ cliPath, projectPath, trustProject: true })
  })

  after(async () => {
    await miniProgram?.close()
  })

  it('should show both hotlines on the home tab and dial the digits on a tap', async () => {
    const page = await miniProgram.reLaunch('/pages/index/index')
    const text = await (await page.$('.hotlines')).text()
    assert.match(text, /023-79332042/)
    assert.match(text, /96110/)
    await miniProgram.mockWxMethod('makePhoneCall', { errMsg: 'makePhoneCall:ok' })
    await (await page.$('.hotline__call')).tap()
  })

  it('should switch 大字模式 on with one tap and keep it after a relaunch', async () => {
    let page = await miniProgram.reLaunch('/pages/index/index')
    await miniProgram.callWxMethod('setStorageSync', 'qmfz.elderMode', false)
    await (await page.$('.elder-toggle')).tap()
    assert.equal(await miniProgram.callWxMethod('getStorageSync', 'qmfz.elderMode'), true)
    page = await miniProgram.reLaunch('/pages/index/index')
    assert.ok(await page.$('.page--elder'), 'the page root lacks .page--elder after a relaunch')
  })

  it('should open every tab page', async () => {
    for (const url of ['/pages/quiz/index', '/pages/report/index', '/pages/mine/index']) {
      const page = await miniProgram.switchTab(url)
      assert.equal(`/${page.path}`, url)
    }
  })
})

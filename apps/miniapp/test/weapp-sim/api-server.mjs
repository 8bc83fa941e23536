// Starts the real API (apps/api/dist, built with `pnpm --filter @qmfz/api build`) on a scratch SQLite
// database, migrated and seeded, with WeChat's code2session answered by a local fake. Pages rendered
// with renderPage(..., { apiBase: api.url }) then talk to it through wx.request -> fetch.
//
//   const api = await startApi({ openid: (code) => `o-${code}` })
//   const page = await renderPage(dist, 'pages/mine/index', { apiBase: api.url, loginCode: 'c1' })
//   ...; await api.close()
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const API_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../api')

/** True when apps/api has been built (dist/main.js and its CLI scripts exist). */
export function apiBuilt(apiDir = API_DIR) {
  return ['main.js', 'cli/migrate.js', 'cli/seed.js'].every((file) => existsSync(path.join(apiDir, 'dist', file)))
}

/**
 * WeChat's answers: code2session for any code; stable_token; getPhoneNumber for codes `phone-<11 digits>`
 * (a mainland number), which is how a test chooses the number a person "verifies".
 */
function answerWechat(path, code, openid) {
  if (path === '/cgi-bin/stable_token') return { access_token: 'sim-access-token', expires_in: 7200 }
  if (path === '/wxa/business/getuserphonenumber') {
    const mainland = /^phone-(1\d{10})$/.exec(code)
    if (!mainland) return { errcode: 40029, errmsg: 'invalid code' }
    return { errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: mainland[1], purePhoneNumber: mainland[1], countryCode: '86' } }
  }
  return code ? { openid: openid(code), session_key: Buffer.from(`session-${code}`).toString('base64') } : { errcode: 40029, errmsg: 'invalid code' }
}

/**
 * @param {object} [options]
 * @param {(code: string) => string} [options.openid] openid the fake WeChat returns for a wx.login code
 * @param {boolean} [options.seed=true] run dist/cli/seed.js (the township and its units)
 * @param {Record<string,string>} [options.env] extra environment for the API
 */
export async function startApi({ openid = (code) => `o-sim-${code}`, seed = true, env: extraEnv = {}, apiDir = API_DIR } = {}) {
  if (!apiBuilt(apiDir)) throw new Error(`${apiDir}/dist is missing: run \`pnpm --filter @qmfz/api build\` first`)
  const wechatCalls = []
  const wechat = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost')
    let body = ''
    for await (const chunk of req) body += chunk
    const code = url.searchParams.get('js_code') ?? (body ? JSON.parse(body).code : undefined) ?? ''
    wechatCalls.push({ path: url.pathname, code })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(answerWechat(url.pathname, code, openid)))
  })
  await new Promise((resolve) => wechat.listen(0, '127.0.0.1', resolve))
  const scratch = mkdtempSync(path.join(tmpdir(), 'weapp-sim-api-'))
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    APP_ENV: 'test',
    SQLITE_PATH: path.join(scratch, 'db.sqlite'),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    WECHAT_API_BASE: `http://127.0.0.1:${wechat.address().port}`,
    WECHAT_APPID: 'wx0000000000000sim',
    WECHAT_SECRET: 'weapp-sim-secret',
    ...extraEnv,
  }
  delete env.DATABASE_URL
  delete env.REDIS_URL
  const cleanup = () => {
    wechat.close()
    rmSync(scratch, { recursive: true, force: true })
  }
  for (const script of ['cli/migrate.js', ...(seed ? ['cli/seed.js'] : [])]) {
    const result = spawnSync(process.execPath, [path.join('dist', script)], { cwd: apiDir, env, encoding: 'utf8' })
    if (result.status !== 0) {
      cleanup()
      throw new Error(`api ${script} failed (${result.status}): ${`${result.stdout}${result.stderr}`.slice(-2000)}`)
    }
  }
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: apiDir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`api did not start in 20 s:\n${output.slice(-2000)}`)), 20_000)
    const onData = (chunk) => {
      output += chunk
      const match = /listening on (http:\/\/[^\s]+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1].replace('localhost', '127.0.0.1'))
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`api exited with ${code}:\n${output.slice(-2000)}`))
    })
  }).catch((error) => {
    child.kill()
    cleanup()
    throw error
  })
  return {
    url,
    wechatCalls,
    get output() {
      return output
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill()
        await exited
      }
      cleanup()
    },
  }
}

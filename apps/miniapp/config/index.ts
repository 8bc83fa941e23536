import path from 'node:path'

import { defineConfig, type UserConfigExport } from '@tarojs/cli'

// Taro transpiles only src/ and Taro's own packages. The shared contracts are built for ES2021
// (`??`, `?.`), which older WeChat clients cannot parse, so they go through Babel as well.
const contractsDir = path.dirname(require.resolve('@qmfz/contracts'))
const compile = { include: [contractsDir] }

// wx.request takes only absolute https URLs on the mini-program's request domain list: without a base the weapp
// build still compiles (the tests need it to), but it cannot reach the API inside WeChat.
const API_BASE = process.env.TARO_APP_API_BASE ?? ''
if (process.env.TARO_ENV === 'weapp' && !API_BASE.startsWith('https://')) {
  console.warn(`TARO_APP_API_BASE is "${API_BASE}": inside WeChat this build can reach no API; set it to the API's https origin.`)
}

/** The demo login (pick a role and unit) exists only in builds made with TARO_APP_DEMO_LOGIN=true. */
const DEMO_LOGIN = process.env.TARO_APP_DEMO_LOGIN === 'true'

// https://docs.taro.zone/docs/config
export default defineConfig<'webpack5'>(() => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'qmfz-miniapp',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // One folder per platform and flavour, so a demo build never overwrites (or passes for) a production one.
    outputRoot: `dist/${process.env.TARO_ENV}${DEMO_LOGIN ? '-demo' : ''}`,
    framework: 'react',
    compiler: 'webpack5',
    env: {
      // Taro inlines only TARO_APP_* variables it finds; an unset one would stay a bare
      // `process.env` lookup, which throws in the mini-program runtime. Always define it.
      TARO_APP_API_BASE: JSON.stringify(API_BASE),
      TARO_APP_DEMO_LOGIN: JSON.stringify(DEMO_LOGIN ? 'true' : 'false'),
    },
    cache: { enable: false },
    mini: {
      compile,
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      compile,
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  }
  return config
})

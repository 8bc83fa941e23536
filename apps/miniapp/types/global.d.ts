/// <reference types="@tarojs/taro" />

declare module '*.css'

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production'
    TARO_ENV: 'weapp' | 'h5'
    /** Public: inlined into the bundle at build time. See src/env.ts. */
    TARO_APP_API_BASE?: string
  }
}

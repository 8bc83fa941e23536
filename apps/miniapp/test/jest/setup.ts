/// <reference types="jest" />
/**
 * Runs before every test file. The app reads these at import time (src/env.ts); a test that needs another
 * value sets it, then imports the module under test afresh with isolated() from ./isolated.
 */
import { cleanup } from '@testing-library/react'

import { cleanupIsolated } from './isolated'
import { taroMock } from './taro'

process.env.TARO_ENV = 'h5'
process.env.TARO_APP_API_BASE = 'https://api.test'
process.env.TARO_APP_DEMO_LOGIN = 'false'

// Build-time flag of Taro's Stencil component wrappers (test/jest/components.ts); Taro's bundler defines it.
;(globalThis as { DEPRECATED_ADAPTER_COMPONENT?: boolean }).DEPRECATED_ADAPTER_COMPONENT = false

const ENV = { ...process.env }

/**
 * Noise from Taro's H5 components under jsdom, not from the app: jsdom has no layout (the picker warns that it
 * cannot measure rows), and Taro's H5 <Text> hands its `userSelect` prop to a <span>. Anything else still shows.
 */
const isNoise = (args: unknown[]) => {
  // React passes the prop name as a separate argument to a `%s` in the message.
  const text = args.map(String).join(' ')
  return text === 'Height measurement anomaly' || (text.includes('React does not recognize the') && args.includes('userSelect'))
}
for (const level of ['warn', 'error'] as const) {
  const original = console[level].bind(console)
  console[level] = (...args: unknown[]) => {
    if (!isNoise(args)) original(...args)
  }
}

beforeEach(() => {
  taroMock.reset()
  process.env = { ...ENV }
})

afterEach(() => {
  cleanup()
  cleanupIsolated()
  const unexpected = taroMock.unexpectedRequests
  if (unexpected.length > 0) {
    throw new Error(`Unexpected requests: ${unexpected.join('; ')}`)
  }
  const dropped = taroMock.droppedFailures
  if (dropped.length > 0 && !taroMock.droppedFailuresTolerated) {
    throw new Error(`Taro calls failed and nobody handled the promise they return (an unhandled rejection in the app): ${dropped.join('; ')}`)
  }
})

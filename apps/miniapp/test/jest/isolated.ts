/// <reference types="jest" />
/**
 * Fresh copies of app modules for one test. The app keeps some state at module level on purpose (the session
 * read from storage, 大字模式, IN_WECHAT from the build's TARO_ENV), so a test that seeds storage or switches
 * platform must import the app after doing so.
 *
 * Anything rendered has to use the same copy of React as the component, so `isolated()` also hands back a
 * fresh Testing Library; its rendered trees are cleaned up after the test by setup.ts.
 */
type TestingLibrary = typeof import('@testing-library/react')

const cleanups: Array<() => void> = []

export function isolated<T extends object>(load: () => T): T & { rtl: TestingLibrary } {
  let loaded: (T & { rtl: TestingLibrary }) | undefined
  const skip = process.env.RTL_SKIP_AUTO_CLEANUP
  // A fresh Testing Library would otherwise register its own afterEach, which Jest refuses inside a test.
  process.env.RTL_SKIP_AUTO_CLEANUP = 'true'
  try {
    jest.isolateModules(() => {
      const rtl = require('@testing-library/react') as TestingLibrary
      cleanups.push(() => rtl.cleanup())
      loaded = { ...load(), rtl }
    })
  } finally {
    if (skip === undefined) delete process.env.RTL_SKIP_AUTO_CLEANUP
    else process.env.RTL_SKIP_AUTO_CLEANUP = skip
  }
  return loaded!
}

export function cleanupIsolated(): void {
  for (const cleanup of cleanups.splice(0)) cleanup()
}

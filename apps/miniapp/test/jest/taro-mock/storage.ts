/**
 * Taro's storage APIs over a map of JSON strings, and the test side that seeds and reads it.
 */
import { ok, settle } from './settle'
import { state, type Callbacks, type TaroFailure } from './state'

/** Storage keeps what JSON keeps, as WeChat's does: a test catches a value that would not survive a restart. */
export function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value))
}

export const storageApis = {
  getStorageSync: (key: string): unknown => {
    const raw = state().storage.get(key)
    return raw === undefined ? '' : JSON.parse(raw)
  },
  setStorageSync: (key: string, value: unknown): void => {
    state().storage.set(key, JSON.stringify(clone(value)))
  },
  removeStorageSync: (key: string): void => {
    state().storage.delete(key)
  },
  clearStorageSync: (): void => state().storage.clear(),
  getStorage: (options: { key: string } & Callbacks) =>
    settle('getStorage', options, () => {
      const raw = state().storage.get(options.key)
      if (raw === undefined) throw { errMsg: 'getStorage:fail data not found' } satisfies TaroFailure
      return ok('getStorage', { data: JSON.parse(raw) })
    }),
  setStorage: (options: { key: string; data: unknown } & Callbacks) =>
    settle('setStorage', options, () => {
      state().storage.set(options.key, JSON.stringify(clone(options.data)))
      return ok('setStorage')
    }),
  removeStorage: (options: { key: string } & Callbacks) =>
    settle('removeStorage', options, () => {
      state().storage.delete(options.key)
      return ok('removeStorage')
    }),
  getStorageInfoSync: () => ({ keys: [...state().storage.keys()], currentSize: 0, limitSize: 10240 }),
}

export const storageControls = {
  /** The raw storage, as parsed JSON; `undefined` when the key is absent. */
  stored(key: string): unknown {
    const raw = state().storage.get(key)
    return raw === undefined ? undefined : JSON.parse(raw)
  },
  store(key: string, value: unknown): void {
    state().storage.set(key, JSON.stringify(clone(value)))
  },
}

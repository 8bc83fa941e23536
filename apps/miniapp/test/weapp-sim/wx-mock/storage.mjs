// wx storage in a Map, sync and async flavours.
import { fail } from './async.mjs'

/** WeChat storage round-trips through serialisation: what you read back is a copy. */
export function copyValue(value) {
  if (typeof value !== 'object' || value === null) return value
  try {
    return structuredClone(value)
  } catch {
    return JSON.parse(JSON.stringify(value))
  }
}

/** The Map behind storage, holding copies of `initial` ({ key: value }). */
export function createStorage(initial = {}) {
  return new Map(Object.entries(initial).map(([key, value]) => [key, copyValue(value)]))
}

export function storageApi(storage, asyncApi) {
  const info = () => ({ keys: [...storage.keys()], currentSize: 0, limitSize: 10240 })
  return {
    setStorageSync(key, data) {
      storage.set(String(key), copyValue(data))
    },
    getStorageSync(key) {
      return storage.has(String(key)) ? copyValue(storage.get(String(key))) : ''
    },
    removeStorageSync(key) {
      storage.delete(String(key))
    },
    clearStorageSync() {
      storage.clear()
    },
    getStorageInfoSync: info,
    setStorage: asyncApi('setStorage', ({ key, data }) => {
      storage.set(String(key), copyValue(data))
    }),
    getStorage: asyncApi('getStorage', ({ key }) =>
      storage.has(String(key)) ? { data: copyValue(storage.get(String(key))) } : fail('data not found'),
    ),
    removeStorage: asyncApi('removeStorage', ({ key }) => {
      storage.delete(String(key))
    }),
    clearStorage: asyncApi('clearStorage', () => {
      storage.clear()
    }),
    getStorageInfo: asyncApi('getStorageInfo', info),
  }
}

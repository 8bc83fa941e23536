import Taro from '@tarojs/taro'

import { IN_WECHAT } from '../../env'

/** 16 bytes as 32 hex digits: inside the contract's 16–64 characters, and only characters every server accepts. */
const KEY_BYTES = 16

const toHex = (bytes: ArrayLike<number>) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')

/**
 * A key for a new draft, at once. Web Crypto where the runtime has it (browsers); otherwise Math.random mixed with
 * the clock. The fallback is enough for what the key does: it only has to differ between one person's drafts (the
 * server scopes it to the submitter), and the receipt code is derived from it under a server-side secret, so a
 * guessable key reveals no code. WeChat's own secure source is asynchronous: see secureKeyInWeChat.
 */
export function newIdempotencyKey(): string {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto
  if (typeof webCrypto?.getRandomValues === 'function') return toHex(webCrypto.getRandomValues(new Uint8Array(KEY_BYTES)))
  return fallbackKey()
}

function fallbackKey(): string {
  const bytes = new Uint8Array(KEY_BYTES)
  for (let index = 0; index < KEY_BYTES; index++) bytes[index] = Math.floor(Math.random() * 256)
  // The clock in the first six bytes: two drafts started in different milliseconds never share a key.
  const now = Date.now()
  for (let index = 0; index < 6; index++) bytes[index] ^= Math.floor(now / 256 ** index) % 256
  return toHex(bytes)
}

/** In WeChat, a key from wx.getRandomValues (base library 2.20.1+); null where that is missing or fails. */
export async function secureKeyInWeChat(): Promise<string | null> {
  if (!IN_WECHAT || typeof Taro.getRandomValues !== 'function') return null
  try {
    const { randomValues } = await Taro.getRandomValues({ length: KEY_BYTES })
    return toHex(new Uint8Array(randomValues))
  } catch {
    return null
  }
}

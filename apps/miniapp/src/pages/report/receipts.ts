import Taro from '@tarojs/taro'
import { FRAUD_TYPES, normalizeReceiptCode, type FraudType } from '@qmfz/contracts'

import { createStore, useStore } from '../../state/store'

/**
 * Receipt codes the person chose to keep on this device (a tip's code is otherwise shown once and kept nowhere).
 * Opt-in, because whoever holds the phone can then read the tip's progress and claim its reward; each entry can be
 * removed. Shared by the report tab (which adds) and the follow-up page (which lists and removes).
 */
export interface KeptReceipt {
  code: string
  fraudType: FraudType
  /** When the tip was sent (the server's time). */
  createdAt: string
}

const STORAGE_KEY = 'qmfz.tipReceipts'
/** Plenty for one household's tips; the oldest go first. */
const KEPT_MAX = 20

function readKept(): KeptReceipt[] {
  const stored: unknown = Taro.getStorageSync(STORAGE_KEY)
  if (!Array.isArray(stored)) return []
  return stored.flatMap((entry: Partial<KeptReceipt> | null) => {
    const code = normalizeReceiptCode(entry?.code)
    if (!code || !FRAUD_TYPES.includes(entry!.fraudType as FraudType) || typeof entry!.createdAt !== 'string') return []
    return [{ code, fraudType: entry!.fraudType as FraudType, createdAt: entry!.createdAt }]
  })
}

const kept = createStore<KeptReceipt[] | null>(null)

function current(): KeptReceipt[] {
  const value = kept.get() ?? readKept()
  if (kept.get() === null) kept.set(value)
  return value
}

function write(next: KeptReceipt[]): void {
  Taro.setStorageSync(STORAGE_KEY, next)
  kept.set(next)
}

export function useKeptReceipts(): KeptReceipt[] {
  current()
  return useStore(kept) ?? []
}

export function isKept(code: string): boolean {
  return current().some((entry) => entry.code === code)
}

export function keepReceipt(receipt: KeptReceipt): void {
  write([receipt, ...current().filter((entry) => entry.code !== receipt.code)].slice(0, KEPT_MAX))
}

export function forgetReceipt(code: string): void {
  write(current().filter((entry) => entry.code !== code))
}

/**
 * A code handed from the receipt panel to the follow-up page in memory, so it never travels in a URL (which a
 * browser keeps in its history).
 */
let handed: string | null = null

export function handOverReceipt(code: string): void {
  handed = code
}

export function takeHandedReceipt(): string | null {
  const code = handed
  handed = null
  return code
}

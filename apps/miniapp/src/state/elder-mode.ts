import Taro from '@tarojs/taro'

import { createStore, useStore } from './store'

const STORAGE_KEY = 'qmfz.elderMode'

/** 大字模式: larger text and tap targets on every page, remembered on this device. */
const elderMode = createStore<boolean>(Taro.getStorageSync(STORAGE_KEY) === true)

export function useElderMode(): boolean {
  return useStore(elderMode)
}

export function setElderMode(on: boolean): void {
  Taro.setStorageSync(STORAGE_KEY, on)
  elderMode.set(on)
}

import { View } from '@tarojs/components'
import type { PropsWithChildren } from 'react'

import { useElderMode } from '../../state/elder-mode'
import { PrivacySheet } from '../privacy-sheet'

/** Root of every page: applies 大字模式 and hosts the privacy consent sheet. */
export function PageShell({ children }: PropsWithChildren) {
  const elder = useElderMode()
  return (
    <View className={elder ? 'page page--elder' : 'page'}>
      {children}
      <PrivacySheet />
    </View>
  )
}

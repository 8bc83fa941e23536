import { Text, View } from '@tarojs/components'
import type { PropsWithChildren } from 'react'

import { PageShell } from '../page-shell'

interface ComingSoonProps {
  title: string
  /** What the page will offer, in a sentence people understand. */
  summary: string
}

/** A page whose feature is still being built: says what it will do, plus anything useful already (children). */
export function ComingSoon({ title, summary, children }: PropsWithChildren<ComingSoonProps>) {
  return (
    <PageShell>
      <Text className='title'>{title}</Text>
      <View className='card'>
        <Text className='text'>{summary}</Text>
        <Text className='hint coming-soon__note'>该功能即将开放，敬请期待。</Text>
      </View>
      {children}
    </PageShell>
  )
}

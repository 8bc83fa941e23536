import { Switch, Text, View } from '@tarojs/components'

import { setElderMode, useElderMode } from '../../state/elder-mode'

/** The 大字模式 switch; the whole row is the tap target, not just the small switch. */
export function ElderToggle() {
  const elder = useElderMode()
  return (
    <View className='row elder-toggle' onClick={() => setElderMode(!elder)}>
      <View className='row__main'>
        <Text className='text'>大字模式</Text>
        <Text className='hint'>放大文字和按钮，方便老年人使用</Text>
      </View>
      <Switch checked={elder} color='#c8102e' />
    </View>
  )
}

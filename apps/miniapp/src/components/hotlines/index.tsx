import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'

import { HOTLINES } from '../../constants'
import { ignoreCancel } from '../../utils/ignore-cancel'

/** Hotlines with one-tap calling; the number stays visible so it can be read out or dialled by hand. */
export function Hotlines() {
  return (
    <View className='card hotlines'>
      <Text className='card__title'>遇到诈骗，立即拨打</Text>
      {HOTLINES.map((line) => (
        <View key={line.number} className='row'>
          <View className='row__main'>
            <Text className='text'>{line.label}</Text>
            <Text className='hint'>{line.number}</Text>
          </View>
          <Button className='btn btn--primary hotline__call' onClick={() => ignoreCancel(Taro.makePhoneCall({ phoneNumber: line.dial }))}>
            {`拨打 ${line.number}`}
          </Button>
        </View>
      ))}
    </View>
  )
}

import { Text, View } from '@tarojs/components'
import { ROLE_LABELS, ROLES } from '@qmfz/contracts'

import { APP_NAME, HOTLINES } from '../../constants'
import './index.css'

// Residents need no membership, so they have no Role; the rest come from the shared contracts.
const AUDIENCE = ['居民', ...ROLES.map((role) => ROLE_LABELS[role])].join(' · ')

export default function Index() {
  return (
    <View className='home'>
      <Text className='home__title'>{APP_NAME}</Text>
      {HOTLINES.map((line) => (
        <Text key={line.number} className='home__hotline'>
          {`${line.label} ${line.number}`}
        </Text>
      ))}
      <Text className='home__roles'>{AUDIENCE}</Text>
    </View>
  )
}

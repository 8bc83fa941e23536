import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'

import { answerPrivacyRequest, PRIVACY_AGREE_BUTTON_ID, usePrivacyRequest } from '../../state/privacy'
import './index.css'

/**
 * WeChat's privacy consent: shown when a privacy API waits for it. The agree button must carry
 * open-type="agreePrivacyAuthorization", which is how WeChat knows a person really tapped it.
 */
export function PrivacySheet() {
  const request = usePrivacyRequest()
  if (!request) return null
  return (
    <View className='privacy-sheet'>
      <View className='privacy-sheet__panel'>
        <Text className='card__title'>隐私保护提示</Text>
        <Text className='text'>
          为核验您的单位成员身份、导入名册和复制邀请码，本程序会在您同意后读取您授权的手机号和您选择的文件，或写入剪贴板。这些信息只用于反诈工作，手机号加密保存，不会向无关人员展示。
        </Text>
        <Text className='hint privacy-sheet__link' onClick={() => Taro.openPrivacyContract()}>
          查看《全民反诈隐私保护指引》
        </Text>
        <View className='privacy-sheet__actions'>
          <Button className='btn' onClick={() => answerPrivacyRequest(false)}>
            不同意
          </Button>
          <Button
            id={PRIVACY_AGREE_BUTTON_ID}
            className='btn btn--primary'
            openType='agreePrivacyAuthorization'
            onAgreePrivacyAuthorization={() => answerPrivacyRequest(true)}
          >
            同意并继续
          </Button>
        </View>
      </View>
    </View>
  )
}

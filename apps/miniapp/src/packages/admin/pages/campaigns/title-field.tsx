import { Input, Text, View } from '@tarojs/components'
import { VIDEO_LIMITS } from '@qmfz/contracts'

/** The video's title, as both ways of adding a video ask for it. */
export function VideoTitleField({ value, onChange, className }: { value: string; onChange: (value: string) => void; className: string }) {
  return (
    <View className='field'>
      <Text className='field__label'>视频标题</Text>
      <Input
        className={`field__input ${className}`}
        value={value}
        maxlength={VIDEO_LIMITS.titleMax}
        placeholder='如：警惕冒充客服退款诈骗'
        onInput={(event) => onChange(event.detail.value)}
      />
    </View>
  )
}

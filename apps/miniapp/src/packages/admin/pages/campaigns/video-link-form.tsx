import { Button, Input, Text, View } from '@tarojs/components'
import { VIDEO_LIMITS } from '@qmfz/contracts'
import { useState } from 'react'

import { campaignsApi } from '../../../../api/campaigns'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { DurationField } from './duration-field'
import { VideoTitleField } from './title-field'
import { EMPTY_DURATION, formProblem, readDuration } from './form'

const WEB_ADDRESS = /^https?:\/\/\S+$/i

/** A video hosted elsewhere: the server cannot measure it, so the admin gives its duration. */
export function VideoLinkForm({ onAdded }: { onAdded: () => void }) {
  const [title, setTitle] = useState('')
  const [url, setUrl] = useState('')
  const [duration, setDuration] = useState(EMPTY_DURATION)
  const add = useAction(async () => {
    if (!title.trim()) throw formProblem('请填写视频标题')
    if (!WEB_ADDRESS.test(url.trim())) throw formProblem('请填写以 https:// 或 http:// 开头的视频地址')
    const seconds = readDuration(duration)
    if (seconds === null) throw formProblem('请填写视频时长')
    await campaignsApi.createExternalVideo({ title: title.trim(), url: url.trim(), durationSeconds: seconds })
    setTitle('')
    setUrl('')
    setDuration(EMPTY_DURATION)
    onAdded()
  }, '视频已添加')

  return (
    <View className='video-link'>
      <VideoTitleField className='video-link__title' value={title} onChange={setTitle} />
      <View className='field'>
        <Text className='field__label'>视频地址</Text>
        <Input
          className='field__input video-link__url'
          type='text'
          value={url}
          maxlength={VIDEO_LIMITS.urlMax}
          placeholder='https://'
          onInput={(event) => setUrl(event.detail.value)}
        />
        <Text className='hint'>微信内只能播放 https 地址的视频。</Text>
      </View>
      <DurationField className='video-link__duration' value={duration} onChange={setDuration} hint='必填：外部视频的时长无法自动读取。' />
      <FormMessage error={add.error} />
      <Button className='btn btn--primary btn--block video-link__submit' loading={add.busy} disabled={add.busy} onClick={() => add.run()}>
        添加
      </Button>
    </View>
  )
}

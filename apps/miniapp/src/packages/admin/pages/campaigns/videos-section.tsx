import { Text, View } from '@tarojs/components'
import { VideoSource, type VideoResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { FormMessage } from '../../../../components/form-message'
import { Segmented } from '../../components/segmented'
import type { Remote } from '../../../../state/use-remote'
import { formatDurationWords } from '../../../../utils/format'
import { VideoLinkForm } from './video-link-form'
import { VideoUploadForm } from './video-upload-form'

const SOURCE_LABELS: Record<VideoSource, string> = { upload: '上传', url: '外链' }

type AddMode = 'upload' | 'url'
const ADD_MODES = [
  { value: 'upload', label: '上传视频' },
  { value: 'url', label: '添加链接' },
] as const

/** The township's videos, and adding one by upload or by link. */
export function VideosSection({ videos }: { videos: Remote<VideoResponse[]> }) {
  const [mode, setMode] = useState<AddMode>('upload')
  const list = videos.data ?? []
  return (
    <View className='card videos'>
      <Text className='card__title'>视频</Text>
      {!videos.loading && list.length === 0 && <Text className='hint'>还没有视频，请先上传或添加链接。</Text>}
      {list.map((video) => (
        <View key={video.id} className='row video'>
          <View className='row__main'>
            <Text className='text'>{video.title}</Text>
            <Text className='hint'>{formatDurationWords(video.durationSeconds)}</Text>
          </View>
          <Text className='badge'>{SOURCE_LABELS[video.source]}</Text>
        </View>
      ))}
      <FormMessage error={videos.error} />
      <Segmented className='videos__mode' options={ADD_MODES} value={mode} onChange={setMode} />
      {mode === 'upload' ? <VideoUploadForm onAdded={videos.reload} /> : <VideoLinkForm onAdded={videos.reload} />}
    </View>
  )
}

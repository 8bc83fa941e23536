import { Button, Text, View } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'

import { campaignsApi } from '../../../../api/campaigns'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { DurationField } from './duration-field'
import { VideoTitleField } from './title-field'
import { EMPTY_DURATION, formProblem, readDuration } from './form'
import { pickFile, releasePickedFile, type PickedFile } from '../../utils/pick-file'

/**
 * Upload an MP4 or WebM. The chosen file stays chosen when the server refuses it (no duration in the file, not a
 * video), so the admin fixes the field or picks another file and taps 开始上传 again.
 */
export function VideoUploadForm({ onAdded }: { onAdded: () => void }) {
  const [title, setTitle] = useState('')
  const [duration, setDuration] = useState(EMPTY_DURATION)
  const [file, setFile] = useState<PickedFile | null>(null)
  const fileRef = useRef(file)
  fileRef.current = file
  // A browser file chosen but never uploaded is released when the page goes away.
  useEffect(
    () => () => {
      if (fileRef.current) releasePickedFile(fileRef.current)
    },
    [],
  )

  const pick = useAction(async () => {
    const picked = await pickFile('video')
    if (!picked) return
    if (file) releasePickedFile(file)
    setFile(picked)
  })
  const upload = useAction(async () => {
    if (!title.trim()) throw formProblem('请填写视频标题')
    if (!file) throw formProblem('请先选择视频文件')
    const seconds = readDuration(duration)
    await campaignsApi.uploadVideo(file.path, file.name, title.trim(), seconds ?? undefined)
    releasePickedFile(file)
    setFile(null)
    setTitle('')
    setDuration(EMPTY_DURATION)
    onAdded()
  }, '视频已上传')

  return (
    <View className='video-upload'>
      <VideoTitleField className='video-upload__title' value={title} onChange={setTitle} />
      <DurationField className='video-upload__duration' value={duration} onChange={setDuration} hint='可不填：能从视频文件读出时长时自动读取，读不出时会提示您填写。' />
      <Button className='btn btn--block video-upload__pick' disabled={pick.busy || upload.busy} onClick={() => pick.run()}>
        {file ? '重新选择视频' : '选择视频文件'}
      </Button>
      <Text className='hint video-upload__file'>{file ? `已选择：${file.name}（${formatSize(file.size)}）` : '支持 MP4、WebM 格式'}</Text>
      <FormMessage error={upload.error ?? pick.error} />
      <Button className='btn btn--primary btn--block video-upload__submit' loading={upload.busy} disabled={upload.busy} onClick={() => upload.run()}>
        开始上传
      </Button>
    </View>
  )
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

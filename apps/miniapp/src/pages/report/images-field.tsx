import { Button, Image, Text, View } from '@tarojs/components'
import { TIP_LIMITS } from '@qmfz/contracts'

import { useAction } from '../../state/use-action'
import { FieldError } from './field-error'
import type { DraftImage } from './draft'
import { pickImages } from './pick-images'
import type { ImageUploads, UploadStatus } from './use-image-uploads'

interface ImagesFieldProps {
  images: DraftImage[]
  uploads: ImageUploads
  error?: string
}

function statusText(image: DraftImage, status: UploadStatus | undefined): string {
  if (image.attachmentId) return '已上传'
  if (status?.state === 'uploading') return status.percent === undefined ? '上传中…' : `上传中 ${status.percent}%`
  if (status?.state === 'failed') return `上传失败：${status.message}`
  return '未上传，提交时将自动上传'
}

/** Screenshots of chats and transfers, each uploaded as soon as it is chosen, with its own state and removal. */
export function ImagesField({ images, uploads, error }: ImagesFieldProps) {
  const pick = useAction(async () => uploads.add(await pickImages(TIP_LIMITS.imagesMax - images.length)))
  return (
    <View className='field tip-images'>
      <Text className='field__label'>{`图片证据（选填，最多 ${TIP_LIMITS.imagesMax} 张，每张不超过 ${TIP_LIMITS.imageMaxBytes / 1024 / 1024} MB）`}</Text>
      <Text className='hint'>聊天记录、转账记录等截图。图片只供核查的民警查看。</Text>
      {images.map((image, index) => {
        const status = uploads.status[image.key]
        return (
          <View key={image.key} className={`row tip-image tip-image--${image.attachmentId ? 'done' : status?.state ?? 'waiting'}`}>
            {image.path ? (
              <Image className='tip-image__thumb' src={image.path} mode='aspectFill' />
            ) : (
              <View className='tip-image__thumb tip-image__thumb--gone'>
                <Text className='hint'>{`图 ${index + 1}`}</Text>
              </View>
            )}
            <View className='row__main'>
              <Text className='text'>{`第 ${index + 1} 张`}</Text>
              <Text className={status?.state === 'failed' ? 'message message--error tip-image__status' : 'hint tip-image__status'}>{statusText(image, status)}</Text>
            </View>
            <View className='row__actions'>
              {status?.state === 'failed' && (
                <Button className='btn tip-image__retry' onClick={() => uploads.retry(image.key)}>
                  重试
                </Button>
              )}
              <Button className='btn btn--danger tip-image__remove' onClick={() => uploads.remove(image.key)}>
                {`删除第 ${index + 1} 张`}
              </Button>
            </View>
          </View>
        )
      })}
      <FieldError message={uploads.refusal ?? pick.error?.message ?? error} />
      {images.length < TIP_LIMITS.imagesMax && (
        <Button className='btn btn--block tip-images__add' disabled={pick.busy} onClick={() => pick.run()}>
          {`添加图片（${images.length}/${TIP_LIMITS.imagesMax}）`}
        </Button>
      )}
    </View>
  )
}

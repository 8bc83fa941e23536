import { Button, Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { TipAttachmentResponse } from '@qmfz/contracts'
import { useEffect, useRef, useState } from 'react'

import { triageApi } from '../../../../api/triage'
import { ignoreCancel } from '../../../../utils/ignore-cancel'

interface AttachmentsProps {
  tipId: string
  attachments: TipAttachmentResponse[]
}

/** Per image: its short-lived URL, `failed` when the link route refused or failed, absent while asked for. */
type Links = Record<string, string | 'failed'>

/**
 * The images' private links, asked for when the section appears. Mounted after the tip has loaded, so it loads on
 * mount rather than on page show (Taro calls a show hook only for shows after it registered).
 */
function useAttachmentLinks(tipId: string, attachmentIds: string[]) {
  const [links, setLinks] = useState<Links>({})
  const alive = useRef(true)
  useEffect(() => {
    alive.current = true
    return () => {
      alive.current = false
    }
  }, [])
  const fetchLinks = (ids: string[]) => {
    setLinks((previous) => omit(previous, ids))
    for (const id of ids) {
      triageApi.attachmentLink(tipId, id).then(
        (link) => alive.current && setLinks((previous) => ({ ...previous, [id]: link.url })),
        () => alive.current && setLinks((previous) => ({ ...previous, [id]: 'failed' })),
      )
    }
  }
  const key = attachmentIds.join(',')
  useEffect(() => fetchLinks(attachmentIds), [tipId, key])
  // An image whose link expired while the page stayed open gets one fresh link, not a loop of them.
  const renewed = useRef(new Set<string>())
  const renew = (id: string) => {
    if (renewed.current.has(id)) return
    renewed.current.add(id)
    fetchLinks([id])
  }
  return { links, refetch: fetchLinks, renew }
}

function omit(links: Links, ids: string[]): Links {
  return Object.fromEntries(Object.entries(links).filter(([id]) => !ids.includes(id)))
}

/** The tip's images as thumbnails; tapping one opens the viewer with every image that has loaded. */
export function AttachmentsSection({ tipId, attachments }: AttachmentsProps) {
  const ids = attachments.map((attachment) => attachment.id)
  const { links, refetch, renew } = useAttachmentLinks(tipId, ids)
  if (attachments.length === 0) return null
  const loaded = ids.map((id) => links[id]).filter((url): url is string => url !== undefined && url !== 'failed')
  const failed = ids.filter((id) => links[id] === 'failed')

  return (
    <View className='card tip-attachments'>
      <Text className='card__title'>{`图片（${attachments.length} 张）`}</Text>
      <View className='tip-attachments__grid'>
        {ids.map((id, index) => (
          <Thumbnail
            key={id}
            label={`第 ${index + 1} 张图片`}
            link={links[id]}
            onOpen={(url) => ignoreCancel(Taro.previewImage({ urls: loaded, current: url }))}
            onExpired={() => renew(id)}
          />
        ))}
      </View>
      {failed.length > 0 && (
        <Button className='btn btn--block tip-attachments__retry' onClick={() => refetch(failed)}>
          重新加载图片
        </Button>
      )}
    </View>
  )
}

interface ThumbnailProps {
  label: string
  link: string | 'failed' | undefined
  onOpen: (url: string) => void
  onExpired: () => void
}

function Thumbnail({ label, link, onOpen, onExpired }: ThumbnailProps) {
  if (link === undefined) return <View className='tip-attachment tip-attachment--pending'>加载中…</View>
  if (link === 'failed') return <View className='tip-attachment tip-attachment--failed'>{`${label}无法加载`}</View>
  return (
    <View className='tip-attachment' aria-label={`${label}，点击查看大图`} onClick={() => onOpen(link)}>
      <Image className='tip-attachment__image' src={link} mode='aspectFill' onError={onExpired} />
    </View>
  )
}

import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { NoticeResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { viewingApi } from '../../api/viewing'
import type { Remote } from '../../state/use-remote'
import { formatDateTime } from '../../utils/format'
import { ignoreCancel } from '../../utils/ignore-cancel'
import './notices.css'

/** Links name app pages; those under /pages/ are the tab pages of the main package, which only switchTab opens. */
function openLink(link: string): void {
  if (link.startsWith('/pages/')) ignoreCancel(Taro.switchTab({ url: link.split('?')[0] }))
  else ignoreCancel(Taro.navigateTo({ url: link }))
}

/**
 * 消息: the person's notices (reminders to watch a video and the like), unread ones set apart. The page loads them
 * (a component mounted after the page was shown would miss the show that loads it).
 */
export function Notices({ notices }: { notices: Remote<NoticeResponse[]> }) {
  const [readHere, setReadHere] = useState<ReadonlySet<string>>(new Set())
  // Only a list is shown: a server without notices yet answers something else, and 我的 must still work.
  const list = Array.isArray(notices.data) ? notices.data : []
  const isUnread = (notice: NoticeResponse) => !notice.readAt && !readHere.has(notice.id)
  const unread = list.filter(isUnread).length

  const open = (notice: NoticeResponse) => {
    if (isUnread(notice)) {
      setReadHere((previous) => new Set(previous).add(notice.id))
      // Shown as read at once; if the server missed it, the notice is simply unread again next time.
      viewingApi.markNoticeRead(notice.id).catch(() => undefined)
    }
    if (notice.link) openLink(notice.link)
  }

  return (
    <View className='card notices'>
      <Text className='card__title'>{unread > 0 ? `消息（${unread} 条未读）` : '消息'}</Text>
      {notices.loading && !notices.data && <Text className='hint'>加载中…</Text>}
      {/* The profile above already says what went wrong with the network or the server. */}
      {notices.error && !notices.data && <Text className='hint'>消息暂时无法加载</Text>}
      {notices.data !== undefined && list.length === 0 && <Text className='hint'>暂无消息</Text>}
      {list.map((notice) => (
        <View key={notice.id} className={isUnread(notice) ? 'notice notice--unread' : 'notice'} onClick={() => open(notice)}>
          <Text className='text notice__title'>{isUnread(notice) ? `● ${notice.title}` : notice.title}</Text>
          <Text className='hint notice__body'>{notice.body}</Text>
          <Text className='hint'>{notice.link ? `${formatDateTime(notice.createdAt)} · 点击查看 ›` : formatDateTime(notice.createdAt)}</Text>
        </View>
      ))}
    </View>
  )
}

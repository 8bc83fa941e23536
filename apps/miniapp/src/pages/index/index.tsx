import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'

import { ElderToggle } from '../../components/elder-toggle'
import { Hotlines } from '../../components/hotlines'
import { PageShell } from '../../components/page-shell'
import { APP_NAME } from '../../constants'
import { ROUTES } from '../../routes'
import { ignoreCancel } from '../../utils/ignore-cancel'

const SHORTCUTS = [
  { label: '观看打卡', hint: '单位工作人员观看反诈视频', url: ROUTES.videoCampaigns },
  { label: '举报进度', hint: '凭回执码查看处理结果', url: ROUTES.tipFollowUp },
  { label: '家校通知', hint: '告家长书与回执', url: ROUTES.schoolNotices },
] as const

export default function Home() {
  return (
    <PageShell>
      <Text className='title'>{APP_NAME}</Text>
      <Text className='hint home__slogan'>不听、不信、不转账，守好群众的钱袋子</Text>
      <Hotlines />
      <View className='card'>
        <Text className='card__title'>安装“国家反诈中心”APP</Text>
        <Text className='text'>来电预警、诈骗网址识别、一键举报。在手机应用商店搜索“国家反诈中心”即可免费下载。</Text>
        <Button className='btn btn--block' onClick={() => ignoreCancel(Taro.setClipboardData({ data: '国家反诈中心' }))}>
          复制应用名称
        </Button>
      </View>
      <View className='card'>
        {SHORTCUTS.map((shortcut) => (
          <View key={shortcut.url} className='row' onClick={() => ignoreCancel(Taro.navigateTo({ url: shortcut.url }))}>
            <View className='row__main'>
              <Text className='text'>{shortcut.label}</Text>
              <Text className='hint'>{shortcut.hint}</Text>
            </View>
            <Text className='hint'>›</Text>
          </View>
        ))}
      </View>
      <View className='card'>
        <ElderToggle />
      </View>
    </PageShell>
  )
}

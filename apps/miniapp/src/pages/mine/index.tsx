import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ErrorCode } from '@qmfz/contracts'

import { orgApi } from '../../api/org'
import { session, useSignedIn } from '../../api/session'
import { viewingApi } from '../../api/viewing'
import { ElderToggle } from '../../components/elder-toggle'
import { FormMessage } from '../../components/form-message'
import { PageShell } from '../../components/page-shell'
import { IN_WECHAT } from '../../env'
import { ROUTES } from '../../routes'
import { ignoreCancel } from '../../utils/ignore-cancel'
import { useRemote } from '../../state/use-remote'
import { JoinForm } from './join-form'
import { Memberships } from './memberships'
import { Notices } from './notices'
import { Profile } from './profile'
import { TipsEntries } from './tips-entries'

export default function Mine() {
  const me = useRemote(orgApi.me)
  const notices = useRemote(viewingApi.notices)
  const signedIn = useSignedIn()
  const signedOut = me.error?.code === ErrorCode.AUTH_REQUIRED

  return (
    <PageShell>
      {signedOut && <SignIn />}
      {me.error && !signedOut && (
        <View className='card'>
          <FormMessage error={me.error} />
          <Button
            className='btn btn--block'
            onClick={() => {
              void notices.reload()
              void me.reload()
            }}
          >
            重试
          </Button>
        </View>
      )}
      {me.loading && !me.data && !me.error && <Text className='hint'>加载中…</Text>}
      {me.data && !signedOut && (
        // Keyed by person: a switch of identity must not inherit the previous person's typed code or messages.
        <View key={me.data.id}>
          <Profile me={me.data} onChanged={me.reload} />
          <Notices notices={notices} />
          <View className='card'>
            <Button className='btn btn--block mine__viewing' onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.videoCampaigns }))}>
              观看打卡
            </Button>
          </View>
          <TipsEntries memberships={me.data.memberships} />
          <Memberships memberships={me.data.memberships} />
          <JoinForm onJoined={me.reload} />
        </View>
      )}
      <View className='card'>
        <ElderToggle />
        {/* In WeChat the account is the identity: signing out would only sign in again silently. */}
        {signedIn && !IN_WECHAT && (
          <Button
            className='btn btn--block mine__sign-out'
            onClick={async () => {
              await session.signOut()
              await me.reload()
            }}
          >
            退出登录
          </Button>
        )}
      </View>
    </PageShell>
  )
}

/** Outside WeChat there is no silent login: the demo build offers its demo login, a production web build says where to go. */
function SignIn() {
  return (
    <View className='card sign-in'>
      <Text className='card__title'>尚未登录</Text>
      {/* Read in place (not through env.ts) so the minifier sees a constant and drops the demo branch. */}
      {process.env.TARO_APP_DEMO_LOGIN === 'true' ? (
        <Button className='btn btn--primary btn--block' onClick={() => ignoreCancel(Taro.navigateTo({ url: '/packages/demo/pages/login/index' }))}>
          演示登录
        </Button>
      ) : (
        <Text className='text'>请在微信中搜索“全民反诈”小程序并打开。</Text>
      )}
    </View>
  )
}

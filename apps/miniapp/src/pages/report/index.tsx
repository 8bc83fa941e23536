import { ComingSoon } from '../../components/coming-soon'
import { Hotlines } from '../../components/hotlines'

export default function Report() {
  return (
    <ComingSoon title='有奖举报' summary='举报诈骗电话、银行卡、网址和账号，可匿名；凭回执码查看进度、领取奖励。在线举报开放前，请直接拨打下方专线。'>
      <Hotlines />
    </ComingSoon>
  )
}

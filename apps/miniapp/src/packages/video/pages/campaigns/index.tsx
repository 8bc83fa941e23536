import { ComingSoon } from '../../../../components/coming-soon'

export default function VideoCampaigns() {
  return <ComingSoon title='观看打卡' summary='单位工作人员按时观看区里下发的反诈视频，系统自动核验观看进度，看完后确认打卡；单位负责人带头先看。' />
}

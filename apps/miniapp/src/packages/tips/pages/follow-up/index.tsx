import { ComingSoon } from '../../../../components/coming-soon'

export default function TipFollowUp() {
  return <ComingSoon title='举报进度' summary='凭举报时获得的回执码查看处理进度、民警回复，并申领奖励。' />
}

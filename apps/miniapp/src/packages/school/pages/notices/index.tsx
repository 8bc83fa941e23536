import { ComingSoon } from '../../../../components/coming-soon'

export default function SchoolNotices() {
  return <ComingSoon title='家校通知' summary='学校发布的告家长书，家长阅读并确认回执。' />
}

import { Text, View } from '@tarojs/components'

import { Choice } from '../../components/choice'
import { FieldError } from './field-error'

/** What a tip is used for and how long what is kept, in plain words: read before the tip can go. */
export const CONSENT_NOTICE = [
  '用途：举报只用于派出所民警核查诈骗线索，并与其他群众举报的相同号码、账号关联比对，以便尽早发现和打击诈骗。',
  '您的身份：实名举报的姓名和手机号加密保存，只有审批奖励发放的工作人员在发放时才能查看；举报处理完毕后，到规定期限即删除。',
  '可疑号码和账号：银行卡号、支付账号等加密保存，列表中只显示部分号码。',
  '图片：只有负责核查的民警可以查看，不公开、不转发。',
  '回执码：提交后只显示一次，是查看进度和领取奖励的唯一凭证，请自行保存。',
]

export function ConsentField({ accepted, onChange, error }: { accepted: boolean; onChange: (accepted: boolean) => void; error?: string }) {
  return (
    <View className='field tip-consent'>
      <Text className='card__title'>举报信息的使用与保存说明</Text>
      {CONSENT_NOTICE.map((line, index) => (
        <Text key={index} className='text tip-consent__line'>{`${index + 1}. ${line}`}</Text>
      ))}
      <Choice className='tip-consent__accept' label='我已阅读并同意上述说明' checked={accepted} onToggle={() => onChange(!accepted)} />
      <FieldError message={error} />
    </View>
  )
}

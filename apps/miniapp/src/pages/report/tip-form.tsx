import { Button, Text, View } from '@tarojs/components'

import { useSignedIn } from '../../api/session'
import { FormMessage } from '../../components/form-message'
import { IN_WECHAT } from '../../env'
import { ConsentField } from './consent-field'
import { FraudTypeField } from './fraud-type-field'
import { IdentifiersField } from './identifiers-field'
import { ImagesField } from './images-field'
import { IncidentFields } from './incident-fields'
import { ReporterField } from './reporter-field'
import type { DraftHandle } from './use-draft'
import type { ImageUploads } from './use-image-uploads'
import type { Submission } from './use-submission'
import { hasProblems, visibleProblems } from './validate'

interface TipFormProps {
  handle: DraftHandle
  uploads: ImageUploads
  submission: Submission
}

/** The tip form. Every change is saved as it happens (see useDraft); problems show beside their fields. */
export function TipForm({ handle, uploads, submission }: TipFormProps) {
  const { draft, update } = handle
  const problems = visibleProblems(draft, submission.attempted)
  // WeChat signs in silently; on the web a tip (and its images) can only go once someone has signed in.
  const signedIn = useSignedIn()
  const needsSignIn = !IN_WECHAT && !signedIn
  return (
    <View className='card tip-form'>
      {draft.pending && (
        <View className='tip-form__pending'>
          <Text className='text'>待发送</Text>
          <Text className='hint'>网络连接失败，举报已保存在本机。网络恢复或再次打开本页时会自动发送。</Text>
        </View>
      )}
      {handle.lostImages > 0 && (
        <Text className='message message--error tip-form__lost-images'>{`有 ${handle.lostImages} 张未上传完的图片在程序关闭后已失效，请重新添加。`}</Text>
      )}
      {needsSignIn && (
        <Text className='message message--error tip-form__sign-in'>网页版需登录后才能提交举报。请在微信中搜索“全民反诈”小程序并打开，填写的内容会先保存在本机。</Text>
      )}
      <FraudTypeField value={draft.fraudType} onChange={(fraudType) => update({ fraudType })} error={problems.fraudType} />
      <IdentifiersField
        identifiers={draft.identifiers}
        rowErrors={problems.identifierRows}
        error={problems.identifiers}
        onChange={(identifiers) => update({ identifiers })}
      />
      <IncidentFields value={draft} problems={problems} onChange={update} />
      <ImagesField images={draft.images} uploads={uploads} error={problems.images} />
      <ReporterField value={draft} problems={problems} onChange={update} />
      <ConsentField accepted={draft.consent} onChange={(consent) => update({ consent })} error={problems.consent} />
      <FormMessage error={submission.error} />
      {submission.attempted && !submission.sending && !submission.error && hasProblems(problems) && (
        <Text className='message message--error tip-form__fix'>请先按红色提示修改后再提交</Text>
      )}
      <Button
        className='btn btn--primary btn--block tip-form__submit'
        // No `loading` here: on the web, Taro's button inserts its spinner before a label React is replacing at the
        // same moment, which throws (measured in Chromium); the label says it is busy instead.
        disabled={submission.sending}
        onClick={() => submission.submit()}
      >
        {submission.sending ? '正在提交…' : draft.pending ? '立即重新发送' : '提交举报'}
      </Button>
    </View>
  )
}


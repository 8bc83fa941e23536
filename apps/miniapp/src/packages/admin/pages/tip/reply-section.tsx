import { Button, Text, Textarea, View } from '@tarojs/components'
import { TIP_TEXT_LIMITS } from '@qmfz/contracts'
import { useState } from 'react'

import { triageApi } from '../../../../api/triage'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { formProblem } from '../campaigns/form'

/** A reply the reporter reads with their receipt code; they cannot be reached any other way. */
export function ReplySection({ tipId, onSent }: { tipId: string; onSent: () => void }) {
  const [body, setBody] = useState('')
  const send = useAction(async () => {
    const text = body.trim()
    if (!text) throw formProblem('请填写回复内容')
    await triageApi.reply(tipId, { body: text })
    setBody('')
    onSent()
  }, '回复已发送')

  return (
    <View className='card tip-reply'>
      <Text className='card__title'>回复举报人</Text>
      <Text className='hint'>举报人凭回执码可看到回复。请勿写入其他群众的个人信息或案件细节。</Text>
      <Textarea
        className='field__input tip-reply__body'
        value={body}
        maxlength={TIP_TEXT_LIMITS.replyMax}
        placeholder='如：您举报的号码已核实并报送封停，感谢支持。'
        aria-label='回复内容'
        onInput={(event) => setBody(event.detail.value)}
      />
      <Text className='hint'>{`${body.length}/${TIP_TEXT_LIMITS.replyMax}`}</Text>
      <FormMessage error={send.error} />
      <Button className='btn btn--primary btn--block tip-reply__send' loading={send.busy} disabled={send.busy} onClick={() => send.run()}>
        发送回复
      </Button>
    </View>
  )
}

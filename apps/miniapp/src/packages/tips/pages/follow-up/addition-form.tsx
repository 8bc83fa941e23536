import { Button, Text, Textarea, View } from '@tarojs/components'
import { TIP_TEXT_LIMITS, type TipFollowUpResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { tipsApi } from '../../../../api/tips'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'

/** More information for the police: a new number, what happened next. Added to the tip's history. */
export function AdditionForm({ code, onAdded }: { code: string; onAdded: (tip: TipFollowUpResponse) => void }) {
  const [text, setText] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const add = useAction(async () => {
    const tip = await tipsApi.addInfo({ receiptCode: code, text: text.trim() })
    setText('')
    onAdded(tip)
  }, '已补充')

  const submit = () => {
    if (!text.trim()) {
      setProblem('请填写要补充的内容')
      return
    }
    setProblem(null)
    void add.run()
  }

  return (
    <View className='card follow-up__addition'>
      <Text className='card__title'>补充信息</Text>
      <Textarea
        className='field__input follow-up__addition-text'
        value={text}
        maxlength={TIP_TEXT_LIMITS.additionMax}
        autoHeight
        placeholder='新的号码、账号或后来发生的情况'
        onInput={(event) => {
          setText(event.detail.value)
          setProblem(null)
        }}
      />
      <Text className='hint follow-up__counter'>{`${text.trim().length}/${TIP_TEXT_LIMITS.additionMax}`}</Text>
      <FormMessage error={problem ? { message: problem } : add.error} />
      <Button className='btn btn--block follow-up__add' loading={add.busy} disabled={add.busy} onClick={submit}>
        提交补充
      </Button>
    </View>
  )
}

import { Button, Input, Text, View } from '@tarojs/components'
import { TIP_TEXT_LIMITS, type TipDetailResponse } from '@qmfz/contracts'
import { useEffect, useState } from 'react'

import { triageApi } from '../../../../api/triage'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { formProblem } from '../campaigns/form'

/** The station's own labels for a tip (never shown to the reporter): add, remove, then save them together. */
export function LabelsSection({ tip, onChanged }: { tip: TipDetailResponse; onChanged: () => void }) {
  const [labels, setLabels] = useState<string[]>(tip.labels)
  const [draft, setDraft] = useState('')
  const saved = tip.labels.join('\n')
  // A reload after saving (or someone else's change) brings the server's labels back in.
  useEffect(() => setLabels(tip.labels), [saved])
  const dirty = labels.join('\n') !== saved

  const add = () => {
    const label = draft.trim()
    if (labels.length >= TIP_TEXT_LIMITS.labelsMax) return
    if (label && !labels.includes(label)) setLabels([...labels, label])
    setDraft('')
  }
  const save = useAction(async () => {
    if (labels.length > TIP_TEXT_LIMITS.labelsMax) throw formProblem(`最多 ${TIP_TEXT_LIMITS.labelsMax} 个标签`)
    await triageApi.update(tip.id, { labels })
    onChanged()
  }, '标签已保存')
  const full = labels.length >= TIP_TEXT_LIMITS.labelsMax

  return (
    <View className='card tip-labels'>
      <Text className='card__title'>标签</Text>
      <Text className='hint'>{`仅民警可见，最多 ${TIP_TEXT_LIMITS.labelsMax} 个，每个不超过 ${TIP_TEXT_LIMITS.labelMax} 字。`}</Text>
      <View className='tip-labels__list'>
        {labels.length === 0 && <Text className='hint'>暂无标签</Text>}
        {labels.map((label) => (
          <View
            key={label}
            className='badge tip-label'
            aria-label={`删除标签 ${label}`}
            onClick={() => setLabels(labels.filter((other) => other !== label))}
          >
            {`${label} ×`}
          </View>
        ))}
      </View>
      <View className='tip-labels__add'>
        <Input
          className='field__input tip-labels__input'
          value={draft}
          maxlength={TIP_TEXT_LIMITS.labelMax}
          disabled={full}
          placeholder={full ? '标签已满' : '新标签，如：已冻结'}
          aria-label='新标签'
          onInput={(event) => setDraft(event.detail.value)}
        />
        <Button className='btn tip-labels__add-button' disabled={full} onClick={add}>
          添加
        </Button>
      </View>
      {dirty && (
        <Button className='btn btn--primary btn--block tip-labels__save' loading={save.busy} disabled={save.busy} onClick={() => save.run()}>
          保存标签
        </Button>
      )}
      <FormMessage error={save.error} />
    </View>
  )
}

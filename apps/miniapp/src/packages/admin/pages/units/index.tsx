import { Button, Input, Picker, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { CREATABLE_UNIT_KINDS, LIMITS, UNIT_KIND_LABELS, type UnitResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { orgApi } from '../../../../api/org'
import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { ROUTES } from '../../../../routes'
import { ignoreCancel } from '../../../../utils/ignore-cancel'
import { useAction } from '../../../../state/use-action'
import { useRemote } from '../../../../state/use-remote'

/** The township admin's list of units: create, rename, and open one to manage its people; the way to 观看任务. */
export default function Units() {
  const units = useRemote(orgApi.units)
  return (
    <PageShell>
      <Text className='title'>本乡镇单位</Text>
      <View className='card units-campaigns'>
        <Text className='hint'>上传反诈视频，发布观看任务，查看各单位观看情况。</Text>
        <Button className='btn btn--primary btn--block units-campaigns__open' onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.campaignsAdmin }))}>
          观看任务
        </Button>
      </View>
      <CreateUnitForm onCreated={units.reload} />
      <View className='card units'>
        <FormMessage error={units.error} />
        {(units.data ?? []).map((unit) => (
          <UnitRow key={unit.id} unit={unit} onRenamed={units.reload} />
        ))}
      </View>
    </PageShell>
  )
}

function CreateUnitForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('')
  const [kindIndex, setKindIndex] = useState(0)
  const create = useAction(async () => {
    await orgApi.createUnit({ name: name.trim(), kind: CREATABLE_UNIT_KINDS[kindIndex] })
    setName('')
    onCreated()
  }, '单位已创建')
  return (
    <View className='card unit-create'>
      <Text className='card__title'>新增单位</Text>
      <Input
        className='field__input unit-create__name'
        value={name}
        maxlength={LIMITS.unitNameMax}
        placeholder='单位名称，如：某某村'
        onInput={(event) => setName(event.detail.value)}
      />
      <Picker mode='selector' range={CREATABLE_UNIT_KINDS.map((kind) => UNIT_KIND_LABELS[kind])} value={kindIndex} onChange={(event) => setKindIndex(Number(event.detail.value))}>
        <View className='row unit-create__kind'>
          <Text className='text'>类型</Text>
          <Text className='text'>{`${UNIT_KIND_LABELS[CREATABLE_UNIT_KINDS[kindIndex]]} ›`}</Text>
        </View>
      </Picker>
      <FormMessage error={create.error} />
      <Button className='btn btn--primary btn--block unit-create__submit' disabled={create.busy || !name.trim()} loading={create.busy} onClick={() => create.run()}>
        创建
      </Button>
    </View>
  )
}

function UnitRow({ unit, onRenamed }: { unit: UnitResponse; onRenamed: () => void }) {
  const [draft, setDraft] = useState<string | null>(null)
  const rename = useAction(async () => {
    await orgApi.renameUnit(unit.id, { name: (draft ?? '').trim() })
    setDraft(null)
    onRenamed()
  }, '已改名')

  if (draft !== null) {
    return (
      <View className='unit-row unit-row--editing'>
        <Input className='field__input unit-row__name' value={draft} maxlength={LIMITS.unitNameMax} onInput={(event) => setDraft(event.detail.value)} />
        <FormMessage error={rename.error} />
        <View className='row__actions'>
          <Button className='btn' onClick={() => setDraft(null)}>
            取消
          </Button>
          <Button className='btn btn--primary unit-row__save' disabled={rename.busy || !(draft ?? '').trim()} onClick={() => rename.run()}>
            保存
          </Button>
        </View>
      </View>
    )
  }
  return (
    <View className='row unit-row'>
      <View className='row__main'>
        <Text className='text'>{unit.name}</Text>
        <Text className='hint'>{UNIT_KIND_LABELS[unit.kind]}</Text>
      </View>
      <View className='row__actions'>
        <Button className='btn' onClick={() => setDraft(unit.name)}>
          改名
        </Button>
        <Button className='btn' onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.unitAdmin(unit.id) }))}>
          管理
        </Button>
      </View>
    </View>
  )
}

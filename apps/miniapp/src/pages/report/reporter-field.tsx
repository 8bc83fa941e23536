import { Button, Input, Picker, Text, View } from '@tarojs/components'
import { ReporterMode, TIP_TEXT_LIMITS, UnitKind, type UnitResponse } from '@qmfz/contracts'
import { useEffect, useState } from 'react'

import { orgApi } from '../../api/org'
import { IN_WECHAT } from '../../env'
import { Choice } from '../../components/choice'
import { FieldError } from './field-error'
import type { TipDraft } from './draft'
import type { DraftProblems } from './validate'

type Reporter = Pick<TipDraft, 'mode' | 'name' | 'phone' | 'phoneCode' | 'unitId'>

interface ReporterFieldProps {
  value: Reporter
  problems: Pick<DraftProblems, 'name' | 'phone'>
  onChange: (change: Partial<Reporter>) => void
}

/** Named or anonymous. Named reporters give a phone (WeChat's verified number, or typed), a name and their village. */
export function ReporterField({ value, problems, onChange }: ReporterFieldProps) {
  const named = value.mode === ReporterMode.NAMED
  return (
    <View className='field tip-reporter'>
      <Text className='field__label'>举报方式</Text>
      <Choice
        className='tip-reporter__anonymous'
        label='匿名举报'
        hint='不填写姓名和电话；凭回执码查看进度、领取奖励'
        checked={!named}
        onToggle={() => onChange({ mode: ReporterMode.ANONYMOUS })}
      />
      <Choice
        className='tip-reporter__named'
        label='实名举报'
        hint='留下电话，方便民警联系核实'
        checked={named}
        onToggle={() => onChange({ mode: ReporterMode.NAMED })}
      />
      {named && <NamedFields value={value} problems={problems} onChange={onChange} />}
    </View>
  )
}

function NamedFields({ value, problems, onChange }: ReporterFieldProps) {
  return (
    <View className='tip-reporter__named-fields'>
      {IN_WECHAT && value.phoneCode ? (
        <View className='row'>
          <Text className='text row__main'>将使用您在微信验证的手机号</Text>
          <Button className='btn tip-reporter__type-phone' onClick={() => onChange({ phoneCode: '' })}>
            改为手动填写
          </Button>
        </View>
      ) : (
        <>
          {IN_WECHAT && (
            <Button
              className='btn btn--block tip-reporter__wechat-phone'
              openType='getPhoneNumber'
              onGetPhoneNumber={(event) => {
                if (event.detail.code) onChange({ phoneCode: event.detail.code, phone: '' })
              }}
            >
              使用微信绑定的手机号
            </Button>
          )}
          <View className='field'>
            <Text className='field__label'>{IN_WECHAT ? '或手动填写手机号码' : '手机号码'}</Text>
            <Input
              className={`field__input tip-reporter__phone ${problems.phone ? 'field__input--invalid' : ''}`}
              type='number'
              maxlength={20}
              value={value.phone}
              placeholder='11 位手机号码'
              onInput={(event) => onChange({ phone: event.detail.value })}
            />
          </View>
        </>
      )}
      <FieldError message={problems.phone} />
      <View className='field'>
        <Text className='field__label'>姓名（选填）</Text>
        <Input
          className={`field__input tip-reporter__name ${problems.name ? 'field__input--invalid' : ''}`}
          maxlength={TIP_TEXT_LIMITS.reporterNameMax}
          value={value.name}
          onInput={(event) => onChange({ name: event.detail.value })}
        />
        <FieldError message={problems.name} />
      </View>
      <UnitPicker unitId={value.unitId} onChange={(unitId) => onChange({ unitId })} />
    </View>
  )
}

const RESIDENT_KINDS: readonly UnitKind[] = [UnitKind.VILLAGE, UnitKind.COMMUNITY]

/** The township's villages and communities (any signed-in person may list them); optional, for the tallies. */
function UnitPicker({ unitId, onChange }: { unitId: string; onChange: (unitId: string) => void }) {
  const [units, setUnits] = useState<UnitResponse[] | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    orgApi
      .units()
      .then((all) => setUnits(all.filter((unit) => RESIDENT_KINDS.includes(unit.kind))))
      .catch(() => setFailed(true))
  }, [])
  if (failed) return <Text className='hint tip-reporter__units-failed'>暂时无法加载村（社区）列表，可不填写。</Text>
  if (!units?.length) return null
  const chosen = units.find((unit) => unit.id === unitId)
  return (
    <Picker
      mode='selector'
      range={['不填写', ...units.map((unit) => unit.name)]}
      value={chosen ? units.indexOf(chosen) + 1 : 0}
      onChange={(event) => onChange(units[Number(event.detail.value) - 1]?.id ?? '')}
    >
      <View className='row tip-reporter__unit'>
        <Text className='text'>所在村（社区，选填）</Text>
        <Text className='text'>{`${chosen?.name ?? '不填写'} ›`}</Text>
      </View>
    </Picker>
  )
}

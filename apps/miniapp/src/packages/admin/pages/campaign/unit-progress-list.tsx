import { Text, View } from '@tarojs/components'
import { HEADS_FIRST_LABELS, type HeadsFirstState, type UnitProgress } from '@qmfz/contracts'

const HEADS_FIRST_BADGES: Record<HeadsFirstState, string> = {
  released: 'badge badge--active',
  waiting: 'badge badge--pending',
  no_admin: 'badge badge--rejected',
}

interface UnitProgressListProps {
  units: UnitProgress[]
  selectedId: string | undefined
  onSelect: (unitId: string) => void
}

/** Each unit's done/required and overdue counts, with a bar; tapping one shows its people below. */
export function UnitProgressList({ units, selectedId, onSelect }: UnitProgressListProps) {
  return (
    <View className='card unit-progress-list'>
      <Text className='card__title'>各单位进度</Text>
      {units.length > 1 && <Text className='hint'>点击单位查看人员名单。</Text>}
      {units.map((unit) => (
        <View
          key={unit.unitId}
          className={`unit-progress ${unit.unitId === selectedId ? 'unit-progress--selected' : ''}`}
          onClick={() => onSelect(unit.unitId)}
        >
          <View className='unit-progress__head'>
            <Text className='text unit-progress__name'>{unit.unitName}</Text>
            {unit.headsFirst && <Text className={HEADS_FIRST_BADGES[unit.headsFirst]}>{HEADS_FIRST_LABELS[unit.headsFirst]}</Text>}
          </View>
          <View className='progress-bar'>
            <View className='progress-bar__fill' style={{ width: `${percentOf(unit)}%` }} />
          </View>
          <View className='unit-progress__counts'>
            <Text className='hint'>{`已完成 ${unit.done}/${unit.required} 人`}</Text>
            <Text className={unit.overdue > 0 ? 'hint unit-progress__overdue' : 'hint'}>{`逾期 ${unit.overdue} 人`}</Text>
          </View>
        </View>
      ))}
    </View>
  )
}

function percentOf(unit: Pick<UnitProgress, 'done' | 'required'>): number {
  return unit.required > 0 ? Math.floor((unit.done * 100) / unit.required) : 0
}

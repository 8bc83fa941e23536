import { Button, Picker, Text, View } from '@tarojs/components'
import {
  FRAUD_TYPE_LABELS,
  FRAUD_TYPES,
  TIP_STATUS_LABELS,
  TIP_STATUSES,
  TipAssigneeFilter,
  type FraudType,
  type TipListQuery,
  type TipStatus,
} from '@qmfz/contracts'

import { Segmented } from '../../components/segmented'
import { DateRange } from './date-range'

export type AssigneeChoice = 'mine' | 'all' | 'none'

export interface TipFilters {
  status?: TipStatus
  fraudType?: FraudType
  from?: string
  to?: string
  groupId?: string
  assignee: AssigneeChoice
}

export const NO_FILTERS: TipFilters = { assignee: 'all' }

const ASSIGNEE_OPTIONS = [
  { value: 'mine', label: '我的' },
  { value: 'all', label: '全部' },
  { value: 'none', label: '未指派' },
] as const

const ASSIGNEE_QUERY: Record<AssigneeChoice, string | undefined> = {
  mine: TipAssigneeFilter.MINE,
  all: undefined,
  none: TipAssigneeFilter.UNASSIGNED,
}

/** The filters as the list route takes them. */
export function toQuery(filters: TipFilters): TipListQuery {
  return {
    status: filters.status,
    fraudType: filters.fraudType,
    from: filters.from,
    to: filters.to,
    groupId: filters.groupId,
    assignee: ASSIGNEE_QUERY[filters.assignee],
  }
}

const STATUS_RANGE = ['全部状态', ...TIP_STATUSES.map((status) => TIP_STATUS_LABELS[status])]
const TYPE_RANGE = ['全部类型', ...FRAUD_TYPES.map((type) => FRAUD_TYPE_LABELS[type])]

/** Status, fraud type, dates and assignee; the linked-group filter is set from a tip's badge and cleared here. */
export function TipFilterBar({ filters, onChange }: { filters: TipFilters; onChange: (filters: TipFilters) => void }) {
  const statusIndex = filters.status ? TIP_STATUSES.indexOf(filters.status) + 1 : 0
  const typeIndex = filters.fraudType ? FRAUD_TYPES.indexOf(filters.fraudType) + 1 : 0
  return (
    <View className='card tip-filters'>
      <Segmented options={ASSIGNEE_OPTIONS} value={filters.assignee} onChange={(assignee) => onChange({ ...filters, assignee })} />
      <Picker
        mode='selector'
        range={STATUS_RANGE}
        value={statusIndex}
        onChange={(event) => onChange({ ...filters, status: TIP_STATUSES[Number(event.detail.value) - 1] })}
      >
        <View className='row tip-filters__status' aria-label={`按状态筛选，当前：${STATUS_RANGE[statusIndex]}`}>
          <Text className='text'>状态</Text>
          <Text className='text'>{`${STATUS_RANGE[statusIndex]} ›`}</Text>
        </View>
      </Picker>
      <Picker
        mode='selector'
        range={TYPE_RANGE}
        value={typeIndex}
        onChange={(event) => onChange({ ...filters, fraudType: FRAUD_TYPES[Number(event.detail.value) - 1] })}
      >
        <View className='row tip-filters__type' aria-label={`按诈骗类型筛选，当前：${TYPE_RANGE[typeIndex]}`}>
          <Text className='text'>诈骗类型</Text>
          <Text className='text'>{`${TYPE_RANGE[typeIndex]} ›`}</Text>
        </View>
      </Picker>
      <DateRange from={filters.from} to={filters.to} optional onChange={(range) => onChange({ ...filters, ...range })} />
      {filters.groupId && (
        <View className='row tip-filters__group'>
          <Text className='text'>只看同一关联组的举报</Text>
          <Button className='btn tip-filters__group-clear' aria-label='取消关联组筛选' onClick={() => onChange({ ...filters, groupId: undefined })}>
            取消
          </Button>
        </View>
      )}
    </View>
  )
}

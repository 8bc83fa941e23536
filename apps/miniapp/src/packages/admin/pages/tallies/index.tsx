import { Button, Text, View } from '@tarojs/components'
import type { TallyPeriod } from '@qmfz/contracts'
import { useState } from 'react'

import { rewardsApi, type TallyQuery } from '../../../../api/rewards'
import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { useAction } from '../../../../state/use-action'
import { useKeyedRemote } from '../../../../state/use-remote'
import { Segmented } from '../../components/segmented'
import { pickerDate } from '../campaigns/deadline'
import { formatYuan } from '../tips/labels'
import { DateRange } from '../tips/date-range'
import { TallyTable } from './tally-table'

import './index.css'

const PERIODS = [
  { value: 'week', label: '按周' },
  { value: 'month', label: '按月' },
] as const

/** From the first day of the month two months back to today: a quarter's worth, by week or by month. */
function defaultRange(now = new Date()): { from: string; to: string } {
  return { from: pickerDate(new Date(now.getFullYear(), now.getMonth() - 2, 1)), to: pickerDate(now) }
}

/** 奖励统计: reward-eligible tips and amounts per week or month, per village/unit and per reporter (masked), with an XLSX export. */
export default function RewardTallies() {
  const [period, setPeriod] = useState<TallyPeriod>('month')
  const [range, setRange] = useState(defaultRange)
  const query: TallyQuery = { period, from: range.from, to: range.to }
  const tallies = useKeyedRemote(`${period}|${range.from}|${range.to}`, () => rewardsApi.tallies(query))
  const exportFile = useAction(() => rewardsApi.exportTallies(query))
  const data = tallies.data

  return (
    <PageShell>
      <Text className='title'>奖励统计</Text>
      <View className='card tallies__filters'>
        <Segmented options={PERIODS} value={period} onChange={setPeriod} />
        <DateRange
          from={range.from}
          to={range.to}
          onChange={(next) => setRange({ from: next.from ?? range.from, to: next.to ?? range.to })}
        />
      </View>
      <FormMessage error={tallies.error} />
      {!data && !tallies.error && <Text className='hint'>正在加载…</Text>}
      {data && (
        <>
          <View className='card tallies__total'>
            <Text className='card__title'>合计</Text>
            <Text className='text'>{`获奖励举报 ${data.total.count} 件，奖励 ${formatYuan(data.total.amountYuan)}，已发放 ${formatYuan(data.total.paidYuan)}`}</Text>
            <Text className='hint'>统计已决定、已批准和已发放的奖励，不含未批准的。</Text>
          </View>
          <TallyTable className='tallies__periods' title={period === 'week' ? '按周' : '按月'} nameHeading={period === 'week' ? '周' : '月份'} rows={data.periods} />
          <TallyTable className='tallies__units' title='按村/单位' nameHeading='村/单位' rows={data.units} />
          <TallyTable className='tallies__reporters' title='按举报人' nameHeading='举报人' rows={data.reporters} />
        </>
      )}
      <Button className='btn btn--primary btn--block tallies__export' loading={exportFile.busy} disabled={exportFile.busy} onClick={() => exportFile.run()}>
        导出 Excel
      </Button>
      <FormMessage error={exportFile.error} />
    </PageShell>
  )
}

import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'

import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { ROUTES } from '../../../../routes'
import { ignoreCancel } from '../../../../utils/ignore-cancel'
import { NO_FILTERS, TipFilterBar, toQuery, type TipFilters } from './filters'
import { TipRow } from './tip-row'
import { useTipPages } from './use-tip-pages'

import './index.css'

/** 举报研判: the police list of tips in their township, filtered, a page at a time. */
export default function TipsTriage() {
  const [filters, setFilters] = useState<TipFilters>(NO_FILTERS)
  const pages = useTipPages(toQuery(filters))
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS)

  return (
    <PageShell>
      <Text className='title'>举报研判</Text>
      <TipFilterBar filters={filters} onChange={setFilters} />
      <FormMessage error={pages.error} />
      {!pages.items && !pages.error && <Text className='hint'>正在加载…</Text>}
      {pages.items?.length === 0 && (
        <View className='card'>
          <Text className='hint tips__empty'>{filtered ? '没有符合条件的举报，可调整筛选条件。' : '暂无举报。'}</Text>
        </View>
      )}
      {pages.items?.map((tip) => (
        <TipRow key={tip.id} tip={tip} onGroup={(groupId) => setFilters({ ...filters, groupId })} />
      ))}
      {pages.hasMore && (
        <Button className='btn btn--block tips__more' loading={pages.loading} disabled={pages.loading} onClick={pages.loadMore}>
          加载更多
        </Button>
      )}
      {pages.items && !pages.hasMore && pages.items.length > 0 && <Text className='hint tips__end'>已显示全部</Text>}
      <Button className='btn btn--block tips__rewards' onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.rewardsAdmin }))}>
        奖励记录
      </Button>
    </PageShell>
  )
}

import { Button, Input, Picker, Switch, Text, View } from '@tarojs/components'
import { ROLE_LABELS, ROLES, Role, VIDEO_LIMITS, type VideoResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { campaignsApi } from '../../../../api/campaigns'
import { orgApi } from '../../../../api/org'
import { Choice } from '../../../../components/choice'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { useRemote } from '../../../../state/use-remote'
import { deadlineOf, defaultDeadline, pickerDate } from './deadline'
import { formProblem } from './form'

const DEFAULT_ROLES: readonly Role[] = [Role.STAFF, Role.UNIT_ADMIN]

/** 发布任务: a video, a deadline, the units and roles that must watch it, and the optional 领导先学 rule. */
export function PublishSection({ videos, onPublished }: { videos: VideoResponse[]; onPublished: () => void }) {
  const units = useRemote(orgApi.units)
  const [title, setTitle] = useState('')
  const [videoId, setVideoId] = useState<string | null>(null)
  const [deadline, setDeadline] = useState(defaultDeadline)
  const [unitIds, setUnitIds] = useState<ReadonlySet<string>>(new Set())
  const [roles, setRoles] = useState<ReadonlySet<Role>>(new Set(DEFAULT_ROLES))
  const [headsFirst, setHeadsFirst] = useState(false)
  const allUnits = units.data ?? []
  const video = videos.find((candidate) => candidate.id === videoId)
  // The rule releases staff once a unit admin has watched, so it means nothing unless unit admins must watch.
  const headsFirstPossible = roles.has(Role.UNIT_ADMIN)

  const publish = useAction(async () => {
    if (!title.trim()) throw formProblem('请填写任务名称')
    if (!video) throw formProblem('请选择要观看的视频')
    const chosenUnits = allUnits.filter((unit) => unitIds.has(unit.id)).map((unit) => unit.id)
    if (chosenUnits.length === 0) throw formProblem('请至少选择一个单位')
    if (chosenUnits.length > VIDEO_LIMITS.campaignUnitsMax) throw formProblem(`一次最多选择 ${VIDEO_LIMITS.campaignUnitsMax} 个单位`)
    const chosenRoles = ROLES.filter((role) => roles.has(role))
    if (chosenRoles.length === 0) throw formProblem('请至少选择一种需要观看的人员')
    const due = deadlineOf(deadline.date, deadline.time)
    if (due.getTime() <= Date.now()) throw formProblem('截止时间必须晚于现在')
    await campaignsApi.createCampaign({
      title: title.trim(),
      videoId: video.id,
      deadline: due.toISOString(),
      unitIds: chosenUnits,
      roles: chosenRoles,
      headsFirst: headsFirst && headsFirstPossible,
    })
    setTitle('')
    setUnitIds(new Set())
    onPublished()
  }, '任务已发布')

  const toggleUnit = (unitId: string) => setUnitIds(toggled(unitIds, unitId))
  const toggleHeadsFirst = () => {
    if (headsFirstPossible) setHeadsFirst(!headsFirst)
  }
  const allChosen = allUnits.length > 0 && allUnits.every((unit) => unitIds.has(unit.id))

  return (
    <View className='card publish'>
      <Text className='card__title'>发布任务</Text>
      <View className='field'>
        <Text className='field__label'>任务名称</Text>
        <Input
          className='field__input publish__title'
          value={title}
          maxlength={VIDEO_LIMITS.titleMax}
          placeholder='如：十一月反诈集中学习'
          onInput={(event) => setTitle(event.detail.value)}
        />
      </View>

      <Picker
        mode='selector'
        range={videos.map((candidate) => candidate.title)}
        value={Math.max(0, videos.findIndex((candidate) => candidate.id === videoId))}
        disabled={videos.length === 0}
        onChange={(event) => setVideoId(videos[Number(event.detail.value)]?.id ?? null)}
      >
        <View className='row publish__video'>
          <Text className='text'>视频</Text>
          <Text className='text'>{video ? `${video.title} ›` : videos.length ? '请选择 ›' : '请先添加视频'}</Text>
        </View>
      </Picker>

      <Picker mode='date' value={deadline.date} start={pickerDate(new Date())} onChange={(event) => setDeadline({ ...deadline, date: event.detail.value })}>
        <View className='row publish__date'>
          <Text className='text'>截止日期</Text>
          <Text className='text'>{`${deadline.date} ›`}</Text>
        </View>
      </Picker>
      <Picker mode='time' value={deadline.time} onChange={(event) => setDeadline({ ...deadline, time: event.detail.value })}>
        <View className='row publish__time'>
          <Text className='text'>截止时间</Text>
          <Text className='text'>{`${deadline.time} ›`}</Text>
        </View>
      </Picker>

      <View className='publish__group'>
        <View className='row'>
          <Text className='field__label'>{`参加单位（已选 ${unitIds.size}）`}</Text>
          <Button
            className='btn publish__all-units'
            disabled={allUnits.length === 0}
            onClick={() => setUnitIds(allChosen ? new Set() : new Set(allUnits.map((unit) => unit.id)))}
          >
            {allChosen ? '全不选' : '全选'}
          </Button>
        </View>
        <FormMessage error={units.error} />
        {allUnits.map((unit) => (
          <Choice key={unit.id} className='publish__unit' label={unit.name} checked={unitIds.has(unit.id)} onToggle={() => toggleUnit(unit.id)} />
        ))}
      </View>

      <View className='publish__group'>
        <Text className='field__label'>需要观看的人员</Text>
        {ROLES.map((role) => (
          <Choice key={role} className='publish__role' label={ROLE_LABELS[role]} checked={roles.has(role)} onToggle={() => setRoles(toggled(roles, role))} />
        ))}
      </View>

      <View className={`row publish__heads-first ${headsFirstPossible ? '' : 'publish__heads-first--off'}`} onClick={toggleHeadsFirst}>
        <View className='row__main'>
          <Text className='text'>领导先学</Text>
          <Text className='hint'>
            {headsFirstPossible
              ? '各单位管理员看完后，本单位其他人员才能开始观看。'
              : '需勾选“单位管理员”：由单位管理员先看，其他人员随后观看。'}
          </Text>
        </View>
        <Switch checked={headsFirst && headsFirstPossible} disabled={!headsFirstPossible} color='#c8102e' />
      </View>

      <FormMessage error={publish.error} />
      <Button className='btn btn--primary btn--block publish__submit' loading={publish.busy} disabled={publish.busy} onClick={() => publish.run()}>
        发布
      </Button>
    </View>
  )
}

function toggled<T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> {
  const next = new Set(set)
  if (next.has(item)) next.delete(item)
  else next.add(item)
  return next
}

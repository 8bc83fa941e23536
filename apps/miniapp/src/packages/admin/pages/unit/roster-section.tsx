import { Button, Text, View } from '@tarojs/components'
import { LIMITS, ROLE_LABELS, type RosterImportResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { orgApi } from '../../../../api/org'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { useRemote } from '../../../../state/use-remote'
import { pickFile, releasePickedFile } from '../../utils/pick-file'

/** Import the unit's staff list; people on it become members as soon as they verify their phone number. */
export function RosterSection({ unitId }: { unitId: string }) {
  const roster = useRemote(() => orgApi.roster(unitId))
  const [result, setResult] = useState<RosterImportResponse | null>(null)
  const upload = useAction(async () => {
    // A result on screen belongs to the last file; a new attempt, even a failing one, replaces it.
    setResult(null)
    const file = await pickFile('roster')
    if (!file) return
    try {
      setResult(await orgApi.importRoster(unitId, file.path, file.name))
    } finally {
      releasePickedFile(file)
    }
    await roster.reload()
  })

  return (
    <View className='card roster'>
      <Text className='card__title'>名册</Text>
      <Text className='hint'>{`上传 CSV 或 XLSX：表头为“姓名,手机号,角色”（角色可留空），最多 ${LIMITS.rosterMaxRows} 行。`}</Text>
      <Button className='btn btn--block roster__import' loading={upload.busy} disabled={upload.busy} onClick={() => upload.run()}>
        导入名册文件
      </Button>
      <FormMessage error={upload.error ?? roster.error} />
      {result && (
        <View className='roster__result'>
          <Text className='message message--ok'>{`新增 ${result.imported} 人，更新 ${result.updated} 人`}</Text>
          {result.errors.map((error) => (
            <Text key={error.line} className='message message--error roster__row-error'>{`第 ${error.line} 行：${error.reason}`}</Text>
          ))}
        </View>
      )}
      {(roster.data ?? []).map((entry) => (
        <View key={entry.id} className='row roster-entry'>
          <View className='row__main'>
            <Text className='text'>{entry.displayName}</Text>
            <Text className='hint'>{`${ROLE_LABELS[entry.role]} ${entry.phoneMasked}`}</Text>
          </View>
          <Text className={entry.claimed ? 'badge badge--active' : 'badge'}>{entry.claimed ? '已加入' : '未加入'}</Text>
        </View>
      ))}
    </View>
  )
}

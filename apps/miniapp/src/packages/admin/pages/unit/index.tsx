import { Text } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { UNIT_KIND_LABELS } from '@qmfz/contracts'

import { orgApi } from '../../../../api/org'
import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { useRemote } from '../../../../state/use-remote'
import { isTownshipAdmin } from '../../../../utils/memberships'
import { CampaignsSection } from './campaigns-section'
import { InvitesSection } from './invites-section'
import { MembersSection } from './members-section'
import { RosterSection } from './roster-section'

/** A unit admin's page for one unit: applications, members, invite codes, the roster and its 观看任务. */
export default function UnitAdmin() {
  const unitId = useRouter().params.unitId ?? ''
  const units = useRemote(orgApi.units)
  const me = useRemote(orgApi.me)
  const unit = units.data?.find((candidate) => candidate.id === unitId)

  return (
    <PageShell>
      <Text className='title'>{unit?.name ?? '单位管理'}</Text>
      {unit && <Text className='hint'>{UNIT_KIND_LABELS[unit.kind]}</Text>}
      <FormMessage error={units.error} />
      {unitId && (
        <>
          <CampaignsSection unitId={unitId} />
          <MembersSection unitId={unitId} />
          <InvitesSection unitId={unitId} unit={unit} granter={me.data && isTownshipAdmin(me.data.memberships) ? 'township_admin' : 'unit_admin'} />
          <RosterSection unitId={unitId} />
        </>
      )}
    </PageShell>
  )
}

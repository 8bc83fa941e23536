/** Where each page lives, so a move is one edit and ids are always encoded. */
export const ROUTES = {
  mine: '/pages/mine/index',
  unitAdmin: (unitId: string) => `/packages/admin/pages/unit/index?unitId=${encodeURIComponent(unitId)}`,
  townshipUnits: '/packages/admin/pages/units/index',
  videoCampaigns: '/packages/video/pages/campaigns/index',
  tipFollowUp: '/packages/tips/pages/follow-up/index',
  schoolNotices: '/packages/school/pages/notices/index',
} as const

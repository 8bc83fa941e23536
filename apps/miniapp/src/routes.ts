/** Where each page lives, so a move is one edit and ids are always encoded. */
export const ROUTES = {
  mine: '/pages/mine/index',
  unitAdmin: (unitId: string) => `/packages/admin/pages/unit/index?unitId=${encodeURIComponent(unitId)}`,
  townshipUnits: '/packages/admin/pages/units/index',
  videoCampaigns: '/packages/video/pages/campaigns/index',
  videoPlayer: (campaignId: string) => `/packages/video/pages/player/index?campaignId=${encodeURIComponent(campaignId)}`,
  /** Township admin: videos and campaigns. */
  campaignsAdmin: '/packages/admin/pages/campaigns/index',
  /** Unit or township admin: one campaign's progress, viewers, reminders and export. */
  campaignProgress: (campaignId: string) => `/packages/admin/pages/campaign/index?campaignId=${encodeURIComponent(campaignId)}`,
  /** Police: the township's tips (举报研判), and one tip's triage. */
  tipsTriage: '/packages/admin/pages/tips/index',
  tipTriage: (tipId: string) => `/packages/admin/pages/tip/index?tipId=${encodeURIComponent(tipId)}`,
  /** Township admin: approval, reveal and payout of rewards (police read it). */
  rewardsAdmin: '/packages/admin/pages/rewards/index',
  /** Township admin and police: reward tallies and their export. */
  rewardTallies: '/packages/admin/pages/tallies/index',
  tipFollowUp: '/packages/tips/pages/follow-up/index',
  schoolNotices: '/packages/school/pages/notices/index',
} as const

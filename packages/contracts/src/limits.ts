/** Limits enforced by the server and mirrored in the client's forms. */
export const LIMITS = {
  nameMax: 40,
  unitNameMax: 60,
  wechatCodeMax: 128,
  inviteCodeLength: 8,
  inviteDefaultHours: 72,
  inviteMaxHours: 24 * 30,
  rosterMaxRows: 2000,
  rosterMaxBytes: 2 * 1024 * 1024,
  pageSizeMax: 100,
} as const;

/** Invite codes avoid characters people confuse on paper (0/O, 1/I/L). */
export const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

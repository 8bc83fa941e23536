import type { Role } from './org.js';

/**
 * Mandatory video campaigns (观看打卡): a township admin publishes a video and a campaign; required staff watch it
 * in the player, which sends heartbeats; the server alone decides when the viewing is complete; the viewer then
 * confirms (确认已观看) and a check-in is recorded.
 */

export const VideoSource = {
  UPLOAD: 'upload',
  URL: 'url',
} as const;
export type VideoSource = (typeof VideoSource)[keyof typeof VideoSource];

/** Content types an uploaded video may have; the server checks the bytes, not the name. */
export const VIDEO_CONTENT_TYPES = ['video/mp4', 'video/webm'] as const;
export type VideoContentType = (typeof VIDEO_CONTENT_TYPES)[number];

export const VIDEO_LIMITS = {
  titleMax: 60,
  urlMax: 500,
  /** Longest video a campaign may require, in seconds (3 hours). */
  durationMaxSeconds: 3 * 3600,
  /** Default upper bound for uploads; the server's VIDEO_MAX_BYTES may lower or raise it. */
  uploadMaxBytes: 200 * 1024 * 1024,
  campaignUnitsMax: 200,
  deviceFieldMax: 60,
} as const;

/** Rules of server-side verification, shared so the player paces itself by the same numbers. */
export const VIEWING_RULES = {
  /** Fraction of the video's seconds that must be covered. */
  completionRatio: 0.95,
  /** Fastest playback rate the player offers; covered time may never outrun wall-clock time × this. */
  maxPlaybackRate: 2,
  /** Slack, in seconds, on the wall-clock budget of one session (network and timer jitter). */
  budgetToleranceSeconds: 2,
  /** Slack, in seconds, on one step between two heartbeats before it counts as a jump. */
  stepToleranceSeconds: 1.5,
  /** The player sends a heartbeat this often while playing, and on play, pause, seek, end and hide. */
  heartbeatIntervalSeconds: 12,
  /** Disjoint watched ranges one viewing keeps; honest viewing has one or two. */
  maxIntervals: 32,
} as const;

export interface VideoResponse {
  id: string;
  title: string;
  source: VideoSource;
  /** External URL for `url` videos; null for uploads (the player gets a short-lived link per session). */
  url: string | null;
  contentType: string | null;
  durationSeconds: number;
  sizeBytes: number | null;
  createdAt: string;
}

/** An external video; its duration and size cannot be read by the server, so the admin gives them. */
export interface CreateExternalVideoRequest {
  title: string;
  url: string;
  durationSeconds: number;
  sizeBytes?: number;
}

/**
 * Multipart upload to POST /videos: field `file` (MP4 or WebM), fields `title` and, when the file does not
 * carry it, `durationSeconds`, in any order.
 */
export const VIDEO_UPLOAD_FIELDS = { file: 'file', title: 'title', durationSeconds: 'durationSeconds' } as const;

export interface CreateCampaignRequest {
  title: string;
  videoId: string;
  /** ISO 8601 instant, in the future. */
  deadline: string;
  unitIds: string[];
  /** Roles that must watch; a member with any of them in one of the units is required. */
  roles: Role[];
  /** Staff are released only after one of their unit's admins has checked in; needs unit_admin among the roles. */
  headsFirst: boolean;
}

export interface CampaignResponse {
  id: string;
  title: string;
  video: VideoResponse;
  deadline: string;
  unitIds: string[];
  roles: Role[];
  headsFirst: boolean;
  createdAt: string;
}

/** How a person stands in a campaign. `completed`: verified by the server but not yet confirmed. */
export const ViewingStatus = {
  PENDING: 'pending',
  COMPLETED: 'completed',
  DONE: 'done',
  OVERDUE: 'overdue',
} as const;
export type ViewingStatus = (typeof ViewingStatus)[keyof typeof ViewingStatus];
export const VIEWING_STATUSES = Object.values(ViewingStatus);

export const VIEWING_STATUS_LABELS: Record<ViewingStatus, string> = {
  pending: '待观看',
  completed: '待确认',
  done: '已完成',
  overdue: '已逾期',
};

/** A campaign as the person who must watch it sees it. */
export interface MyCampaignResponse {
  id: string;
  title: string;
  deadline: string;
  videoTitle: string;
  durationSeconds: number;
  status: ViewingStatus;
  coveredSeconds: number;
  /** 0–100, rounded down. */
  percent: number;
  /** Server-verified completion; confirmation is possible only when true. */
  verified: boolean;
  /** Heads-first campaigns: true while no admin of the person's unit has checked in. */
  waitingForHead: boolean;
  checkedInAt: string | null;
}

export interface StartViewingResponse {
  /** Signed state of this viewing; send it back with every heartbeat and replace it with the reply's. */
  sessionToken: string;
  /** Absolute URL for external videos; an API path (`/api/videos/…`) for uploads, valid for the session. */
  videoUrl: string;
  durationSeconds: number;
  /** Where to resume, in seconds. */
  resumeAtSeconds: number;
  coveredSeconds: number;
  verified: boolean;
  heartbeatIntervalSeconds: number;
}

export const HeartbeatEvent = {
  PLAY: 'play',
  TICK: 'tick',
  PAUSE: 'pause',
  SEEK: 'seek',
  ENDED: 'ended',
  HIDE: 'hide',
} as const;
export type HeartbeatEvent = (typeof HeartbeatEvent)[keyof typeof HeartbeatEvent];
export const HEARTBEAT_EVENTS = Object.values(HeartbeatEvent);

export interface HeartbeatRequest {
  sessionToken: string;
  /** Playback position in seconds. */
  position: number;
  /**
   * Milliseconds on the player's monotonic clock since it started this session. Strictly increasing: a heartbeat
   * whose clock is not after the last accepted one is a duplicate. The server never trusts it for the wall-clock budget.
   */
  clientTimeMs: number;
  event: HeartbeatEvent;
}

/** Why a heartbeat added nothing; counted per person for the unit admin. */
export const RejectionReason = {
  RUN_AHEAD: 'run_ahead',
  JUMP: 'jump',
  DUPLICATE: 'duplicate',
  STALE_SESSION: 'stale_session',
  WRONG_USER: 'wrong_user',
} as const;
export type RejectionReason = (typeof RejectionReason)[keyof typeof RejectionReason];
export const REJECTION_REASONS = Object.values(RejectionReason);

export const REJECTION_REASON_LABELS: Record<RejectionReason, string> = {
  run_ahead: '进度超前',
  jump: '跳跃拖动',
  duplicate: '重复提交',
  stale_session: '过期会话',
  wrong_user: '冒用他人',
};

export interface HeartbeatResponse {
  sessionToken: string;
  coveredSeconds: number;
  percent: number;
  verified: boolean;
  /** Set when this heartbeat added less than it claimed (a jump, or running ahead of the clock). */
  rejected: RejectionReason | null;
}

/** Sent with 确认已观看: what the device says about itself, kept with the check-in. */
export interface CheckInRequest {
  deviceModel?: string;
  system?: string;
  platform?: string;
}

export interface CheckInResponse {
  campaignId: string;
  checkedInAt: string;
  coveredSeconds: number;
}

export const HeadsFirstState = {
  RELEASED: 'released',
  WAITING: 'waiting',
  NO_ADMIN: 'no_admin',
} as const;
export type HeadsFirstState = (typeof HeadsFirstState)[keyof typeof HeadsFirstState];

export const HEADS_FIRST_LABELS: Record<HeadsFirstState, string> = {
  released: '领导已完成',
  waiting: '等待领导观看',
  no_admin: '无单位管理员',
};

export interface UnitProgress {
  unitId: string;
  unitName: string;
  required: number;
  done: number;
  overdue: number;
  /** Null when the campaign has no heads-first rule. */
  headsFirst: HeadsFirstState | null;
}

export interface CampaignProgressResponse {
  campaign: CampaignResponse;
  /** Only the units the caller administers (all of them for a township admin). */
  units: UnitProgress[];
}

export type RejectionCounts = Record<RejectionReason, number>;

/** One required person as their unit admin sees them. */
export interface ViewerStatusResponse {
  userId: string;
  displayName: string;
  role: Role;
  status: ViewingStatus;
  percent: number;
  checkedInAt: string | null;
  /** Confirmed, but after the deadline: done, yet not on time. */
  late: boolean;
  rejections: RejectionCounts;
}

export interface RemindRequest {
  /** Limit the reminder to one unit; omit for every unit the caller administers. */
  unitId?: string;
}

export interface RemindResponse {
  /** People not done who got an in-app notice. */
  notified: number;
  /** Of those, how many also got a WeChat subscribe message. */
  wechatSent: number;
  /** Not sent through WeChat because the person has not agreed to receive one. */
  wechatNoConsent: number;
  wechatFailed: number;
}

/** Subscribe-message kinds the app asks consent for; the server maps each to a template id from its config. */
export const SubscribeKind = {
  VIDEO_REMINDER: 'video_reminder',
} as const;
export type SubscribeKind = (typeof SubscribeKind)[keyof typeof SubscribeKind];

export interface SubscribeConsentRequest {
  kind: SubscribeKind;
  /** What wx.requestSubscribeMessage answered for the template: only `accept` grants a message. */
  accepted: boolean;
}

export interface SubscribeTemplatesResponse {
  /** Template id per kind, for wx.requestSubscribeMessage; absent when the server has none configured. */
  templates: Partial<Record<SubscribeKind, string>>;
}

export interface NoticeResponse {
  id: string;
  title: string;
  body: string;
  /** A page of the app to open, e.g. the campaign list. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

import { AuditLogEntity } from './audit-log.entity.js';
import { TipEntity } from './tip.entity.js';
import { TipIdentifierEntity } from './tip-identifier.entity.js';
import { TipAttachmentEntity } from './tip-attachment.entity.js';
import { TipEventEntity } from './tip-event.entity.js';
import { TipRewardEntity } from './tip-reward.entity.js';
import { CampaignUnitEntity } from './campaign-unit.entity.js';
import { CampaignEntity } from './campaign.entity.js';
import { CheckinEntity } from './checkin.entity.js';
import { InviteCodeEntity } from './invite-code.entity.js';
import { MembershipEntity } from './membership.entity.js';
import { NoticeEntity } from './notice.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { RosterEntryEntity } from './roster-entry.entity.js';
import { SubscribeConsentEntity } from './subscribe-consent.entity.js';
import { TownshipEntity } from './township.entity.js';
import { UnitEntity } from './unit.entity.js';
import { UserEntity } from './user.entity.js';
import { VideoEntity } from './video.entity.js';
import { ViewingProgressEntity } from './viewing-progress.entity.js';
import { ViewingRejectionEntity } from './viewing-rejection.entity.js';

export {
  AuditLogEntity,
  TipEntity,
  TipIdentifierEntity,
  TipAttachmentEntity,
  TipEventEntity,
  TipRewardEntity,
  CampaignEntity,
  CampaignUnitEntity,
  CheckinEntity,
  InviteCodeEntity,
  MembershipEntity,
  NoticeEntity,
  RefreshTokenEntity,
  RosterEntryEntity,
  SubscribeConsentEntity,
  TownshipEntity,
  UnitEntity,
  UserEntity,
  VideoEntity,
  ViewingProgressEntity,
  ViewingRejectionEntity,
};

export const ENTITIES = [
  TownshipEntity,
  UnitEntity,
  UserEntity,
  MembershipEntity,
  InviteCodeEntity,
  RosterEntryEntity,
  RefreshTokenEntity,
  VideoEntity,
  CampaignEntity,
  CampaignUnitEntity,
  ViewingProgressEntity,
  ViewingRejectionEntity,
  CheckinEntity,
  NoticeEntity,
  SubscribeConsentEntity,
  TipEntity,
  TipIdentifierEntity,
  TipAttachmentEntity,
  TipEventEntity,
  TipRewardEntity,
  AuditLogEntity,
];

import type { SubscribeKind } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, TextColumn, TimeColumn } from '../columns.js';

/** WeChat one-time subscriptions: each accepted request allows one message of that kind. */
@Index('uq_subscribe_consents_user_kind', ['userId', 'kind'], { unique: true })
@Entity('subscribe_consents')
export class SubscribeConsentEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('user_id') userId: string;
  @TextColumn('kind', 32) kind: SubscribeKind;
  @IntColumn('credits') credits: number;
  @TimeColumn('updated_at') updatedAt: Date;
}

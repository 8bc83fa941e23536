import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, TextColumn, TimeColumn } from '../columns.js';

/** An in-app message to one person (a reminder, for now). */
@Index('idx_notices_user_created', ['userId', 'createdAt'])
@Entity('notices')
export class NoticeEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('user_id') userId: string;
  @TextColumn('title', 60) title: string;
  @TextColumn('body', 200) body: string;
  @TextColumn('link', 200, { nullable: true }) link: string | null;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('read_at', { nullable: true }) readAt: Date | null;
}

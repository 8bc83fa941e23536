import { Inject, Injectable } from '@nestjs/common';
import type { SubscribeKind } from '@qmfz/contracts';
import { DataSource, IsNull, MoreThan, Repository } from 'typeorm';
import { isUniqueViolation } from '../common/db-errors.js';
import { newId } from '../common/ids.js';
import { NoticeEntity, SubscribeConsentEntity } from '../database/entities/index.js';

const LIST_MAX = 50;
/** WeChat keeps at most this many unused one-time subscriptions per template and user, so counting more is moot. */
const CREDITS_MAX = 50;

@Injectable()
export class NoticesRepository {
  private readonly notices: Repository<NoticeEntity>;
  private readonly consents: Repository<SubscribeConsentEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.notices = dataSource.getRepository(NoticeEntity);
    this.consents = dataSource.getRepository(SubscribeConsentEntity);
  }

  async insertMany(notices: NoticeEntity[]): Promise<void> {
    if (notices.length > 0) await this.notices.insert(notices);
  }

  listForUser(townshipId: string, userId: string): Promise<NoticeEntity[]> {
    return this.notices.find({ where: { townshipId, userId }, order: { createdAt: 'DESC', id: 'DESC' }, take: LIST_MAX });
  }

  /** Marks the user's own notice read; false when there is no such notice of theirs. */
  async markRead(userId: string, id: string, now: Date): Promise<boolean> {
    const notice = await this.notices.findOneBy({ id, userId });
    if (!notice) return false;
    if (!notice.readAt) await this.notices.update({ id, userId, readAt: IsNull() }, { readAt: now });
    return true;
  }

  async grantCredit(townshipId: string, userId: string, kind: SubscribeKind, now: Date): Promise<void> {
    const result = await this.consents.increment({ userId, kind, credits: MoreThan(-1) }, 'credits', 1);
    if ((result.affected ?? 0) > 0) {
      await this.consents.update({ userId, kind, credits: MoreThan(CREDITS_MAX) }, { credits: CREDITS_MAX });
      return;
    }
    try {
      await this.consents.insert({ id: newId(), townshipId, userId, kind, credits: 1, updatedAt: now });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.consents.increment({ userId, kind }, 'credits', 1);
    }
  }

  /** Uses one subscription; false when the user has none left. Safe under concurrent reminders. */
  async useCredit(userId: string, kind: SubscribeKind): Promise<boolean> {
    const result = await this.consents.decrement({ userId, kind, credits: MoreThan(0) }, 'credits', 1);
    return (result.affected ?? 0) === 1;
  }

  async clearCredits(userId: string, kind: SubscribeKind): Promise<void> {
    await this.consents.update({ userId, kind }, { credits: 0 });
  }
}

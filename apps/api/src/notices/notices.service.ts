import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, SubscribeKind, type NoticeResponse, type RemindResponse, type SubscribeTemplatesResponse } from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { newId } from '../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { NoticeEntity } from '../database/entities/index.js';
import { UsersRepository } from '../users/users.repository.js';
import { SubscribeRefused, WechatClient } from '../wechat/wechat.client.js';
import { NoticesRepository } from './notices.repository.js';

/** A reminder to people: an in-app notice to each, and a WeChat subscribe message to those who agreed to one. */
export interface Reminder {
  townshipId: string;
  userIds: string[];
  title: string;
  body: string;
  link: string;
  /** Values of the subscribe-message template (`thing1`, `time2`, …). */
  wechatData: Record<string, string>;
}

const WECHAT_CONCURRENCY = 8;

@Injectable()
export class NoticesService {
  private readonly logger = new Logger('Notices');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notices: NoticesRepository,
    private readonly users: UsersRepository,
    private readonly wechat: WechatClient,
  ) {}

  async list(actor: Actor): Promise<NoticeResponse[]> {
    return (await this.notices.listForUser(actor.townshipId, actor.userId)).map((n) => ({
      id: n.id,
      title: n.title,
      body: n.body,
      link: n.link,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt?.toISOString() ?? null,
    }));
  }

  async markRead(actor: Actor, noticeId: string): Promise<void> {
    if (!(await this.notices.markRead(actor.userId, noticeId, new Date()))) throw AppException.notFound(ErrorCode.NOTICE_NOT_FOUND);
  }

  templates(): SubscribeTemplatesResponse {
    const id = this.config.wechat.templates.videoReminder;
    return { templates: id ? { [SubscribeKind.VIDEO_REMINDER]: id } : {} };
  }

  async recordConsent(actor: Actor, kind: SubscribeKind, accepted: boolean): Promise<void> {
    if (accepted) await this.notices.grantCredit(actor.townshipId, actor.userId, kind, new Date());
  }

  async remind(reminder: Reminder): Promise<RemindResponse> {
    const userIds = [...new Set(reminder.userIds)];
    const now = new Date();
    const rows: NoticeEntity[] = userIds.map((userId) => ({
      id: newId(),
      townshipId: reminder.townshipId,
      userId,
      title: reminder.title,
      body: reminder.body,
      link: reminder.link,
      createdAt: now,
      readAt: null,
    }));
    await this.notices.insertMany(rows);
    const outcome: RemindResponse = { notified: rows.length, wechatSent: 0, wechatNoConsent: 0, wechatFailed: 0 };
    const templateId = this.config.wechat.templates.videoReminder;
    // A few WeChat calls at a time: hundreds one after another would outlast the admin's request.
    const queue = [...userIds];
    const worker = async () => {
      for (let userId = queue.shift(); userId; userId = queue.shift()) {
        const result = templateId ? await this.sendWechat(userId, templateId, reminder) : 'no-consent';
        if (result === 'sent') outcome.wechatSent++;
        else if (result === 'no-consent') outcome.wechatNoConsent++;
        else outcome.wechatFailed++;
      }
    };
    await Promise.all(Array.from({ length: WECHAT_CONCURRENCY }, worker));
    return outcome;
  }

  private async sendWechat(userId: string, templateId: string, reminder: Reminder): Promise<'sent' | 'no-consent' | 'failed'> {
    const user = await this.users.findById(userId);
    if (!user?.openid || !(await this.notices.useCredit(userId, SubscribeKind.VIDEO_REMINDER))) return 'no-consent';
    try {
      await this.wechat.sendSubscribeMessage({ openid: user.openid, templateId, page: reminder.link, data: reminder.wechatData });
      return 'sent';
    } catch (error) {
      if (error instanceof SubscribeRefused) {
        // WeChat says the person has no subscription left (or turned them off): our count was wrong; trust WeChat.
        await this.notices.clearCredits(userId, SubscribeKind.VIDEO_REMINDER);
        return 'no-consent';
      }
      this.logger.warn({ problem: 'subscribe message failed', error: (error as Error).message });
      // The person's consent was not used: give it back for the next reminder.
      await this.notices.grantCredit(reminder.townshipId, userId, SubscribeKind.VIDEO_REMINDER, new Date());
      return 'failed';
    }
  }
}

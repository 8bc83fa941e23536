import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  TIP_CLOSED_STATUSES,
  TIP_STATUS_TRANSITIONS,
  TipAssigneeFilter,
  TipEventKind,
  type PersonRef,
  type RewardResponse,
  type SignedLinkResponse,
  type TipDetailResponse,
  type TipEventResponse,
  type TipListResponse,
  type TipSummaryResponse,
} from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { endOfShanghaiDay, startOfShanghaiDay } from '../common/shanghai-dates.js';
import { validationFailed } from '../common/validation.js';
import { CryptoService } from '../crypto/crypto.service.js';
import type { TipEntity, TipEventEntity, TipRewardEntity } from '../database/entities/index.js';
import { STATUS_LOCKING_REWARDS } from '../rewards/reward-rules.js';
import { toRewardSummary, type DecideRewardDto } from '../rewards/rewards.dto.js';
import { RewardsRepository } from '../rewards/rewards.repository.js';
import { RewardsService } from '../rewards/rewards.service.js';
import { TipImageLinks } from '../tips/tip-image-links.js';
import { newTipEvent } from '../tips/tip-events.js';
import { toAttachmentResponse, toMaskedIdentifier } from '../tips/tips.dto.js';
import { TipsRepository } from '../tips/tips.repository.js';
import { decodeTipCursor, encodeTipCursor } from './tip-cursor.js';
import { toEventResponse, type TipListQueryDto, type TipReplyDto, type UpdateTipDto } from './triage.dto.js';
import { TriageRepository, type TipChange, type TipFilter } from './triage.repository.js';

const DEFAULT_PAGE_SIZE = 20;

/**
 * Police triage. Every route is police-only (the controller's @Roles); every tip is looked up within the caller's
 * township. A group's id is the id of its earliest tip (linking picks the smallest id, and a tip's id carries its
 * creation time), so that tip, and only it, is `firstInGroup`: its reporter keeps priority.
 */
@Injectable()
export class TriageService {
  constructor(
    private readonly triage: TriageRepository,
    private readonly tips: TipsRepository,
    private readonly rewards: RewardsRepository,
    private readonly rewardDecisions: RewardsService,
    private readonly crypto: CryptoService,
    private readonly links: TipImageLinks,
  ) {}

  async list(actor: Actor, query: TipListQueryDto): Promise<TipListResponse> {
    const after = query.cursor ? decodeTipCursor(query.cursor) : null;
    if (query.cursor && !after) throw validationFailed([{ field: 'cursor', message: '分页位置无效，请从第一页重新加载' }]);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.triage.list(actor.townshipId, tipFilter(actor, query), after, limit + 1);
    const page = rows.slice(0, limit);
    return { items: await this.summaries(actor.townshipId, page), nextCursor: rows.length > limit ? encodeTipCursor(page[page.length - 1]) : null };
  }

  async detail(actor: Actor, tipId: string): Promise<TipDetailResponse> {
    const tip = await this.requireTip(actor, tipId);
    const township = tip.townshipId;
    const [identifiers, members, attachments, events, reward, unitName] = await Promise.all([
      this.tips.identifiersOf(township, [tip.id]),
      this.triage.groupMembers(township, tip.groupId),
      this.triage.attachmentsOf(township, tip.id),
      this.tips.eventsOf(township, tip.id),
      this.rewards.findByTip(township, tip.id),
      tip.unitId ? this.triage.unitName(township, tip.unitId) : Promise.resolve(null),
    ]);
    const people = await this.triage.people([tip.assigneeId, ...events.map((event) => event.authorId)]);
    return {
      ...summaryOf(tip, [], new Map([[tip.groupId, members.length]]), people, reward),
      description: this.crypto.decrypt(tip.descriptionCipher),
      lossYuan: tip.lossYuan,
      occurredAt: tip.occurredAt?.toISOString() ?? null,
      identifiers: identifiers.map((i) => ({ ...toMaskedIdentifier(i), id: i.id, value: this.crypto.decrypt(i.valueCipher) })),
      reporterMasked: tip.reporterPhoneMasked,
      unit: tip.unitId && unitName !== null ? { id: tip.unitId, name: unitName } : null,
      attachments: attachments.map(toAttachmentResponse),
      events: events.map((event) => this.eventResponse(event, people)),
      linked: members
        .filter((member) => member.id !== tip.id)
        .map((member) => ({ id: member.id, status: member.status, createdAt: member.createdAt.toISOString(), firstInGroup: member.id === tip.groupId })),
    };
  }

  /** Status, assignee and labels, each change with its history event, all in one transaction. */
  async update(actor: Actor, tipId: string, body: UpdateTipDto): Promise<TipDetailResponse> {
    if (body.status === undefined && body.assigneeUserId === undefined && body.labels === undefined) {
      throw validationFailed([{ field: '', message: '没有要修改的内容' }]);
    }
    const tip = await this.requireTip(actor, tipId);
    const now = new Date();
    const change: TipChange = {};
    const events: TipEventEntity[] = [];
    const event = (kind: TipEventKind, fields: Parameters<typeof newTipEvent>[3] = {}) => newTipEvent(tip, kind, now, { ...fields, authorId: actor.userId });

    if (body.status !== undefined && body.status !== tip.status) {
      if (!TIP_STATUS_TRANSITIONS[tip.status].includes(body.status)) throw AppException.conflict(ErrorCode.TIP_STATUS_TRANSITION_INVALID);
      await this.refuseIfLockedByReward(tip);
      change.status = body.status;
      change.closedAt = TIP_CLOSED_STATUSES.includes(body.status) ? (tip.closedAt ?? now) : null;
      events.push(event(TipEventKind.STATUS, { status: body.status }));
    }
    if (body.assigneeUserId !== undefined && body.assigneeUserId !== tip.assigneeId) {
      const assignee = body.assigneeUserId === null ? null : await this.requireOfficer(actor, body.assigneeUserId);
      change.assigneeId = assignee?.userId ?? null;
      events.push(event(TipEventKind.ASSIGN, { bodyCipher: assignee ? this.crypto.encrypt(assignee.displayName) : null }));
    }
    if (body.labels !== undefined && JSON.stringify(body.labels) !== tip.labels) {
      change.labels = JSON.stringify(body.labels);
      events.push(event(TipEventKind.LABELS, { bodyCipher: body.labels.length ? this.crypto.encrypt(body.labels.join('、')) : null }));
    }
    if (events.length > 0 && !(await this.triage.applyChange(tip, change, events, now))) {
      // Between our read and our write someone decided a reward (the tip is now locked), or changed the status.
      await this.refuseIfLockedByReward(tip);
      throw AppException.conflict(ErrorCode.TIP_STATUS_TRANSITION_INVALID, '该举报刚被他人修改，请刷新后重试');
    }
    return this.detail(actor, tip.id);
  }

  /** A reply the reporter reads with their receipt code. */
  async reply(actor: Actor, tipId: string, body: TipReplyDto): Promise<TipEventResponse> {
    const tip = await this.requireTip(actor, tipId);
    const event = newTipEvent(tip, TipEventKind.REPLY, new Date(), { bodyCipher: this.crypto.encrypt(body.body), authorId: actor.userId });
    await this.tips.addEvent(event);
    const people = await this.triage.people([actor.userId]);
    return toEventResponse(event, body.body, people.get(actor.userId) ?? null);
  }

  /** A link to one image of the tip, valid for five minutes. */
  async attachmentLink(actor: Actor, tipId: string, attachmentId: string): Promise<SignedLinkResponse> {
    const tip = await this.requireTip(actor, tipId);
    const attachment = await this.triage.findAttachment(tip.townshipId, tip.id, attachmentId);
    if (!attachment) throw AppException.notFound(ErrorCode.TIP_ATTACHMENT_NOT_FOUND);
    return this.links.mint(attachment.id);
  }

  officers(actor: Actor): Promise<PersonRef[]> {
    return this.triage.officers(actor.townshipId);
  }

  async decideReward(actor: Actor, tipId: string, body: DecideRewardDto): Promise<RewardResponse> {
    return this.rewardDecisions.decide(actor, await this.requireTip(actor, tipId), body);
  }

  private async requireTip(actor: Actor, tipId: string): Promise<TipEntity> {
    const tip = await this.triage.findInTownship(actor.townshipId, tipId);
    if (!tip) throw AppException.notFound(ErrorCode.TIP_NOT_FOUND);
    return tip;
  }

  /** A tip whose reward is decided, approved or paid keeps its status. */
  private async refuseIfLockedByReward(tip: TipEntity): Promise<void> {
    const reward = await this.rewards.findByTip(tip.townshipId, tip.id);
    if (reward && STATUS_LOCKING_REWARDS.includes(reward.status)) throw AppException.conflict(ErrorCode.TIP_LOCKED_BY_REWARD);
  }

  private async requireOfficer(actor: Actor, userId: string): Promise<PersonRef> {
    const person = (await this.triage.isActiveOfficer(actor.townshipId, userId)) ? (await this.triage.people([userId])).get(userId) : undefined;
    if (!person) throw new AppException(ErrorCode.TIP_ASSIGNEE_INVALID, HttpStatus.BAD_REQUEST);
    return person;
  }

  /** One query per kind of data for the whole page, never one per tip. */
  private async summaries(townshipId: string, tips: TipEntity[]): Promise<TipSummaryResponse[]> {
    const ids = tips.map((tip) => tip.id);
    const [identifiers, sizes, people, rewards] = await Promise.all([
      this.tips.identifiersOf(townshipId, ids),
      this.triage.groupSizes(townshipId, tips.map((tip) => tip.groupId)),
      this.triage.people(tips.map((tip) => tip.assigneeId)),
      this.rewards.findForTips(townshipId, ids),
    ]);
    return tips.map((tip) =>
      summaryOf(
        tip,
        identifiers.filter((i) => i.tipId === tip.id).map(toMaskedIdentifier),
        sizes,
        people,
        rewards.find((reward) => reward.tipId === tip.id) ?? null,
      ),
    );
  }

  private eventResponse(event: TipEventEntity, people: Map<string, PersonRef>): TipEventResponse {
    const author = event.authorId ? (people.get(event.authorId) ?? { userId: event.authorId, displayName: '' }) : null;
    return toEventResponse(event, event.bodyCipher === null ? null : this.crypto.decrypt(event.bodyCipher), author);
  }
}

function tipFilter(actor: Actor, query: TipListQueryDto): TipFilter {
  if (query.from && query.to && query.from > query.to) throw validationFailed([{ field: 'to', message: '结束日期不能早于开始日期' }]);
  const assignee = query.assignee;
  return {
    status: query.status,
    fraudType: query.fraudType,
    from: query.from ? startOfShanghaiDay(query.from) : undefined,
    to: query.to ? endOfShanghaiDay(query.to) : undefined,
    groupId: query.groupId,
    assigneeId: assignee === TipAssigneeFilter.MINE ? actor.userId : assignee === TipAssigneeFilter.UNASSIGNED ? null : assignee,
  };
}

function summaryOf(
  tip: TipEntity,
  identifiers: TipSummaryResponse['identifiers'],
  groupSizes: Map<string, number>,
  people: Map<string, PersonRef>,
  reward: TipRewardEntity | null,
): TipSummaryResponse {
  return {
    id: tip.id,
    fraudType: tip.fraudType,
    status: tip.status,
    createdAt: tip.createdAt.toISOString(),
    identifiers,
    reporterMode: tip.reporterMode,
    assignee: tip.assigneeId ? (people.get(tip.assigneeId) ?? null) : null,
    labels: parseLabels(tip.labels),
    groupId: tip.groupId,
    groupSize: groupSizes.get(tip.groupId) ?? 1,
    firstInGroup: tip.id === tip.groupId,
    attachmentCount: tip.attachmentCount,
    reward: reward ? toRewardSummary(reward) : null,
  };
}

function parseLabels(stored: string): string[] {
  try {
    const labels: unknown = JSON.parse(stored);
    return Array.isArray(labels) ? labels.filter((label): label is string => typeof label === 'string') : [];
  } catch {
    return [];
  }
}

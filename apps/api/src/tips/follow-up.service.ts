import { Injectable } from '@nestjs/common';
import { ErrorCode, REPORTER_VISIBLE_EVENTS, TIP_TEXT_LIMITS, TipEventKind, type TipFollowUpResponse } from '@qmfz/contracts';
import { AppException } from '../common/app-exception.js';
import { CryptoService } from '../crypto/crypto.service.js';
import type { TipEntity } from '../database/entities/index.js';
import { RewardsRepository } from '../rewards/rewards.repository.js';
import { ReceiptCodes } from './receipt-code.js';
import { newTipEvent } from './tip-events.js';
import { parseAdditionRequest, parseReceiptRequest } from './tip-request.js';
import { toFollowUpResponse, toReporterEvent } from './tips.dto.js';
import { TipsRepository } from './tips.repository.js';

/** What anyone holding a receipt code may do with its tip: read its progress and add information. */
@Injectable()
export class FollowUpService {
  constructor(
    private readonly receipts: ReceiptCodes,
    private readonly tips: TipsRepository,
    private readonly rewards: RewardsRepository,
    private readonly crypto: CryptoService,
  ) {}

  async followUp(body: unknown): Promise<TipFollowUpResponse> {
    return this.view(await this.receipts.findTip(parseReceiptRequest(body).receiptCode));
  }

  async addInfo(body: unknown): Promise<TipFollowUpResponse> {
    const request = parseAdditionRequest(body);
    const tip = await this.receipts.findTip(request.receiptCode);
    if ((await this.tips.countEvents(tip.townshipId, tip.id, TipEventKind.ADDITION)) >= TIP_TEXT_LIMITS.additionsPerTipMax) {
      throw AppException.conflict(ErrorCode.TIP_ADDITIONS_LIMIT);
    }
    const now = new Date();
    await this.tips.addEvent(newTipEvent(tip, TipEventKind.ADDITION, now, { bodyCipher: this.crypto.encrypt(request.text) }));
    return this.view({ ...tip, updatedAt: now });
  }

  private async view(tip: TipEntity): Promise<TipFollowUpResponse> {
    const [identifiers, events, reward] = await Promise.all([
      this.tips.identifiersOf(tip.townshipId, [tip.id]),
      this.tips.eventsOf(tip.townshipId, tip.id, REPORTER_VISIBLE_EVENTS),
      this.rewards.findByTip(tip.townshipId, tip.id),
    ]);
    const shown = events.map((event) => toReporterEvent(event, event.bodyCipher === null ? null : this.crypto.decrypt(event.bodyCipher)));
    return toFollowUpResponse(tip, identifiers, shown, reward);
  }
}

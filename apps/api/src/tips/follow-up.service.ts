import { Injectable } from '@nestjs/common';
import { ErrorCode, normalizeReceiptCode, TipEventKind, type TipFollowUpResponse } from '@qmfz/contracts';
import { AppException } from '../common/app-exception.js';
import { newId } from '../common/ids.js';
import { CryptoService } from '../crypto/crypto.service.js';
import type { TipEntity } from '../database/entities/index.js';
import { receiptHash } from './receipt-code.js';
import { parseAdditionRequest, parseReceiptRequest } from './tip-request.js';
import { toFollowUpResponse, toReporterEvent } from './tips.dto.js';
import { TipsRepository } from './tips.repository.js';

/** Hashed and looked up in place of a code that cannot be one, so a malformed code costs what a wrong one does. */
const DECOY_CODE = 'not-a-receipt-code';

/** What anyone holding a receipt code may do with its tip: read its progress and add information. */
@Injectable()
export class FollowUpService {
  constructor(
    private readonly tips: TipsRepository,
    private readonly crypto: CryptoService,
  ) {}

  async followUp(body: unknown): Promise<TipFollowUpResponse> {
    const tip = await this.tipFor(parseReceiptRequest(body).receiptCode);
    return this.view(tip);
  }

  async addInfo(body: unknown): Promise<TipFollowUpResponse> {
    const request = parseAdditionRequest(body);
    const tip = await this.tipFor(request.receiptCode);
    const now = new Date();
    await this.tips.addEvent({
      id: newId(),
      townshipId: tip.townshipId,
      tipId: tip.id,
      kind: TipEventKind.ADDITION,
      status: null,
      bodyCipher: this.crypto.encrypt(request.text),
      authorId: null,
      createdAt: now,
    });
    return this.view({ ...tip, updatedAt: now });
  }

  /** The tip of a receipt code; a wrong and a malformed code get the same 404 after the same work. */
  private async tipFor(raw: unknown): Promise<TipEntity> {
    const code = normalizeReceiptCode(raw);
    const tip = await this.tips.findByReceiptHash(receiptHash(this.crypto, code ?? DECOY_CODE));
    if (!code || !tip) throw AppException.notFound(ErrorCode.TIP_RECEIPT_NOT_FOUND);
    return tip;
  }

  private async view(tip: TipEntity): Promise<TipFollowUpResponse> {
    const [identifiers, events, reward] = await Promise.all([this.tips.listIdentifiers(tip.id), this.tips.listReporterEvents(tip.id), this.tips.findReward(tip.id)]);
    const shown = events.map((event) => toReporterEvent(event, event.bodyCipher === null ? null : this.crypto.decrypt(event.bodyCipher)));
    return toFollowUpResponse(tip, identifiers, shown, reward);
  }
}

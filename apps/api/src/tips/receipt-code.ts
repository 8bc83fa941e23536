import { Injectable } from '@nestjs/common';
import { ErrorCode, normalizeReceiptCode, RECEIPT_ALPHABET, TIP_TEXT_LIMITS } from '@qmfz/contracts';
import { AppException } from '../common/app-exception.js';
import { CryptoService } from '../crypto/crypto.service.js';
import type { TipEntity } from '../database/entities/index.js';
import { TipsRepository } from './tips.repository.js';

/**
 * Receipt codes. A code is derived from the submitter and the draft's idempotency key under the server's index
 * key, so a retry of the same submission gets the same code back although the database holds only its hash (and
 * only a hash of the submitter and key). Neither a dump of the database nor the key alone can produce a code.
 */
export function receiptCodeFor(crypto: CryptoService, submitterId: string, idempotencyKey: string): string {
  const alphabet = RECEIPT_ALPHABET;
  // Bytes ≥ 248 (8 × 31) are skipped so every character is equally likely; extra rounds if too many were.
  let code = '';
  for (let round = 0; code.length < TIP_TEXT_LIMITS.receiptLength; round++) {
    const bytes = Buffer.from(crypto.blindIndex(`tip-receipt-${round}`, `${submitterId}\u0000${idempotencyKey}`), 'hex');
    for (const byte of bytes) {
      if (byte < alphabet.length * 8 && code.length < TIP_TEXT_LIMITS.receiptLength) code += alphabet[byte % alphabet.length];
    }
  }
  return code;
}

/** What the `tips.receipt_hash` column holds for a normalised code (see `normalizeReceiptCode`). */
export function receiptHash(crypto: CryptoService, normalisedCode: string): string {
  return crypto.blindIndex('tip-receipt-hash', normalisedCode);
}

/** What `tips.idempotency_hash` holds: the submitter and their key, so another user's equal key is another tip. */
export function idempotencyHash(crypto: CryptoService, submitterId: string, idempotencyKey: string): string {
  return crypto.blindIndex('tip-idempotency', `${submitterId}\u0000${idempotencyKey}`);
}

/** Hashed and looked up in place of a code that cannot be one, so a malformed code costs what a wrong one does. */
const DECOY_CODE = 'not-a-receipt-code';

/** The one way a receipt code opens its tip: follow-up, additions and reward claims all go through `findTip`. */
@Injectable()
export class ReceiptCodes {
  constructor(
    private readonly tips: TipsRepository,
    private readonly crypto: CryptoService,
  ) {}

  /**
   * The tip of a code however it is typed, in any township (the code alone is the reporter's key). A wrong and a
   * malformed code both get 404 TIP_RECEIPT_NOT_FOUND after the same work: one hash, one lookup.
   */
  async findTip(raw: unknown): Promise<TipEntity> {
    const code = normalizeReceiptCode(raw);
    const tip = await this.tips.findByReceiptHash(receiptHash(this.crypto, code ?? DECOY_CODE));
    if (!code || !tip) throw AppException.notFound(ErrorCode.TIP_RECEIPT_NOT_FOUND);
    return tip;
  }
}

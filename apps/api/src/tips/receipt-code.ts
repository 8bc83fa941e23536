import { RECEIPT_ALPHABET, TIP_TEXT_LIMITS } from '@qmfz/contracts';
import type { CryptoService } from '../crypto/crypto.service.js';

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

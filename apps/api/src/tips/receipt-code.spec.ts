import { describe, expect, it, jest } from '@jest/globals';
import { ErrorCode } from '@qmfz/contracts';
import type { CryptoService } from '../crypto/crypto.service.js';
import type { TipEntity } from '../database/entities/index.js';
import { ReceiptCodes } from './receipt-code.js';
import type { TipsRepository } from './tips.repository.js';

const CODE = 'ABCDE-FGHJK-MNPQR-STUVW';

function setUp(found: Partial<TipEntity> | null) {
  const tips = { findByReceiptHash: jest.fn(async (_hash: string) => found as TipEntity | null) };
  const crypto = { blindIndex: jest.fn((namespace: string, value: string) => `${namespace}:${value}`) };
  return { receipts: new ReceiptCodes(tips as unknown as TipsRepository, crypto as unknown as CryptoService), tips, crypto };
}

describe('ReceiptCodes.findTip', () => {
  it('should find the tip of a code however it is typed', async () => {
    const { receipts, tips } = setUp({ id: 'tip' });
    await expect(receipts.findTip(' abcde fghjk-mnpqr stuvw ')).resolves.toEqual({ id: 'tip' });
    expect(tips.findByReceiptHash).toHaveBeenCalledWith('tip-receipt-hash:ABCDEFGHJKMNPQRSTUVW');
  });

  it.each([['a wrong code', CODE, null], ['a code that cannot be one', 'not a code', { id: 'tip' }], ['no text at all', 42, { id: 'tip' }]])(
    'should answer %s with 404 TIP_RECEIPT_NOT_FOUND after one hash and one lookup',
    async (_what, raw, found) => {
      const { receipts, tips, crypto } = setUp(found);
      await expect(receipts.findTip(raw)).rejects.toMatchObject({ code: ErrorCode.TIP_RECEIPT_NOT_FOUND, status: 404 });
      expect(crypto.blindIndex).toHaveBeenCalledTimes(1);
      expect(tips.findByReceiptHash).toHaveBeenCalledTimes(1);
    },
  );
});

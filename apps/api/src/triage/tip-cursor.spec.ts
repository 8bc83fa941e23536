import { describe, expect, it } from '@jest/globals';
import { decodeTipCursor, encodeTipCursor } from './tip-cursor.js';

describe('tip list cursors', () => {
  it('should give back the position it encodes', () => {
    const position = { createdAt: new Date('2026-11-30T08:00:00.123Z'), id: '01KB1M7Q8V2N3P4R5S6T7V8W9X' };
    expect(decodeTipCursor(encodeTipCursor(position))).toEqual(position);
  });

  it.each(['', 'not a cursor', Buffer.from('123.short').toString('base64url'), Buffer.from('abc.01KB1M7Q8V2N3P4R5S6T7V8W9X').toString('base64url'), 'x'.repeat(200)])(
    'should refuse %j',
    (cursor) => {
      expect(decodeTipCursor(cursor)).toBeNull();
    },
  );
});

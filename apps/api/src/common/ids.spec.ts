import { describe, expect, it } from '@jest/globals';
import { newId } from './ids.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('newId', () => {
  it('should make ULIDs that sort in the order they were made, also within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => newId());
    expect(ids.every((id) => ULID.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

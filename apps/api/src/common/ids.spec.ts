import { describe, expect, it } from '@jest/globals';
import { decodeTime } from 'ulid';
import { newId } from './ids.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('newId', () => {
  it('should make ULIDs that sort in the order they were made, also within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => newId());
    expect(ids.every((id) => ULID.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should carry exactly the given time, even after ids of later times were made', () => {
    const at = new Date(Date.now() - 60_000);
    newId();
    const ids = Array.from({ length: 1000 }, () => newId(at));
    expect(ids.every((id) => ULID.test(id) && decodeTime(id) === at.getTime())).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id < newId(new Date(at.getTime() + 1)))).toBe(true);
  });
});

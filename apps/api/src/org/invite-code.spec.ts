import { describe, expect, it } from '@jest/globals';
import { INVITE_ALPHABET, LIMITS } from '@qmfz/contracts';
import { generateInviteCode, normalizeInviteCode } from './invite-code.js';

describe('generateInviteCode', () => {
  it('should make codes of the configured length from the unambiguous alphabet only', () => {
    for (let i = 0; i < 500; i++) {
      const code = generateInviteCode();
      expect(code).toHaveLength(LIMITS.inviteCodeLength);
      expect([...code].every((c) => INVITE_ALPHABET.includes(c))).toBe(true);
    }
  });

  it('should never contain characters people confuse on paper', () => {
    const codes = Array.from({ length: 500 }, () => generateInviteCode()).join('');
    expect(codes).not.toMatch(/[01OIL]/);
  });

  it('should map random bytes onto the alphabet in order', () => {
    const bytes = Buffer.from([0, 1, 2, 30, 31, 32, 61, 62, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(generateInviteCode(8, () => bytes)).toBe('234Z23Z2');
  });

  it('should drop the bytes that would make some characters more likely than others', () => {
    // 248 = 8 × 31: bytes 248..255 would favour the first eight characters.
    const bytes = Buffer.from([255, 248, 252, 5, 5, 5, 5, 5, 5, 5, 5, 255, 255, 255, 255, 255]);
    expect(generateInviteCode(8, () => bytes)).toBe('77777777');
  });

  it('should draw more bytes when a draw had too few usable ones', () => {
    const draws = [Buffer.alloc(16, 255), Buffer.alloc(16, 3)];
    let calls = 0;
    expect(generateInviteCode(8, () => draws[calls++])).toBe('55555555');
    expect(calls).toBe(2);
  });

  it('should spread characters evenly over many codes', () => {
    const counts = new Map<string, number>();
    const total = 4000 * LIMITS.inviteCodeLength;
    for (let i = 0; i < 4000; i++) for (const c of generateInviteCode()) counts.set(c, (counts.get(c) ?? 0) + 1);
    const expected = total / INVITE_ALPHABET.length;
    expect(counts.size).toBe(INVITE_ALPHABET.length);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(expected * 0.75);
      expect(count).toBeLessThan(expected * 1.25);
    }
  });

  it('should not repeat codes across many draws', () => {
    const codes = new Set(Array.from({ length: 5000 }, () => generateInviteCode()));
    expect(codes.size).toBe(5000);
  });
});

describe('normalizeInviteCode', () => {
  it('should match codes typed in lower case or with spaces and dashes', () => {
    expect(normalizeInviteCode(' k7m2-qx9a ')).toBe('K7M2QX9A');
    expect(normalizeInviteCode('K7M2 QX9A')).toBe('K7M2QX9A');
  });
});

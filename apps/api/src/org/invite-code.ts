import { INVITE_ALPHABET, LIMITS } from '@qmfz/contracts';
import { randomBytes } from 'node:crypto';

// The largest multiple of the alphabet size below 256: bytes at or above it are dropped so every character is equally likely.
const UNBIASED_LIMIT = 256 - (256 % INVITE_ALPHABET.length);

/** A fresh invite code from the crypto RNG; `random` is injectable only so tests can feed chosen bytes. */
export function generateInviteCode(length: number = LIMITS.inviteCodeLength, random: (size: number) => Buffer = randomBytes): string {
  let code = '';
  while (code.length < length) {
    for (const byte of random(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      code += INVITE_ALPHABET[byte % INVITE_ALPHABET.length];
      if (code.length === length) break;
    }
  }
  return code;
}

/** What people type is matched case-insensitively, ignoring spaces and dashes they may add when copying. */
export function normalizeInviteCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

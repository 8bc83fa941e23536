import { ULID_PATTERN } from '../common/validation.js';
import type { TipPosition } from './triage.repository.js';

/** An opaque cursor for the tip list: the last tip's creation time and id, so the next page starts after it. */
export function encodeTipCursor(position: TipPosition): string {
  return Buffer.from(`${position.createdAt.getTime()}.${position.id}`).toString('base64url');
}

/** Null for anything this server did not hand out. */
export function decodeTipCursor(cursor: string): TipPosition | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(cursor)) return null;
  const match = /^(\d{1,15})\.(\w{26})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || !ULID_PATTERN.test(match[2])) return null;
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

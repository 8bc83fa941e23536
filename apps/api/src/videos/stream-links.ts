import { createHmac, timingSafeEqual } from 'node:crypto';

const LABEL = 'qmfz video link v1';

/**
 * Short-lived links to uploaded videos. A player loads `src` without our Authorization header, so the link itself
 * carries a signature over the video id and an expiry; the path then names no secret worth keeping.
 */
export class StreamLinks {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update(LABEL).digest();
  }

  path(videoId: string, expiresAtMs: number): string {
    const exp = Math.floor(expiresAtMs / 1000);
    return `/api/videos/${encodeURIComponent(videoId)}/stream?exp=${exp}&sig=${this.sign(videoId, exp)}`;
  }

  isValid(videoId: string, exp: string | undefined, sig: string | undefined, nowMs: number): boolean {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp) || Number(exp) * 1000 < nowMs) return false;
    const expected = Buffer.from(this.sign(videoId, Number(exp)));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(videoId: string, exp: number): string {
    return createHmac('sha256', this.key).update(`${videoId}.${exp}`).digest('base64url');
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived links to private files. A `<Video>` or `<Image>` loads its `src` without our Authorization header, so
 * the link itself carries a signature over the file's id and an expiry, under a key derived for one purpose
 * (`label`), so a link of one kind never opens another. The path then names no secret worth keeping.
 */
export class SignedLinks {
  private readonly key: Buffer;

  /** `route(id)` is the path a link points at, e.g. `/api/videos/<id>/stream`. */
  constructor(
    secret: string,
    label: string,
    private readonly route: (id: string) => string,
  ) {
    this.key = createHmac('sha256', secret).update(label).digest();
  }

  path(id: string, expiresAtMs: number): string {
    const exp = Math.floor(expiresAtMs / 1000);
    return `${this.route(encodeURIComponent(id))}?exp=${exp}&sig=${this.sign(id, exp)}`;
  }

  isValid(id: string, exp: string | undefined, sig: string | undefined, nowMs: number): boolean {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp) || Number(exp) * 1000 < nowMs) return false;
    const expected = Buffer.from(this.sign(id, Number(exp)));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(id: string, exp: number): string {
    return createHmac('sha256', this.key).update(`${id}.${exp}`).digest('base64url');
  }
}

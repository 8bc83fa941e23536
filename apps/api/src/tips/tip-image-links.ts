import type { SignedLinkResponse } from '@qmfz/contracts';
import { SignedLinks } from '../common/signed-links.js';

/** How long a link to a tip image works: long enough to open a tip and look at its pictures, short enough not to be shared. */
export const TIP_IMAGE_LINK_TTL_MS = 5 * 60_000;

/**
 * Links police screens load tip images from (`<Image>` sends no Authorization header). Minted only by routes that
 * already checked the officer may see the tip (triage); the link then opens that one image until it expires.
 */
export class TipImageLinks extends SignedLinks {
  constructor(secret: string) {
    super(secret, 'qmfz tip image link v1', (attachmentId) => `/api/tips/attachments/${attachmentId}/content`);
  }

  /** A link to the attachment valid for TIP_IMAGE_LINK_TTL_MS from `nowMs`. */
  mint(attachmentId: string, nowMs: number = Date.now()): SignedLinkResponse {
    const expiresAtMs = nowMs + TIP_IMAGE_LINK_TTL_MS;
    return { url: this.path(attachmentId, expiresAtMs), expiresAt: new Date(Math.floor(expiresAtMs / 1000) * 1000).toISOString() };
  }
}

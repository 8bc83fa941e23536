import { Injectable } from '@nestjs/common';
import { maskMobile, normalizeMobile, REPORTER_PHONE_INDEX_NAMESPACE } from '../common/phone.js';
import { validationFailed } from '../common/validation.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { WechatClient } from '../wechat/wechat.client.js';

/** A reporter's or claimant's phone as it is stored: ciphertext, blind index (for tallies per person), masked form. */
export interface SealedPhone {
  cipher: string;
  index: string;
  masked: string;
}

/** Where the phone came from: typed, or a WeChat getPhoneNumber code (which wins when both are given). */
export interface PhoneSource {
  phone?: string | null;
  phoneCode?: string | null;
}

/**
 * The contact a named reporter (tip submission) or a claimant (reward claim) gives, sealed for storage. Both use the
 * REPORTER_PHONE_INDEX_NAMESPACE, so tallies find one person once however they reported, and not the users'
 * namespace, so the database cannot join a tip to the account with that number.
 */
@Injectable()
export class ReporterContacts {
  constructor(
    private readonly crypto: CryptoService,
    private readonly wechat: WechatClient,
  ) {}

  /** Mainland mobiles only; anything else is refused as `refusal` (the field and message the form shows). */
  async sealPhone(source: PhoneSource, refusal: { field: string; message: string }): Promise<SealedPhone> {
    const phone = await this.mainlandMobile(source);
    if (!phone) throw validationFailed([refusal]);
    return { cipher: this.crypto.encrypt(phone), index: this.crypto.blindIndex(REPORTER_PHONE_INDEX_NAMESPACE, phone), masked: maskMobile(phone) };
  }

  sealName(name: string | null | undefined): string | null {
    return name ? this.crypto.encrypt(name) : null;
  }

  private async mainlandMobile(source: PhoneSource): Promise<string | null> {
    if (source.phoneCode) {
      const verified = await this.wechat.getPhoneNumber(source.phoneCode);
      // purePhoneNumber drops the country code, so a foreign number could look like a mainland one.
      return verified.countryCode === '86' ? normalizeMobile(verified.purePhoneNumber) : null;
    }
    return source.phone ? normalizeMobile(source.phone.normalize('NFKC').trim()) : null;
  }
}

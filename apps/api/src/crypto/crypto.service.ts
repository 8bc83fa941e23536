import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

const FORMAT = 'v1';

/** All cryptography with keys: field encryption, blind indexes, token hashes. */
@Injectable()
export class CryptoService {
  private readonly active: { id: string; key: Buffer };
  private readonly keys: Map<string, Buffer>;
  private readonly indexKey: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.active = config.crypto.dataKeys[0];
    this.keys = new Map(config.crypto.dataKeys.map((k) => [k.id, k.key]));
    this.indexKey = config.crypto.blindIndexKey;
  }

  /** AES-256-GCM; the output names its key so keys can rotate: `v1.<keyId>.<iv>.<tag>.<ciphertext>`. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.active.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [format, keyId, iv, tag, body] = sealed.split('.');
    const key = this.keys.get(keyId);
    if (format !== FORMAT || !key || !iv || !tag || body === undefined) throw new Error('Unreadable ciphertext or unknown key id');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed hash of a normalised value, namespaced so equal values of different kinds never collide. */
  blindIndex(namespace: string, normalised: string): string {
    return createHmac('sha256', this.indexKey).update(`${namespace}\u0000${normalised}`).digest('hex');
  }

  sha256(value: string): string {
    return createHash('sha256').update(value).digest('hex');
  }

  randomToken(bytes = 32): string {
    return randomBytes(bytes).toString('base64url');
  }
}

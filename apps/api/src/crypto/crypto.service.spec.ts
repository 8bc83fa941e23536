import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../config/config.js';
import { CryptoService } from './crypto.service.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const serviceWith = (dataKeys: string, blindIndexKey = key(9)) => new CryptoService(loadConfig({ DATA_KEYS: dataKeys, BLIND_INDEX_KEY: blindIndexKey }));

describe('CryptoService', () => {
  it('should encrypt to a different text every time and decrypt back, naming the key it used', () => {
    const crypto = serviceWith(`k1:${key(1)}`);
    const [a, b] = [crypto.encrypt('13812345678'), crypto.encrypt('13812345678')];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.k1\./);
    expect(a).not.toContain('13812345678');
    expect(crypto.decrypt(a)).toBe('13812345678');
  });

  it('should encrypt with the first key and still read data sealed with an older one', () => {
    const sealedBefore = serviceWith(`old:${key(1)}`).encrypt('老数据');
    const rotated = serviceWith(`new:${key(2)},old:${key(1)}`);
    expect(rotated.decrypt(sealedBefore)).toBe('老数据');
    expect(rotated.encrypt('新数据')).toMatch(/^v1\.new\./);
  });

  it('should refuse ciphertext that was altered, sealed under an unknown key id, or is not ours', () => {
    const crypto = serviceWith(`k1:${key(1)}`);
    const sealed = crypto.encrypt('13812345678');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[4], 'base64url');
    flipped[0] ^= 1;
    expect(() => crypto.decrypt([...parts.slice(0, 4), flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => crypto.decrypt(['v1', 'k9', ...parts.slice(2)].join('.'))).toThrow(/unknown key id/);
    expect(() => serviceWith(`k1:${key(3)}`).decrypt(sealed)).toThrow();
    expect(() => crypto.decrypt('13812345678')).toThrow();
  });

  it('should give a stable blind index per key and namespace, so equal values of different kinds never match', () => {
    const crypto = serviceWith(`k1:${key(1)}`);
    const index = crypto.blindIndex('phone', '13812345678');
    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(crypto.blindIndex('phone', '13812345678')).toBe(index);
    expect(crypto.blindIndex('bank', '13812345678')).not.toBe(index);
    expect(serviceWith(`k1:${key(1)}`, key(8)).blindIndex('phone', '13812345678')).not.toBe(index);
    // Key rotation of DATA_KEYS must not move the index: rosters are matched by it.
    expect(serviceWith(`k2:${key(2)}`).blindIndex('phone', '13812345678')).toBe(index);
  });

  it('should make random tokens that do not repeat', () => {
    const crypto = serviceWith(`k1:${key(1)}`);
    const tokens = new Set(Array.from({ length: 100 }, () => crypto.randomToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

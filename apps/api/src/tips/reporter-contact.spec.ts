import { describe, expect, it, jest } from '@jest/globals';
import { ErrorCode } from '@qmfz/contracts';
import type { CryptoService } from '../crypto/crypto.service.js';
import type { WechatClient } from '../wechat/wechat.client.js';
import { ReporterContacts } from './reporter-contact.js';

const REFUSAL = { field: 'phone', message: '请填写中国大陆手机号码' };

function setUp(countryCode = '86', purePhoneNumber = '13500002222') {
  const crypto = { encrypt: (text: string) => `sealed(${text})`, blindIndex: (namespace: string, value: string) => `${namespace}:${value}` };
  const wechat = { getPhoneNumber: jest.fn(async () => ({ phoneNumber: `+${countryCode}${purePhoneNumber}`, purePhoneNumber, countryCode })) };
  return { contacts: new ReporterContacts(crypto as unknown as CryptoService, wechat as unknown as WechatClient), wechat };
}

describe('ReporterContacts.sealPhone', () => {
  it('should seal a typed mainland mobile in any spelling: ciphertext, reporter index, masked form', async () => {
    const { contacts, wechat } = setUp();
    await expect(contacts.sealPhone({ phone: '+86 136-0000-1111' }, REFUSAL)).resolves.toEqual({
      cipher: 'sealed(13600001111)',
      index: 'tip-reporter-phone:13600001111',
      masked: '136****1111',
    });
    expect(wechat.getPhoneNumber).not.toHaveBeenCalled();
  });

  it('should prefer the number WeChat verified to a typed one', async () => {
    const { contacts } = setUp();
    expect((await contacts.sealPhone({ phone: '13600001111', phoneCode: 'code' }, REFUSAL)).masked).toBe('135****2222');
  });

  it('should refuse a WeChat number outside the mainland, although its digits look like a mainland mobile', async () => {
    const { contacts } = setUp('1', '13500002222');
    await expect(contacts.sealPhone({ phoneCode: 'code' }, REFUSAL)).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, details: [REFUSAL] });
  });

  it('should refuse a typed number that is no mainland mobile with the caller’s field and message', async () => {
    const { contacts } = setUp();
    await expect(contacts.sealPhone({ phone: '023-79332042' }, REFUSAL)).rejects.toMatchObject({ details: [REFUSAL] });
  });
});

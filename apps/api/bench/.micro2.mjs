import { SignJWT, jwtVerify } from 'jose';
import { createHmac, timingSafeEqual } from 'node:crypto';
const raw = new TextEncoder().encode('x'.repeat(40));
const token = await new SignJWT({ tid: 't' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('u').setIssuer('qmfz-api').setAudience('qmfz-access').setIssuedAt().setExpirationTime('1h').sign(raw);
async function time(name, n, fn) { for (let i = 0; i < n / 10; i++) await fn(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) await fn(); console.log(name, (Number(process.hrtime.bigint() - t) / n / 1000).toFixed(1), 'µs'); }
const opts = { issuer: 'qmfz-api', audience: 'qmfz-access', algorithms: ['HS256'] };
await time('jwtVerify Uint8Array', 20000, () => jwtVerify(token, raw, opts));
const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
await time('jwtVerify CryptoKey', 20000, () => jwtVerify(token, key, opts));
const [h, p, s] = token.split('.');
await time('createHmac only', 20000, () => { const d = createHmac('sha256', raw).update(h + '.' + p).digest(); return timingSafeEqual(d, Buffer.from(s, 'base64url')); });
await time('subtle.verify only', 20000, () => crypto.subtle.verify('HMAC', key, Buffer.from(s, 'base64url'), new TextEncoder().encode(h + '.' + p)));

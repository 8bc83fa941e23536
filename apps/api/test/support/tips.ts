import { randomBytes, randomInt } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { luhnValid, type CreateTipRequest, type CreateTipResponse, type TipFollowUpResponse } from '@qmfz/contracts';
import { multipartUpload } from '../builders.js';
import type { TestApp, TestResponse } from '../harness.js';

/*
 * Helpers for tests that submit tips through the API (tip submission, triage, rewards, authorization), and small
 * real images built in code, each carrying metadata a reporter must not leak.
 */

// ---- Requests ----

/** A client address of its own per call, so the per-IP rate limits of one spec file do not add up (TRUST_PROXY_HOPS=1). */
export function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** A bank card number that passes the Luhn check: `prefix`, random digits, then the check digit. */
export function cardNumber(prefix = '622202', length = 16): string {
  let body = prefix;
  while (body.length < length - 1) body += String(randomInt(10));
  for (let check = 0; check <= 9; check++) if (luhnValid(body + check)) return body + check;
  throw new Error('unreachable');
}

/** A valid anonymous tip naming one phone number; `overrides` replace whole fields. */
export function tipRequest(overrides: Partial<CreateTipRequest> & Record<string, unknown> = {}): CreateTipRequest {
  return {
    idempotencyKey: randomBytes(12).toString('base64url'),
    fraudType: 'order_brushing',
    identifiers: [{ kind: 'phone', value: '13912345678' }],
    description: '对方自称客服，让我刷单返利，先后转账三次。',
    lossYuan: 3000,
    occurredAt: new Date(Date.now() - 24 * 3600_000).toISOString(),
    attachmentIds: [],
    reporter: { mode: 'anonymous' },
    consent: true,
    ...overrides,
  } as CreateTipRequest;
}

export function submitTip(t: TestApp, token: string, overrides: Partial<CreateTipRequest> & Record<string, unknown> = {}, options: { ip?: string } = {}): Promise<TestResponse> {
  return t.request({ method: 'POST', url: '/api/tips', token, body: tipRequest(overrides), headers: { 'x-forwarded-for': options.ip ?? randomIp() } });
}

/** Sends a raw body (anything JSON can carry) as the tip. */
export function submitRawTip(t: TestApp, token: string, body: unknown, options: { ip?: string } = {}): Promise<TestResponse> {
  return t.request({ method: 'POST', url: '/api/tips', token, body, headers: { 'x-forwarded-for': options.ip ?? randomIp() } });
}

/**
 * Submits a tip that must be accepted, and returns its receipt. Like the mini-program, it sends the same request
 * again after a 503 TIP_BUSY (on MariaDB, many simultaneous tips naming one identifier on a loaded machine may wait
 * longer than the server's lock wait); the idempotency key makes that one tip.
 */
export async function createTip(t: TestApp, token: string, overrides: Partial<CreateTipRequest> & Record<string, unknown> = {}): Promise<CreateTipResponse> {
  const body = tipRequest(overrides);
  for (let attempt = 1; ; attempt++) {
    const response = await submitRawTip(t, token, body);
    if (response.status === 201) return response.body as CreateTipResponse;
    if (response.status !== 503 || response.body?.code !== 'TIP_BUSY' || attempt === 3) throw new Error(`tip refused: ${response.status} ${response.text}`);
  }
}

export function uploadTipImage(
  t: TestApp,
  token: string,
  bytes: Buffer,
  options: { filename?: string; contentType?: string; field?: string; ip?: string } = {},
): Promise<TestResponse> {
  const { payload, headers } = multipartUpload(bytes, { filename: options.filename ?? 'photo.jpg', contentType: options.contentType ?? 'image/jpeg', field: options.field });
  return t.request({ method: 'POST', url: '/api/tips/attachments', token, payload, headers: { ...headers, 'x-forwarded-for': options.ip ?? randomIp() } });
}

/** Uploads an image that must be accepted, and returns its attachment id. */
export async function uploadedTipImage(t: TestApp, token: string, bytes: Buffer = jpegWithMetadata()): Promise<string> {
  const response = await uploadTipImage(t, token, bytes);
  if (response.status !== 201) throw new Error(`upload refused: ${response.status} ${response.text}`);
  return response.body.id as string;
}

export function followUp(t: TestApp, receiptCode: unknown, options: { ip?: string } = {}): Promise<TestResponse> {
  return t.request({ method: 'POST', url: '/api/tips/follow-up', body: { receiptCode }, headers: { 'x-forwarded-for': options.ip ?? randomIp() } });
}

export async function followUpOk(t: TestApp, receiptCode: string): Promise<TipFollowUpResponse> {
  const response = await followUp(t, receiptCode);
  if (response.status !== 200) throw new Error(`follow-up refused: ${response.status} ${response.text}`);
  return response.body as TipFollowUpResponse;
}

export function addTipInfo(t: TestApp, receiptCode: unknown, text: unknown, options: { ip?: string } = {}): Promise<TestResponse> {
  return t.request({ method: 'POST', url: '/api/tips/follow-up/additions', body: { receiptCode, text }, headers: { 'x-forwarded-for': options.ip ?? randomIp() } });
}

// ---- Images ----

/** Text planted in every kind of metadata the fixtures carry: none of it may survive an upload. */
export const LEAKS = {
  exifMake: 'QMFZ-LEAK-EXIF-MAKE',
  exifModel: 'QMFZ-LEAK-EXIF-MODEL',
  gps: 'QMFZ-LEAK-GPS-31.2304N-121.4737E',
  xmp: 'QMFZ-LEAK-XMP',
  icc: 'QMFZ-LEAK-ICC',
  iptc: 'QMFZ-LEAK-IPTC',
  comment: 'QMFZ-LEAK-COMMENT',
  thumbnail: 'QMFZ-LEAK-THUMB',
  trailer: 'QMFZ-LEAK-TRAILER',
  text: 'QMFZ-LEAK-TEXT',
  itxt: 'QMFZ-LEAK-ITXT',
  privateChunk: 'QMFZ-LEAK-PRIVATE',
} as const;
export const LEAK_PREFIX = 'QMFZ-LEAK';

const ascii = (text: string) => Buffer.from(text, 'latin1');
const u16be = (n: number) => Buffer.from([n >> 8, n & 0xff]);

/**
 * A TIFF block as EXIF carries it: one IFD with Make, Model, ImageDescription (standing in for GPS data) and,
 * when given, Orientation; strings live after the IFD as the format requires for values over 4 bytes.
 */
export function exifTiff(options: { orientation?: number; order?: 'II' | 'MM' } = {}): Buffer {
  const order = options.order ?? 'MM';
  const entries: { tag: number; type: number; count: number; value: Buffer }[] = [
    { tag: 0x010e, type: 2, count: 0, value: ascii(`${LEAKS.gps}\0`) },
    { tag: 0x010f, type: 2, count: 0, value: ascii(`${LEAKS.exifMake}\0`) },
    { tag: 0x0110, type: 2, count: 0, value: ascii(`${LEAKS.exifModel}\0`) },
  ];
  if (options.orientation) entries.push({ tag: 0x0112, type: 3, count: 1, value: Buffer.alloc(0) });
  entries.sort((a, b) => a.tag - b.tag);
  const ifdSize = 2 + entries.length * 12 + 4;
  const head = Buffer.alloc(8 + ifdSize);
  const w16 = (v: number, at: number) => (order === 'II' ? head.writeUInt16LE(v, at) : head.writeUInt16BE(v, at));
  const w32 = (v: number, at: number) => (order === 'II' ? head.writeUInt32LE(v, at) : head.writeUInt32BE(v, at));
  head.write(order, 0, 'latin1');
  w16(42, 2);
  w32(8, 4);
  w16(entries.length, 8);
  const data: Buffer[] = [];
  let dataOffset = 8 + ifdSize;
  entries.forEach((entry, i) => {
    const at = 10 + i * 12;
    w16(entry.tag, at);
    w16(entry.type, at + 2);
    if (entry.tag === 0x0112) {
      w32(1, at + 4);
      w16(options.orientation!, at + 8);
    } else {
      w32(entry.value.length, at + 4);
      w32(dataOffset, at + 8);
      data.push(entry.value);
      dataOffset += entry.value.length;
    }
  });
  return Buffer.concat([head, ...data]);
}

function jpegSegment(marker: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xff, marker]), u16be(payload.length + 2), payload]);
}

/**
 * A real baseline JPEG: one grey component, uniform mid-grey 8×8 blocks, one-code Huffman tables (DC category 0,
 * AC end-of-block). Decoders draw it; `metadata` adds what phones and editors write around it.
 */
export function jpegFixture(options: { width?: number; height?: number; metadata?: boolean; orientation?: number; order?: 'II' | 'MM' } = {}): Buffer {
  const width = options.width ?? 16;
  const height = options.height ?? 16;
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  // Two zero bits per block, padded with ones to a whole byte: never 0xFF, so no byte stuffing is needed.
  const bits = '00'.repeat(blocks).padEnd(Math.ceil((blocks * 2) / 8) * 8, '1');
  const entropy = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const oneCodeTable = (tableClass: number) => jpegSegment(0xc4, Buffer.from([tableClass << 4, 1, ...Array(15).fill(0), 0x00]));
  const jfif = Buffer.concat([ascii('JFIF\0'), Buffer.from([1, 1, 1, 0, 72, 0, 72])]);
  const metadata = options.metadata ?? true;
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  // JFIF with a 2×2 thumbnail whose pixels spell a marker (12 bytes of RGB).
  parts.push(jpegSegment(0xe0, metadata ? Buffer.concat([jfif, Buffer.from([2, 2]), ascii(LEAKS.thumbnail.slice(0, 12))]) : Buffer.concat([jfif, Buffer.from([0, 0])])));
  if (metadata || options.orientation) {
    parts.push(jpegSegment(0xe1, Buffer.concat([ascii('Exif\0\0'), exifTiff({ orientation: options.orientation, order: options.order })])));
  }
  if (metadata) {
    parts.push(jpegSegment(0xe1, ascii(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/">${LEAKS.xmp}</x:xmpmeta>`)));
    parts.push(jpegSegment(0xe2, Buffer.concat([ascii('ICC_PROFILE\0'), Buffer.from([1, 1]), ascii(`desc ${LEAKS.icc}`)])));
    parts.push(jpegSegment(0xed, ascii(`Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10${LEAKS.iptc}`)));
    parts.push(jpegSegment(0xfe, ascii(LEAKS.comment)));
  }
  parts.push(jpegSegment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])));
  parts.push(jpegSegment(0xc0, Buffer.from([8, ...u16be(height), ...u16be(width), 1, 1, 0x11, 0])));
  parts.push(oneCodeTable(0), oneCodeTable(1));
  parts.push(jpegSegment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])), entropy);
  parts.push(Buffer.from([0xff, 0xd9]));
  if (metadata) parts.push(ascii(LEAKS.trailer));
  return Buffer.concat(parts);
}

export const jpegWithMetadata = (options: { width?: number; height?: number; orientation?: number } = {}) => jpegFixture({ ...options, metadata: true });

/** The JPEG grown to exactly `size` bytes with comment segments (which the upload drops) right after SOI. */
export function padJpegTo(jpeg: Buffer, size: number): Buffer {
  let remaining = size - jpeg.length;
  if (remaining < 4) throw new Error('padJpegTo: size too close to the image');
  const pads: Buffer[] = [];
  while (remaining > 0) {
    let take = Math.min(65537, remaining);
    if (remaining - take > 0 && remaining - take < 4) take -= 4;
    pads.push(jpegSegment(0xfe, Buffer.alloc(take - 4, 0x20)));
    remaining -= take;
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...pads, jpeg.subarray(2)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([ascii(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real 8-bit RGB PNG (a gradient), with text, EXIF, time, ICC and private chunks when `metadata`. */
export function pngFixture(options: { width?: number; height?: number; metadata?: boolean } = {}): Buffer {
  const width = options.width ?? 8;
  const height = options.height ?? 8;
  const metadata = options.metadata ?? true;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Array.from({ length: height }, (_, y) => Buffer.from([0, ...Array.from({ length: width }, (_, x) => [x * 30, y * 30, 128]).flat()]));
  const chunks: Buffer[] = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header)];
  if (metadata) {
    chunks.push(pngChunk('iCCP', Buffer.concat([ascii(`${LEAKS.icc}\0\0`), deflateSync(ascii('icc profile bytes'))])));
    chunks.push(pngChunk('tEXt', ascii(`Comment\0${LEAKS.text}`)));
    chunks.push(pngChunk('zTXt', Buffer.concat([ascii('Author\0\0'), deflateSync(ascii(LEAKS.text))])));
    chunks.push(pngChunk('iTXt', ascii(`Description\0\0\0zh\0\u63cf\u8ff0\0${LEAKS.itxt}`)));
    chunks.push(pngChunk('eXIf', exifTiff()));
    chunks.push(pngChunk('tIME', Buffer.from([0x07, 0xea, 11, 5, 14, 30, 0])));
    chunks.push(pngChunk('prVt', ascii(LEAKS.privateChunk)));
  }
  chunks.push(pngChunk('pHYs', Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1])));
  chunks.push(pngChunk('IDAT', deflateSync(Buffer.concat(rows))), pngChunk('IEND', Buffer.alloc(0)));
  if (metadata) chunks.push(ascii(LEAKS.trailer));
  return Buffer.concat(chunks);
}

function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** libwebp's 1×1 test images (as Modernizr ships them): a lossless VP8L and a lossy VP8 bitstream. */
export const VP8L_1X1 = Buffer.from('2f00000010071011118888fe07', 'hex');
export const VP8_1X1 = Buffer.from('3001009d012a010001000ec0fe25a400037000000000', 'hex');

/** A real extended WebP (VP8X) with an ICC profile, EXIF and XMP when `metadata`, or a simple one without. */
export function webpFixture(options: { metadata?: boolean; lossy?: boolean } = {}): Buffer {
  const image = options.lossy ? riffChunk('VP8 ', VP8_1X1) : riffChunk('VP8L', VP8L_1X1);
  let body: Buffer;
  if (options.metadata ?? true) {
    const header = Buffer.alloc(10);
    header[0] = 0x20 | 0x08 | 0x04; // ICC, EXIF, XMP
    body = Buffer.concat([
      riffChunk('VP8X', header),
      riffChunk('ICCP', ascii(`icc ${LEAKS.icc}`)),
      image,
      riffChunk('EXIF', exifTiff()),
      riffChunk('XMP ', ascii(`<x:xmpmeta>${LEAKS.xmp}</x:xmpmeta>`)),
    ]);
  } else {
    body = image;
  }
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + body.length, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body, options.metadata ?? true ? ascii(LEAKS.trailer) : Buffer.alloc(0)]);
}

/** Whether any planted metadata text appears in the bytes. */
export function containsLeak(bytes: Buffer): boolean {
  return bytes.includes(ascii(LEAK_PREFIX));
}

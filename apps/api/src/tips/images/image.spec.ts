import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { crc32, inflateSync } from 'node:zlib';
import { containsLeak, exifTiff, jpegFixture, LEAK_PREFIX, pngFixture, VP8L_1X1, webpFixture } from '../../../test/support/tips.js';
import { cleanImage, sniffImageType } from './image.js';
import { exifOrientation } from './jpeg.js';

// ---- Independent readers of the output's structure ----

/** The markers of a JPEG in order, walking lengths and skipping entropy-coded data; throws on a broken structure. */
function jpegMarkers(bytes: Buffer): number[] {
  expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8');
  const markers = [0xd8];
  let pos = 2;
  while (pos < bytes.length) {
    expect(bytes[pos]).toBe(0xff);
    const marker = bytes[pos + 1];
    markers.push(marker);
    if (marker === 0xd9) {
      expect(pos + 2).toBe(bytes.length);
      break;
    }
    const length = bytes.readUInt16BE(pos + 2);
    pos += 2 + length;
    if (marker === 0xda) while (!(bytes[pos] === 0xff && bytes[pos + 1] !== 0 && !(bytes[pos + 1] >= 0xd0 && bytes[pos + 1] <= 0xd7))) pos++;
  }
  expect(markers.at(-1)).toBe(0xd9);
  return markers;
}

/** PNG chunk types in order, every CRC checked, ending exactly at IEND. */
function pngChunks(bytes: Buffer): string[] {
  const types: string[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    expect(crc32(bytes.subarray(pos + 4, pos + 8 + length))).toBe(bytes.readUInt32BE(pos + 8 + length));
    types.push(type);
    pos += 12 + length;
  }
  expect(pos).toBe(bytes.length);
  expect(types.at(-1)).toBe('IEND');
  return types;
}

/** WebP chunk fourccs, the RIFF size matching the file. */
function webpChunks(bytes: Buffer): string[] {
  expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
  const types: string[] = [];
  for (let pos = 12; pos < bytes.length; ) {
    const size = bytes.readUInt32LE(pos + 4);
    types.push(bytes.toString('latin1', pos, pos + 4));
    pos += 8 + size + (size & 1);
  }
  return types;
}

function expectValidStructure(bytes: Buffer): void {
  const type = sniffImageType(bytes);
  if (type === 'image/jpeg') jpegMarkers(bytes);
  else if (type === 'image/png') pngChunks(bytes);
  else if (type === 'image/webp') webpChunks(bytes);
  else throw new Error('not an image');
}

const FIXTURES = { jpeg: jpegFixture(), png: pngFixture(), webp: webpFixture(), lossyWebp: webpFixture({ lossy: true }) };

const jpegSegment = (marker: number, payload: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, Buffer.alloc(data.length & 1)]);
}
function riff(...chunks: Buffer[]): Buffer {
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + chunks.reduce((n, c) => n + c.length, 0), 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, ...chunks]);
}
const vp8x = (flags: number, width = 1, height = 1) => {
  const header = Buffer.alloc(10);
  header[0] = flags;
  header.writeUIntLE(width - 1, 4, 3);
  header.writeUIntLE(height - 1, 7, 3);
  return riffChunk('VP8X', header);
};

describe('sniffImageType', () => {
  it('should name JPEG, PNG and WebP by their bytes', () => {
    expect(sniffImageType(FIXTURES.jpeg)).toBe('image/jpeg');
    expect(sniffImageType(FIXTURES.png)).toBe('image/png');
    expect(sniffImageType(FIXTURES.webp)).toBe('image/webp');
  });

  it.each([
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['HTML', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['a PDF', Buffer.from('%PDF-1.7\n')],
    ['a WAV (RIFF but not WEBP)', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1')],
    ['an MP4', Buffer.from('000000186674797069736f6d0000020069736f6d', 'hex')],
    ['nothing', Buffer.alloc(0)],
  ])('should not take %s for an image', (_what, bytes) => {
    expect(sniffImageType(bytes)).toBeNull();
    expect(cleanImage(bytes)).toBeNull();
  });
});

describe('cleanImage: JPEG', () => {
  it('should drop EXIF, XMP, ICC, Photoshop, comments, the JFIF thumbnail and the trailer, and keep the picture', () => {
    const clean = cleanImage(jpegFixture({ width: 24, height: 16 }))!;
    expect(clean).toMatchObject({ type: 'image/jpeg', width: 24, height: 16 });
    expect(containsLeak(clean.bytes)).toBe(false);
    expect(jpegMarkers(clean.bytes)).toEqual([0xd8, 0xe0, 0xdb, 0xc0, 0xc4, 0xc4, 0xda, 0xd9]);
    // The coding segments and the scan are the input's own bytes.
    expect(clean.bytes.subarray(20).equals(jpegFixture({ width: 24, height: 16, metadata: false }).subarray(20))).toBe(true);
  });

  it('should keep a photo upright: only the orientation survives, in an EXIF block of its own', () => {
    for (const order of ['II', 'MM'] as const) {
      const clean = cleanImage(jpegFixture({ orientation: 6, order }))!;
      expect(containsLeak(clean.bytes)).toBe(false);
      expect(jpegMarkers(clean.bytes)).toEqual([0xd8, 0xe0, 0xe1, 0xdb, 0xc0, 0xc4, 0xc4, 0xda, 0xd9]);
      const app1 = clean.bytes.subarray(clean.bytes.indexOf(Buffer.from('Exif\0\0', 'latin1')));
      expect(exifOrientation(app1.subarray(0, 32))).toBe(6);
    }
    expect(jpegMarkers(cleanImage(jpegFixture({ orientation: 1 }))!.bytes)).not.toContain(0xe1);
  });

  it('should read the orientation from either byte order and nothing from a broken block', () => {
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff({ orientation: 8, order: 'II' })]))).toBe(8);
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff({ orientation: 3, order: 'MM' })]))).toBe(3);
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff({ order: 'MM' })]))).toBeNull();
    expect(exifOrientation(Buffer.from('Exif\0\0MM\0\x2a\xff\xff\xff\xff', 'latin1'))).toBeNull();
  });

  it('should refuse a JPEG without a frame, without a scan, or cut before its end', () => {
    const plain = jpegFixture({ metadata: false });
    const sof = plain.indexOf(Buffer.from([0xff, 0xc0]));
    const sos = plain.indexOf(Buffer.from([0xff, 0xda]));
    expect(cleanImage(Buffer.concat([plain.subarray(0, sof), plain.subarray(sof + 13)]))).toBeNull();
    expect(cleanImage(Buffer.concat([plain.subarray(0, sos), Buffer.from([0xff, 0xd9])]))).toBeNull();
    for (let length = 0; length < plain.length; length++) expect(cleanImage(plain.subarray(0, length))).toBeNull();
  });

  it('should refuse kinds of JPEG no viewer of ours shows (lossless, arithmetic)', () => {
    const plain = jpegFixture({ metadata: false });
    const sof = plain.indexOf(Buffer.from([0xff, 0xc0]));
    for (const marker of [0xc3, 0xc9]) {
      const other = Buffer.from(plain);
      other[sof + 1] = marker;
      expect(cleanImage(other)).toBeNull();
    }
  });
});

describe('cleanImage: PNG', () => {
  it('should drop text, EXIF, time, ICC and private chunks and what follows IEND, and keep the pixels', () => {
    const clean = cleanImage(pngFixture({ width: 8, height: 5 }))!;
    expect(clean).toMatchObject({ type: 'image/png', width: 8, height: 5 });
    expect(containsLeak(clean.bytes)).toBe(false);
    expect(pngChunks(clean.bytes)).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    const idat = clean.bytes.subarray(clean.bytes.indexOf('IDAT') + 4, clean.bytes.indexOf('IEND') - 8);
    expect(inflateSync(idat).length).toBe(5 * (1 + 8 * 3));
  });

  it('should refuse an unknown critical chunk, a bad checksum, a missing IEND and a canvas over 100 megapixels', () => {
    const plain = pngFixture({ metadata: false });
    const iend = plain.length - 12;
    expect(cleanImage(Buffer.concat([plain.subarray(0, iend), pngChunk('CgBI', Buffer.alloc(4)), plain.subarray(iend)]))).toBeNull();
    const damaged = Buffer.from(plain);
    damaged[40] ^= 0xff;
    expect(cleanImage(damaged)).toBeNull();
    expect(cleanImage(plain.subarray(0, iend))).toBeNull();
    const huge = Buffer.from(plain);
    huge.writeUInt32BE(20000, 16);
    huge.writeUInt32BE(20000, 20);
    huge.writeUInt32BE(crc32(huge.subarray(12, 29)), 29);
    expect(cleanImage(huge)).toBeNull();
  });
});

describe('cleanImage: WebP', () => {
  it.each([
    ['lossless', FIXTURES.webp, 'VP8L'],
    ['lossy', FIXTURES.lossyWebp, 'VP8 '],
  ])('should drop ICC, EXIF and XMP from a %s extended file and write a simple one with the right RIFF size', (_what, bytes, image) => {
    const clean = cleanImage(bytes)!;
    expect(clean).toMatchObject({ type: 'image/webp', width: 1, height: 1 });
    expect(containsLeak(clean.bytes)).toBe(false);
    expect(webpChunks(clean.bytes)).toEqual([image]);
  });

  it('should keep alpha in the extended format with the metadata flags cleared', () => {
    const alpha = riffChunk('ALPH', Buffer.from([0, 0xff]));
    const clean = cleanImage(riff(vp8x(0x10 | 0x20 | 0x08 | 0x04), riffChunk('ICCP', Buffer.from(LEAK_PREFIX)), alpha, riffChunk('VP8 ', webpFixture({ lossy: true, metadata: false }).subarray(20)), riffChunk('EXIF', Buffer.from(LEAK_PREFIX))))!;
    expect(webpChunks(clean.bytes)).toEqual(['VP8X', 'ALPH', 'VP8 ']);
    expect(clean.bytes[20]).toBe(0x10);
    expect(containsLeak(clean.bytes)).toBe(false);
  });

  it('should clean each frame of an animation', () => {
    const frame = Buffer.concat([Buffer.alloc(16), riffChunk('VP8L', VP8L_1X1), riffChunk('EXIF', Buffer.from(LEAK_PREFIX))]);
    const anim = riff(vp8x(0x02 | 0x08), riffChunk('ANIM', Buffer.alloc(6)), riffChunk('ANMF', frame), riffChunk('XMP ', Buffer.from(LEAK_PREFIX)));
    const clean = cleanImage(anim)!;
    expect(webpChunks(clean.bytes)).toEqual(['VP8X', 'ANIM', 'ANMF']);
    expect(clean.bytes[20]).toBe(0x02);
    expect(containsLeak(clean.bytes)).toBe(false);
  });

  it('should refuse a RIFF size past the end, a still image of another size than its canvas, and no image at all', () => {
    const simple = webpFixture({ metadata: false });
    const long = Buffer.from(simple);
    long.writeUInt32LE(simple.length, 4);
    expect(cleanImage(long)).toBeNull();
    expect(cleanImage(riff(vp8x(0), riffChunk('VP8L', VP8L_1X1)).fill(4, 24, 25))).toBeNull();
    expect(cleanImage(riff(vp8x(0x08), riffChunk('EXIF', Buffer.alloc(8))))).toBeNull();
  });
});

describe('cleanImage: any bytes (property-based)', () => {
  const fixtures = fc.constantFrom(...Object.values(FIXTURES));
  const check = (bytes: Buffer) => {
    const clean = cleanImage(bytes);
    if (!clean) return;
    expectValidStructure(clean.bytes);
    // Cleaning is stable: what we store is already clean.
    expect(cleanImage(clean.bytes)?.bytes.equals(clean.bytes)).toBe(true);
  };

  it('should answer random bytes with null or a valid image, never an exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => check(Buffer.from(bytes))), { numRuns: 1000 });
  });

  it('should survive random bytes behind each format’s signature', () => {
    const heads = fc.constantFrom(Buffer.from([0xff, 0xd8, 0xff]), FIXTURES.png.subarray(0, 16), Buffer.from('RIFF\x40\x00\x00\x00WEBPVP8X', 'latin1'));
    fc.assert(fc.property(heads, fc.uint8Array({ maxLength: 1024 }), (head, tail) => check(Buffer.concat([head, Buffer.from(tail)]))), { numRuns: 1000 });
  });

  it('should answer every cut-off image with null or a valid image', () => {
    fc.assert(
      fc.property(fixtures, fc.double({ min: 0, max: 1, noNaN: true }), (bytes, at) => check(bytes.subarray(0, Math.floor(bytes.length * at)))),
      { numRuns: 1000 },
    );
  });

  it('should survive images with bytes overwritten at random', () => {
    const edits = fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fixtures, edits, (bytes, changes) => {
        const copy = Buffer.from(bytes);
        for (const { at, value } of changes) copy[Math.floor(at * (copy.length - 1))] = value;
        check(copy);
      }),
      { numRuns: 1000 },
    );
  });

  /** Metadata of random content and kind, each payload carrying the marker that must not survive. */
  const secret = fc.uint8Array({ maxLength: 300 }).map((noise) => Buffer.concat([Buffer.from(noise), Buffer.from(LEAK_PREFIX), Buffer.from(noise)]));

  it('should remove any APPn or comment segment of a JPEG, wherever it sits before the scan', () => {
    const marker = fc.oneof(fc.integer({ min: 0xe1, max: 0xef }), fc.constant(0xfe));
    fc.assert(
      fc.property(fc.array(fc.tuple(marker, secret, fc.nat()), { maxLength: 5 }), (segments) => {
        const plain = jpegFixture({ metadata: false });
        let bytes = plain;
        for (const [m, payload, where] of segments) {
          const boundaries = segmentStarts(bytes);
          const at = boundaries[where % boundaries.length];
          bytes = Buffer.concat([bytes.subarray(0, at), jpegSegment(m, payload), bytes.subarray(at)]);
        }
        const clean = cleanImage(bytes)!;
        expect(containsLeak(clean.bytes)).toBe(false);
        expect(jpegMarkers(clean.bytes)).toEqual([0xd8, 0xe0, 0xdb, 0xc0, 0xc4, 0xc4, 0xda, 0xd9]);
      }),
      { numRuns: 500 },
    );
  });

  it('should remove metadata and unknown ancillary chunks of a PNG', () => {
    const type = fc.oneof(
      fc.constantFrom('tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME', 'iCCP', 'sPLT'),
      fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.stringMatching(/^[A-Za-z]{3}$/)).map(([a, rest]) => a + rest),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(type, secret), { maxLength: 5 }), (chunks) => {
        const plain = pngFixture({ metadata: false });
        const bytes = Buffer.concat([plain.subarray(0, 33), ...chunks.map(([t, data]) => pngChunk(t, data)), plain.subarray(33)]);
        const clean = cleanImage(bytes)!;
        expect(containsLeak(clean.bytes)).toBe(false);
        expect(pngChunks(clean.bytes)).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
      }),
      { numRuns: 500 },
    );
  });

  it('should remove metadata and unknown chunks of a WebP', () => {
    const fourcc = fc.oneof(fc.constantFrom('EXIF', 'XMP ', 'ICCP'), fc.stringMatching(/^[A-Z]{4}$/).filter((f) => !['ALPH', 'ANIM', 'ANMF'].includes(f)));
    fc.assert(
      fc.property(fc.array(fc.tuple(fourcc, secret), { maxLength: 5 }), fc.integer({ min: 0, max: 0x3f }), (chunks, flags) => {
        const bytes = riff(vp8x(flags & ~0x12), riffChunk('VP8L', VP8L_1X1), ...chunks.map(([f, data]) => riffChunk(f, data)));
        const clean = cleanImage(bytes)!;
        expect(containsLeak(clean.bytes)).toBe(false);
        expect(webpChunks(clean.bytes)).toEqual(['VP8L']);
      }),
      { numRuns: 500 },
    );
  });
});

/** Offsets in a JPEG where a segment may be inserted: after SOI and after each segment up to the scan. */
function segmentStarts(bytes: Buffer): number[] {
  const starts = [2];
  let pos = 2;
  while (bytes[pos + 1] !== 0xda) {
    pos += 2 + bytes.readUInt16BE(pos + 2);
    starts.push(pos);
  }
  return starts;
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDurationSeconds, sniffVideoType, VIDEO_HEAD_BYTES } from './video-file.js';

// ---- MP4 boxes ----

const u32 = (value: number) => Buffer.from([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
const u64 = (value: bigint) => {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(value);
  return out;
};

function box(type: string, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  return Buffer.concat([u32(8 + content.length), Buffer.from(type, 'latin1'), content]);
}

/** Size field 1 and the real size in a 64-bit `largesize` after the type. */
function largeBox(type: string, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  return Buffer.concat([u32(1), Buffer.from(type, 'latin1'), u64(BigInt(16 + content.length)), content]);
}

/** Size field 0: the box runs to the end of the file. */
function boxToEnd(type: string, ...body: Buffer[]): Buffer {
  return Buffer.concat([u32(0), Buffer.from(type, 'latin1'), ...body]);
}

const ftyp = (brand = 'isom') => box('ftyp', Buffer.from(brand, 'latin1'), u32(0x200), Buffer.from('isomiso2avc1mp41'));
const mdat = (bytes = 4096) => box('mdat', Buffer.alloc(bytes, 0xa5));
/** Rate, volume, matrix and next track id: present in a real mvhd, ignored by the reader. */
const MVHD_TAIL = Buffer.alloc(80);

function mvhd(timescale: number, duration: number | bigint, version: 0 | 1 = 0): Buffer {
  if (version === 0) return box('mvhd', u32(0), u32(0), u32(0), u32(timescale), u32(Number(duration)), MVHD_TAIL);
  return box('mvhd', u32(0x01000000), u64(0n), u64(0n), u32(timescale), u64(BigInt(duration)), MVHD_TAIL);
}

const moov = (...children: Buffer[]) => box('moov', ...children, box('trak', box('tkhd', Buffer.alloc(84))));

// ---- EBML elements ----

function idBytes(id: number): Buffer {
  const hex = id.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** Sizes under 127 take one byte, larger ones eight, as muxers do. */
function sizeBytes(size: number): Buffer {
  if (size < 0x7f) return Buffer.from([0x80 | size]);
  return u64(BigInt(size) | (1n << 56n));
}

const UNKNOWN_SIZE = Buffer.from('01ffffffffffffff', 'hex');

const el = (id: number, ...body: Buffer[]) => {
  const content = Buffer.concat(body);
  return Buffer.concat([idBytes(id), sizeBytes(content.length), content]);
};
const unknownSizeEl = (id: number, ...body: Buffer[]) => Buffer.concat([idBytes(id), UNKNOWN_SIZE, ...body]);
const uintEl = (id: number, value: number) => el(id, u32(value));
function floatEl(id: number, value: number, bytes: 4 | 8): Buffer {
  const out = Buffer.alloc(bytes);
  if (bytes === 4) out.writeFloatBE(value);
  else out.writeDoubleBE(value);
  return el(id, out);
}

const ID = {
  ebml: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  seekHead: 0x114d9b74,
  void: 0xec,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  muxingApp: 0x4d80,
  title: 0x7ba9,
  tracks: 0x1654ae6b,
  cluster: 0x1f43b675,
};

const ebmlHeader = (docType = 'webm') =>
  el(ID.ebml, el(0x4286, Buffer.from([1])), el(0x42f7, Buffer.from([1])), el(ID.docType, Buffer.from(docType)), el(0x4287, Buffer.from([4])));
const info = (...children: Buffer[]) => el(ID.info, el(ID.muxingApp, Buffer.from('test')), ...children);
const cluster = () => unknownSizeEl(ID.cluster, el(0xe7, Buffer.from([0])), el(0xa3, Buffer.from([0x81, 0, 0, 0x80]), Buffer.alloc(500, 7)));

/** A MediaRecorder-shaped file: unknown-size Segment, then the given Segment children, then a Cluster. */
const webm = (...children: Buffer[]) => Buffer.concat([ebmlHeader(), unknownSizeEl(ID.segment, ...children, cluster())]);

// ---- files ----

let dir: string;
let count = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'video-file-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function onDisk(bytes: Buffer, name = `video-${count++}.bin`): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

const mp4Seconds = async (bytes: Buffer) => readDurationSeconds(await onDisk(bytes), 'video/mp4');
const webmSeconds = async (bytes: Buffer) => readDurationSeconds(await onDisk(bytes), 'video/webm');

const FIXTURE = fileURLToPath(new URL('../../../miniapp/test/fixtures/test-video.webm', import.meta.url));
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('sniffVideoType', () => {
  it('should recognise MP4 by an ftyp box at offset 4 whatever its brand', () => {
    for (const brand of ['isom', 'iso2', 'mp41', 'mp42', 'avc1', 'M4V ', 'dash', 'qt  ']) {
      expect(sniffVideoType(Buffer.concat([ftyp(brand), mdat(16)]))).toBe('video/mp4');
    }
  });

  it('should recognise WebM by the EBML magic and a webm DocType', () => {
    expect(sniffVideoType(webm(info()))).toBe('video/webm');
    expect(sniffVideoType(ebmlHeader())).toBe('video/webm');
  });

  it('should refuse Matroska and other EBML documents that are not WebM', () => {
    expect(sniffVideoType(ebmlHeader('matroska'))).toBeNull();
    expect(sniffVideoType(ebmlHeader('webmx'))).toBeNull();
  });

  it('should refuse HEIF, AVIF and JPEG 2000 images although they begin with an ftyp box', () => {
    for (const brand of ['heic', 'mif1', 'avif', 'jp2 ']) expect(sniffVideoType(ftyp(brand))).toBeNull();
  });

  it('should refuse a PNG and a text file named like videos, and a zip, an MP3 and empty data', async () => {
    const png = await onDisk(PNG, 'clip.mp4');
    const text = await onDisk(Buffer.from('ftyp isom, definitely a video\n'), 'clip.webm');
    for (const path of [png, text]) {
      expect(sniffVideoType((await readFile(path)).subarray(0, VIDEO_HEAD_BYTES))).toBeNull();
    }
    expect(sniffVideoType(Buffer.from('504b0304140000000800', 'hex'))).toBeNull();
    expect(sniffVideoType(Buffer.concat([Buffer.from('ID3'), Buffer.alloc(7), Buffer.from('fffb9064', 'hex')]))).toBeNull();
    expect(sniffVideoType(Buffer.alloc(0))).toBeNull();
  });

  it('should refuse heads cut before the brand or before the DocType', () => {
    expect(sniffVideoType(ftyp().subarray(0, 10))).toBeNull();
    const header = ebmlHeader();
    expect(sniffVideoType(header.subarray(0, header.indexOf('webm') + 2))).toBeNull();
    expect(sniffVideoType(Buffer.from('1a45dfa3', 'hex'))).toBeNull();
  });

  it('should refuse a DocType that lies outside the EBML header it claims to belong to', () => {
    const header = ebmlHeader();
    header[4] = 0x80 | 3; // the header now ends before its DocType
    expect(sniffVideoType(header)).toBeNull();
  });
});

describe('readDurationSeconds for MP4', () => {
  it('should read the duration when moov comes before mdat', async () => {
    expect(await mp4Seconds(Buffer.concat([ftyp(), moov(mvhd(600, 3690)), mdat()]))).toBeCloseTo(6.15, 9);
  });

  it('should read the duration when moov comes after mdat, at the end of the file', async () => {
    expect(await mp4Seconds(Buffer.concat([ftyp(), box('free'), mdat(100_000), moov(mvhd(1000, 6000))]))).toBe(6);
  });

  it('should read a version 1 mvhd with a 64-bit duration', async () => {
    const microseconds = 5_400_000_000n; // 90 minutes: more than 32 bits hold
    expect(await mp4Seconds(Buffer.concat([ftyp(), moov(mvhd(1_000_000, microseconds, 1)), mdat()]))).toBe(5400);
  });

  it('should skip a 64-bit largesize box and accept a moov of size 0 as the last box', async () => {
    const file = Buffer.concat([ftyp(), largeBox('mdat', Buffer.alloc(3000)), boxToEnd('moov', mvhd(90_000, 540_000))]);
    expect(await mp4Seconds(file)).toBe(6);
  });

  it('should find moov behind a 5 GB mdat without reading the media in between', async () => {
    const path = join(dir, 'large.mp4');
    const media = 5 * 1024 ** 3;
    const head = Buffer.concat([ftyp(), u32(1), Buffer.from('mdat'), u64(BigInt(16 + media))]);
    const handle = await open(path, 'w');
    await handle.write(head, 0, head.length, 0);
    await handle.write(moov(mvhd(600, 3600)), 0, undefined, head.length + media); // a sparse gap, not 5 GB of writes
    await handle.close();
    expect(await readDurationSeconds(path, 'video/mp4')).toBe(6);
  });

  it('should take the fragment duration from mvex/mehd when a fragmented file leaves mvhd at 0', async () => {
    const mehd = box('mehd', u32(0), u32(7200));
    expect(await mp4Seconds(Buffer.concat([ftyp('dash'), moov(mvhd(1200, 0), box('mvex', mehd)), mdat()]))).toBe(6);
    expect(await mp4Seconds(Buffer.concat([ftyp('dash'), moov(mvhd(1200, 0)), mdat()]))).toBeNull();
  });

  it('should return null for a zero timescale and for durations marked unknown', async () => {
    expect(await mp4Seconds(Buffer.concat([ftyp(), moov(mvhd(0, 6000))]))).toBeNull();
    expect(await mp4Seconds(Buffer.concat([ftyp(), moov(mvhd(1000, 0xffffffff))]))).toBeNull();
    expect(await mp4Seconds(Buffer.concat([ftyp(), moov(mvhd(1000, 0xffffffffffffffffn, 1))]))).toBeNull();
  });

  it('should return null when there is no moov or no mvhd', async () => {
    expect(await mp4Seconds(Buffer.concat([ftyp(), mdat()]))).toBeNull();
    expect(await mp4Seconds(Buffer.concat([ftyp(), box('moov', box('trak')), mdat()]))).toBeNull();
  });

  it('should return null, not throw, for files cut inside mdat, inside moov or inside mvhd', async () => {
    const moovLast = Buffer.concat([ftyp(), mdat(), moov(mvhd(1000, 6000))]);
    expect(await mp4Seconds(moovLast.subarray(0, 2000))).toBeNull();
    expect(await mp4Seconds(moovLast.subarray(0, moovLast.length - 10))).toBeNull();
    const shortMvhd = Buffer.concat([ftyp(), box('moov', box('mvhd', u32(0), u32(0), u32(0)))]);
    expect(await mp4Seconds(shortMvhd)).toBeNull();
  });

  it('should return null for boxes whose size is impossible or runs past the end of the file', async () => {
    const tooSmall = Buffer.concat([ftyp(), u32(4), Buffer.from('free'), moov(mvhd(1000, 6000))]);
    const pastTheEnd = Buffer.concat([ftyp(), u32(1_000_000), Buffer.from('mdat'), moov(mvhd(1000, 6000))]);
    expect(await mp4Seconds(tooSmall)).toBeNull();
    expect(await mp4Seconds(pastTheEnd)).toBeNull();
  });

  it('should give up on an endless run of boxes instead of walking them all', async () => {
    const frees = (n: number) => Array.from({ length: n }, () => box('free'));
    expect(await mp4Seconds(Buffer.concat([ftyp(), ...frees(100), moov(mvhd(1000, 6000))]))).toBe(6);
    expect(await mp4Seconds(Buffer.concat([ftyp(), ...frees(5000), moov(mvhd(1000, 6000))]))).toBeNull();
  });

  it('should return null for a PNG and a text file even when asked to read them as MP4', async () => {
    expect(await readDurationSeconds(await onDisk(PNG, 'image.mp4'), 'video/mp4')).toBeNull();
    expect(await readDurationSeconds(await onDisk(Buffer.from('hello\n'), 'text.mp4'), 'video/mp4')).toBeNull();
  });
});

describe('readDurationSeconds for WebM', () => {
  it('should read a float64 Duration in the default TimecodeScale of one millisecond', async () => {
    expect(await webmSeconds(webm(info(floatEl(ID.duration, 6000, 8))))).toBe(6);
  });

  it('should read element sizes written in eight bytes, as MediaRecorder writes the Info size', async () => {
    const durationEl = floatEl(ID.duration, 6000, 8);
    const wideInfo = Buffer.concat([idBytes(ID.info), u64(BigInt(durationEl.length) | (1n << 56n)), durationEl]);
    expect(await webmSeconds(webm(wideInfo))).toBe(6);
  });

  it('should read a float32 Duration in a non-default TimecodeScale, whichever comes first', async () => {
    const file = webm(info(floatEl(ID.duration, 12_000, 4), uintEl(ID.timecodeScale, 500_000)));
    expect(await webmSeconds(file)).toBe(6);
  });

  it('should skip SeekHead, Void and Tracks before Info and accept a Segment of known size', async () => {
    const children = [el(ID.seekHead, Buffer.alloc(40)), el(ID.void, Buffer.alloc(200)), el(ID.tracks, Buffer.alloc(30))];
    const segment = el(ID.segment, ...children, info(floatEl(ID.duration, 6500, 8)), el(ID.cluster, Buffer.alloc(10)));
    expect(await webmSeconds(Buffer.concat([ebmlHeader(), segment]))).toBe(6.5);
  });

  it('should return null when Info carries no Duration, as MediaRecorder writes it', async () => {
    expect(await webmSeconds(webm(info(uintEl(ID.timecodeScale, 1_000_000))))).toBeNull();
  });

  it('should stop at the first Cluster rather than look for an Info after it', async () => {
    const file = Buffer.concat([ebmlHeader(), unknownSizeEl(ID.segment, cluster(), info(floatEl(ID.duration, 6000, 8)))]);
    expect(await webmSeconds(file)).toBeNull();
  });

  it('should return null for a Duration that is zero, not a number or of an impossible width', async () => {
    expect(await webmSeconds(webm(info(floatEl(ID.duration, 0, 8))))).toBeNull();
    expect(await webmSeconds(webm(info(floatEl(ID.duration, NaN, 4))))).toBeNull();
    expect(await webmSeconds(webm(info(el(ID.duration, Buffer.alloc(3)))))).toBeNull();
  });

  it('should return null when an element before Info has an unknown size it cannot be skipped by', async () => {
    expect(await webmSeconds(webm(unknownSizeEl(ID.tracks, Buffer.alloc(10)), info(floatEl(ID.duration, 6000, 8))))).toBeNull();
  });

  it('should return null, not throw, for a file cut inside Info or a Segment that claims more than the file holds', async () => {
    const whole = webm(info(floatEl(ID.duration, 6000, 8)));
    expect(await webmSeconds(whole.subarray(0, whole.indexOf(Buffer.from([0x44, 0x89])) + 4))).toBeNull();
    const segment = el(ID.segment, info(floatEl(ID.duration, 6000, 8)), el(ID.cluster, Buffer.alloc(1000)));
    expect(await webmSeconds(Buffer.concat([ebmlHeader(), segment]).subarray(0, 200))).toBeNull();
  });

  it('should not read an Info larger than any real one', async () => {
    expect(await webmSeconds(webm(info(el(ID.title, Buffer.alloc(70_000, 0x41)), floatEl(ID.duration, 6000, 8))))).toBeNull();
  });

  it('should return null for data that is not EBML at all', async () => {
    expect(await webmSeconds(PNG)).toBeNull();
    expect(await webmSeconds(Buffer.alloc(0))).toBeNull();
    expect(await webmSeconds(Buffer.from('1a45dfa3ff', 'hex'))).toBeNull();
  });
});

describe('readDurationSeconds on damaged input', () => {
  it('should answer null or a positive number, never throw, for arbitrary bytes and for valid files cut anywhere', async () => {
    const valid = [Buffer.concat([ftyp(), mdat(64), moov(mvhd(1000, 6000))]), webm(info(floatEl(ID.duration, 6000, 8)))];
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([file, cut]) => file.subarray(0, cut % file.length)),
    );
    await fc.assert(
      fc.asyncProperty(input, fc.constantFrom('video/mp4' as const, 'video/webm' as const), async (bytes, type) => {
        const seconds = await readDurationSeconds(await onDisk(bytes, 'fuzz.bin'), type);
        expect(seconds === null || (Number.isFinite(seconds) && seconds > 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('should let the error through when the file does not exist', async () => {
    await expect(readDurationSeconds(join(dir, 'missing.webm'), 'video/webm')).rejects.toThrow(/ENOENT/);
  });
});

describe('the recorded test video of the browser tests', () => {
  it('should be sniffed as WebM and declare a duration of about 6 seconds', async () => {
    const bytes = await readFile(FIXTURE);
    expect(sniffVideoType(bytes.subarray(0, VIDEO_HEAD_BYTES))).toBe('video/webm');
    const seconds = await readDurationSeconds(FIXTURE, 'video/webm');
    expect(seconds).toBeGreaterThan(5.7);
    expect(seconds).toBeLessThan(6.3);
  });
});

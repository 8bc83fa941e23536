import { open, type FileHandle } from 'node:fs/promises';
import type { VideoContentType } from '@qmfz/contracts';

/**
 * What an uploaded video is and how long it lasts, read from its bytes. Uploads can be hundreds of megabytes, so
 * durations are read from the file on disk by seeking to the few headers needed, never by loading the file.
 */

/** Leading bytes `sniffVideoType` looks at; an EBML header is usually about 40 bytes, an ftyp box fewer. */
export const VIDEO_HEAD_BYTES = 1024;

// Bounds on hostile files: how many boxes or elements one level may make us visit, and how big a Segment Info we read.
const MAX_SIBLINGS = 1024;
const INFO_MAX_BYTES = 64 * 1024;

// ISO-BMFF major brands of still images (HEIF, AVIF, JPEG 2000): they carry an ftyp box but no playable video.
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis', 'jp2 ', 'jpx ', 'jpm ']);

const EBML = { header: 0x1a45dfa3, docType: 0x4282, segment: 0x18538067, info: 0x1549a966, cluster: 0x1f43b675 };
const INFO = { timecodeScale: 0x2ad7b1, duration: 0x4489 };
const DEFAULT_TIMECODE_SCALE_NS = 1_000_000;

/** The video type the content shows, whatever the file is called; null for anything else or too little data. */
export function sniffVideoType(head: Buffer): VideoContentType | null {
  if (isMp4(head)) return 'video/mp4';
  if (webmDocType(head) === 'webm') return 'video/webm';
  return null;
}

/**
 * The duration in seconds (not rounded) the file's own headers declare: MP4 `moov/mvhd` (or `mvex/mehd` for a
 * fragmented file), WebM Segment Info Duration × TimecodeScale. Null when the file does not carry one or its
 * structure is broken; only I/O errors (a missing file) are thrown.
 */
export async function readDurationSeconds(path: string, type: VideoContentType): Promise<number | null> {
  const handle = await open(path, 'r');
  try {
    const file = await reader(handle);
    const seconds = type === 'video/mp4' ? await mp4Seconds(file) : await webmSeconds(file);
    return seconds !== null && Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  } catch (error) {
    // A read past a buffer's end means a header lied about its size: a broken file, not a failure of ours.
    if (error instanceof RangeError) return null;
    throw error;
  } finally {
    await handle.close();
  }
}

interface Reader {
  size: number;
  /** Up to `length` bytes from `position`, fewer at the end of the file. */
  read(position: number, length: number): Promise<Buffer>;
}

async function reader(handle: FileHandle): Promise<Reader> {
  const { size } = await handle.stat();
  const read = async (position: number, length: number) => {
    const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  };
  return { size, read };
}

// ---- MP4 (ISO base media file format) ----

function isMp4(head: Buffer): boolean {
  if (head.length < 12 || head.toString('latin1', 4, 8) !== 'ftyp') return false;
  const size = head.readUInt32BE(0);
  return (size === 1 || size >= 16) && !IMAGE_BRANDS.has(head.toString('latin1', 8, 12));
}

interface Box {
  type: string;
  bodyStart: number;
  end: number;
}

async function mp4Seconds(file: Reader): Promise<number | null> {
  const moov = await findBox(file, 0, file.size, 'moov');
  const mvhd = moov && (await findBox(file, moov.bodyStart, moov.end, 'mvhd'));
  if (!moov || !mvhd) return null;
  const body = await file.read(mvhd.bodyStart, Math.min(mvhd.end - mvhd.bodyStart, 32));
  // Full box: version (0: 32-bit times, 1: 64-bit), flags, creation and modification times, timescale, duration.
  const v1 = body[0] === 1;
  if (body.length < (v1 ? 32 : 20) || body[0] > 1) return null;
  const timescale = body.readUInt32BE(v1 ? 20 : 12);
  const duration = v1 ? fullBits64(body, 24) : fullBits32(body, 16);
  // Fragmented files leave the movie duration at 0 and may give the total in mvex/mehd instead.
  const total = duration === 0 ? await fragmentedDuration(file, moov) : duration;
  return total && timescale ? total / timescale : null;
}

async function fragmentedDuration(file: Reader, moov: Box): Promise<number | null> {
  const mvex = await findBox(file, moov.bodyStart, moov.end, 'mvex');
  const mehd = mvex && (await findBox(file, mvex.bodyStart, mvex.end, 'mehd'));
  if (!mehd) return null;
  const body = await file.read(mehd.bodyStart, Math.min(mehd.end - mehd.bodyStart, 12));
  if (body.length < (body[0] === 1 ? 12 : 8)) return null;
  return body[0] === 1 ? fullBits64(body, 4) : fullBits32(body, 4);
}

/** A duration field of all ones means "unknown". */
function fullBits32(body: Buffer, at: number): number | null {
  const value = body.readUInt32BE(at);
  return value === 0xffffffff ? null : value;
}

function fullBits64(body: Buffer, at: number): number | null {
  const value = body.readBigUInt64BE(at);
  return value === 0xffffffffffffffffn ? null : Number(value);
}

/** The first box of `type` among the siblings in [from, to); stops at the first box that does not fit. */
async function findBox(file: Reader, from: number, to: number, type: string): Promise<Box | null> {
  let at = from;
  for (let visited = 0; at + 8 <= to && visited < MAX_SIBLINGS; visited++) {
    const box = await readBox(file, at, to);
    if (!box) return null;
    if (box.type === type) return box;
    at = box.end;
  }
  return null;
}

async function readBox(file: Reader, at: number, parentEnd: number): Promise<Box | null> {
  const head = await file.read(at, 16);
  if (head.length < 8) return null;
  const size32 = head.readUInt32BE(0);
  let headerLength = 8;
  let size = size32;
  if (size32 === 1) {
    if (head.length < 16) return null;
    headerLength = 16;
    size = Number(head.readBigUInt64BE(8));
  } else if (size32 === 0) {
    size = parentEnd - at; // the last box, running to the end of its container
  }
  if (size < headerLength || at + size > parentEnd) return null;
  return { type: head.toString('latin1', 4, 8), bodyStart: at + headerLength, end: at + size };
}

// ---- WebM (EBML / Matroska) ----

interface ElementHeader {
  id: number;
  headerLength: number;
  /** Null for "unknown size" (all value bits set), which live recorders write for the Segment and Clusters. */
  size: number | null;
}

function webmDocType(head: Buffer): string | null {
  const header = parseElementHeader(head, 0);
  if (!header || header.id !== EBML.header || header.size === null) return null;
  const end = Math.min(header.headerLength + header.size, head.length);
  let at = header.headerLength;
  for (let visited = 0; at < end && visited < MAX_SIBLINGS; visited++) {
    const child = parseElementHeader(head, at);
    if (!child || child.size === null || at + child.headerLength + child.size > end) return null;
    const valueStart = at + child.headerLength;
    if (child.id === EBML.docType) return head.toString('latin1', valueStart, valueStart + child.size).replace(/\0+$/, '');
    at = valueStart + child.size;
  }
  return null;
}

async function webmSeconds(file: Reader): Promise<number | null> {
  const header = await readElement(file, 0, file.size);
  if (!header || header.id !== EBML.header || header.unknownSize) return null;
  const segment = await readElement(file, header.end, file.size);
  if (!segment || segment.id !== EBML.segment) return null;
  const info = await findInfo(file, segment.dataStart, segment.end);
  if (!info || info.end - info.dataStart > INFO_MAX_BYTES) return null;
  return infoSeconds(await file.read(info.dataStart, info.end - info.dataStart));
}

interface Element {
  id: number;
  dataStart: number;
  /** For an unknown size, the end of the parent. */
  end: number;
  unknownSize: boolean;
}

/** Segment Info, which muxers put before the first Cluster; SeekHead, Tracks, Void and the like are skipped. */
async function findInfo(file: Reader, from: number, to: number): Promise<Element | null> {
  let at = from;
  for (let visited = 0; at < to && visited < MAX_SIBLINGS; visited++) {
    const element = await readElement(file, at, to);
    if (!element || element.id === EBML.cluster || element.unknownSize) return null;
    if (element.id === EBML.info) return element;
    at = element.end;
  }
  return null;
}

async function readElement(file: Reader, at: number, parentEnd: number): Promise<Element | null> {
  const header = parseElementHeader(await file.read(at, 12), 0);
  if (!header) return null;
  const dataStart = at + header.headerLength;
  const end = header.size === null ? parentEnd : dataStart + header.size;
  if (dataStart > parentEnd || end > parentEnd) return null;
  return { id: header.id, dataStart, end, unknownSize: header.size === null };
}

function infoSeconds(info: Buffer): number | null {
  let scale = DEFAULT_TIMECODE_SCALE_NS;
  let duration: number | null = null;
  let at = 0;
  for (let visited = 0; at < info.length && visited < MAX_SIBLINGS; visited++) {
    const child = parseElementHeader(info, at);
    if (!child || child.size === null || at + child.headerLength + child.size > info.length) return null;
    const value = info.subarray(at + child.headerLength, at + child.headerLength + child.size);
    if (child.id === INFO.timecodeScale && value.length > 0) scale = readUint(value);
    if (child.id === INFO.duration) duration = readFloat(value);
    at += child.headerLength + child.size;
  }
  return duration === null ? null : (duration * scale) / 1e9;
}

function readUint(value: Buffer): number {
  return value.length > 8 ? NaN : value.reduce((sum, byte) => sum * 256 + byte, 0);
}

function readFloat(value: Buffer): number {
  if (value.length === 4) return value.readFloatBE(0);
  return value.length === 8 ? value.readDoubleBE(0) : NaN;
}

/** An element ID (1–4 bytes, marker bit kept) followed by its size (1–8 bytes, marker bit dropped). */
function parseElementHeader(buffer: Buffer, at: number): ElementHeader | null {
  const id = readVint(buffer, at, 4);
  const size = id && readVint(buffer, at + id.length, 8);
  if (!id || !size) return null;
  return { id: id.raw, headerLength: id.length + size.length, size: size.allOnes ? null : size.value };
}

interface Vint {
  /** As written, marker bit included: how element IDs are known. */
  raw: number;
  /** Without the marker bit: a size. Summed without it, as 2^56 + size would lose the low bits of a double. */
  value: number;
  length: number;
  /** All value bits set: the "unknown" size. */
  allOnes: boolean;
}

/** A variable-length integer; its length is one plus the leading zero bits of its first byte. */
function readVint(buffer: Buffer, at: number, maxLength: number): Vint | null {
  if (at >= buffer.length || buffer[at] === 0) return null;
  const length = Math.clz32(buffer[at]) - 23;
  if (length > maxLength || at + length > buffer.length) return null;
  const valueBits = 0xff >> length;
  let raw = buffer[at];
  let value = buffer[at] & valueBits;
  let allOnes = value === valueBits;
  for (let i = 1; i < length; i++) {
    raw = raw * 256 + buffer[at + i];
    value = value * 256 + buffer[at + i];
    allOnes &&= buffer[at + i] === 0xff;
  }
  return { raw, value, length, allOnes };
}

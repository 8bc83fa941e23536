/**
 * JPEG (ITU T.81) rebuilt from its coding segments. Kept: frame headers of the kinds browsers and WeChat draw
 * (SOF0 baseline, SOF1 extended, SOF2 progressive), Huffman and quantisation tables, restart intervals, scans with
 * their entropy-coded data. Rewritten to fixed content: JFIF APP0 (without its thumbnail) and Adobe APP14 (only its
 * colour transform, which decoders need for RGB and CMYK files). Replaced by a minimal EXIF block holding nothing
 * but the orientation, when the photo had one: without it a phone photo shows on its side. Dropped: every other
 * APPn (EXIF, XMP, ICC profiles, Photoshop, MPF…), comments, and whatever follows the end of the image (motion
 * photos, vendor trailers). Dropping the ICC profile can shift wide-gamut colours slightly; profiles name the
 * device that made them, and evidence photos and screenshots do not need exact colour.
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP14 = 0xee;
/** Baseline, extended sequential and progressive Huffman frames: what browsers and WeChat decode. */
const FRAMES = new Set([0xc0, 0xc1, 0xc2]);
/** Other frame kinds (lossless, hierarchical, arithmetic): valid JPEG, but no viewer of ours can show them. */
const UNSUPPORTED_FRAMES = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/** DHT, DQT, DRI, DNL: needed to decode. */
const TABLES = new Set([0xc4, 0xdb, 0xdd, 0xdc]);
const ORIENTATION_TAG = 0x0112;

const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

export function cleanJpeg(input: Buffer): { bytes: Buffer; width: number; height: number } | null {
  if (input[0] !== 0xff || input[1] !== SOI) return null;
  const kept: Buffer[] = [];
  let header: Buffer | null = null;
  let orientation: number | null = null;
  let adobe: Buffer | null = null;
  let size: { width: number; height: number } | null = null;
  let scans = 0;
  let pos = 2;
  for (;;) {
    if (input[pos] !== 0xff) return null;
    while (input[pos] === 0xff) pos++; // fill bytes may precede a marker
    if (pos >= input.length) return null;
    const marker = input[pos++];
    if (marker === EOI) break;
    if (marker === SOI || marker === 0x00 || (marker >= 0x02 && marker <= 0xbf)) return null;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // TEM, stray RSTn: no content
    if (pos + 2 > input.length) return null;
    const length = input.readUInt16BE(pos);
    if (length < 2 || pos + length > input.length) return null;
    const whole = input.subarray(pos - 2, pos + length);
    const payload = input.subarray(pos + 2, pos + length);
    pos += length;
    if (marker === SOS) {
      const end = size ? scanEnd(input, pos) : -1;
      if (end < 0) return null;
      kept.push(whole, input.subarray(pos, end));
      pos = end;
      scans++;
    } else if (FRAMES.has(marker)) {
      if (size) return null;
      size = frameSize(payload);
      if (!size) return null;
      kept.push(whole);
    } else if (UNSUPPORTED_FRAMES.has(marker)) {
      return null;
    } else if (TABLES.has(marker)) {
      kept.push(whole);
    } else if (marker === APP0 && !header) {
      header = jfifHeader(payload);
    } else if (marker === APP1 && orientation === null) {
      orientation = exifOrientation(payload);
    } else if (marker === APP14 && !adobe) {
      adobe = adobeTransform(payload);
    }
    // Anything else (APP1–APP15 content, COM, JPGn, DHP, EXP) is dropped.
  }
  if (!size || scans === 0) return null;
  const parts: Buffer[] = [Buffer.from([0xff, SOI])];
  if (header) parts.push(segment(APP0, header));
  if (orientation !== null && orientation !== 1) parts.push(segment(APP1, orientationExif(orientation)));
  if (adobe) parts.push(segment(APP14, adobe));
  parts.push(...kept, Buffer.from([0xff, EOI]));
  return { bytes: Buffer.concat(parts), ...size };
}

/** Where the entropy-coded data after a scan header ends: at the next marker that is not a restart; -1 if none. */
function scanEnd(input: Buffer, from: number): number {
  for (let i = from; i + 1 < input.length; i++) {
    if (input[i] !== 0xff) continue;
    const next = input[i + 1];
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

function frameSize(payload: Buffer): { width: number; height: number } | null {
  if (payload.length < 6) return null;
  const height = payload.readUInt16BE(1);
  const width = payload.readUInt16BE(3);
  const components = payload[5];
  if (components < 1 || components > 4 || payload.length !== 6 + 3 * components) return null;
  // A height of 0 defers it to a DNL segment after the first scan: legal, unseen in practice, and not worth reading.
  return width > 0 && height > 0 ? { width, height } : null;
}

/** JFIF's version and pixel density, with no thumbnail. */
function jfifHeader(payload: Buffer): Buffer | null {
  if (payload.length < 14 || payload.toString('latin1', 0, 5) !== 'JFIF\0') return null;
  const header = Buffer.from(payload.subarray(0, 14));
  header[12] = 0;
  header[13] = 0;
  return header;
}

/** Adobe's segment with only the colour transform (0 none/CMYK, 1 YCbCr, 2 YCCK) that decoders read. */
function adobeTransform(payload: Buffer): Buffer | null {
  if (payload.length < 12 || payload.toString('latin1', 0, 5) !== 'Adobe' || payload[11] > 2) return null;
  return Buffer.from([...Buffer.from('Adobe', 'latin1'), 0, 100, 0, 0, 0, 0, payload[11]]);
}

/** The orientation (1–8) in an EXIF block's first IFD, or null. */
export function exifOrientation(payload: Buffer): number | null {
  if (payload.length < 14 || payload.toString('latin1', 0, 6) !== 'Exif\0\0') return null;
  const tiff = payload.subarray(6);
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const u16 = (at: number) => (order === 'II' ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (order === 'II' ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return null;
    if (u16(entry) !== ORIENTATION_TAG) continue;
    const value = u16(entry + 8);
    return u16(entry + 2) === 3 && u32(entry + 4) === 1 && value >= 1 && value <= 8 ? value : null;
  }
  return null;
}

/** An EXIF block of one big-endian IFD with one entry: Orientation, SHORT, count 1. */
function orientationExif(orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(ORIENTATION_TAG, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  // Bytes 20–21 pad the value field; 22–25: no next IFD.
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

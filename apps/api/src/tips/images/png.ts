import { crc32 } from 'node:zlib';

/**
 * PNG rebuilt from the chunks that say how to draw it: IHDR, PLTE, IDAT, IEND, transparency, colour space
 * (gAMA, cHRM, sRGB, sBIT), background, histogram, pixel size, and the APNG animation chunks. Dropped: text
 * (tEXt, zTXt, iTXt), EXIF (eXIf), the modification time (tIME), ICC profiles (iCCP), suggested palettes (sPLT,
 * which carry a name) and every unknown ancillary chunk. An unknown critical chunk (e.g. Apple's CgBI) means the
 * file is not a PNG a viewer can draw, so it is refused. Everything after IEND is dropped.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'bKGD', 'hIST', 'pHYs', 'acTL', 'fcTL', 'fdAT']);
const MAX_CHUNK = 0x7fffffff;
/** Bit depths allowed per colour type (PNG spec §11.2.2). */
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export function cleanPng(input: Buffer): { bytes: Buffer; width: number; height: number } | null {
  if (input.length < 8 || !input.subarray(0, 8).equals(SIGNATURE)) return null;
  const kept: Buffer[] = [SIGNATURE];
  let size: { width: number; height: number } | null = null;
  let hasData = false;
  for (let pos = 8; ; ) {
    if (pos + 12 > input.length) return null;
    const length = input.readUInt32BE(pos);
    if (length > MAX_CHUNK || pos + 12 + length > input.length) return null;
    const type = input.toString('latin1', pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) return null;
    const whole = input.subarray(pos, pos + 12 + length);
    if (crc32(whole.subarray(4, 8 + length)) !== input.readUInt32BE(pos + 8 + length)) return null;
    const data = whole.subarray(8, 8 + length);
    pos += 12 + length;
    if (!size) {
      if (type !== 'IHDR') return null;
      size = header(data);
      if (!size) return null;
    } else if (type === 'IHDR') {
      return null;
    }
    if (type === 'IDAT') hasData = true;
    if (KEEP.has(type)) kept.push(whole);
    // The fifth bit of the first letter marks a chunk a decoder may skip; any other unknown chunk is refused.
    else if ((type.charCodeAt(0) & 0x20) === 0) return null;
    if (type === 'IEND') break;
  }
  return size && hasData ? { bytes: Buffer.concat(kept), ...size } : null;
}

function header(data: Buffer): { width: number; height: number } | null {
  if (data.length !== 13) return null;
  const width = data.readUInt32BE(0);
  const height = data.readUInt32BE(4);
  const [depth, colour, compression, filter, interlace] = data.subarray(8);
  if (!DEPTHS[colour]?.includes(depth) || compression !== 0 || filter !== 0 || interlace > 1) return null;
  return width > 0 && height > 0 && width <= MAX_CHUNK && height <= MAX_CHUNK ? { width, height } : null;
}

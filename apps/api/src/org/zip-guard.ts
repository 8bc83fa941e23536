import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  maxEntries: number;
  /** Bound on the sum of all entries once inflated. */
  maxUncompressedBytes: number;
}

/** An XLSX of a 2000-row roster inflates to well under 1 MB; this leaves room and stops zip bombs. */
export const XLSX_ZIP_LIMITS: ZipLimits = { maxEntries: 200, maxUncompressedBytes: 8 * 1024 * 1024 };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * True when the buffer is a plain zip archive whose entries really inflate within the limits.
 * The declared sizes in a zip can lie, so each entry is inflated with a hard output cap before a zip
 * library (which would inflate without one) ever sees the file. ZIP64 and encrypted archives are refused.
 */
export function zipWithinLimits(zip: Buffer, limits: ZipLimits = XLSX_ZIP_LIMITS): boolean {
  try {
    const directory = findCentralDirectory(zip);
    if (!directory || directory.entries > limits.maxEntries) return false;
    let budget = limits.maxUncompressedBytes;
    let offset = directory.offset;
    for (let i = 0; i < directory.entries; i++) {
      if (zip.readUInt32LE(offset) !== CENTRAL_SIGNATURE) return false;
      const flags = zip.readUInt16LE(offset + 8);
      const method = zip.readUInt16LE(offset + 10);
      const compressedSize = zip.readUInt32LE(offset + 20);
      const localOffset = zip.readUInt32LE(offset + 42);
      if (flags & 0x1 || compressedSize === 0xffffffff || localOffset === 0xffffffff) return false;
      const inflated = inflatedSize(zip, localOffset, compressedSize, method, budget);
      if (inflated === null) return false;
      budget -= inflated;
      offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    }
    return true;
  } catch {
    // Out-of-range reads and inflate errors alike mean a damaged or hostile archive.
    return false;
  }
}

function findCentralDirectory(zip: Buffer): { entries: number; offset: number } | null {
  // The end record sits in the last 22 bytes plus an optional comment of up to 65535 bytes.
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= earliest; at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) {
      const entries = zip.readUInt16LE(at + 10);
      const offset = zip.readUInt32LE(at + 16);
      return entries === 0xffff || offset === 0xffffffff ? null : { entries, offset };
    }
  }
  return null;
}

function inflatedSize(zip: Buffer, localOffset: number, compressedSize: number, method: number, budget: number): number | null {
  if (zip.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) return null;
  const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  if (start + compressedSize > zip.length) return null;
  const data = zip.subarray(start, start + compressedSize);
  if (method === STORED) return data.length <= budget ? data.length : null;
  if (method !== DEFLATED) return null;
  // Throws ERR_BUFFER_TOO_LARGE as soon as the output passes the remaining budget.
  return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) }).length;
}

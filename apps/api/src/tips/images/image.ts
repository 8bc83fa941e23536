import type { TipImageType } from '@qmfz/contracts';
import { cleanJpeg } from './jpeg.js';
import { cleanPng } from './png.js';
import { cleanWebp } from './webp.js';

/**
 * Tip images, read by their bytes and rewritten without metadata. Photos carry where and when they were taken and
 * on which phone (EXIF, XMP, text chunks, ICC profiles naming the device), which would identify the reporter to
 * anyone who opens the file. Each format is parsed by hand and rebuilt from the parts a viewer needs to draw it;
 * nothing is decoded, so the pixels are the ones the reporter sent.
 */
export interface CleanImage {
  type: TipImageType;
  /** The image without metadata; a new buffer, never a view of the input. */
  bytes: Buffer;
  width: number;
  height: number;
}

/** Larger images are refused: a small file can declare a huge canvas that exhausts the viewer's memory. */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** The type the bytes show, whatever the file was called; null for anything else. */
export function sniffImageType(bytes: Buffer): TipImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * The image with its metadata removed, or null when the bytes are not a whole JPEG, PNG or WebP we can rebuild
 * (another type, a cut-off file, a structure that lies about its sizes, an oversized canvas). Never throws.
 */
export function cleanImage(bytes: Buffer): CleanImage | null {
  const type = sniffImageType(bytes);
  if (!type) return null;
  let image: Omit<CleanImage, 'type'> | null;
  try {
    image = type === 'image/jpeg' ? cleanJpeg(bytes) : type === 'image/png' ? cleanPng(bytes) : cleanWebp(bytes);
  } catch (error) {
    // A read past the end of a buffer: a header claimed more bytes than the file has.
    if (error instanceof RangeError) return null;
    throw error;
  }
  if (!image || image.width < 1 || image.height < 1 || image.width * image.height > MAX_IMAGE_PIXELS) return null;
  return { type, ...image };
}

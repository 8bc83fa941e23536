/**
 * WebP (RIFF) rebuilt from the chunks that draw it. A simple file is one VP8 (lossy) or VP8L (lossless) chunk. An
 * extended file (VP8X) keeps its alpha (ALPH), image, and animation (ANIM, ANMF, each frame rebuilt the same way);
 * dropped are EXIF, XMP, the ICC profile (ICCP) and unknown chunks, and their VP8X flags are cleared. The RIFF size
 * is written for the new content; anything after the RIFF is dropped.
 */

const FLAG_ALPHA = 0x10;
const FLAG_ANIMATION = 0x02;
const FRAME_CHUNKS = new Set(['ALPH', 'VP8 ', 'VP8L']);
const ANMF_HEADER = 16;

interface Chunk {
  fourcc: string;
  data: Buffer;
}

export function cleanWebp(input: Buffer): { bytes: Buffer; width: number; height: number } | null {
  if (input.length < 12 || input.toString('latin1', 0, 4) !== 'RIFF' || input.toString('latin1', 8, 12) !== 'WEBP') return null;
  const end = 8 + input.readUInt32LE(4);
  if (end > input.length) return null;
  const chunks = readChunks(input.subarray(12, end));
  if (!chunks || chunks.length === 0) return null;
  const [first] = chunks;
  if (first.fourcc === 'VP8 ' || first.fourcc === 'VP8L') {
    const size = bitstreamSize(first);
    return size ? { bytes: riff([first]), ...size } : null;
  }
  if (first.fourcc !== 'VP8X' || first.data.length !== 10) return null;
  return extended(first.data, chunks.slice(1));
}

function extended(header: Buffer, rest: Chunk[]): { bytes: Buffer; width: number; height: number } | null {
  const flags = header[0];
  const width = header.readUIntLE(4, 3) + 1;
  const height = header.readUIntLE(7, 3) + 1;
  const animated = (flags & FLAG_ANIMATION) !== 0;
  const kept: Chunk[] = [];
  for (const chunk of rest) {
    if (animated && chunk.fourcc === 'ANIM' && chunk.data.length === 6) kept.push(chunk);
    else if (animated && chunk.fourcc === 'ANMF') {
      const frame = animationFrame(chunk.data);
      if (!frame) return null;
      kept.push(frame);
    } else if (!animated && FRAME_CHUNKS.has(chunk.fourcc)) kept.push(chunk);
    // ICCP, EXIF, XMP and unknown chunks are dropped.
  }
  if (animated ? !kept.some((c) => c.fourcc === 'ANMF') || kept[0]?.fourcc !== 'ANIM' : !stillImageValid(kept)) return null;
  if (!animated) {
    // A still image fills the canvas exactly (WebP container spec, "Canvas Width Minus One").
    const size = bitstreamSize(kept[kept.length - 1]);
    if (size?.width !== width || size.height !== height) return null;
  }
  // Nothing left that needs the extended format: write the simple one, which every decoder reads.
  if (!animated && kept.length === 1 && (flags & FLAG_ALPHA) === 0) return { bytes: riff(kept), width, height };
  const newHeader = Buffer.from(header);
  // Only alpha and animation stay; the ICC, EXIF and XMP flags (and reserved bits) are cleared with their chunks.
  newHeader[0] = flags & (FLAG_ALPHA | FLAG_ANIMATION);
  newHeader.fill(0, 1, 4);
  return { bytes: riff([{ fourcc: 'VP8X', data: newHeader }, ...kept]), width, height };
}

/** One image chunk, optionally after one ALPH for a lossy image. */
function stillImageValid(kept: Chunk[]): boolean {
  const images = kept.filter((c) => c.fourcc !== 'ALPH');
  const alpha = kept.length - images.length;
  if (images.length !== 1 || !bitstreamSize(images[0])) return false;
  return alpha === 0 || (alpha === 1 && kept[0].fourcc === 'ALPH' && images[0].fourcc === 'VP8 ');
}

/** An ANMF chunk with only its position/duration header and its image chunks. */
function animationFrame(data: Buffer): Chunk | null {
  if (data.length < ANMF_HEADER) return null;
  const inner = readChunks(data.subarray(ANMF_HEADER));
  if (!inner) return null;
  const kept = inner.filter((c) => FRAME_CHUNKS.has(c.fourcc));
  if (!stillImageValid(kept)) return null;
  return { fourcc: 'ANMF', data: Buffer.concat([data.subarray(0, ANMF_HEADER), ...kept.map(chunkBytes)]) };
}

/** The chunks of a RIFF body, or null when a size runs past the end. A missing final pad byte is tolerated. */
function readChunks(body: Buffer): Chunk[] | null {
  const chunks: Chunk[] = [];
  let pos = 0;
  while (pos + 8 <= body.length) {
    const size = body.readUInt32LE(pos + 4);
    if (pos + 8 + size > body.length) return null;
    chunks.push({ fourcc: body.toString('latin1', pos, pos + 4), data: body.subarray(pos + 8, pos + 8 + size) });
    pos += 8 + size + (size & 1);
  }
  return pos >= body.length ? chunks : null;
}

/** Width and height a VP8 key frame or a VP8L header declares, or null when the header is not one. */
function bitstreamSize(chunk: Chunk): { width: number; height: number } | null {
  const data = chunk.data;
  if (chunk.fourcc === 'VP8 ') {
    // A key frame: frame tag bit 0 clear, start code 9d 01 2a, then 14-bit width and height.
    if (data.length < 10 || (data[0] & 1) !== 0 || data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) return null;
    return { width: data.readUInt16LE(6) & 0x3fff, height: data.readUInt16LE(8) & 0x3fff };
  }
  if (chunk.fourcc === 'VP8L') {
    if (data.length < 5 || data[0] !== 0x2f) return null;
    const bits = data.readUInt32LE(1);
    if (bits >>> 29 !== 0) return null; // version 0 only
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return null;
}

function chunkBytes(chunk: Chunk): Buffer {
  const head = Buffer.alloc(8);
  head.write(chunk.fourcc, 0, 'latin1');
  head.writeUInt32LE(chunk.data.length, 4);
  return Buffer.concat([head, chunk.data, chunk.data.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function riff(chunks: Chunk[]): Buffer {
  const body = Buffer.concat(chunks.map(chunkBytes));
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + body.length, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body]);
}

// Draws the tab bar icons (81×81 PNG, grey and brand red) from simple shapes, so they need no design tool and
// stay reproducible: `node scripts/tab-icons.mjs` rewrites src/assets/tab/*.png.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, deflateSync } from 'node:zlib'

const SIZE = 81
const SAMPLES = 4 // per axis: 16 samples a pixel smooth the edges
const COLOURS = { normal: [0x5b, 0x64, 0x70], active: [0xc8, 0x10, 0x2e] }
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/assets/tab')

// Shapes take coordinates in [0, 1] and say whether the point is inked.
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const union = (...shapes) => (x, y) => shapes.some((shape) => shape(x, y))
const minus = (shape, hole) => (x, y) => shape(x, y) && !hole(x, y)
/** Inside the triangle (a, b, c), by the signs of the edge cross products. */
const triangle = (a, b, c) => (x, y) => {
  const side = (p, q) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])
  const [d1, d2, d3] = [side(a, b), side(b, c), side(c, a)]
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
}
const outline = (x0, y0, x1, y1, w) => minus(rect(x0, y0, x1, y1), rect(x0 + w, y0 + w, x1 - w, y1 - w))

const ICONS = {
  // 首页: a house with a door.
  home: minus(union(triangle([0.5, 0.1], [0.08, 0.5], [0.92, 0.5]), rect(0.2, 0.45, 0.8, 0.88)), rect(0.42, 0.62, 0.58, 0.88)),
  // 答题: a sheet with lines and a tick box.
  quiz: union(outline(0.18, 0.1, 0.82, 0.9, 0.07), rect(0.3, 0.3, 0.7, 0.36), rect(0.3, 0.48, 0.7, 0.54), rect(0.3, 0.66, 0.55, 0.72)),
  // 举报: a shield with an exclamation mark.
  report: minus(
    union(rect(0.14, 0.1, 0.86, 0.5), triangle([0.14, 0.5], [0.86, 0.5], [0.5, 0.94])),
    union(rect(0.45, 0.24, 0.55, 0.56), circle(0.5, 0.68, 0.06)),
  ),
  // 我的: a person.
  mine: union(circle(0.5, 0.3, 0.18), minus(circle(0.5, 0.98, 0.4), rect(0, 0.93, 1, 1))),
}

function png(shape, [r, g, b]) {
  const rows = []
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4) // filter byte 0, then RGBA
    for (let px = 0; px < SIZE; px++) {
      let hits = 0
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          if (shape((px + (sx + 0.5) / SAMPLES) / SIZE, (py + (sy + 0.5) / SAMPLES) / SIZE)) hits++
        }
      }
      row.set([r, g, b, Math.round((255 * hits) / SAMPLES ** 2)], 1 + px * 4)
    }
    rows.push(row)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(SIZE, 0)
  header.writeUInt32BE(SIZE, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

for (const [name, shape] of Object.entries(ICONS)) {
  for (const [state, colour] of Object.entries(COLOURS)) {
    const file = path.join(outDir, `${name}${state === 'active' ? '-active' : ''}.png`)
    writeFileSync(file, png(shape, colour))
  }
}
console.log(`wrote ${Object.keys(ICONS).length * 2} icons to ${outDir}`)

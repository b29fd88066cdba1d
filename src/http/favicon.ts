/**
 * `/favicon.ico`: a 16×16 icon drawn by code at start (no asset file) — the feed sign, a white
 * dot and two arcs on an orange rounded square — as a Windows ICO holding one 32-bit BMP, which
 * every browser reads.
 */
const SIZE = 16;

/** RGBA of pixel (x, y), y from the top. */
function pixel(x: number, y: number): [number, number, number, number] {
  const cx = x + 0.5;
  const cy = y + 0.5;
  // Rounded square: transparent outside a 3-pixel corner radius.
  const r = 3;
  const dx = Math.max(r - cx, cx - (SIZE - r), 0);
  const dy = Math.max(r - cy, cy - (SIZE - r), 0);
  if (dx * dx + dy * dy > r * r) return [0, 0, 0, 0];
  // Distance from the sign's origin, near the bottom-left corner.
  const d = Math.hypot(cx - 4, cy - 12);
  const white = d <= 1.8 || (d >= 4.5 && d <= 6.3) || (d >= 8.7 && d <= 10.5);
  const inQuadrant = cx >= 2.2 && cy <= 13.8;
  return white && inQuadrant ? [255, 255, 255, 255] : [238, 128, 34, 255];
}

export function faviconIco(): Buffer {
  const xorBytes = SIZE * SIZE * 4;
  const andRow = Math.ceil(SIZE / 32) * 4;
  const andBytes = andRow * SIZE;
  const imageBytes = 40 + xorBytes + andBytes;
  const out = Buffer.alloc(6 + 16 + imageBytes);
  // ICONDIR: reserved, type 1 (icon), one image.
  out.writeUInt16LE(0, 0);
  out.writeUInt16LE(1, 2);
  out.writeUInt16LE(1, 4);
  // ICONDIRENTRY: width, height, no palette, reserved, 1 plane, 32 bpp, size, offset.
  out.writeUInt8(SIZE, 6);
  out.writeUInt8(SIZE, 7);
  out.writeUInt8(0, 8);
  out.writeUInt8(0, 9);
  out.writeUInt16LE(1, 10);
  out.writeUInt16LE(32, 12);
  out.writeUInt32LE(imageBytes, 14);
  out.writeUInt32LE(22, 18);
  // BITMAPINFOHEADER; the height counts the XOR and the AND masks.
  let o = 22;
  out.writeUInt32LE(40, o);
  out.writeInt32LE(SIZE, o + 4);
  out.writeInt32LE(SIZE * 2, o + 8);
  out.writeUInt16LE(1, o + 12);
  out.writeUInt16LE(32, o + 14);
  out.writeUInt32LE(0, o + 16); // BI_RGB
  out.writeUInt32LE(xorBytes + andBytes, o + 20);
  o += 40;
  // Pixels BGRA, bottom row first.
  for (let y = SIZE - 1; y >= 0; y--) {
    for (let x = 0; x < SIZE; x++) {
      const [red, green, blue, alpha] = pixel(x, y);
      out.writeUInt8(blue, o);
      out.writeUInt8(green, o + 1);
      out.writeUInt8(red, o + 2);
      out.writeUInt8(alpha, o + 3);
      o += 4;
    }
  }
  // AND mask, bottom row first: 1 where transparent (for readers that ignore the alpha).
  for (let y = SIZE - 1; y >= 0; y--) {
    for (let x = 0; x < SIZE; x++) {
      if (pixel(x, y)[3] === 0) out[o + (x >> 3)]! |= 0x80 >> (x & 7);
    }
    o += andRow;
  }
  return out;
}

/**
 * Seal images as offices have them: a red round seal (公章) on a transparent
 * ground, the same on a white ground (a scan), and a JPEG named .png. Drawn
 * here pixel by pixel and written as PNG with zlib, so a test knows every
 * pixel it later looks for in a certificate's PDF.
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export interface SealImage {
  png: Buffer;
  width: number;
  height: number;
  /** The colour samples, row by row, without alpha: what a PDF holds of the image itself. */
  rgb: Buffer;
}

/**
 * A red ring with a star-shaped mark in it, `size` pixels square; outside the
 * seal transparent (`ground: 'transparent'`), or white with no alpha channel
 * (`ground: 'white'`, as a scanned seal comes).
 */
export function sealPng(options: { size?: number; ground?: 'transparent' | 'white' } = {}): SealImage {
  const size = options.size ?? 240;
  const ground = options.ground ?? 'transparent';
  const channels = ground === 'transparent' ? 4 : 3;
  const rgb = Buffer.alloc(size * size * 3);
  const raw = Buffer.alloc(size * (size * channels + 1));
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    raw[y * (size * channels + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre) / (size / 2);
      const angle = Math.atan2(y - centre, x - centre);
      const ring = distance > 0.86 && distance < 0.97;
      const star = distance < 0.32 * (0.6 + 0.4 * Math.cos(5 * angle));
      const inked = ring || star;
      const colour = inked ? [0xd0, 0x1f, 0x1f] : [0xff, 0xff, 0xff];
      const pixel = y * (size * channels + 1) + 1 + x * channels;
      colour.forEach((value, index) => {
        raw[pixel + index] = value;
        rgb[(y * size + x) * 3 + index] = value;
      });
      if (channels === 4) raw[pixel + 3] = inked ? 0xe6 : 0;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bits per channel
  header.writeUInt8(channels === 4 ? 6 : 2, 9); // RGBA or RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { png, width: size, height: size, rgb };
}

/** The first bytes of a JPEG (a seal photographed and saved as 公章.png): not a PNG whatever its name. */
export const jpegNamedPng = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  Buffer.alloc(2048, 0x55),
  Buffer.from([0xff, 0xd9]),
]);

/**
 * The images a PDF holds, read from its objects: each image XObject's size,
 * whether it has a soft mask (transparency), and its samples inflated. PDFKit
 * writes plain objects (no object streams), so each is found by its header.
 */
import { inflateSync } from 'node:zlib';

export interface PdfImage {
  object: number;
  width: number;
  height: number;
  /** The object number of its soft mask (the alpha channel), if any. */
  softMask: number | null;
  /** The samples, decompressed. */
  samples: Buffer;
}

export function pdfImages(pdf: Buffer): PdfImage[] {
  const text = pdf.toString('latin1');
  const images: PdfImage[] = [];
  // Never across an `endobj`: a dictionary without a stream (a font) must not run on into the next object's.
  for (const match of text.matchAll(/(\d+) 0 obj\s*<<((?:(?!endobj)[\s\S])*?)>>\s*stream\r?\n/g)) {
    const dictionary = match[2] ?? '';
    if (!/\/Subtype\s*\/Image\b/.test(dictionary)) continue;
    const number = (key: string) => Number(new RegExp(`/${key}\\s+(\\d+)`).exec(dictionary)?.[1] ?? Number.NaN);
    const start = match.index + match[0].length;
    const length = number('Length');
    const raw = pdf.subarray(start, start + length);
    const softMask = /\/SMask\s+(\d+)\s+0\s+R/.exec(dictionary)?.[1];
    images.push({
      object: Number(match[1]),
      width: number('Width'),
      height: number('Height'),
      softMask: softMask === undefined ? null : Number(softMask),
      samples: /\/Filter\s*\/FlateDecode/.test(dictionary) ? inflateSync(raw) : Buffer.from(raw),
    });
  }
  return images;
}

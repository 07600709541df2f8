/**
 * Scanning a QR code with the phone's camera: with the browser's Barcode
 * Detection API where it has one (Chrome on Android), else with ZXing-C++
 * compiled to WebAssembly (zxing-wasm: iOS Safari, WeChat's browser, desktop
 * browsers). The decoder and its .wasm are bundled by Vite and loaded only
 * when someone scans — never from a CDN (zxing-wasm's default). Typing the
 * 8-character code works everywhere. The API is not in TypeScript's DOM
 * library yet, hence the declaration.
 */

interface DetectedBarcode {
  rawValue: string;
}

type ScanSource = HTMLVideoElement | HTMLCanvasElement | HTMLImageElement;

export interface QrDetector {
  detect(source: ScanSource): Promise<DetectedBarcode[]>;
}

declare global {
  interface Window {
    BarcodeDetector?: {
      new (options: { formats: string[] }): QrDetector;
      getSupportedFormats?: () => Promise<string[]>;
    };
  }
}

/** The pixels of what the camera (or an image) shows now, or undefined before it has a frame. */
function pixelsOf(source: ScanSource): ImageData | undefined {
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
  if (!width || !height) return undefined;
  if (source instanceof HTMLCanvasElement) return source.getContext('2d')?.getImageData(0, 0, width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return undefined;
  context.drawImage(source, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

/** The WebAssembly decoder, loaded on first use from this app's own assets. */
async function wasmDetector(): Promise<QrDetector> {
  const [{ prepareZXingModule, readBarcodes }, { default: wasmUrl }] = await Promise.all([
    import('zxing-wasm/reader'),
    import('zxing-wasm/reader/zxing_reader.wasm?url'),
  ]);
  prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
  });
  return {
    async detect(source) {
      const pixels = pixelsOf(source);
      if (!pixels) return [];
      const results = await readBarcodes(pixels, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
      return results.filter((result) => result.isValid).map((result) => ({ rawValue: result.text }));
    },
  };
}

/** The browser's own detector if it reads QR codes, else the bundled WebAssembly one. */
export async function qrDetector(): Promise<QrDetector> {
  const native = window.BarcodeDetector;
  if (native) {
    const formats = (await native.getSupportedFormats?.().catch(() => [])) ?? ['qr_code'];
    if (formats.includes('qr_code')) return new native({ formats: ['qr_code'] });
  }
  return wasmDetector();
}

/** The check-in code in what was scanned: the `code` of the check-in link, or the text itself. */
export function codeFromScan(text: string): string {
  try {
    return new URL(text).searchParams.get('code') ?? text;
  } catch {
    return text;
  }
}

/**
 * Scanning a QR code with the phone's camera, where the browser has the
 * Barcode Detection API (Chrome on Android does; others fall back to typing
 * the code). Not in TypeScript's DOM library yet, hence the declaration.
 */

interface DetectedBarcode {
  rawValue: string;
}

export interface QrDetector {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}

declare global {
  interface Window {
    BarcodeDetector?: new (options: { formats: string[] }) => QrDetector;
  }
}

/** A QR code detector, or undefined where the browser has none. */
export function qrDetector(): QrDetector | undefined {
  return window.BarcodeDetector ? new window.BarcodeDetector({ formats: ['qr_code'] }) : undefined;
}

/** The check-in code in what was scanned: the `code` of the check-in link, or the text itself. */
export function codeFromScan(text: string): string {
  try {
    return new URL(text).searchParams.get('code') ?? text;
  } catch {
    return text;
  }
}

import { error, redirect } from '@sveltejs/kit';
import { ApiError } from './api-error';

/** A file the API made, as its answers carry it. */
export interface ApiFile {
  fileName: string;
  contentType: string;
  /** The bytes, base64-encoded (binary files) … */
  base64?: string;
  /** … or the text (text files). */
  text?: string;
}

/** An ASCII stand-in for a file name, for clients that ignore `filename*`. */
function asciiName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot) : '';
  const stem = fileName
    .slice(0, dot > 0 ? dot : undefined)
    .replace(/[^\x20-\x7e]+/g, '-')
    .replace(/["\\]/g, '');
  return `${stem.replace(/^-+|-+$/g, '') || 'download'}${extension.replace(/[^\x20-\x7e]|["\\]/g, '')}`;
}

/**
 * A download of a file the API made. The name goes in both of RFC 6266's
 * forms: an ASCII fallback and the exact UTF-8 name (a header cannot carry
 * Chinese as it is, and most of our names can be Chinese). Never kept by a
 * shared cache: every file here is someone's data.
 */
export function downloadResponse(file: ApiFile, cacheControl = 'private, no-store'): Response {
  const body = file.base64 === undefined ? (file.text ?? '') : Buffer.from(file.base64, 'base64');
  return new Response(body, {
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${asciiName(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'cache-control': cacheControl,
    },
  });
}

/** The HTTP status of each API error a file request can meet; any other goes to `handleError` (500). */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  // Asked too early: an export not finished yet.
  INVALID_STATE: 409,
  VALIDATION: 400,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/**
 * Turns an API error met while fetching a file into its answer. A signed-out
 * browser following a link is sent to sign in and back to `signInReturn`; a
 * script asking (no `signInReturn`) gets 401. Every other known code keeps its
 * own status, so an unreachable database is a 503 to retry, not a 403.
 */
export function failFile(cause: unknown, signInReturn?: string): never {
  if (cause instanceof ApiError) {
    if (cause.code === 'UNAUTHENTICATED' && signInReturn) {
      redirect(303, `/signin?next=${encodeURIComponent(signInReturn)}`);
    }
    const status = STATUS_OF_CODE[cause.code];
    if (status) error(status, { message: cause.message, code: cause.code });
  }
  throw cause;
}

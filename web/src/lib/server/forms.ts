import { fail, type ActionFailure } from '@sveltejs/kit';
import { ApiError } from './api';

/** What a failed form gets back: what was typed, and the error codes per field and for the form. */
export interface FormFailure {
  values: Record<string, string>;
  fields: Record<string, string>;
  code: string;
  /** RATE_LIMITED: how long until it may be tried again, when the API said. */
  retryAfterSeconds?: number;
}

/** A text field of a submitted form ('' if missing or a file). */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/** The named text fields of a submitted form, as strings. */
export function readForm(data: FormData, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, formText(data, name)]));
}

/** An API refusal becomes a 400 with the values kept; anything else is thrown on. */
export function failForm(cause: unknown, values: Record<string, string>): ActionFailure<FormFailure> {
  if (cause instanceof ApiError) {
    const status = cause.code === 'RATE_LIMITED' ? 429 : cause.code === 'FORBIDDEN' ? 403 : 400;
    const retryAfterSeconds = cause.numbers['retryAfterSeconds'];
    return fail(status, {
      values,
      fields: cause.fields,
      code: cause.code,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  throw cause;
}

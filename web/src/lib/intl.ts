/**
 * Date formats made once per locale and options, then reused: making an
 * `Intl.DateTimeFormat` costs far more than formatting with one, and the
 * activity list made five per activity shown (localDateOf, formatDateTime and
 * formatTime were most of its page's server-side time in a CPU profile). The
 * options vary by few values (the organization's zone, the year shown or
 * not), so the cache stays small.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}

/** Reading back the CSV files the app writes (the whole-association export). */

/** A CSV file's rows as records (RFC 4180, as the archive writes it). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let index = 0; index < body.length; index++) {
    const character = body.charAt(index);
    if (quoted) {
      if (character === '"' && body[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\r' && body[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index++;
    } else field += character;
  }
  const [header = [], ...records] = rows;
  return records.map((cells) => Object.fromEntries(header.map((name, column) => [name, cells[column] ?? ''])));
}

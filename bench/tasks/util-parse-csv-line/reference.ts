export function parseCsvLine(line: string, delimiter: string = ','): string[] {
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let atFieldStart = true;
  while (i < line.length) {
    if (atFieldStart && line[i] === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        field += line[i];
        i++;
      }
      if (!closed) {
        throw new SyntaxError('Unterminated quoted field in CSV line');
      }
      atFieldStart = false;
      continue;
    }
    if (line.startsWith(delimiter, i)) {
      fields.push(field);
      field = '';
      i += delimiter.length;
      atFieldStart = true;
      continue;
    }
    field += line[i];
    i++;
    atFieldStart = false;
  }
  fields.push(field);
  return fields;
}

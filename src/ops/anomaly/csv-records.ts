// Splits CSV text into records the way RFC 4180 has it (quoted fields may hold separators, doubled
// quotes and line breaks), with the separator the file uses: exports from spreadsheets in many
// locales use semicolons, and some tools write tabs. Blank lines and `#` comment lines are left out.
export interface CsvRecord {
  /** The 1-based line the record starts on, for messages. */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvText {
  readonly separator: ',' | ';' | '\t';
  readonly records: readonly CsvRecord[];
}

/** How many leading lines decide the separator. */
const SAMPLE_LINES = 10;

export function readCsv(text: string): CsvText {
  const body = text.replace(/^\uFEFF/, '');
  const separator = detectSeparator(body);
  const records = splitRecords(body, separator).filter((record) => !isBlankOrComment(record));
  if (separator === ',') return { separator, records };
  // Locales that separate fields with semicolons or tabs write one and a half as `1,5`.
  const withPoints = records.map((record) => ({ ...record, fields: record.fields.map(withDecimalPoint) }));
  return { separator, records: withPoints };
}

/** Tab or semicolon when every sampled line has one outside quotes (a comma file rarely does), else comma. */
function detectSeparator(text: string): CsvText['separator'] {
  const sample = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .slice(0, SAMPLE_LINES);
  if (sample.length === 0) return ',';
  for (const candidate of ['\t', ';'] as const) {
    if (sample.every((line) => unquoted(line).includes(candidate))) return candidate;
  }
  return ',';
}

function unquoted(line: string): string {
  return line.replace(/"(?:[^"]|"")*"?/g, '');
}

function splitRecords(text: string, separator: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    fields.push(field.trim());
    records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '\n') line++;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === separator) {
      fields.push(field.trim());
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      if (char === '\r') line++;
      endRecord();
      start = line;
    } else {
      field += char;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

function isBlankOrComment(record: CsvRecord): boolean {
  return record.fields.every((field) => field === '') || (record.fields[0] as string).startsWith('#');
}

function withDecimalPoint(field: string): string {
  return field.replace(/^([-+]?\d+),(\d+)$/, '$1.$2');
}

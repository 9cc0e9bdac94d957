// Streaming CSV writers. Rows are appended to an in-memory chunk and handed to a file stream once the
// chunk is large, so a million participants (tens of millions of income rows) never sit in memory.
// The generator awaits `drain()` regularly, which honours the stream's back-pressure.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import iconv from 'iconv-lite';

export type Cell = string | number | boolean | null | undefined;
export type FileEncoding = 'utf-8' | 'shift_jis';

const CHUNK_CHARS = 1 << 20;
const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 field: quoted only when it holds a comma, quote or line break; null and undefined are empty. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly Cell[], eol = '\n'): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i]);
  }
  return line + eol;
}

export interface CsvWriterOptions {
  encoding?: FileEncoding;
  /** Line ending; Japanese desktop software writes CRLF. */
  eol?: '\n' | '\r\n';
}

export class CsvWriter {
  readonly file: string;
  readonly entity: string;
  readonly encoding: FileEncoding;
  readonly columns: readonly string[];
  private readonly eol: string;
  private readonly stream: WriteStream;
  private chunk = '';
  private pending: Promise<unknown> | null = null;
  private failure: Error | null = null;
  /** Data rows written so far (the header is not counted). */
  rows = 0;

  constructor(dir: string, file: string, entity: string, columns: readonly string[], options: CsvWriterOptions = {}) {
    this.file = file;
    this.entity = entity;
    this.columns = columns;
    this.encoding = options.encoding ?? 'utf-8';
    this.eol = options.eol ?? '\n';
    this.stream = createWriteStream(join(dir, file), { highWaterMark: 4 << 20 });
    // Keep the first error (a full disk, a missing folder) and raise it at the next drain or close.
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    this.chunk = csvLine(columns, this.eol);
  }

  /** Row number, as a person sees it in the file (header = 1), that the next row will have. */
  get nextRow(): number {
    return this.rows + 2;
  }

  /** Appends a row; returns its row number as a person sees it. */
  write(cells: readonly Cell[]): number {
    if (cells.length !== this.columns.length) throw new Error(`${this.file}: ${cells.length} cells for ${this.columns.length} columns`);
    this.chunk += csvLine(cells, this.eol);
    this.rows++;
    if (this.chunk.length >= CHUNK_CHARS) this.flush();
    return this.rows + 1;
  }

  private flush(): void {
    if (this.chunk.length === 0) return;
    const data = this.encoding === 'shift_jis' ? iconv.encode(this.chunk, 'Shift_JIS') : this.chunk;
    this.chunk = '';
    if (!this.stream.write(data) && !this.pending) {
      this.pending = once(this.stream, 'drain').then(() => {
        this.pending = null;
      });
    }
  }

  /** Waits while the file stream is over its high-water mark. */
  async drain(): Promise<void> {
    if (this.pending) await this.pending;
    if (this.failure) throw new Error(`cannot write ${this.file}: ${this.failure.message}`, { cause: this.failure });
  }

  async close(): Promise<void> {
    this.flush();
    await this.drain();
    if (!this.stream.closed) {
      this.stream.end();
      await once(this.stream, 'close');
    }
    if (this.failure) throw new Error(`cannot write ${this.file}: ${this.failure.message}`, { cause: this.failure });
  }
}

// Streams a Shift_JIS / EUC-JP / UTF-16 file into a UTF-8 copy that DuckDB can read.
//
// Bytes that are not valid in the source encoding decode to U+FFFD. Shift_JIS and EUC-JP cannot encode U+FFFD, so
// there it always marks broken input: the copy carries invalid UTF-8 in its place, and DuckDB rejects that line as
// INVALID ENCODING (with its line number) instead of loading a silently altered value.
import { createReadStream, createWriteStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { extname, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import type { TextEncoding } from './detect.ts';

const REPLACEMENT = Buffer.from('\uFFFD', 'utf8');
const INVALID_UTF8 = Buffer.from([0xff, 0xff, 0xff]);

/** Writes a UTF-8 copy of `file` (read as `encoding`) in `tempDir` and returns its path. */
export async function transcodeToUtf8(file: string, encoding: Exclude<TextEncoding, 'utf-8'>, tempDir: string): Promise<string> {
  // A plain name: DuckDB would take [, *, ? or { in the original name as a pattern (see literalPath).
  const target = join(tempDir, `source-${randomUUID()}.utf-8${extname(file).toLowerCase()}`);
  const markInvalid = encoding === 'shift_jis' || encoding === 'euc-jp';
  await pipeline(
    createReadStream(file),
    iconv.decodeStream(encoding === 'shift_jis' ? 'cp932' : encoding, { stripBOM: true }),
    new Utf8Encoder(markInvalid),
    createWriteStream(target, { mode: 0o600 }), // every column of the source, names included: owner-only
  );
  return target;
}

/** Turns decoded text chunks into UTF-8 bytes, optionally replacing U+FFFD by bytes that are invalid UTF-8. */
class Utf8Encoder extends Transform {
  constructor(private readonly markInvalid: boolean) {
    super({ writableObjectMode: true });
  }

  override _transform(chunk: string | Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.markInvalid) {
      for (let at = bytes.indexOf(REPLACEMENT); at !== -1; at = bytes.indexOf(REPLACEMENT, at + REPLACEMENT.length)) {
        INVALID_UTF8.copy(bytes, at);
      }
    }
    callback(null, bytes);
  }
}

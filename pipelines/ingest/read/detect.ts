// Format detection (by file extension) and text-encoding detection (BOM, strict UTF-8, then Japanese encodings).
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import { readError } from './stage.ts';
import type { SourceFormat } from './types.ts';

export type TextEncoding = 'utf-8' | 'shift_jis' | 'euc-jp' | 'utf-16le' | 'utf-16be';

const formatsByExtension: Record<string, SourceFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.xlsx': 'xlsx',
  '.parquet': 'parquet',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

const unsupportedExtensions: Record<string, string> = {
  '.xls': 'old Excel .xls files are not supported: save as .xlsx or CSV',
  '.xlsm': 'macro-enabled Excel files (.xlsm) are not supported: save as .xlsx or CSV',
  '.xlsb': 'binary Excel files (.xlsb) are not supported: save as .xlsx or CSV',
  '.ods': 'OpenDocument spreadsheets (.ods) are not supported: save as .xlsx or CSV',
  '.numbers': 'Numbers files are not supported: export as .xlsx or CSV',
};

export function detectFormat(file: string): SourceFormat {
  const extension = extname(file).toLowerCase();
  const format = formatsByExtension[extension];
  if (format) return format;
  const known = unsupportedExtensions[extension];
  throw readError(file, known ?? `files ending in "${extension || '(no extension)'}" are not supported: use .csv, .tsv, .txt, .xlsx, .parquet, .json, .ndjson or .jsonl`);
}

const encodingAliases: Record<string, TextEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'shift_jis': 'shift_jis',
  'shift-jis': 'shift_jis',
  shiftjis: 'shift_jis',
  sjis: 'shift_jis',
  cp932: 'shift_jis',
  ms932: 'shift_jis',
  'windows-31j': 'shift_jis',
  'euc-jp': 'euc-jp',
  eucjp: 'euc-jp',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

/** The canonical name of an encoding given by a person; throws for encodings the readers do not handle. */
export function normaliseEncoding(name: string): TextEncoding {
  const encoding = encodingAliases[name.trim().toLowerCase()];
  if (!encoding) throw new Error(`Unknown encoding "${name}": use utf-8, shift_jis (also sjis, cp932, windows-31j) or euc-jp.`);
  return encoding;
}

/** How the encoding is named to a person, e.g. in a reject reason. */
export function encodingLabel(encoding: TextEncoding): string {
  const labels: Record<TextEncoding, string> = {
    'utf-8': 'UTF-8',
    shift_jis: 'Shift_JIS',
    'euc-jp': 'EUC-JP',
    'utf-16le': 'UTF-16',
    'utf-16be': 'UTF-16',
  };
  return labels[encoding];
}

/** Bytes read to decide the encoding: many thousand rows of a typical export. Only these are examined. */
export const SAMPLE_BYTES = 4 * 1024 * 1024;

/** The first `bytes` of a file (fewer if the file is shorter), and whether that is the whole file. */
export async function readSample(file: string, bytes = SAMPLE_BYTES): Promise<{ sample: Buffer; whole: boolean }> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    let filled = 0;
    while (filled < bytes) {
      const { bytesRead } = await handle.read(buffer, filled, bytes - filled, filled);
      if (bytesRead === 0) return { sample: buffer.subarray(0, filled), whole: true };
      filled += bytesRead;
    }
    const { bytesRead } = await handle.read(Buffer.alloc(1), 0, 1, filled);
    return { sample: buffer, whole: bytesRead === 0 };
  } finally {
    await handle.close();
  }
}

/**
 * The encoding of a text file: the override if given; else a BOM; else UTF-8 if a sample is valid UTF-8 or its valid
 * multi-byte characters far outnumber its broken bytes; else what encoding-japanese detects in the sample (Shift_JIS,
 * which Japanese Excel writes, or EUC-JP); else, when the sample has broken bytes whatever the encoding, the encoding
 * with the fewest. Lines with bytes that are invalid in the chosen encoding are rejected one by one, so a few broken
 * bytes never make a whole file unreadable.
 */
export async function detectEncoding(file: string, override?: string): Promise<TextEncoding> {
  if (override !== undefined) return normaliseEncoding(override);
  const { sample, whole } = await readSample(file);
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  if (isStrictUtf8(sample, whole)) return 'utf-8';
  const utf8 = decodeCounts(new TextDecoder('utf-8').decode(sample, { stream: !whole }));
  // Shift_JIS or EUC-JP text seldom forms valid multi-byte UTF-8, so many valid characters mean UTF-8. Characters of
  // three bytes (all of Japanese in UTF-8) are the stronger evidence: random Shift_JIS or EUC-JP text, decoded as
  // UTF-8, forms about one for every 10 to 20 places where it breaks (at most 2 in strings of a few characters), so
  // four per broken place is UTF-8 with a few stray bytes (a mostly-ASCII file with some Japanese names and one
  // character from another encoding), whose lines are then rejected one by one.
  if (utf8.nonAscii >= 10 * utf8.invalid || utf8.wide >= 4 * utf8.broken) return 'utf-8';
  const detected = Encoding.detect(sample);
  if (detected === 'SJIS') return 'shift_jis';
  if (detected === 'EUCJP') return 'euc-jp';
  if (sample.includes(0)) throw readError(file, 'it looks like a binary file, not text (if it is UTF-16 text without a byte order mark, save it as UTF-8)');
  const sjis = decodeCounts(iconv.decode(sample, 'cp932'));
  const eucjp = decodeCounts(iconv.decode(sample, 'euc-jp'));
  if (sjis.invalid < utf8.invalid && sjis.invalid <= eucjp.invalid) return 'shift_jis';
  if (eucjp.invalid < utf8.invalid) return 'euc-jp';
  return 'utf-8';
}

/**
 * Whether a yen column's backslash is the yen sign: in a file decoded from Shift_JIS (CP932 puts ¥ at byte 0x5C), and
 * in one whose sample is plain ASCII, unless `--encoding` called it UTF-8. Such a file is Shift_JIS as much as UTF-8:
 * the contract's own template (English headers and values) filled in and saved as CSV by Japanese Excel is one, and
 * its ¥250,000 reaches the loader as \250,000.
 */
export async function backslashIsYenSign(file: string, encoding: TextEncoding, override?: string): Promise<boolean> {
  if (encoding === 'shift_jis') return true;
  if (encoding !== 'utf-8' || override !== undefined) return false;
  const { sample } = await readSample(file);
  return sample.every((byte) => byte < 0x80);
}

/** True if `sample` is valid UTF-8. A sample cut from a longer file may end inside a character: that is not an error. */
function isStrictUtf8(sample: Buffer, whole: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !whole });
    return true;
  } catch {
    return false;
  }
}

/**
 * In decoded text: characters that failed to decode (U+FFFD), the places where decoding broke (runs of them), and
 * the non-ASCII characters that decoded, of which `wide` are of three or more bytes in UTF-8 (U+0800 and above).
 */
function decodeCounts(text: string): { invalid: number; broken: number; nonAscii: number; wide: number } {
  let invalid = 0;
  let broken = 0;
  let nonAscii = 0;
  let wide = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0xfffd) {
      if (text.charCodeAt(i - 1) !== 0xfffd) broken++;
      invalid++;
    } else if (code >= 0x80) {
      nonAscii++;
      if (code >= 0x800) wide++;
    }
  }
  return { invalid, broken, nonAscii, wide };
}

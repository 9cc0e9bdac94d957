// A string cell's text as Excel shows it, for exceljs's part readers, which take the last <t> of a string as its text.
//
// Japanese Excel stores the reading (furigana) of text typed through the IME beside it, as a phonetic run:
// <si><t>月収</t><rPh sb="0" eb="2"><t>ゲッシュウ</t></rPh></si>. exceljs read that string as ゲッシュウ, so a
// workbook typed in Japanese lost its headers and values. An inline string with several runs
// (<is><r><t>WJ-</t></r><r><t>1</t></r></is>) kept only its last run. This filter, on a part's decoded text, drops
// the phonetic runs and joins an inline string's runs into one <t>, so both come out as shown.
import { Transform, type TransformCallback } from 'node:stream';

const PHONETIC_RUN = /<rPh\b[^>]*?(?:\/>|>[\s\S]*?<\/rPh>)/g;
const INLINE_STRING = /<is>([\s\S]*?)<\/is>/g;
const TEXT = /<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g;
/** An element left open longer than this is passed on as it is (Excel holds at most 32,767 characters in a cell). */
const MAX_HELD = 1 << 20;

export class ExcelText extends Transform {
  private held = '';

  constructor() {
    super({ decodeStrings: false, encoding: 'utf8' });
  }

  override _transform(chunk: string | Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const text = shownText(this.held + String(chunk));
    const open = openElementAt(text);
    const cut = text.length - open > MAX_HELD ? text.length : open;
    this.held = text.slice(cut);
    callback(null, text.slice(0, cut));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, shownText(this.held));
  }
}

function shownText(xml: string): string {
  if (!xml.includes('<rPh') && !xml.includes('<r>') && !xml.includes('<r ')) return xml;
  return xml.replace(PHONETIC_RUN, '').replace(INLINE_STRING, (_, inner: string) => `<is><t>${[...inner.matchAll(TEXT)].map((m) => m[1] ?? '').join('')}</t></is>`);
}

/** Where an element that may go on in the next chunk starts (a phonetic run, an inline string, a tag), else the end. */
function openElementAt(xml: string): number {
  const starts = [xml.lastIndexOf('<rPh')];
  const inline = xml.lastIndexOf('<is>');
  if (inline >= 0 && !xml.includes('</is>', inline)) starts.push(inline);
  const tag = xml.lastIndexOf('<');
  if (tag >= 0 && !xml.includes('>', tag)) starts.push(tag);
  const open = starts.filter((at) => at >= 0);
  return open.length > 0 ? Math.min(...open) : xml.length;
}

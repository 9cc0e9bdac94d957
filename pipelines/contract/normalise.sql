-- Normalisers for what Japanese source files contain. Every raw (text) value passes through one of
-- these during ingest, so validation runs set-based inside DuckDB instead of row by row in JS.
-- They are TEMP macros: they exist only on the ingest connection and are never stored in the warehouse.
-- Each returns NULL when the text cannot be read; the caller turns that into a reject with a reason.

-- Full-width ASCII (U+FF01..FF5E) to ASCII, the ideographic space and other Unicode spaces (listed below) to
-- spaces, zero-width spaces dropped, minus sign and full-width yen to their ASCII forms; then trim. Blank (and NA,
-- N/A, -) becomes NULL. translate() is costly per row, so plain ASCII text (as many bytes as characters) skips it.
-- What spreadsheets write for "no value" is blank, so NA is never read as Namibia nor "-" as a value.
CREATE OR REPLACE TEMP MACRO not_available_as_blank(x) AS
  CASE WHEN x = '' OR list_contains(['NA', 'N/A', '#N/A', 'NULL', '-', '—'], upper(x)) THEN NULL ELSE x END;

-- After the ideographic space, the source list holds (invisible here) the other spaces a spreadsheet shows as a space
-- and trim() does not know: U+00A0 (no-break), U+2000..U+200A (en, em, thin ...), U+202F (narrow no-break), U+205F
-- (medium mathematical), U+1680 (ogham), U+2028 and U+2029 (line and paragraph separators), each folded to a space;
-- then the invisible characters U+200B (zero width space), U+FEFF (a byte order mark inside a value), U+200C and
-- U+200D (zero width non-joiner and joiner), U+2060 (word joiner) and U+00AD (soft hyphen), which have no counterpart
-- in the target list, so translate() drops them: pasted into a reference they would make another person. Literal characters, not chr():
-- macros expand into every branch of the parsers, and a chr() call per character made planning ten times slower.
CREATE OR REPLACE TEMP MACRO fold_width(s) AS not_available_as_blank(trim(CASE
  WHEN strlen(s) <> length(s) THEN translate(s,
  '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～−￥　                 ​﻿‌‍⁠­',
  '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~-¥                  ')
  ELSE s END,
  E' \t\r\n'));

-- Below, each parse_X_text(x) takes text already folded by fold_width (the loader folds every raw
-- value once), and parse_X(s) = parse_X_text(fold_width(s)) is the same for unfolded text.
-- Each tries the common spelling first, so a clean file pays for one cheap test per value.

-- Identifiers: folded text of 1 to 64 characters with no control characters.
CREATE OR REPLACE TEMP MACRO parse_ref_text(x) AS
  CASE WHEN length(x) <= 64 AND NOT regexp_matches(x, '[\x00-\x1f\x7f]') THEN x END;
CREATE OR REPLACE TEMP MACRO parse_ref(s) AS parse_ref_text(fold_width(s));

-- Whole numbers; Excel writes 12 as "12.0" or "12", accounts "12.00". Three decimals are refused:
-- "350.000" may be European thousands, and guessing would load a wrong amount.
CREATE OR REPLACE TEMP MACRO parse_signed_digits(x) AS CASE
  WHEN regexp_full_match(x, '-?\d{1,18}') THEN CAST(x AS BIGINT)
  WHEN regexp_full_match(x, '[+-]?\d+(\.0{1,2})?') THEN try_cast(regexp_replace(x, '\.0+$', '') AS BIGINT)
  WHEN regexp_full_match(x, '[△▲]\d+(\.0{1,2})?') THEN -try_cast(regexp_replace(substr(x, 2), '\.0+$', '') AS BIGINT)
  WHEN regexp_full_match(x, '\(\d+(\.0{1,2})?\)') THEN -try_cast(regexp_replace(x, '[()]|\.0+\)$', '', 'g') AS BIGINT)
END;

-- Thousands separators only in groups of three (1,234,000): a typo such as 1,2345 or 1,23,45 stays
-- unreadable instead of becoming 12345. Text without commas passes unchanged; NULL otherwise.
CREATE OR REPLACE TEMP MACRO ungroup(x) AS CASE
  WHEN NOT contains(x, ',') THEN x
  WHEN regexp_full_match(x, '[+\-△▲(]?\d{1,3}(,\d{3})+(\.\d+)?\)?万?') THEN replace(x, ',', '')
END;

CREATE OR REPLACE TEMP MACRO parse_int_text(x) AS parse_signed_digits(ungroup(x));
CREATE OR REPLACE TEMP MACRO parse_int(s) AS parse_int_text(fold_width(s));

-- Yen: ¥1,234,000 / 1,234,000円 / JPY 1234000 / 123.4万円 (man-yen) / △1,000 (negative, as in Japanese accounts).
-- The currency marks and the spaces beside them go; spaces inside the number do not ("1 2 3" is refused).
CREATE OR REPLACE TEMP MACRO yen_number(x) AS ungroup(trim(regexp_replace(x, '¥|円|JPY', '', 'g')));
-- 万 = 10,000 yen; up to four decimals, so the amount is always whole yen (1.23456万 is rejected, not rounded).
CREATE OR REPLACE TEMP MACRO parse_man_yen(x) AS CASE
  WHEN regexp_full_match(x, '[+-]?\d{1,10}(\.\d{1,4})?万') THEN CAST(CAST(rtrim(x, '万') AS DECIMAL(18, 4)) * 10000 AS BIGINT)
END;
CREATE OR REPLACE TEMP MACRO parse_yen_text(x) AS CASE
  WHEN regexp_full_match(x, '-?\d{1,18}') THEN CAST(x AS BIGINT)
  ELSE coalesce(parse_signed_digits(yen_number(x)), parse_man_yen(yen_number(x)))
END;
CREATE OR REPLACE TEMP MACRO parse_yen(s) AS parse_yen_text(fold_width(s));
-- Shift_JIS as Windows writes it (CP932) puts the yen sign at byte 0x5C, ASCII's backslash: Japanese Excel shows
-- ¥250,000 where a decoder gives \250,000. The loader reads the yen columns of a file decoded from Shift_JIS through
-- this before folding; a backslash in any other column or file stays a backslash.
CREATE OR REPLACE TEMP MACRO cp932_yen_sign(s) AS replace(s, '\', '¥');

-- Rates: 0.1 or 10%.
CREATE OR REPLACE TEMP MACRO parse_rate_text(x) AS CASE
  WHEN regexp_full_match(x, '[+-]?(\d+(\.\d*)?|\.\d+)%') THEN try_cast(rtrim(x, '%') AS DOUBLE) / 100
  WHEN regexp_full_match(x, '[+-]?(\d+(\.\d*)?|\.\d+)') THEN try_cast(x AS DOUBLE)
END;
CREATE OR REPLACE TEMP MACRO parse_rate(s) AS parse_rate_text(replace(fold_width(s), ' ', ''));

-- list_contains, not IN: DuckDB turns a long IN list into a join, which is far slower per row.
CREATE OR REPLACE TEMP MACRO parse_bool_text(x) AS CASE
  WHEN list_contains(['true', 't', 'yes', 'y', '1', 'はい', '○', '〇', '有', 'あり', '済'], lower(x)) THEN true
  WHEN list_contains(['false', 'f', 'no', 'n', '0', 'いいえ', '×', '✕', '無', 'なし', '未'], lower(x)) THEN false
END;
CREATE OR REPLACE TEMP MACRO parse_bool(s) AS parse_bool_text(fold_width(s));

-- Japanese eras: the year the era's first year corresponds to minus one, and the era's first and last day,
-- so 令和1年4月30日 (before Reiwa began) is rejected rather than guessed.
CREATE OR REPLACE TEMP MACRO era_base(era) AS CASE
  WHEN era IN ('令和', 'R', 'r') THEN 2018 WHEN era IN ('平成', 'H', 'h') THEN 1988 WHEN era IN ('昭和', 'S', 's') THEN 1925 END;
CREATE OR REPLACE TEMP MACRO era_first_day(era) AS CASE
  WHEN era IN ('令和', 'R', 'r') THEN DATE '2019-05-01' WHEN era IN ('平成', 'H', 'h') THEN DATE '1989-01-08' WHEN era IN ('昭和', 'S', 's') THEN DATE '1926-12-25' END;
CREATE OR REPLACE TEMP MACRO era_last_day(era) AS CASE
  WHEN era IN ('令和', 'R', 'r') THEN DATE '2999-12-31' WHEN era IN ('平成', 'H', 'h') THEN DATE '2019-04-30' WHEN era IN ('昭和', 'S', 's') THEN DATE '1989-01-07' END;
CREATE OR REPLACE TEMP MACRO era_year(era, y) AS era_base(era) + CASE WHEN y = '元' THEN 1 ELSE try_cast(y AS INTEGER) END;

CREATE OR REPLACE TEMP MACRO ymd(y, m, d) AS try_cast(printf('%04d-%02d-%02d', y::INTEGER, m::INTEGER, d::INTEGER) AS DATE);

CREATE OR REPLACE TEMP MACRO era_date(p) AS CASE
  WHEN ymd(era_year(p.era, p.y), p.m, p.d) BETWEEN era_first_day(p.era) AND era_last_day(p.era) THEN ymd(era_year(p.era, p.y), p.m, p.d)
END;

-- A month belongs to an era when any of its days does (平成元年1月 is January 1989).
CREATE OR REPLACE TEMP MACRO era_month(p) AS CASE
  WHEN last_day(ymd(era_year(p.era, p.y), p.m, 1)) >= era_first_day(p.era) AND ymd(era_year(p.era, p.y), p.m, 1) <= era_last_day(p.era)
  THEN ymd(era_year(p.era, p.y), p.m, 1)
END;

CREATE OR REPLACE TEMP MACRO parse_date_text(x) AS CASE
  WHEN regexp_full_match(x, '\d{4}-\d{2}-\d{2}') THEN try_cast(x AS DATE)
  WHEN regexp_full_match(x, '\d{4}[-/.]\d{1,2}[-/.]\d{1,2}') THEN try_cast(regexp_replace(x, '[/.]', '-', 'g') AS DATE)
  -- timestamps as JSON, Parquet or Excel write them: keep the calendar date
  WHEN regexp_full_match(x, '\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?') THEN
    try_cast(regexp_replace(regexp_extract(x, '^[\d/.-]+'), '[/.]', '-', 'g') AS DATE)
  WHEN regexp_full_match(x, '\d{8}') THEN ymd(substr(x, 1, 4), substr(x, 5, 2), substr(x, 7, 2))
  WHEN regexp_full_match(x, '\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日') THEN
    ymd(regexp_extract(x, '^(\d{4})', 1), regexp_extract(x, '年\s*(\d{1,2})', 1), regexp_extract(x, '月\s*(\d{1,2})', 1))
  WHEN regexp_full_match(x, '(令和|平成|昭和|[RHSrhs])\s*(元|\d{1,2})\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?') THEN
    era_date(regexp_extract(x, '^(令和|平成|昭和|[RHSrhs])\s*(元|\d{1,2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})', ['era', 'y', 'm', 'd']))
  -- Excel date serials, only 5-digit ones (1927 to 2173), so a stray number is not silently read as a date; from
  -- serial 61 on, Excel's rule (pipelines/contract/excel-serial.ts) is days since 1899-12-30
  WHEN regexp_full_match(x, '\d{5}(\.\d+)?') THEN DATE '1899-12-30' + CAST(floor(CAST(x AS DOUBLE)) AS INTEGER)
END;
CREATE OR REPLACE TEMP MACRO parse_date(s) AS parse_date_text(fold_width(s));

CREATE OR REPLACE TEMP MACRO parse_month_text(x) AS CAST(CASE
  WHEN regexp_full_match(x, '\d{4}-\d{2}') THEN try_cast(x || '-01' AS DATE)
  WHEN regexp_full_match(x, '\d{4}[-/.]\d{1,2}') THEN ymd(regexp_extract(x, '^(\d{4})', 1), regexp_extract(x, '(\d{1,2})$', 1), 1)
  WHEN regexp_full_match(x, '\d{6}') THEN ymd(substr(x, 1, 4), substr(x, 5, 2), 1)
  WHEN regexp_full_match(x, '\d{4}\s*年\s*\d{1,2}\s*月') THEN ymd(regexp_extract(x, '^(\d{4})', 1), regexp_extract(x, '年\s*(\d{1,2})', 1), 1)
  WHEN regexp_full_match(x, '(令和|平成|昭和|[RHSrhs])\s*(元|\d{1,2})\s*[年./-]\s*\d{1,2}\s*月?') THEN
    era_month(regexp_extract(x, '^(令和|平成|昭和|[RHSrhs])\s*(元|\d{1,2})\s*[年./-]\s*(\d{1,2})', ['era', 'y', 'm']))
  ELSE date_trunc('month', parse_date_text(x))
END AS DATE);
CREATE OR REPLACE TEMP MACRO parse_month(s) AS parse_month_text(fold_width(s));

-- 全国地方公共団体コード: 5 digits, or 6 with a check digit. The check digit is
-- (11 - (6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5) mod 11) mod 10.
CREATE OR REPLACE TEMP MACRO municipality_check_digit(x) AS
  (11 - ((substr(x, 1, 1)::INTEGER * 6 + substr(x, 2, 1)::INTEGER * 5 + substr(x, 3, 1)::INTEGER * 4
        + substr(x, 4, 1)::INTEGER * 3 + substr(x, 5, 1)::INTEGER * 2) % 11)) % 10;
CREATE OR REPLACE TEMP MACRO parse_municipality_text(x) AS CASE
  WHEN regexp_full_match(x, '\d{5}') THEN x || municipality_check_digit(x)::VARCHAR
  WHEN regexp_full_match(x, '\d{6}') THEN x
END;
CREATE OR REPLACE TEMP MACRO parse_municipality_digits(s) AS parse_municipality_text(fold_width(s));

-- Countries: ISO alpha-3, alpha-2 (capitals only), an English or Japanese name, or XXA (stateless),
-- looked up in the temp table country_aliases(alias, iso3, exact) filled from the world-countries package.
CREATE OR REPLACE TEMP MACRO parse_country_text(x) AS
  (SELECT iso3 FROM country_aliases WHERE (alias = upper(x) AND NOT exact) OR (alias = x AND exact));
CREATE OR REPLACE TEMP MACRO parse_country(s) AS parse_country_text(fold_width(s));

// Every word the reports print, in Japanese (the default: the municipality's language) and English.
import { eraDate, eraFiscalYear, eraMonth, eraYearRomaji } from './era.ts';
import type { Period } from './period.ts';
import { labelsForPages, type ValueSetName } from '../pipelines/contract/labels.ts';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const groupDigits = (n: number) => Math.round(n).toLocaleString('en-US');

/** An amount in yen, whole: 12,000,000円 / ¥12,000,000. */
export function yen(n: number, lang: Lang): string {
  const sign = n < 0 ? '−' : '';
  return lang === 'ja' ? `${sign}${groupDigits(Math.abs(n))}円` : `${sign}¥${groupDigits(Math.abs(n))}`;
}

/** A count: 1,234 (件 / 人 added by the caller where Japanese needs it). */
export function count(n: number): string {
  return groupDigits(n);
}

/** A share 0–1 as a percentage with one decimal. */
export function percent(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

/** A date with its era: 2026年10月31日（令和8年10月31日） / 31 October 2026 (Reiwa 8). */
export function dateText(iso: string, lang: Lang): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  return lang === 'ja' ? `${y}年${m}月${d}日（${eraDate(iso)}）` : `${d} ${EN_MONTHS[m - 1]} ${y} (${eraYearRomaji(iso)})`;
}

/** How a period is named on the cover. */
export function periodText(p: Period, lang: Lang): string {
  const y = Number(p.start.slice(0, 4));
  const m = Number(p.start.slice(5, 7));
  if (p.kind === 'month') return lang === 'ja' ? `${y}年${m}月（${eraMonth(p.start)}）` : `${EN_MONTHS[m - 1]} ${y}`;
  if (p.kind === 'quarter') {
    const q = Math.floor((m - 1) / 3) + 1;
    return lang === 'ja'
      ? `${y}年 第${q}四半期（${m}月〜${m + 2}月）`
      : `${y} Q${q} (${EN_MONTHS[m - 1]}–${EN_MONTHS[m + 1]} ${y})`;
  }
  return lang === 'ja' ? `${y}年度（${eraFiscalYear(y)}）` : `FY${y} (1 April ${y} – 31 March ${y + 1})`;
}

export function periodRange(p: Period, lang: Lang): string {
  return lang === 'ja' ? `${p.start} 〜 ${p.end}` : `${p.start} to ${p.end}`;
}

// The value sets (gender, residence status, outcome kinds, statuses, stages, entities) come from the one label table
// beside the contract (pipelines/contract/labels.ts), which the dashboard and the data dictionary read too.
const fromTable = (set: ValueSetName): Record<Lang, Record<string, string>> => {
  const pages = labelsForPages();
  return { ja: pages.ja[set], en: pages.en[set] };
};

export const GENDER = fromTable('gender');
export const RESIDENCE = fromTable('residence_status');
export const TRACK = fromTable('track');
export const KIND = fromTable('outcome_kind');
export const ENTITY = fromTable('entity');
const CIB_STATUS = fromTable('cib_status');
const STAGE = fromTable('stage');
/** Any value of a set in a language (an unknown track is humanised, never printed as its code), and a status's one-line explanation. */
export { describe, label, outcomeLabel } from '../pipelines/contract/labels.ts';

/** An outcome's definition in words, from its kind and parameter (docs/metrics/sib.md). */
export function outcomeDefinition(kind: string, parameter: number, lang: Lang): string {
  const p = count(parameter);
  if (lang === 'ja') {
    if (kind === 'job_start') return `修了後最初の就職が、修了日から${p}日以内に始まったこと（就職開始日に達成）。`;
    if (kind === 'sustained_employment') return `修了後の継続就労（前の雇用の終了から14日以内に次の雇用が始まれば継続とみなす）が${p}日に達したこと（就労開始日から${p}日後に達成）。`;
    return `修了月以降、職員が確認した月額総収入が初めて${p}円以上となったこと（その月の末日に達成）。`;
  }
  if (kind === 'job_start') return `The first job after completion started within ${p} days of completion (achieved on the job's start date).`;
  if (kind === 'sustained_employment') return `Continuous employment after completion (jobs less than 15 days apart count as continuous) lasted ${p} days (achieved ${p} days after it began).`;
  return `Verified gross monthly income of at least ¥${p}, for the first time from the month of completion (achieved on the month's last day).`;
}

export const common = {
  ja: {
    asOf: '基準日（データ時点）',
    issuedOn: '発行日',
    issuer: '発行者',
    period: '対象期間',
    snapshot: 'データスナップショット',
    page: (x: number, y: number) => `${x} / ${y}`,
    suppressed: (k: number) => `秘匿（${k}未満）`,
    suppressionNote: (k: number) => `表の人数が${k}人未満のセル（0を含む）と、他のセルから逆算できるセルは「秘匿（${k}未満）」と表示しています。`,
    yes: 'あり',
    none: 'なし',
    total: '合計',
    dataSources: 'データの出所',
    sourceColumns: ['データ', '読込番号', '読込日時（UTC）', '行数', 'SHA-256'],
    buildFacts: (asOf: string, build: number, sha: string) => `ビルド${build}（基準日 ${asOf}）、入力ファイルのハッシュ ${sha}`,
    snapshotRule: 'データスナップショットは、全入力ファイルの SHA-256（読込順）から計算したビルドのハッシュ、基準日、構築したモデル一覧をまとめた SHA-256 です（docs/reports.md）。同じ値の報告書は同じデータから作られています。',
    partialPeriod: (asOf: string) => `注：対象期間は基準日（${asOf}）時点で終了していないため、数値は基準日までのものです。`,
    issuerDefault: 'Welcome Challenge #001 事務局（難民移民のデジタル人材包摂）',
  },
  en: {
    asOf: 'As of (data date)',
    issuedOn: 'Issued on',
    issuer: 'Issued by',
    period: 'Period',
    snapshot: 'Data snapshot',
    page: (x: number, y: number) => `${x} / ${y}`,
    suppressed: (k: number) => `suppressed (<${k})`,
    suppressionNote: (k: number) => `Cells covering fewer than ${k} people (zero included), and cells from which such a cell could be worked out, are shown as "suppressed (<${k})".`,
    yes: 'yes',
    none: 'none',
    total: 'Total',
    dataSources: 'Data sources',
    sourceColumns: ['Data', 'Load', 'Loaded (UTC)', 'Rows', 'SHA-256'],
    buildFacts: (asOf: string, build: number, sha: string) => `Build ${build} (as of ${asOf}), input files hash ${sha}`,
    snapshotRule: 'The data snapshot is a SHA-256 over the build\'s hash of every input file\'s SHA-256 (in load order), the as-of date and the list of models built (docs/reports.md). Two reports with the same snapshot were made from the same data.',
    partialPeriod: (asOf: string) => `Note: the period had not ended by the as-of date (${asOf}); figures run to that date.`,
    issuerDefault: 'Welcome Challenge #001 secretariat (digital inclusion of refugees and migrants)',
  },
} as const;

export const municipalText = {
  ja: {
    title: '成果連動型委託 成果報告書',
    subtitle: 'ソーシャル・インパクト・ボンド（SIB）成果指標の達成状況と支払額',
    contract: '契約名',
    contractId: '契約番号',
    municipality: '自治体',
    contractTerm: '契約期間',
    summary: '1. 概要',
    summaryColumns: ['項目', '金額・件数'],
    achievedPeriod: '当期に達成された成果',
    achievedToDate: '契約開始からの累計達成成果',
    paymentDue: '当期の支払額',
    paidBefore: '前期までの累計支払額',
    paidToDate: '当期末までの累計支払額',
    cap: '支払上限額',
    capRemaining: '支払上限の残額',
    capUsed: '上限使用率',
    referralsToDate: '当期末までの紹介者数',
    referralsPeriod: '当期の新規紹介者数',
    outcomes: '2. 成果指標ごとの内訳',
    outcomeHeading: (code: string, kind: string) => `${code}（${kind}）`,
    definition: '定義',
    price: '単価',
    maxCount: '支払件数の上限（max_count）',
    noLimit: '上限なし',
    outcomeColumns: ['項目', '当期', '累計（当期末まで）'],
    eligible: '対象となる紹介者（期末までに紹介され、期首までに未達成）',
    achieved: '達成件数',
    paidCount: '支払対象件数',
    amount: '支払額',
    removedMax: '上限件数（max_count）による不支給',
    removedCap: '支払上限による減額',
    charts: '3. 推移',
    chartOutcomes: '月別の達成成果数（網掛けは当期）',
    chartCap: '累計支払額と支払上限（百万円）',
    capLabel: '支払上限',
    outcomesAxis: '件数',
    millionYen: '百万円',
    breakdowns: '4. 内訳（開示制御済み）',
    byGender: '当期末までの累計達成成果 性別',
    byResidence: '当期末までの累計達成成果 在留資格',
    byTrack: '当期末までの累計達成成果 コース',
    byCohort: '当期末までの紹介者 コホート別',
    group: '区分',
    referrals: '紹介者数',
    noneThisPeriod: '当期に達成された成果はありません。',
    noneToDate: '当期末までに達成された成果はありません。',
    noReferrals: 'この契約にはまだ紹介者がいません。',
    annex: '付録 検証資料',
    annexDefinitions: 'A. 成果の定義と測定方法',
    rules: [
      '各成果は参加者ごとに一度だけ、最初に条件を満たした日（達成日）に数えます。数えるのは最初の受講の修了日以降の雇用と収入のみです。',
      '達成日が紹介日以降、契約期間内（開始日・終了日を含む）、かつ基準日以前の場合に限り、その契約の成果となります。期間外に最初に達成された成果は、後で再び達成されることはありません。',
      '支払は達成日順（同日は参加者ID順、成果コード順）に行います。成果コードごとの支払件数が上限（max_count）を超えた成果は支払われず、それ以外は単価、または支払上限の残額がそれより少なければ残額を支払います。',
      '各行で「支払額 ＋ 上限件数による不支給 ＋ 支払上限による減額 ＝ 単価」が成り立ちます。',
      '雇用は受講者の雇用記録、収入は月ごとに最も信頼性の高い出所（給与明細、雇用主報告、課税証明、自己申告の順）の数値で、職員の確認済みのもののみを用います。',
    ],
    annexSources: 'B. データの出所と読込',
    annexAudit: 'C. 当期の成果の明細（支払の根拠）',
    auditNote: '参加者IDは仮名化ID（HMAC-SHA256）です。鍵なしに個人を特定・再計算することはできません。自治体は事業者に照会することで各行を検証できます。',
    auditColumns: ['順', '参加者ID', '成果', '紹介日', '達成日', '単価', '支払額', '件数上限除外', '上限減額'],
    auditEmpty: '当期に達成された成果はありません。',
  },
  en: {
    title: 'Outcome report',
    subtitle: 'Social Impact Bond (SIB): outcomes achieved and payments due',
    contract: 'Contract',
    contractId: 'Contract id',
    municipality: 'Municipality',
    contractTerm: 'Contract term',
    summary: '1. Summary',
    summaryColumns: ['Item', 'Amount or count'],
    achievedPeriod: 'Outcomes achieved this period',
    achievedToDate: 'Outcomes achieved since the contract began',
    paymentDue: 'Payment due this period',
    paidBefore: 'Paid before this period',
    paidToDate: 'Cumulative payments to the end of the period',
    cap: 'Payment cap',
    capRemaining: 'Cap remaining',
    capUsed: 'Cap used',
    referralsToDate: 'Referrals by the end of the period',
    referralsPeriod: 'New referrals this period',
    outcomes: '2. Outcomes on the rate card',
    outcomeHeading: (code: string, kind: string) => `${code} (${kind})`,
    definition: 'Definition',
    price: 'Price',
    maxCount: 'Most outcomes paid (max_count)',
    noLimit: 'no limit',
    outcomeColumns: ['Item', 'This period', 'To the end of the period'],
    eligible: 'Referrals eligible (referred by the period end, not achieved before it began)',
    achieved: 'Achieved',
    paidCount: 'Paid',
    amount: 'Amount',
    removedMax: 'Removed by max_count',
    removedCap: 'Removed by the payment cap',
    charts: '3. Over time',
    chartOutcomes: 'Outcomes achieved per month (this period shaded)',
    chartCap: 'Cumulative payments against the cap (¥ million)',
    capLabel: 'payment cap',
    outcomesAxis: 'outcomes',
    millionYen: '¥ million',
    breakdowns: '4. Breakdowns (disclosure controlled)',
    byGender: 'Outcomes to the end of the period, by gender',
    byResidence: 'Outcomes to the end of the period, by residence status',
    byTrack: 'Outcomes to the end of the period, by track',
    byCohort: 'Referrals by the end of the period, by cohort',
    group: 'Group',
    referrals: 'Referrals',
    noneThisPeriod: 'No outcomes were achieved this period.',
    noneToDate: 'No outcomes had been achieved by the end of the period.',
    noReferrals: 'No participant has been referred to this contract yet.',
    annex: 'Annex: verification',
    annexDefinitions: 'A. How outcomes are defined and measured',
    rules: [
      'Each outcome counts at most once per participant, on the earliest date its condition is met (the achievement date), counting only employment and income from the completion of the first enrolment.',
      'It counts for the contract only when that date is on or after the referral, within the contract term (both ends included) and on or before the as-of date; an outcome first achieved outside that window is not achieved again later.',
      'Outcomes are paid in order of achievement date (then participant id, then outcome code). An outcome beyond its code\'s max_count is not paid; any other is paid its price, or what remains of the payment cap if less.',
      'On every line, amount paid + removed by max_count + removed by the cap = price.',
      'Employment comes from employment records; income from one figure per month, the most authoritative source (payslip, employer report, tax certificate, self-report), verified by staff.',
    ],
    annexSources: 'B. Data sources and loads',
    annexAudit: 'C. Outcomes achieved this period (what the payment rests on)',
    auditNote: 'Participant ids are pseudonyms (HMAC-SHA256): they cannot be reversed or recomputed without the key. The municipality can verify any line with the provider.',
    auditColumns: ['#', 'Participant id', 'Outcome', 'Referred', 'Achieved', 'Price', 'Paid', 'Removed (max_count)', 'Removed (cap)'],
    auditEmpty: 'No outcomes were achieved this period.',
  },
} as const;

export const funderText = {
  ja: {
    title: '出資者向け報告書',
    subtitle: 'キャリア・インパクト・ボンド（CIB）基金とプログラムの成果',
    fund: '1. CIB基金',
    fundColumns: ['項目', '金額・件数'],
    agreements: '契約数（基準日まで）',
    openAgreements: 'うち継続中',
    funded: '奨学金の拠出額',
    collectedPeriod: '当期の返済受取額',
    collected: '返済受取額（累計）',
    recovery: '回収率（累計）',
    arrears: '延滞額',
    agreementsInArrears: '延滞のある契約',
    forgiven: '返済期間終了による免除額',
    averageCost: '現在の平均研修費',
    payForward: 'ペイ・フォワード倍率（返済で賄える新規奨学金の数）',
    statusHeading: '契約の状況',
    statusColumns: ['状況', '割合'],
    status: CIB_STATUS.ja,
    projection: '2. 基金の見通し（シミュレーション）',
    projectionColumns: ['指標', 'P10', 'P50（中央値）', 'P90'],
    finalRecovery: '最終回収率',
    finalCollected: '最終回収額',
    chartBalance: '年末の基金残高（百万円、P10〜P90の帯と中央値）',
    programme: '3. プログラムの成果',
    funnelChart: '段階別の人数（基準日まで）',
    funnelColumns: ['段階', '人数', '登録者に対する割合'],
    stages: STAGE.ja,
    byTrack: 'コース別の人数（開示制御済み）',
    track: 'コース',
    placement: '修了後の就職率',
    placementColumns: ['期間', '観察対象者', '就職者', '就職率'],
    days: (d: number) => `${d}日以内`,
    sib: '4. 成果連動型委託（SIB）',
    sibColumns: ['契約', '当期達成', '当期支払額', '累計支払額', '支払上限', '投資家IRR', '倍率'],
    annex: '付録 データの出所',
    people: '人数',
  },
  en: {
    title: 'Funder report',
    subtitle: 'The Career Impact Bond (CIB) fund and programme outcomes',
    fund: '1. The CIB fund',
    fundColumns: ['Item', 'Amount or count'],
    agreements: 'Agreements signed by the as-of date',
    openAgreements: 'of which open',
    funded: 'Scholarships funded',
    collectedPeriod: 'Repayments received this period',
    collected: 'Repayments received to date',
    recovery: 'Recovery to date',
    arrears: 'Arrears',
    agreementsInArrears: 'Agreements in arrears',
    forgiven: 'Forgiven at the end of payment windows',
    averageCost: 'Current average training cost',
    payForward: 'Pay-forward multiplier (new scholarships the repayments fund)',
    statusHeading: 'Agreements by status',
    statusColumns: ['Status', 'Share'],
    status: CIB_STATUS.en,
    projection: '2. Fund projection (simulation)',
    projectionColumns: ['Measure', 'P10', 'P50 (median)', 'P90'],
    finalRecovery: 'Final recovery rate',
    finalCollected: 'Final collected',
    chartBalance: 'Fund balance at year end (¥ million, P10–P90 band and median)',
    programme: '3. Programme outcomes',
    funnelChart: 'People reaching each stage (to the as-of date)',
    funnelColumns: ['Stage', 'People', 'Share of enrolled'],
    stages: STAGE.en,
    byTrack: 'People by track (disclosure controlled)',
    track: 'Track',
    placement: 'Placement after completion',
    placementColumns: ['Within', 'Observed', 'Placed', 'Rate'],
    days: (d: number) => `${d} days`,
    sib: '4. Social Impact Bonds',
    sibColumns: ['Contract', 'Achieved this period', 'Paid this period', 'Paid to date', 'Cap', 'Investor XIRR', 'Multiple'],
    annex: 'Annex: data sources',
    people: 'People',
  },
} as const;

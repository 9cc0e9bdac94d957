// The words and colours of every value the programme publishes, Japanese and English side by side: statuses,
// outcome kinds, tracks, funnel stages, groups, units, and the display names of published columns and entities.
// The dashboard (labelsForPages → src/data/labels.json), the PDF reports (reports/i18n.ts) and the data dictionary
// all read this one table, so a value has one name per language and one colour everywhere.
//
// Colours come from one palette (Okabe–Ito, then Paul Tol's muted set: both distinguishable with the common forms of
// colour blindness), chosen per value, not by the order a chart meets them: a value keeps its colour on every chart,
// page and language. A value that appears in several sets (repaying, withdrawn…) has the same colour in each.
import { specOf } from './columns.ts';
import { entities, entityNames } from './entities.ts';

export type Lang = 'ja' | 'en';
export interface Text {
  en: string;
  ja: string;
}
export interface Label extends Text {
  /** One line saying what the value means, shown where it is shown (statuses). */
  description?: Text;
  /** CSS colour of the category in charts. */
  color?: string;
}

/** The palette: Okabe–Ito (first eight) and Tol muted. Named for reading, used only through the sets below. */
const C = {
  blue: '#0072B2',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  vermillion: '#D55E00',
  pink: '#CC79A7',
  grey: '#999999',
  indigo: '#332288',
  cyan: '#88CCEE',
  teal: '#44AA99',
  darkGreen: '#117733',
  olive: '#999933',
  sand: '#DDCC77',
  rose: '#CC6677',
  wine: '#882255',
  purple: '#AA4499',
  paleGrey: '#DDDDDD',
  darkGrey: '#555555',
} as const;

/** Colours for values of an open set (tracks) that the table does not list: picked by a hash of the value. */
const OPEN_SET_COLORS = [C.sky, C.indigo, C.wine, C.olive, C.rose, C.cyan, C.teal, C.sand, C.darkGreen, C.purple];

/** Japanese script: kanji, hiragana or katakana. */
export const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

const t = (en: string, ja: string, more: Partial<Label> = {}): Label => ({ en, ja, ...more });
const d = (en: string, ja: string): Text => ({ en, ja });

// Shared by several sets: a CIB status and the same status in the pathway flow.
const STATUS_COLORS = {
  training: C.sky,
  grace: C.sand,
  repaying: C.green,
  deferred: C.orange,
  unreported: C.pink,
  completed_cap: C.blue,
  completed_payments: C.indigo,
  expired: C.grey,
  withdrawn: C.vermillion,
} as const;

const cib_status = {
  training: t('In training', '受講中', {
    color: STATUS_COLORS.training,
    description: d('Still in training: nothing falls due yet.', '受講中のため、まだ返済は発生しません。'),
  }),
  grace: t('Grace period', '猶予期間', {
    color: STATUS_COLORS.grace,
    description: d('Training completed; in the grace months before repayments can begin.', '修了後、返済が始まるまでの猶予期間中です。'),
  }),
  repaying: t('Repaying', '返済中', {
    color: STATUS_COLORS.repaying,
    description: d('Income at or above the threshold: a share of it falls due this month.', '収入が基準額以上のため、収入の一定割合を毎月返済しています。'),
  }),
  deferred: t('Deferred (income below threshold)', '返済猶予（収入が基準額未満）', {
    color: STATUS_COLORS.deferred,
    description: d('Reported income is below the threshold, so nothing falls due this month; the payment window runs on.', '報告された収入が基準額未満のため、今月の返済はありません（返済期間は進みます）。'),
  }),
  unreported: t('Income not reported', '収入未報告', {
    color: STATUS_COLORS.unreported,
    description: d('No income was reported for the month, so what is owed cannot be worked out yet; staff follow up.', 'その月の収入報告がないため返済額を算定できません。職員が報告を求めています。'),
  }),
  completed_cap: t('Repaid (cap reached)', '完済（上限額到達）', {
    color: STATUS_COLORS.completed_cap,
    description: d('Repaid in full: payments reached the cap of the agreement.', '返済額が契約の上限額に達し、返済を完了しました。'),
  }),
  completed_payments: t('Repaid (all payments made)', '完済（返済回数到達）', {
    color: STATUS_COLORS.completed_payments,
    description: d('Repaid: the agreed number of monthly payments has been made.', '契約で定めた回数の返済を終え、返済を完了しました。'),
  }),
  expired: t('Payment window ended', '返済期間満了', {
    color: STATUS_COLORS.expired,
    description: d('The payment window ended before the cap or the number of payments was reached; the rest is forgiven.', '上限額・返済回数に達する前に返済期間が終わり、残りは免除されました。'),
  }),
  withdrawn: t('Withdrawn', '中途退学', {
    color: STATUS_COLORS.withdrawn,
    description: d('Left training before completing it: nothing is owed.', '修了前に受講をやめたため、返済はありません。'),
  }),
};

const enrolment_status = {
  enrolled: t('In training', '受講中', { color: STATUS_COLORS.training }),
  completed: t('Completed', '修了', { color: C.teal }),
  withdrawn: t('Withdrawn', '中途退学', { color: STATUS_COLORS.withdrawn }),
};

const outcome_kind = {
  job_start: t('Job start', '就職', { color: C.blue, description: d('A first job starting within the set number of days of completion.', '修了後、定めた日数以内に最初の職に就くこと。') }),
  sustained_employment: t('Sustained employment', '継続就労', { color: C.green, description: d('Employment held without a break for the set number of days.', '定めた日数、途切れずに就労を続けること。') }),
  income_at_least: t('Income threshold reached', '収入基準達成', { color: C.orange, description: d('A verified month of gross income at or above the set amount.', '確認済みの月額総収入が定めた金額以上になること。') }),
};

const track = {
  cloud_infrastructure: t('Cloud infrastructure', 'クラウドインフラ', { color: C.blue }),
  data_analytics: t('Data analytics', 'データ分析', { color: C.orange }),
  software_testing: t('Software testing', 'ソフトウェアテスト', { color: C.green }),
  web_development: t('Web development', 'Web開発', { color: C.pink }),
};

const stage = {
  enrolled: t('Enrolled', '受講登録', { color: C.olive }),
  completed: t('Completed', '修了', { color: C.teal }),
  first_job: t('First job', '就職', { color: C.wine }),
  first_it_job: t('First IT job', 'IT職に就職', { color: C.cyan }),
  sustained_6m: t('Employed 6 months', '6か月継続就労', { color: C.darkGreen }),
  income_at_threshold: t('Income at the CIB threshold', '基準額以上の収入', { color: C.purple }),
  repaying: t('Repaying', '返済中', { color: STATUS_COLORS.repaying }),
};

/** Where people went at each step of the pathway (the flow chart): training, first job, repayment. */
const flow = {
  enrolled: t('Enrolled', '受講登録', { color: C.olive }),
  in_training: t('In training', '受講中', { color: STATUS_COLORS.training }),
  completed: t('Completed', '修了', { color: C.teal }),
  withdrawn: t('Withdrawn', '中途退学', { color: STATUS_COLORS.withdrawn }),
  direct_hire: t('Direct hire', '直接雇用', { color: C.wine }),
  impact_sourcing: t('Impact sourcing', 'インパクト・ソーシング', { color: C.darkGreen }),
  other: t('Other job', 'その他の職', { color: C.rose }),
  no_job_yet: t('No job yet', '未就職', { color: C.paleGrey }),
  no_agreement: t('No CIB agreement', 'CIB契約なし', { color: C.darkGrey }),
  grace: t('Grace period', '猶予期間', { color: STATUS_COLORS.grace }),
  repaying: t('Repaying', '返済中', { color: STATUS_COLORS.repaying }),
  repaid: t('Repaid', '完済', { color: STATUS_COLORS.completed_cap }),
  deferred: t('Deferred (income below threshold)', '返済猶予（収入が基準額未満）', { color: STATUS_COLORS.deferred }),
  unreported: t('Income not reported', '収入未報告', { color: STATUS_COLORS.unreported }),
  expired: t('Payment window ended', '返済期間満了', { color: STATUS_COLORS.expired }),
};

const gender = {
  female: t('Female', '女性', { color: C.orange }),
  male: t('Male', '男性', { color: C.sky }),
  nonbinary: t('Non-binary', 'ノンバイナリー', { color: C.green }),
  undisclosed: t('Undisclosed', '回答なし', { color: C.grey }),
  unknown: t('Unknown', '不明', { color: C.paleGrey }),
};

const residence_status = {
  refugee: t('Recognised refugee', '難民認定者', { color: C.blue }),
  complementary_protection: t('Complementary protection', '補完的保護対象者', { color: C.sky }),
  humanitarian: t('Humanitarian stay', '人道配慮による在留許可', { color: C.green }),
  asylum_seeker: t('Asylum seeker', '難民認定申請者', { color: C.orange }),
  other: t('Other', 'その他', { color: C.pink }),
  unknown: t('Unknown', '不明', { color: C.paleGrey }),
};

/** UN geoscheme regions of ref.countries, as core.participants gives them. */
const origin_region = {
  Asia: t('Asia', 'アジア', { color: C.orange }),
  Africa: t('Africa', 'アフリカ', { color: C.green }),
  Europe: t('Europe', 'ヨーロッパ', { color: C.blue }),
  Americas: t('Americas', '南北アメリカ', { color: C.pink }),
  Oceania: t('Oceania', 'オセアニア', { color: C.sky }),
  Antarctic: t('Antarctic', '南極', { color: C.cyan }),
  Stateless: t('Stateless', '無国籍', { color: C.sand }),
  Unknown: t('Unknown', '不明', { color: C.paleGrey }),
};

const age_band = {
  'under 25': t('Under 25', '25歳未満', { color: C.indigo }),
  '25-29': t('25–29', '25〜29歳', { color: C.cyan }),
  '30-34': t('30–34', '30〜34歳', { color: C.teal }),
  '35-39': t('35–39', '35〜39歳', { color: C.darkGreen }),
  '40-44': t('40–44', '40〜44歳', { color: C.olive }),
  '45-49': t('45–49', '45〜49歳', { color: C.sand }),
  '50 and over': t('50 and over', '50歳以上', { color: C.rose }),
};

const breakdown = {
  all: t('All participants', '参加者全体'),
  track: t('Track', 'コース'),
  cohort: t('Cohort', 'コホート'),
  provider: t('Training provider', '研修実施機関'),
  municipality: t('Municipality', '自治体'),
  completion_quarter: t('Completion quarter', '修了四半期'),
  gender: t('Gender', '性別'),
  origin_region: t('Origin region', '出身地域'),
  residence_status: t('Residence status', '在留資格'),
  age_band: t('Age band', '年齢層'),
};

const measure = {
  retained_6_months: t('Retained 6 months', '6か月定着', { color: C.sky }),
  retained_12_months: t('Retained 12 months', '12か月定着', { color: C.blue }),
  hired_directly_after_impact_sourcing: t('Direct hire after impact sourcing', 'インパクト・ソーシング後の直接雇用', { color: C.wine }),
  final_recovery_rate: t('Final recovery rate', '最終回収率'),
  final_collected_jpy: t('Final amount collected', '最終回収額'),
  fund_balance_jpy: t('Fund balance', '基金残高'),
};

/** Kinds of problem of a rejected row (meta.rejects.problem). */
const problem = {
  missing: t('Missing value', '値の欠落', { color: C.grey }),
  invalid: t('Invalid value', '不正な値', { color: C.vermillion }),
  rule: t('Breaks a rule', 'ルール違反', { color: C.orange }),
  reference: t('Unknown reference', '参照先なし', { color: C.pink }),
  duplicate: t('Duplicate', '重複', { color: C.sky }),
  unreadable: t('Unreadable line', '読み取れない行', { color: C.darkGrey }),
};

const employment_type = {
  impact_sourcing: t('Impact sourcing', 'インパクト・ソーシング', { color: flow.impact_sourcing.color }),
  direct_hire: t('Direct hire', '直接雇用', { color: flow.direct_hire.color }),
  other: t('Other', 'その他', { color: flow.other.color }),
};

const employment_contract = {
  full_time: t('Full time', '正社員', { color: C.blue }),
  part_time: t('Part time', 'パート・アルバイト', { color: C.orange }),
  fixed_term: t('Fixed term', '契約社員（有期）', { color: C.green }),
  freelance: t('Freelance', 'フリーランス', { color: C.pink }),
};

const income_source = {
  payslip: t('Payslip', '給与明細', { color: C.blue }),
  tax_certificate: t('Tax certificate', '源泉徴収票', { color: C.green }),
  employer_report: t('Employer report', '雇用主報告', { color: C.orange }),
  self_report: t('Self-report', '自己申告', { color: C.grey }),
};

const japanese_level = {
  N1: t('JLPT N1', '日本語能力試験N1', { color: C.indigo }),
  N2: t('JLPT N2', '日本語能力試験N2', { color: C.blue }),
  N3: t('JLPT N3', '日本語能力試験N3', { color: C.teal }),
  N4: t('JLPT N4', '日本語能力試験N4', { color: C.sand }),
  N5: t('JLPT N5', '日本語能力試験N5', { color: C.orange }),
  none: t('None', 'なし', { color: C.grey }),
};

const sib_party = {
  investor: t('Investor', '投資家', { color: C.blue }),
  municipality: t('Municipality', '自治体', { color: C.green }),
  provider: t('Service provider', 'サービス提供事業者', { color: C.orange }),
};

const fund_transaction_type = {
  donation: t('Donation', '寄付', { color: C.green }),
  sponsorship: t('Sponsorship', '協賛', { color: C.teal }),
  disbursement: t('Training paid', '研修費の支出', { color: C.vermillion }),
  repayment_inflow: t('CIB repayments', 'CIB返済の入金', { color: C.blue }),
  fee: t('Fee', '手数料', { color: C.grey }),
};

/** What a figure counts, after the number: 551 scholarships / 551件の奨学金 is written by the caller from these. */
const units = {
  people: t('people', '人'),
  scholarships: t('scholarships', '件（奨学金）'),
  yen: t('yen', '円'),
  agreements: t('agreements', '件（CIB契約）'),
  contracts: t('contracts', '件（SIB契約）'),
  outcomes: t('outcomes', '件（成果）'),
  files: t('files', 'ファイル'),
  rows: t('rows', '行'),
  months: t('months', 'か月'),
  days: t('days', '日'),
  years: t('years', '年'),
  percent: t('percent', '％'),
};

/** Display names of the contract's entities and the tables figures are published from. */
const entity = {
  participants: t('Participants', '参加者'),
  cohorts: t('Cohorts', 'コホート'),
  enrollments: t('Enrolments', '受講登録'),
  cib_agreements: t('CIB agreements', 'CIB契約'),
  employment: t('Employment', '雇用'),
  income: t('Income', '収入'),
  repayments: t('CIB repayments', 'CIB返済'),
  sib_contracts: t('SIB contracts', 'SIB契約'),
  sib_outcomes: t('SIB rate card', 'SIB成果指標単価表'),
  sib_referrals: t('SIB referrals', 'SIB紹介'),
  sib_cashflows: t('SIB cash flows', 'SIBキャッシュフロー'),
  fund_transactions: t('Fund transactions', '基金取引'),
  'marts.impact_funnel': t('Programme funnel', 'プログラムの段階別人数'),
  'marts.impact_withdrawals': t('Withdrawals', '中途退学'),
  'marts.impact_time_to_first_job': t('Time to first job', '就職までの期間'),
  'marts.impact_time_to_first_job_summary': t('Time to first job (summary)', '就職までの期間（要約）'),
  'marts.impact_placement_rates': t('Placement rates', '就職率'),
  'marts.impact_retention': t('Retention', '定着'),
  'marts.impact_income': t('Income after completion', '修了後の収入'),
  'marts.cohort_summary': t('Cohorts', 'コホート'),
  'marts.cib_agreements': t('CIB agreements', 'CIB契約'),
  'marts.cib_fund': t('CIB fund', 'CIB基金'),
  'marts.cib_projection': t('CIB fund projection', 'CIB基金の見通し'),
  'marts.sib_outcome_audit': t('SIB outcome audit', 'SIB成果の明細'),
  'marts.sib_payments': t('SIB payments', 'SIB支払'),
  'marts.sib_investor_returns': t('SIB investor returns', 'SIB投資家の収益'),
  'marts.data_quality': t('Data quality', 'データ品質'),
  'core.cib_agreement_months': t('CIB agreement months', 'CIB契約の月次状況'),
  'core.sib_contracts': t('SIB contracts', 'SIB契約'),
  'core.sib_referrals': t('SIB referrals', 'SIB紹介'),
  'core.participant_milestones': t('Participant milestones', '参加者の節目'),
  'staging.sib_outcomes': t('SIB rate card', 'SIB成果指標単価表'),
  'meta.builds': t('Builds', 'ビルド'),
  'meta.loads': t('Loads', '取り込み'),
};

/** Display names of every published column (the dashboard's datasets and the reports' tables). */
const columns = {
  month: t('Month', '月'),
  quarter: t('Quarter', '四半期'),
  year: t('Year', '年'),
  period: t('Period', '対象期間'),
  as_of: t('As of', '基準日'),
  built_at: t('Built at', '構築日時'),
  build_id: t('Build', 'ビルド'),
  breakdown: t('Breakdown', '内訳の軸'),
  group_value: t('Group', 'グループ'),
  entity: t('Data', 'データ'),
  column_name: t('Column', '列'),
  problem: t('Problem', '問題'),
  problems: t('Rows with the problem', '該当行数'),
  files_loaded: t('Files loaded', '取り込んだファイル数'),
  rows_read: t('Rows read', '読込行数'),
  rows_loaded: t('Rows loaded', '取込行数'),
  rows_rejected: t('Rows rejected', '除外行数'),
  assessed: t('Months assessed', '対象月数'),
  unreported: t('Months unreported', '未報告の月数'),
  unreported_share: t('Share unreported', '未報告の割合'),
  unreported_month_share: t('Share of months unreported', '収入未報告の月の割合'),
  enrolled: t('Enrolled', '受講登録者'),
  completed: t('Completed', '修了者'),
  employed: t('Into jobs', '就職者'),
  completion_share: t('Completion share', '修了率'),
  employment_share: t('Completers in a job', '修了者の就職率'),
  eligible_180: t('Observed 180 days', '180日観察対象者'),
  placed_180: t('Placed within 180 days', '180日以内の就職者'),
  placement_rate_180: t('Job within 180 days', '180日以内の就職率'),
  median_days_to_job: t('Median days to job', '就職までの日数（中央値）'),
  income_people_12m: t('People with income at 12 months', '修了12か月後の収入報告者'),
  income_median_12m: t('Median income at 12 months', '修了12か月後の月収（中央値）'),
  step: t('Step', '段階'),
  source: t('From', '移行元'),
  target: t('To', '移行先'),
  people: t('People', '人数'),
  agreements: t('Agreements', 'CIB契約数'),
  open_agreements: t('Open agreements', '継続中の契約'),
  agreements_in_arrears: t('Agreements in arrears', '延滞のある契約'),
  obligation_jpy: t('Fallen due', '返済期日到来額'),
  collected_jpy: t('Collected', '回収額'),
  funded_amount_jpy: t('Scholarships funded', '奨学金の給付額'),
  arrears_jpy: t('Arrears', '延滞額'),
  forgiven_jpy: t('Forgiven', '免除額'),
  recovery_rate: t('Recovery rate', '回収率'),
  average_training_cost_jpy: t('Average training cost', '平均研修費'),
  pay_forward_multiplier: t('New scholarships repayments fund', '返済で賄える新規奨学金の数'),
  measure: t('Measure', '指標'),
  p10: t('P10', 'P10（下位10%）'),
  p50: t('P50 (median)', 'P50（中央値）'),
  p90: t('P90', 'P90（上位10%）'),
  agreements_projected: t('Agreements projected', '予測対象の契約数'),
  status: t('Status', '状況'),
  share: t('Share', '割合'),
  total: t('Total', '合計'),
  stage_order: t('Stage number', '段階番号'),
  stage: t('Stage', '段階'),
  share_of_enrolled: t('Share of enrolled', '登録者に対する割合'),
  months_since_completion: t('Months since completion', '修了後の月数'),
  income_p25: t('Income, 25th percentile', '月収（第1四分位）'),
  income_median: t('Median income', '月収（中央値）'),
  income_p75: t('Income, 75th percentile', '月収（第3四分位）'),
  income_mean: t('Mean income', '月収（平均）'),
  people_with_baseline: t('People with pre-programme income', '受講前の収入がある人数'),
  uplift_median_jpy: t('Median income uplift', '収入の伸び（中央値）'),
  uplift_median_ratio: t('Median income uplift (ratio)', '収入の伸び率（中央値）'),
  uplift_people: t('People with an uplift', '収入の伸びの対象者'),
  paid_people: t('People with a paid outcome', '成果が支払対象となった人数'),
  outcome_payments_jpy: t('Outcome payments', '成果報酬額'),
  cost_per_job_jpy: t('Cost per job', '就職1人あたりの費用'),
  repaid_jpy: t('Repaid to the fund', '基金への返済額'),
  eligible: t('Eligible', '対象者'),
  achieved: t('Achieved', '達成'),
  rate: t('Rate', '割合'),
  median_days: t('Median days', '日数（中央値）'),
  contract_id: t('Contract id', '契約番号'),
  contract_name: t('Contract', '契約名'),
  contract_name_en: t('Contract (English)', '契約名（英語）'),
  municipality_code: t('Municipality code', '自治体コード'),
  start_date: t('Start', '開始日'),
  end_date: t('End', '終了日'),
  payment_cap_jpy: t('Payment cap', '支払上限額'),
  referred: t('People referred', '紹介人数'),
  outcomes_achieved: t('Outcomes achieved', '達成成果数'),
  outcomes_paid: t('Outcomes paid', '支払対象の成果数'),
  removed_jpy: t('Removed by max count or cap', '上限件数・支払上限による減額'),
  cap_used: t('Cap used', '上限額の使用率'),
  investor_paid_in_jpy: t('Investor capital paid in', '投資家の出資額'),
  investor_net_jpy: t('Investor net', '投資家の純収支'),
  money_multiple: t('Investor money multiple', '投資倍率'),
  investor_xirr: t('Investor IRR', '投資家の内部収益率'),
  latest: t('Latest month', '最新月'),
  people_paid: t('People paid', '支払対象者数'),
  paid_to_date_jpy: t('Paid to date', '累計支払額'),
  outcome_code: t('Outcome', '成果指標'),
  kind: t('Kind of outcome', '成果の種類'),
  parameter: t('Threshold', '基準値'),
  price_jpy: t('Price', '単価'),
  max_count: t('Most outcomes paid', '支払件数の上限'),
  paid_count: t('Paid', '支払件数'),
  paid_jpy: t('Paid', '支払額'),
  completers: t('Completers', '修了者'),
  jobs_found: t('Jobs found', '就職者'),
  median_lower_95: t('Median, lower 95% bound', '中央値の95%信頼区間（下限）'),
  median_upper_95: t('Median, upper 95% bound', '中央値の95%信頼区間（上限）'),
  survival_180: t('Without a job at 180 days', '180日時点の未就職割合'),
  days: t('Days since completion', '修了後日数'),
  at_risk: t('At risk', '観察中の人数'),
  survival: t('Without a job', '未就職の割合'),
  lower_95: t('Lower 95% bound', '95%信頼区間（下限）'),
  upper_95: t('Upper 95% bound', '95%信頼区間（上限）'),
  breaks_even: t('Breaks even', '収支均衡の見込み'),
  break_even_year: t('Break-even year', '収支均衡の年'),
  horizon_year: t('Last projected year', '予測の最終年'),
  recovery_needed: t('Recovery needed to break even', '収支均衡に必要な回収率'),
  recovery_p50: t('Projected final recovery (median)', '最終回収率の予測（中央値）'),
  // The input contract's columns, as entity.column (the data dictionary names them so).
  ...contractColumnNames(),
};

/** A contract column's display name: its Japanese header (the first the contract lists), and the name in words. */
function contractColumnNames(): Record<string, Label> {
  const names: Record<string, Label> = {};
  for (const e of entityNames) {
    for (const [column, schema] of Object.entries(entities[e].schema.shape)) {
      const ja = specOf(schema).headers?.find((h) => JAPANESE.test(h));
      names[`${e}.${column}`] = t(humanise(column), ja ?? humanise(column));
    }
  }
  return names;
}

export const LABELS = {
  cib_status,
  enrolment_status,
  outcome_kind,
  track,
  stage,
  flow,
  gender,
  residence_status,
  origin_region,
  age_band,
  breakdown,
  measure,
  problem,
  employment_type,
  employment_contract,
  income_source,
  japanese_level,
  sib_party,
  fund_transaction_type,
  units,
  entity,
  columns,
} satisfies Record<string, Record<string, Label>>;

export type ValueSetName = keyof typeof LABELS;
export const VALUE_SETS = Object.keys(LABELS) as ValueSetName[];

/** Sets whose values are free text in the contract (cohorts.track): a value the table lacks is humanised. */
export const OPEN_SETS: readonly ValueSetName[] = ['track'];

/** The contract's enum column each closed set labels, so a test can hold the two together. */
export const CONTRACT_ENUMS: ReadonlyArray<readonly [ValueSetName, string, string]> = [
  ['gender', 'participants', 'gender'],
  ['residence_status', 'participants', 'residence_status'],
  ['japanese_level', 'participants', 'japanese_level'],
  ['enrolment_status', 'enrollments', 'status'],
  ['employment_type', 'employment', 'employment_type'],
  ['employment_contract', 'employment', 'contract'],
  ['income_source', 'income', 'source'],
  ['outcome_kind', 'sib_outcomes', 'kind'],
  ['sib_party', 'sib_cashflows', 'party'],
  ['fund_transaction_type', 'fund_transactions', 'type'],
];

/** web_development → Web development; JOB_START → Job start: a code the table lacks, in words. */
export function humanise(value: string): string {
  const words = value.replace(/[_\s-]+/g, ' ').trim();
  const lower = words === words.toUpperCase() ? words.toLowerCase() : words;
  const text = lower.replace(/\b(id|it|cib|sib|jlpt)\b/g, (w) => w.toUpperCase()).replace(/ jpy$/, ' (yen)');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function entry(set: ValueSetName, value: string): Label | undefined {
  return (LABELS[set] as Record<string, Label>)[value];
}

/**
 * The label of a value in a language. A value the table lacks (a new track, a code from a newer contract) is
 * humanised, in Japanese output as in English, so no raw code reaches a reader; null and undefined give ''.
 */
export function label(set: ValueSetName, value: string | number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '';
  const found = entry(set, String(value));
  return found ? found[lang] : humanise(String(value));
}

/** The one-line explanation of a value (statuses), or undefined. */
export function describe(set: ValueSetName, value: string, lang: Lang): string | undefined {
  return entry(set, value)?.description?.[lang];
}

/**
 * The colour of a category, the same on every chart, page and language. A value the table lacks (a new track)
 * gets a colour from the open-set palette by a hash of the value, so it too is stable whatever order it comes in.
 */
export function categoryColor(set: ValueSetName, value: string): string {
  const found = entry(set, value)?.color;
  if (found) return found;
  let h = 0;
  for (const ch of value) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return OPEN_SET_COLORS[h % OPEN_SET_COLORS.length]!;
}

export interface PageLabels {
  /** set → value → text, per language: what `label(kind, value)` on the pages reads. */
  en: Record<ValueSetName, Record<string, string>>;
  ja: Record<ValueSetName, Record<string, string>>;
  /** set → value → one-line explanation, per language (statuses, outcome kinds). */
  description: Record<Lang, Partial<Record<ValueSetName, Record<string, string>>>>;
  /** set → value → CSS colour. */
  color: Partial<Record<ValueSetName, Record<string, string>>>;
  /** Sets whose unknown values the pages humanise (web_development → Web development). */
  open: readonly ValueSetName[];
}

/** Plain JSON of the whole table for the dashboard build to write as src/data/labels.json. */
export function labelsForPages(): PageLabels {
  const out: PageLabels = { en: {} as PageLabels['en'], ja: {} as PageLabels['ja'], description: { en: {}, ja: {} }, color: {}, open: OPEN_SETS };
  for (const set of VALUE_SETS) {
    const values = Object.entries(LABELS[set] as Record<string, Label>);
    for (const lang of ['en', 'ja'] as const) {
      out[lang][set] = Object.fromEntries(values.map(([v, l]) => [v, l[lang]]));
      const described = values.filter(([, l]) => l.description);
      if (described.length) out.description[lang][set] = Object.fromEntries(described.map(([v, l]) => [v, l.description![lang]]));
    }
    const coloured = values.filter(([, l]) => l.color);
    if (coloured.length) out.color[set] = Object.fromEntries(coloured.map(([v, l]) => [v, l.color!]));
  }
  return out;
}

/**
 * A rate-card line named by what it pays for, not by its code (JOB_START, INCOME_250K are the contract's own ids):
 * 就職（修了後180日以内） / Job start (within 180 days of completion).
 */
export function outcomeLabel(kind: string, parameter: number, lang: Lang): string {
  const n = Math.round(parameter).toLocaleString('en-US');
  const name = label('outcome_kind', kind, lang);
  if (kind === 'job_start') return lang === 'ja' ? `${name}（修了後${n}日以内）` : `${name} (within ${n} days of completion)`;
  if (kind === 'sustained_employment') return lang === 'ja' ? `${name}（${n}日）` : `${name} (${n} days)`;
  if (kind === 'income_at_least') return lang === 'ja' ? `${name}（月収${n}円以上）` : `${name} (¥${n} a month or more)`;
  return name;
}

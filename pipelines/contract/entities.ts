// The input contract, version 1: one zod schema per entity. Everything else (TypeScript types,
// DuckDB DDL, SQL validation, the data dictionary, the demo generator's rows) derives from here.
import { z } from 'zod';
import { col } from './columns.ts';

export const CONTRACT_VERSION = 1;

export type EntityName =
  | 'participants'
  | 'cohorts'
  | 'enrollments'
  | 'cib_agreements'
  | 'employment'
  | 'income'
  | 'repayments'
  | 'sib_contracts'
  | 'sib_outcomes'
  | 'sib_referrals'
  | 'sib_cashflows'
  | 'fund_transactions';

/** A rule across columns of one row; `bad` is SQL over the typed columns (quoted names). */
export interface RowRule {
  column: string;
  bad: string;
  reason: string;
}

export interface EntityDef<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  description: string;
  schema: z.ZodObject<S>;
  /** Natural key (contract column names): a re-delivered row with the same key supersedes the old one. */
  key: readonly (keyof S & string)[];
  /** Columns that must name a row already loaded in another entity (its key column of the same name). */
  references: Partial<Record<keyof S & string, EntityName>>;
  rules: readonly RowRule[];
}

function entity<S extends z.ZodRawShape>(def: Omit<EntityDef<S>, 'schema' | 'rules' | 'references'> & {
  columns: S;
  references?: EntityDef<S>['references'];
  rules?: readonly RowRule[];
}): EntityDef<S> {
  const { columns, ...rest } = def;
  return { ...rest, schema: z.object(columns), references: def.references ?? {}, rules: def.rules ?? [] };
}

const participants = entity({
  name: 'participants',
  description: 'One row per person admitted to the programme.',
  columns: {
    participant_ref: col.participantRef().required(),
    birth_year: col.int({ description: 'Year of birth.', min: 1900, max: 'as_of_year', headers: ['生年', '生まれ年'] }).required(),
    gender: col
      .enum({
        description: 'Gender as the participant chose to report it.',
        values: ['female', 'male', 'nonbinary', 'undisclosed'],
        aliases: { 女性: 'female', 女: 'female', f: 'female', 男性: 'male', 男: 'male', m: 'male', ノンバイナリー: 'nonbinary', 回答しない: 'undisclosed', 無回答: 'undisclosed' },
        headers: ['性別'],
      })
      .required(),
    country_of_origin: col.country({ description: 'Country the participant fled or migrated from.', headers: ['出身国', '国籍'] }).required(),
    residence_status: col
      .enum({
        description: 'Immigration status in Japan when admitted.',
        values: ['refugee', 'complementary_protection', 'humanitarian', 'asylum_seeker', 'other'],
        aliases: { 難民: 'refugee', 補完的保護対象者: 'complementary_protection', 人道配慮: 'humanitarian', 難民申請者: 'asylum_seeker', その他: 'other' },
        headers: ['在留資格', '在留状況'],
      })
      .required(),
    municipality_code: col.municipality({ description: 'Local government code (全国地方公共団体コード) of the municipality of residence.', headers: ['市区町村コード', '自治体コード'] }).required(),
    arrival_date: col.date({ description: 'Date of arrival in Japan.', headers: ['入国日', '来日日'] }).optional(),
    japanese_level: col
      .enum({
        description: 'Japanese-Language Proficiency Test level held at admission (N1 highest), or none.',
        values: ['N1', 'N2', 'N3', 'N4', 'N5', 'none'],
        aliases: { n1: 'N1', n2: 'N2', n3: 'N3', n4: 'N4', n5: 'N5', なし: 'none', 無し: 'none' },
        headers: ['日本語レベル', 'JLPT'],
      })
      .optional(),
    consent_research: col.bool({ description: 'Whether the participant consented to their pseudonymised data being used for research.', headers: ['研究同意'] }).required(),
    name: col.directIdentifier({ description: 'Full name. Dropped at ingest.', headers: ['氏名', '名前', 'full_name'] }).optional(),
    email: col.directIdentifier({ description: 'E-mail address. Dropped at ingest.', headers: ['メール', 'メールアドレス', 'e_mail'] }).optional(),
    phone: col.directIdentifier({ description: 'Telephone number. Dropped at ingest.', headers: ['電話', '電話番号', 'tel'] }).optional(),
    address: col.directIdentifier({ description: 'Postal address. Dropped at ingest.', headers: ['住所'] }).optional(),
  },
  key: ['participant_ref'],
});

const cohorts = entity({
  name: 'cohorts',
  description: 'One row per training cohort.',
  columns: {
    cohort_id: col.ref({ description: 'Identifier of the cohort.', headers: ['コホートID', '期'] }).required(),
    track: col.ref({ description: 'Training track (curriculum), e.g. web_development.', headers: ['コース'] }).required(),
    provider: col.ref({ description: 'Organisation delivering the training.', headers: ['実施機関'] }).required(),
    start_date: col.date({ description: 'First day of training.', headers: ['開始日'] }).required(),
    end_date: col.date({ description: 'Last day of training.', headers: ['終了日'] }).required(),
  },
  key: ['cohort_id'],
  rules: [{ column: 'end_date', bad: '"end_date" < "start_date"', reason: 'end_date is before start_date' }],
});

const enrollments = entity({
  name: 'enrollments',
  description: 'One row per participant in a cohort.',
  columns: {
    participant_ref: col.participantRef().required(),
    cohort_id: col.ref({ description: 'Cohort enrolled in.', headers: ['コホートID', '期'] }).required(),
    enrolled_on: col.date({ description: 'Date of enrolment.', headers: ['入学日', '受講開始日'] }).required(),
    status: col
      .enum({
        description: 'Status of the enrolment.',
        values: ['enrolled', 'completed', 'withdrawn'],
        aliases: { 在籍: 'enrolled', 受講中: 'enrolled', 修了: 'completed', 退学: 'withdrawn', 中退: 'withdrawn' },
        headers: ['状態', 'ステータス'],
      })
      .required(),
    completed_on: col.date({ description: 'Date the training was completed; required when status is completed.', headers: ['修了日'] }).optional(),
    withdrawn_on: col.date({ description: 'Date of withdrawal; required when status is withdrawn.', headers: ['退学日'] }).optional(),
    training_cost_jpy: col.yen({ description: 'Cost of the training place, paid by the scholarship fund.', min: 0, headers: ['研修費用'] }).required(),
  },
  key: ['participant_ref', 'cohort_id'],
  references: { participant_ref: 'participants', cohort_id: 'cohorts' },
  rules: [
    { column: 'completed_on', bad: `"status" = 'completed' AND "completed_on" IS NULL`, reason: 'completed_on is required when status is completed' },
    { column: 'withdrawn_on', bad: `"status" = 'withdrawn' AND "withdrawn_on" IS NULL`, reason: 'withdrawn_on is required when status is withdrawn' },
    { column: 'completed_on', bad: `"status" <> 'completed' AND "completed_on" IS NOT NULL`, reason: 'completed_on is given but status is not completed' },
    { column: 'completed_on', bad: '"completed_on" < "enrolled_on"', reason: 'completed_on is before enrolled_on' },
    { column: 'withdrawn_on', bad: '"withdrawn_on" < "enrolled_on"', reason: 'withdrawn_on is before enrolled_on' },
  ],
});

const cib_agreements = entity({
  name: 'cib_agreements',
  description: 'One row per Career Impact Bond (income-contingent scholarship) agreement.',
  columns: {
    agreement_id: col.ref({ description: 'Identifier of the agreement.', headers: ['契約番号'] }).required(),
    participant_ref: col.participantRef().required(),
    signed_on: col.date({ description: 'Date the agreement was signed.', headers: ['締結日'] }).required(),
    funded_amount_jpy: col.yen({ description: 'Scholarship amount the fund paid for this participant.', min: 0, headers: ['奨学金額'] }).required(),
    income_threshold_jpy: col.yen({ description: 'Gross monthly income at or above which a month is a repayment month.', min: 0, headers: ['所得基準額'] }).required(),
    income_share_rate: col.rate({ description: 'Share of gross monthly income owed in a repayment month.', headers: ['返済率'] }).required(),
    payment_cap_jpy: col.yen({ description: 'Most that can ever be owed under the agreement.', min: 0, headers: ['返済上限額'] }).required(),
    max_payments: col.int({ description: 'Number of monthly repayments after which the agreement completes.', min: 1, max: 600, unit: 'months', headers: ['最大返済回数'] }).required(),
    payment_window_months: col.int({ description: 'Calendar months, from the first repayment month, during which repayments can fall due; what is unpaid after it is forgiven.', min: 1, max: 600, unit: 'months', headers: ['返済期間'] }).required(),
    grace_months: col.int({ description: 'Calendar months after the month of completion before repayment months begin.', min: 0, max: 120, unit: 'months', headers: ['猶予期間'] }).required(),
  },
  key: ['agreement_id'],
  references: { participant_ref: 'participants' },
});

const employment = entity({
  name: 'employment',
  description: 'One row per employment spell (a job with one employer under one contract).',
  columns: {
    employment_id: col.ref({ description: 'Identifier of the spell.', headers: ['雇用ID'] }).required(),
    participant_ref: col.participantRef().required(),
    employer_ref: col.ref({ description: "Employer's reference (an IT vendor for impact sourcing, or the hiring company).", headers: ['雇用主', '就労先'] }).required(),
    employment_type: col
      .enum({
        description: 'impact_sourcing: outsourced project work through an IT vendor; direct_hire: hired by the client company or municipality; other.',
        values: ['impact_sourcing', 'direct_hire', 'other'],
        aliases: { インパクトソーシング: 'impact_sourcing', 業務委託: 'impact_sourcing', 直接雇用: 'direct_hire', その他: 'other' },
        headers: ['就労形態'],
      })
      .required(),
    it_role: col.bool({ description: 'Whether the job is an IT role.', headers: ['IT職'] }).required(),
    contract: col
      .enum({
        description: 'Contract form.',
        values: ['full_time', 'part_time', 'fixed_term', 'freelance'],
        aliases: { 正社員: 'full_time', フルタイム: 'full_time', パート: 'part_time', アルバイト: 'part_time', 契約社員: 'fixed_term', 有期: 'fixed_term', フリーランス: 'freelance' },
        headers: ['雇用契約'],
      })
      .required(),
    started_on: col.date({ description: 'First day of the spell.', headers: ['開始日', '入社日'] }).required(),
    ended_on: col.date({ description: 'Last day of the spell; empty while it continues.', headers: ['終了日', '退職日'] }).optional(),
    weekly_hours: col.int({ description: 'Contracted hours per week.', min: 0, max: 80, unit: 'hours', headers: ['週労働時間'] }).optional(),
  },
  key: ['employment_id'],
  references: { participant_ref: 'participants' },
  rules: [{ column: 'ended_on', bad: '"ended_on" < "started_on"', reason: 'ended_on is before started_on' }],
});

const income = entity({
  name: 'income',
  description: 'One row per participant, month and source of a gross income figure.',
  columns: {
    participant_ref: col.participantRef().required(),
    period: col.month({ description: 'Calendar month the income was earned in.', headers: ['対象月', '支給月', '年月'] }).required(),
    gross_income_jpy: col.yen({ description: 'Gross monthly income before tax and social insurance.', min: 0, headers: ['月収', '総支給額', '支給額'] }).required(),
    source: col
      .enum({
        description: 'Where the figure comes from.',
        values: ['payslip', 'tax_certificate', 'employer_report', 'self_report'],
        aliases: { 給与明細: 'payslip', 源泉徴収票: 'tax_certificate', 雇用主報告: 'employer_report', 自己申告: 'self_report' },
        headers: ['出典', '情報源'],
      })
      .required(),
    verified: col.bool({ description: 'Whether programme staff verified the figure against a document.', headers: ['確認済'] }).required(),
  },
  key: ['participant_ref', 'period', 'source'],
  references: { participant_ref: 'participants' },
});

const repayments = entity({
  name: 'repayments',
  description: 'One row per payment received under a CIB agreement (negative for a refund or reversal).',
  columns: {
    payment_id: col.ref({ description: 'Identifier of the payment (bank transaction reference).', headers: ['入金ID', '取引番号'] }).required(),
    agreement_id: col.ref({ description: 'Agreement the payment is for.', headers: ['契約番号'] }).required(),
    paid_on: col.date({ description: 'Date the payment was received.', headers: ['入金日'] }).required(),
    amount_jpy: col.yen({ description: 'Amount received; negative for a refund or reversal.', headers: ['金額', '入金額'] }).required(),
  },
  key: ['payment_id'],
  references: { agreement_id: 'cib_agreements' },
});

const sib_contracts = entity({
  name: 'sib_contracts',
  description: 'One row per Social Impact Bond outcome contract with a municipality.',
  columns: {
    contract_id: col.ref({ description: 'Identifier of the contract.', headers: ['契約ID'] }).required(),
    municipality_code: col.municipality({ description: 'Local government code of the paying municipality.', headers: ['自治体コード'] }).required(),
    name: col.text({ description: 'Name of the contract.', headers: ['契約名'] }).required(),
    start_date: col.date({ description: 'First day outcomes can be achieved.', headers: ['開始日'] }).required(),
    end_date: col.date({ description: 'Last day outcomes can be achieved.', headers: ['終了日'] }).required(),
    payment_cap_jpy: col.yen({ description: 'Most the municipality pays over the life of the contract.', min: 0, headers: ['支払上限額'] }).required(),
    // Added after version 1 was first published: optional, so earlier files load as they did.
    name_en: col.text({ description: 'Name of the contract in English, for English reports and pages; when empty they show name.', headers: ['契約名（英語）', '英語契約名', 'name_english'] }).optional(),
  },
  key: ['contract_id'],
  rules: [{ column: 'end_date', bad: '"end_date" < "start_date"', reason: 'end_date is before start_date' }],
});

const sib_outcomes = entity({
  name: 'sib_outcomes',
  description: "The rate card: one row per outcome a contract pays for.",
  columns: {
    contract_id: col.ref({ description: 'Contract the outcome belongs to.', headers: ['契約ID'] }).required(),
    outcome_code: col.ref({ description: 'Code of the outcome within the contract.', headers: ['成果コード'] }).required(),
    kind: col
      .enum({
        description: 'job_start: a job starting within `parameter` days of completion; sustained_employment: employment held `parameter` days; income_at_least: a verified month of at least `parameter` yen.',
        values: ['job_start', 'sustained_employment', 'income_at_least'],
        headers: ['成果種別'],
      })
      .required(),
    parameter: col.int({ description: 'Days (job_start, sustained_employment) or yen (income_at_least).', min: 1, max: 100_000_000, unit: 'days or JPY, by kind', headers: ['基準値'] }).required(),
    price_jpy: col.yen({ description: 'Payment per achieved outcome.', min: 0, headers: ['単価'] }).required(),
    max_count: col.int({ description: 'Most outcomes of this code paid over the life of the contract; empty for no limit.', min: 0, max: 1_000_000, headers: ['上限件数'] }).optional(),
  },
  key: ['contract_id', 'outcome_code'],
  references: { contract_id: 'sib_contracts' },
});

const sib_referrals = entity({
  name: 'sib_referrals',
  description: 'One row per participant referred to a SIB contract.',
  columns: {
    contract_id: col.ref({ description: 'Contract referred to.', headers: ['契約ID'] }).required(),
    participant_ref: col.participantRef().required(),
    referred_on: col.date({ description: 'Date of referral; outcomes count only from this date.', headers: ['紹介日'] }).required(),
  },
  key: ['contract_id', 'participant_ref'],
  references: { contract_id: 'sib_contracts', participant_ref: 'participants' },
});

const sib_cashflows = entity({
  name: 'sib_cashflows',
  description: "Cash flows of a SIB contract, signed from the investor's point of view (capital out negative, returns positive). One net flow per contract, date and party.",
  columns: {
    contract_id: col.ref({ description: 'Contract the flow belongs to.', headers: ['契約ID'] }).required(),
    date: col.date({ description: 'Value date of the flow.', headers: ['日付'] }).required(),
    party: col
      .enum({
        description: 'Who the flow is with.',
        values: ['investor', 'municipality', 'provider'],
        aliases: { 投資家: 'investor', 自治体: 'municipality', 事業者: 'provider' },
        headers: ['相手方'],
      })
      .required(),
    amount_jpy: col.yen({ description: "Amount, signed from the investor's point of view.", headers: ['金額'] }).required(),
  },
  key: ['contract_id', 'date', 'party'],
  references: { contract_id: 'sib_contracts' },
});

const fund_transactions = entity({
  name: 'fund_transactions',
  description: 'Movements of the scholarship (pay-forward) fund.',
  columns: {
    txn_id: col.ref({ description: 'Identifier of the transaction.', headers: ['取引番号'] }).required(),
    date: col.date({ description: 'Value date.', headers: ['日付'] }).required(),
    type: col
      .enum({
        description: 'donation and sponsorship in; disbursement (training paid) out; repayment_inflow (CIB repayments credited) in; fee out.',
        values: ['donation', 'sponsorship', 'disbursement', 'repayment_inflow', 'fee'],
        aliases: { 寄付: 'donation', 協賛: 'sponsorship', 支出: 'disbursement', 返済入金: 'repayment_inflow', 手数料: 'fee' },
        headers: ['種別'],
      })
      .required(),
    amount_jpy: col.yen({ description: 'Amount; positive in, negative out.', headers: ['金額'] }).required(),
    counterparty: col.text({ description: 'Organisation on the other side (a sponsor or vendor; never a person).', headers: ['相手先'] }).optional(),
  },
  key: ['txn_id'],
});

/** In load order: an entity comes after every entity it references. */
export const entities = {
  participants,
  cohorts,
  enrollments,
  cib_agreements,
  employment,
  income,
  repayments,
  sib_contracts,
  sib_outcomes,
  sib_referrals,
  sib_cashflows,
  fund_transactions,
} as const satisfies Record<EntityName, EntityDef<any>>;

export const entityNames = Object.keys(entities) as EntityName[];

export type Participant = z.infer<typeof participants.schema>;
export type Cohort = z.infer<typeof cohorts.schema>;
export type Enrollment = z.infer<typeof enrollments.schema>;
export type CibAgreement = z.infer<typeof cib_agreements.schema>;
export type Employment = z.infer<typeof employment.schema>;
export type Income = z.infer<typeof income.schema>;
export type Repayment = z.infer<typeof repayments.schema>;
export type SibContract = z.infer<typeof sib_contracts.schema>;
export type SibOutcome = z.infer<typeof sib_outcomes.schema>;
export type SibReferral = z.infer<typeof sib_referrals.schema>;
export type SibCashflow = z.infer<typeof sib_cashflows.schema>;
export type FundTransaction = z.infer<typeof fund_transactions.schema>;

export function isEntityName(name: string): name is EntityName {
  return name in entities;
}

export function getEntity(name: EntityName): EntityDef {
  return entities[name] as unknown as EntityDef;
}

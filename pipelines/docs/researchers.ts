// docs/researchers.md, generated: how to open a research extract, its data model, what was done to
// the data, each mart's definition, and example queries with their results on a research extract
// of the demo data (built afresh each time, so the results in the guide are what the code gives).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { queryRows, withConnection } from '../db/connection.ts';
import { generateDemo } from '../demo/generate.ts';
import { EXCLUDED_MARTS, INCLUDED_MARTS } from '../export/mart-disclosure-sql.ts';
import { QUASI_IDENTIFIERS } from '../export/quasi-identifiers-sql.ts';
import { EXTRACT_TABLES, PARTICIPANT_LEVEL_TABLES } from '../export/research-catalog.ts';
import { DEFAULT_EXTRACT_K, exportResearch, type ResearchExportResult } from '../export/research-extract.ts';
import { INCOME_TOP_CODE_PERCENTILE } from '../export/research-sql.ts';
import { markdownCell } from './dictionary.ts';
import { ingest } from '../ingest/ingest.ts';
import { planSources } from '../ingest/sources.ts';
import { build, discoverModels } from '../models/build.ts';
import { EXAMPLE_QUERIES } from './researchers-examples-sql.ts';

export const RESEARCHERS_GUIDE_PATH = 'docs/researchers.md';

/** The demo as `npm start` makes it (2,000 participants, seed 1, with planted faults), built in `dir`. */
export async function buildDemoWarehouse(dir: string): Promise<{ db: string; asOf: string }> {
  const manifest = await generateDemo({ participants: 2000, seed: 1, outDir: join(dir, 'in'), dirty: true });
  const db = join(dir, 'warehouse.duckdb');
  const { sources } = planSources([join(dir, 'in')], {});
  // A throwaway key: the guide shows no pseudonym, and nothing it shows depends on the key.
  await ingest(sources, { db, key: { key: randomBytes(32), origin: 'a throwaway key', created: false } });
  await build({ db, asOf: manifest.asOf });
  return { db, asOf: manifest.asOf };
}

export async function buildDemoExtract(dir: string): Promise<ResearchExportResult> {
  const { db } = await buildDemoWarehouse(dir);
  return exportResearch({ db, out: join(dir, 'research-demo.duckdb'), recipient: 'demo', k: DEFAULT_EXTRACT_K });
}

function markdownTable(rows: Record<string, unknown>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  if (columns.length === 0) return '(no rows)';
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${columns.map((c) => markdownCell(r[c])).join(' | ')} |`)].join('\n');
}

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
}

/** Which columns are ENUMs, and how they behave: they sort in the order of their values, not alphabetically. */
function enumNote(columns: Column[]): string {
  const enums = columns.filter((c) => c.data_type.startsWith('ENUM(')).map((c) => `\`${c.table_name}.${c.column_name}\``);
  if (enums.length === 0) return '';
  return `${enums.join(', ')} ${enums.length === 1 ? 'is an' : 'are'} \`ENUM\`: \`DESCRIBE\` lists the values, an ENUM compares with
text as text does (\`WHERE source = 'payslip'\`), and it sorts in the order of its values (for \`employment_type\`:
impact_sourcing, direct_hire, other), not alphabetically; \`ORDER BY source::VARCHAR\` sorts it as text. Other
columns with a set of values are text (some are generalised for k-anonymity, with values such as N1-N2).`;
}

/** A type as one word for mermaid: ENUM('a', 'b') is ENUM (the tables below list the values), DECIMAL(9,6) DECIMAL_9_6. */
function diagramType(type: string): string {
  return type.startsWith('ENUM(') ? 'ENUM' : type.replace(/\W+/g, '_').replace(/_+$/, '');
}

function erDiagram(columns: Column[]): string {
  const entity = (table: string) => {
    const own = columns.filter((c) => c.table_name === table);
    const key = (c: string) => (c === 'research_id' && table === 'participants' ? ' PK' : c === 'research_id' ? ' FK' : '');
    return [`  ${table} {`, ...own.map((c) => `    ${diagramType(c.data_type)} ${c.column_name}${key(c.column_name)}`), '  }'].join('\n');
  };
  return [
    '```mermaid',
    'erDiagram',
    '  participants ||--o{ employment_spells : "research_id"',
    '  participants ||--o{ income_months : "research_id"',
    '  participants ||--o{ cib_agreements : "research_id"',
    '  cib_agreements ||--o{ cib_months : "research_id, agreement_no"',
    '  participants }o--|| cohort_summary : "cohort_id (marts)"',
    ...PARTICIPANT_LEVEL_TABLES.map(entity),
    '```',
  ].join('\n');
}

export async function researchersGuide(extract: string): Promise<string> {
  const models = await discoverModels();
  return withConnection(extract, { readOnly: true }, async (conn) => {
    const columns = await queryRows<Column>(conn, `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`);
    const log = await queryRows(conn, 'SELECT step, action, target, records, detail FROM processing_log ORDER BY step');
    const topCode = (await queryRows<{ content: string }>(conn, `SELECT content FROM "README" WHERE section = 'income'`))[0]!.content;
    const examples: string[] = [];
    for (const [i, example] of EXAMPLE_QUERIES.entries()) {
      const rows = await queryRows(conn, example.sql);
      examples.push([`### ${i + 1}. ${example.title}`, '', example.why, '', '```sql', example.sql, '```', '', markdownTable(rows)].join('\n'));
    }
    const tableSections = [...PARTICIPANT_LEVEL_TABLES, 'README', 'processing_log'].map((t) => {
      const doc = EXTRACT_TABLES[t]!;
      const types = new Map(columns.filter((c) => c.table_name === t).map((c) => [c.column_name, c.data_type]));
      return [`### ${t}`, '', doc.description, '', '| column | type | meaning |', '|---|---|---|', ...Object.entries(doc.columns).map(([c, d]) => `| \`${c}\` | ${types.get(c) ?? ''} | ${markdownCell(d)} |`)].join('\n');
    });
    const qiRows = QUASI_IDENTIFIERS.map((qi) => `| ${qi.name} | ${qi.columns.filter((c) => !c.checkOnly).map((c) => `\`${c.name}\``).join(', ')}${qi.columns.some((c) => c.checkOnly) ? ' and the same kind of date in the other tables' : ''} | ${qi.fixed ? 'always released' : qi.levelNames.slice(1).reverse().join(' → ') + ' → withheld'} |`);
    const martSections = INCLUDED_MARTS.map((rule) => {
      const model = models.find((m) => m.layer === 'marts' && m.name === rule.name)!;
      const control = rule.people === 'NULL'
        ? 'About deliveries, not people: kept whole.'
        : `Rows where \`${rule.people}\` is below k are left out.${rule.blank ? ` ${rule.blank.columns.map((c) => `\`${c}\``).join(', ')} are blank where \`${rule.blank.when}\` is below k.` : ''}`;
      return [`### marts.${rule.name}`, '', model.description.trim(), '', `In an extract: ${control}`, '', '| column | meaning |', '|---|---|', ...Object.entries(model.columns).map(([c, d]) => `| \`${c}\` | ${markdownCell(d.trim())} |`)].join('\n');
    });
    return `# The research extract: a guide for researchers

Generated by \`impact docs\` from the code that makes the extract and from a research extract of the demo data
(\`npm start\`: 2,000 synthetic participants as of 2026-10-31). Do not edit by hand: change the source and run
\`npm run docs\`; a test fails when this file is out of date. Every result below is what the query returns on the
demo extract.

A research extract is one DuckDB file made for one recipient by

\`\`\`sh
npx impact export research --recipient "University of X, project Y" [--out FILE.duckdb] [--k 5]
\`\`\`

It holds participant-level and month-level tables (enrolment and completion, employment spells, monthly income,
Career Impact Bond repayment status) and the programme's metrics (the marts), anonymised for that recipient:
only participants who consented to research use, a random id that differs from one recipient to the next,
quasi-identifiers, event dates included, generalised until every combination is shared by at least k
people (default 5), dates truncated to months or coarser periods, income top-coded. What was done, with counts, is in the file's \`processing_log\` table;
what the file is, in its \`README\` table. Under Japan's Act on the Protection of Personal Information,
pseudonymised data (仮名加工情報) may not be handed to a third party: the extract is processed in the manner of
anonymously processed information (匿名加工情報) instead. Whether a given extract meets the legal standard
for its use remains the data controller's decision.

## Opening the file

The file is a DuckDB database; open it read-only. DuckDB reads it in every language; nothing from this
repository is needed.

DuckDB CLI:

\`\`\`sh
duckdb -readonly research.duckdb
D SELECT * FROM README;
D SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal;
\`\`\`

Python (\`pip install duckdb pandas\`):

\`\`\`python
import duckdb
con = duckdb.connect("research.duckdb", read_only=True)
participants = con.sql("SELECT * FROM participants").df()
funnel = con.sql("SELECT * FROM marts.impact_funnel WHERE breakdown = 'all'").df()
\`\`\`

R (\`install.packages(c("DBI", "duckdb"))\`):

\`\`\`r
library(DBI)
con <- dbConnect(duckdb::duckdb(), dbdir = "research.duckdb", read_only = TRUE)
participants <- dbGetQuery(con, "SELECT * FROM participants")
dbDisconnect(con, shutdown = TRUE)
\`\`\`

The marts can also be had as Parquet, readable by Spark, pandas or R without DuckDB:
\`npx impact export parquet --db research.duckdb --out DIR\` writes one file per mart (\`DIR/impact_funnel.parquet\`),
hive-partitioned by period where a mart has one (\`DIR/cib_projection/year=2027/data_0.parquet\`), and
\`DIR/manifest.json\`.

## Data model

The participant-level tables join on \`research_id\`; \`cib_months\` joins \`cib_agreements\` on
\`(research_id, agreement_no)\`. The marts (schema \`marts\`) are aggregates and hold no participant;
\`participants.cohort_id\` matches \`marts.cohort_summary.cohort_id\`.

${enumNote(columns)}

${erDiagram(columns)}

## Tables

${tableSections.join('\n\n')}

## How the data were anonymised

**Population.** Participants who consented to research use (\`consent_research\`) and were enrolled in a cohort by
the as-of date. Nobody else counts anywhere in the file, in the marts included.

**Identifiers.** The warehouse's pseudonym is replaced by \`research_id\`, a random UUID drawn for each extract; the
link is held in memory while the file is written and never stored, so two recipients' files cannot be joined on
it, and nobody (the programme included) can turn it back into a person. Agreement and employment ids become
numbers within the participant; employers are not given. Rows are in random order.

**The attacker model.** The extract is made to hold against someone who knows a participant and holds the
whole file:

- *Who*: an employer, a classmate, a caseworker or a municipal officer, who knows a person's cohort (and so
  its quarter, track and provider), gender, year of birth, country of origin, residence status, Japanese
  level, place of residence and year of arrival, whether they completed or withdrew, and **the months of the
  events they witnessed**: enrolment, completion or withdrawal, the start of the first job and of every later
  one, job ends, the signing of a CIB agreement, the first repayment.
- *What they see*: every table of the file, joined on \`research_id\`, and the marts.
- *What must hold*: every combination of what they know, **as the file gives it in any table**, is shared by
  at least k participants (default 5): the quasi-identifier columns of \`participants\` together with every
  date released about the person (the months in \`participants\`, each spell's start and end month in
  \`employment_spells\`, the first and last period in \`income_months\`, each agreement's months in
  \`cib_agreements\` and its first and last period in \`cib_months\`). Then whatever they know, they cannot
  tell which of at least k rows is the person they know.
- *Out of scope*: amounts (income, repayments) and the attributes of a job (type, contract, hours, IT role),
  which an employer may know: they are top-coded or released as they are, and a recipient who knows a
  person's pay could look for it; the pattern of months with no income report inside the released span;
  attributes disclosed about a whole group (if all k people sharing a combination withdrew, knowing someone is
  among them says they withdrew); the marts' day-level aggregates (they describe groups of at least k people,
  never a row of a person). The conditions of use forbid trying to identify anyone.

**Quasi-identifiers** are therefore the cohort (its quarter, track and provider; always released, because
the training cost and the agreement terms give it away; a cohort with fewer than k participants in the
extract is suppressed whole), the person's attributes (gender, birth year, country of origin, residence
status, Japanese level, place of residence, year of arrival), and **every date released about them**, in four
kinds, each released for a person at one precision (month, quarter, half-year or year; the date is the first
day of that period) or withheld, for every date of that kind in every table:

- *training*: the status of the first enrolment and its months of enrolment, completion and withdrawal
  (\`participants.training_dates_precision\`);
- *employment*: the employment milestones in \`participants\` and every spell in \`employment_spells\`
  (\`employment_dates_precision\`);
- *income*: \`income_at_threshold_month\` and the periods of \`income_months\` (\`income_dates_precision\`);
- *repayment*: \`first_repayment_month\`, whether there is an agreement (\`threshold_from_agreement\`,
  \`income_threshold_jpy\`) and the months of \`cib_agreements\` and \`cib_months\` (\`repayment_dates_precision\`).

Where a kind is given by the quarter, half-year or year, \`income_months\` and \`cib_months\` have one row per
period (\`period_months\` says how long), so no row says more than its period; where it is withheld, the person
has no rows in that kind's tables (they still count in the marts). \`months_since_completion\` counts from the
period of completion to the period, at the income precision. Employment that ended before the month of first
enrolment and income reported before it are not released (the mean of that income is
\`pre_programme_income_jpy\`): fewer dates to single people out by. Each kind is released at the most specific
level of its hierarchy that keeps every combination shared by at least k people:

| quasi-identifier | columns | levels, most specific first |
|---|---|---|
${qiRows.join('\n')}

The levels are chosen per group of people (top-down specialisation with local recoding, after Mondrian,
LeFevre et al. 2006): everyone in a cohort starts with every quasi-identifier withheld; a group is refined one
level of one quasi-identifier at a time, the people whose finer value at least k of them share moving to it and
the rest staying together at the coarser level (borrowing the people they lack from the largest moving
subgroup when it keeps at least k without them, else keeping the smallest moving subgroup with them). The
timing of outcomes (training, employment, income, repayment) is refined first, the least precise of them first
(every kind gets its year before any gets its month), since outcomes over time are what the extract is for;
then the person's attributes, each step taking the refinement that moves the most people, the earlier
quasi-identifier in the table on a tie. So the same column can hold values of different levels
(\`1985-1989\` and \`1980-1989\`, \`N2\` and \`N1-N2\`, a month and a year), and **an empty value means
withheld**, not missing (missing is written \`not reported\`). People are generalised rather than suppressed, so
that small groups (people who are nonbinary, or from a rare country, or who withdrew) stay in the data instead
of being removed from it. After the search, a SQL check groups the participants by every quasi-identifier
column and every date the search released (\`GROUP BY … HAVING count(*) < k\`); anyone still in a smaller group
would be suppressed. Once the file is written, the same check runs again on the tables as written, joined on
\`research_id\`, and the file is not kept unless it passes.

With cohorts of 8 to 23 consenting participants, as in the demo, k = 5 leaves room for little: a person's
employment history (how many jobs, when each began and ended) is nearly always unique within a cohort, even by
the year, so employment dates are released for few people; the training months and status are released for
most, and the income and repayment periods for some. Withholding is not random: status is withheld most often
beside the few who withdrew from a cohort, so rates computed from \`participants\` are biased; the marts count
everyone (see \`marts.cohort_summary\`, \`marts.impact_time_to_first_job\`). A study that needs one kind of
date or one attribute in detail is better served by an extract processed for that purpose than by this
general one; ask the data controller.

**Income.** ${topCode} The cut is the P${Math.round(INCOME_TOP_CODE_PERCENTILE * 100)} of the released participants' reported months, so it
moves with the data and is in each file's README. Pre-programme means are top-coded the same way; CIB amounts per month (\`obligation_jpy\`, \`paid_jpy\`) are capped at what a month at the top code
would owe under the agreement, so that no amount reveals a top-coded income.

**Marts** are recomputed by the warehouse's own models from the released participants only, so they describe
exactly the people in the participant tables and differencing a mart against the tables reveals no one. They
break results down by the quasi-identifiers **as released**: a person whose gender is withheld is in no gender
group, one whose municipality is released only as a prefecture is in no municipality group, and there is no
\`age_band\` breakdown (\`participants.birth_years\` holds the released birth years). Otherwise a small group's
quantiles, which are the group's own values, could be matched to rows of \`income_months\` and tell whose gender
it is. The income they read is top-coded. Every row describing fewer than k people is left out, and statistics
computed from fewer than k people are blanked (see each mart below). What the marts add to the participant tables
is precision in the outcomes (days rather than months) and the formulas already applied. Not included:

${Object.entries(EXCLUDED_MARTS).map(([name, why]) => `- \`${name}\`: ${why}.`).join('\n')}

### The processing log of the demo extract (k = ${DEFAULT_EXTRACT_K})

${markdownTable(log)}

## Marts

Definitions and formulas as in the warehouse; worked examples in [docs/metrics/](metrics/). Each mart's rows
are those of the participants in the extract.

${martSections.join('\n\n')}

## Example queries

Run in any client on the file. Results on the demo extract.

${examples.join('\n\n')}

## Conditions of use

An extract is given to one recipient for one agreed purpose. Do not try to identify any person, combine the file
with other data to do so, or try to learn how it was processed beyond what this guide and the file say (under the
APPI, a recipient of anonymously processed information must not attempt re-identification); do not pass it on;
keep it secure and delete it when the agreed research ends. Report anything that looks identifying to the
programme's data controller.
`;
  });
}

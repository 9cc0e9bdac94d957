// marts.sib_investor_returns: per SIB contract, the investor's XIRR and money multiple from the
// contract's dated cash flows, and what the municipality pays per outcome. A TypeScript model
// because XIRR needs an iterative solver (pipelines/metrics/xirr.ts). Definitions: docs/metrics/sib.md.
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../db/connection.ts';
import { moneyMultiple, netByDate, xirr, type CashFlow } from '../../metrics/xirr.ts';
import type { TsModelDefinition } from '../build.ts';

interface ContractRow {
  contract_id: string;
  name: string;
  payment_cap_jpy: number;
  outcomes_achieved: number;
  outcomes_paid: number;
  outcome_payments_jpy: number;
  removed_by_max_count_jpy: number;
  removed_by_cap_jpy: number;
  investor_paid_in_jpy: number;
  municipality_paid_jpy: number;
  provider_net_jpy: number;
  flows: Array<{ date: string; amount: number }> | null;
}

const CONTRACTS_SQL = `
WITH audit AS (
  SELECT contract_id,
         count(*) AS outcomes_achieved,
         count(*) FILTER (WHERE paid_jpy > 0) AS outcomes_paid,
         sum(paid_jpy) AS outcome_payments_jpy,
         sum(removed_by_max_count_jpy) AS removed_by_max_count_jpy,
         sum(removed_by_cap_jpy) AS removed_by_cap_jpy
  FROM marts.sib_outcome_audit
  GROUP BY contract_id
),
flows AS (
  SELECT contract_id,
         -sum(amount_jpy) FILTER (WHERE party = 'investor') AS investor_paid_in_jpy,
         sum(amount_jpy) FILTER (WHERE party = 'municipality') AS municipality_paid_jpy,
         sum(amount_jpy) FILTER (WHERE party = 'provider') AS provider_net_jpy,
         list({'date': strftime(date, '%Y-%m-%d'), 'amount': amount_jpy::DOUBLE} ORDER BY date, party) AS flows
  FROM core.sib_cashflows
  GROUP BY contract_id
)
SELECT c.contract_id, c.name, c.payment_cap_jpy::DOUBLE AS payment_cap_jpy,
       coalesce(a.outcomes_achieved, 0)::DOUBLE AS outcomes_achieved,
       coalesce(a.outcomes_paid, 0)::DOUBLE AS outcomes_paid,
       coalesce(a.outcome_payments_jpy, 0)::DOUBLE AS outcome_payments_jpy,
       coalesce(a.removed_by_max_count_jpy, 0)::DOUBLE AS removed_by_max_count_jpy,
       coalesce(a.removed_by_cap_jpy, 0)::DOUBLE AS removed_by_cap_jpy,
       coalesce(f.investor_paid_in_jpy, 0)::DOUBLE AS investor_paid_in_jpy,
       coalesce(f.municipality_paid_jpy, 0)::DOUBLE AS municipality_paid_jpy,
       coalesce(f.provider_net_jpy, 0)::DOUBLE AS provider_net_jpy,
       f.flows
FROM core.sib_contracts c
LEFT JOIN audit a USING (contract_id)
LEFT JOIN flows f USING (contract_id)
ORDER BY c.contract_id`;

const round = (x: number | null, digits: number) => (x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

export const model: TsModelDefinition = {
  description:
    "One row per SIB contract: the investor's return from the contract's cash flows to the as-of date (core.sib_cashflows, all parties, signed from the investor's side and netted per date): XIRR (Actual/365, as Excel's XIRR) and money multiple (total received / total paid out); and the municipality's outcome payments from marts.sib_outcome_audit, with its cost per outcome. Definitions in docs/metrics/sib.md.",
  columns: {
    contract_id: 'Contract.',
    name: 'Contract name.',
    payment_cap_jpy: "The contract's payment cap (JPY).",
    outcomes_achieved: 'Outcomes achieved within the contract by the as-of date (rows of marts.sib_outcome_audit).',
    outcomes_paid: 'Of those, outcomes paid something (paid_jpy > 0).',
    outcome_payments_jpy: 'Amount payable for the outcomes achieved (sum of paid_jpy, JPY).',
    removed_by_max_count_jpy: 'Prices of outcomes removed by max_count (JPY).',
    removed_by_cap_jpy: 'What the payment cap removed (JPY).',
    cost_per_paid_outcome_jpy: 'outcome_payments_jpy / outcomes_paid, rounded to the yen; empty when none was paid.',
    municipality_paid_jpy: 'Outcome payments the municipality had made in cash by the as-of date (core.sib_cashflows, party municipality, JPY); lags outcome_payments_jpy by the invoicing cycle.',
    investor_paid_in_jpy: 'Capital the investor paid in (minus the investor flows, JPY).',
    provider_net_jpy: 'Net flows with the provider (performance fees negative, returned working capital positive, JPY).',
    cash_flows: 'Number of dated net flows the returns are computed from.',
    investor_net_jpy: 'Sum of all flows: what the investor has gained (positive) or is still out of pocket (negative) (JPY).',
    money_multiple: 'Total received / total paid out over the net flows per date, to 6 decimals; empty when nothing was paid out.',
    investor_xirr: 'Annual internal rate of return of the net flows per date (Actual/365: each flow discounted by (1 + r)^(days since the first flow / 365)), to 9 decimals; empty when it does not exist (no flow of each sign, or no rate solves it).',
  },
  reads: ['core.sib_contracts', 'core.sib_cashflows', 'marts.sib_outcome_audit'],
  build: async (conn: DuckDBConnection, table: string) => {
    const rows = await queryRows<ContractRow>(conn, CONTRACTS_SQL);
    await conn.run(`CREATE OR REPLACE TABLE ${table} (
      contract_id VARCHAR, name VARCHAR, payment_cap_jpy BIGINT, outcomes_achieved INTEGER, outcomes_paid INTEGER,
      outcome_payments_jpy BIGINT, removed_by_max_count_jpy BIGINT, removed_by_cap_jpy BIGINT, cost_per_paid_outcome_jpy BIGINT,
      municipality_paid_jpy BIGINT, investor_paid_in_jpy BIGINT, provider_net_jpy BIGINT, cash_flows INTEGER,
      investor_net_jpy BIGINT, money_multiple DOUBLE, investor_xirr DOUBLE)`);
    for (const r of rows) {
      const flows: CashFlow[] = netByDate((r.flows ?? []).map((f) => ({ date: f.date, amount: Number(f.amount) })));
      const net = flows.reduce((s, f) => s + f.amount, 0);
      await conn.run(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`, [
        r.contract_id,
        r.name,
        r.payment_cap_jpy,
        r.outcomes_achieved,
        r.outcomes_paid,
        r.outcome_payments_jpy,
        r.removed_by_max_count_jpy,
        r.removed_by_cap_jpy,
        r.outcomes_paid > 0 ? Math.round(r.outcome_payments_jpy / r.outcomes_paid) : null,
        r.municipality_paid_jpy,
        r.investor_paid_in_jpy,
        r.provider_net_jpy,
        flows.length,
        net,
        round(moneyMultiple(flows), 6),
        round(xirr(flows), 9),
      ] as never);
    }
  },
};

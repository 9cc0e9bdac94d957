// The read-only queries behind the funder report: the CIB fund and projection marts, the programme
// funnel and placement marts, and the SIB marts summed for the period. Parameters: $start and $end
// (the period's first and last day, inclusive).

export const funderSql = {
  fund: `
    SELECT agreements::DOUBLE AS agreements, open_agreements::DOUBLE AS open_agreements, funded_amount_jpy::DOUBLE AS funded_amount_jpy,
           collected_jpy::DOUBLE AS collected_jpy, arrears_jpy::DOUBLE AS arrears_jpy, agreements_in_arrears::DOUBLE AS agreements_in_arrears,
           forgiven_jpy::DOUBLE AS forgiven_jpy, recovery_rate::DOUBLE AS recovery_rate,
           average_training_cost_jpy::DOUBLE AS average_training_cost_jpy, pay_forward_multiplier::DOUBLE AS pay_forward_multiplier,
           share_training::DOUBLE AS training, share_grace::DOUBLE AS grace, share_repaying::DOUBLE AS repaying,
           share_deferred::DOUBLE AS deferred, share_unreported::DOUBLE AS unreported, share_completed_cap::DOUBLE AS completed_cap,
           share_completed_payments::DOUBLE AS completed_payments, share_expired::DOUBLE AS expired, share_withdrawn::DOUBLE AS withdrawn
    FROM marts.cib_fund`,

  /** Repayments received in the period's months (core.cib_agreement_months.paid_jpy: by paid_on, net of refunds). */
  collectedInPeriod: `
    SELECT coalesce(sum(paid_jpy), 0)::DOUBLE AS collected_jpy
    FROM core.cib_agreement_months
    WHERE month BETWEEN $start::DATE AND $end::DATE`,

  projection: `
    SELECT measure, year::DOUBLE AS year, p10::DOUBLE AS p10, p50::DOUBLE AS p50, p90::DOUBLE AS p90
    FROM marts.cib_projection ORDER BY measure, year`,

  funnel: `
    SELECT breakdown, group_value, stage_order::DOUBLE AS stage_order, stage, people::DOUBLE AS people, share_of_enrolled::DOUBLE AS share_of_enrolled
    FROM marts.impact_funnel WHERE breakdown IN ('all', 'track') ORDER BY breakdown, group_value, stage_order`,

  placement: `
    SELECT horizon_days::DOUBLE AS horizon_days, eligible::DOUBLE AS eligible, placed::DOUBLE AS placed, placement_rate::DOUBLE AS placement_rate
    FROM marts.impact_placement_rates WHERE breakdown = 'all' ORDER BY horizon_days`,

  /** Per SIB contract: the period's outcomes and payments (marts.sib_payments) beside the investor returns to date. */
  sib: `
    WITH p AS (
      SELECT contract_id,
             sum(achieved) FILTER (WHERE period >= $start::DATE) AS achieved,
             sum(paid_jpy) FILTER (WHERE period >= $start::DATE) AS paid_jpy,
             max(contract_paid_to_date_jpy) AS paid_to_date_jpy
      FROM marts.sib_payments WHERE period <= $end::DATE GROUP BY contract_id
    )
    SELECT c.contract_id, coalesce(p.achieved, 0)::DOUBLE AS achieved, coalesce(p.paid_jpy, 0)::DOUBLE AS paid_jpy,
           coalesce(p.paid_to_date_jpy, 0)::DOUBLE AS paid_to_date_jpy, c.payment_cap_jpy::DOUBLE AS payment_cap_jpy,
           r.investor_xirr::DOUBLE AS investor_xirr, r.money_multiple::DOUBLE AS money_multiple
    FROM core.sib_contracts c
    LEFT JOIN p USING (contract_id)
    LEFT JOIN marts.sib_investor_returns r USING (contract_id)
    ORDER BY c.contract_id`,
} as const;

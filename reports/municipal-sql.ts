// The read-only queries behind the municipal outcome report. Every amount comes from the SIB marts
// (marts.sib_payments, marts.sib_outcome_audit): these queries select and sum rows of the marts for
// the report's period, they never price an outcome. Parameters: $contract, $start and $end (the
// period's first and last day, inclusive).

export const municipalSql = {
  contracts: `
    SELECT contract_id, municipality_code, name, strftime(start_date, '%Y-%m-%d') AS start_date,
           strftime(end_date, '%Y-%m-%d') AS end_date, payment_cap_jpy::DOUBLE AS payment_cap_jpy
    FROM core.sib_contracts ORDER BY contract_id`,

  rateCard: `
    SELECT outcome_code, kind, parameter::DOUBLE AS parameter, price_jpy::DOUBLE AS price_jpy, max_count::DOUBLE AS max_count
    FROM core.sib_outcomes WHERE contract_id = $contract ORDER BY outcome_code`,

  /** Per outcome code: the period's months of marts.sib_payments summed, and the same to the period's end. */
  outcomeFigures: `
    SELECT o.outcome_code,
           coalesce(sum(p.achieved) FILTER (WHERE p.period >= $start::DATE), 0)::DOUBLE AS achieved,
           coalesce(sum(p.paid_count) FILTER (WHERE p.period >= $start::DATE), 0)::DOUBLE AS paid_count,
           coalesce(sum(p.paid_jpy) FILTER (WHERE p.period >= $start::DATE), 0)::DOUBLE AS paid_jpy,
           coalesce(sum(p.removed_by_max_count) FILTER (WHERE p.period >= $start::DATE), 0)::DOUBLE AS removed_by_max_count,
           coalesce(sum(p.removed_by_max_count_jpy) FILTER (WHERE p.period >= $start::DATE), 0)::DOUBLE AS removed_by_max_count_jpy,
           coalesce(sum(p.removed_by_cap_jpy) FILTER (WHERE p.period >= $start::DATE), 0)::DOUBLE AS removed_by_cap_jpy,
           coalesce(sum(p.achieved) FILTER (WHERE p.period < $start::DATE), 0)::DOUBLE AS achieved_before,
           coalesce(sum(p.achieved), 0)::DOUBLE AS achieved_to_date,
           coalesce(sum(p.paid_count), 0)::DOUBLE AS paid_count_to_date,
           coalesce(sum(p.paid_jpy), 0)::DOUBLE AS paid_to_date_jpy,
           coalesce(sum(p.removed_by_max_count_jpy), 0)::DOUBLE AS removed_by_max_count_to_date_jpy,
           coalesce(sum(p.removed_by_cap_jpy), 0)::DOUBLE AS removed_by_cap_to_date_jpy
    FROM core.sib_outcomes o
    LEFT JOIN marts.sib_payments p
      ON p.contract_id = o.contract_id AND p.outcome_code = o.outcome_code AND p.period <= $end::DATE
    WHERE o.contract_id = $contract
    GROUP BY o.outcome_code
    ORDER BY o.outcome_code`,

  /** The contract's cumulative payments at the end of the month before the period and at its end (marts.sib_payments). */
  capUsage: `
    SELECT coalesce(max(contract_paid_to_date_jpy) FILTER (WHERE period < $start::DATE), 0)::DOUBLE AS paid_before_jpy,
           coalesce(max(contract_paid_to_date_jpy), 0)::DOUBLE AS paid_to_date_jpy
    FROM marts.sib_payments
    WHERE contract_id = $contract AND period <= $end::DATE`,

  /** Referrals made by the period's end (and by the as-of date, which core.sib_referrals already applies). */
  referrals: `
    SELECT count(*)::DOUBLE AS referred, count(*) FILTER (WHERE referred_on < $start::DATE)::DOUBLE AS referred_before
    FROM core.sib_referrals WHERE contract_id = $contract AND referred_on <= $end::DATE`,

  /** One row per month and outcome code of marts.sib_payments, for the charts, up to the period's end. */
  monthly: `
    SELECT strftime(period, '%Y-%m-%d') AS period, outcome_code, achieved::DOUBLE AS achieved, paid_jpy::DOUBLE AS paid_jpy,
           contract_paid_to_date_jpy::DOUBLE AS contract_paid_to_date_jpy
    FROM marts.sib_payments
    WHERE contract_id = $contract AND period <= $end::DATE
    ORDER BY period, outcome_code`,

  /** The verification list: every outcome achieved in the period, as marts.sib_outcome_audit holds it. */
  audit: `
    SELECT payment_order::DOUBLE AS payment_order, participant_id, outcome_code, strftime(referred_on, '%Y-%m-%d') AS referred_on,
           strftime(evidence_on, '%Y-%m-%d') AS evidence_on, strftime(achieved_on, '%Y-%m-%d') AS achieved_on,
           price_jpy::DOUBLE AS price_jpy, paid_jpy::DOUBLE AS paid_jpy,
           removed_by_max_count_jpy::DOUBLE AS removed_by_max_count_jpy, removed_by_cap_jpy::DOUBLE AS removed_by_cap_jpy,
           cumulative_paid_jpy::DOUBLE AS cumulative_paid_jpy
    FROM marts.sib_outcome_audit
    WHERE contract_id = $contract AND achieved_on BETWEEN $start::DATE AND $end::DATE
    ORDER BY payment_order`,

  /**
   * Outcomes achieved from the contract's start to the period's end by one attribute of the participants (core.participant_milestones):
   * one row per group and outcome code, people counted once per outcome. Every group of the programme is listed, with 0
   * where nobody of it achieved the outcome: a table listing only the groups present would say, with a single row, which
   * group everyone is in, whatever is suppressed. $attribute is one of gender, residence_status, track (checked by the
   * caller before it is spliced in).
   */
  outcomesBy: (attribute: 'gender' | 'residence_status' | 'track') => `
    WITH achieved AS (
      SELECT coalesce(m.${attribute}, 'unknown') AS group_value, a.outcome_code, count(DISTINCT a.participant_id) AS people
      FROM marts.sib_outcome_audit a
      LEFT JOIN core.participant_milestones m USING (participant_id)
      WHERE a.contract_id = $contract AND a.achieved_on <= $end::DATE
      GROUP BY ALL
    ),
    groups AS (
      SELECT coalesce(${attribute}, 'unknown') AS group_value FROM core.participant_milestones
      UNION SELECT group_value FROM achieved
    )
    SELECT g.group_value, o.outcome_code, coalesce(x.people, 0)::DOUBLE AS people
    FROM groups g
    CROSS JOIN core.sib_outcomes o
    LEFT JOIN achieved x ON x.group_value = g.group_value AND x.outcome_code = o.outcome_code
    WHERE o.contract_id = $contract
    ORDER BY ALL`,

  /**
   * The same counts month by month: the people of each group who first achieved each outcome in each month
   * from the contract's start to the period's end (the breakdowns' series, read across reports: checkpoints in municipal.ts).
   */
  outcomesByMonth: (attribute: 'gender' | 'residence_status' | 'track') => `
    WITH firsts AS (
      SELECT coalesce(m.${attribute}, 'unknown') AS group_value, a.outcome_code, a.participant_id, min(a.achieved_on) AS achieved_on
      FROM marts.sib_outcome_audit a
      LEFT JOIN core.participant_milestones m USING (participant_id)
      WHERE a.contract_id = $contract AND a.achieved_on <= $end::DATE
      GROUP BY ALL
    )
    SELECT group_value, outcome_code, strftime(achieved_on, '%Y-%m') AS month, count(*)::DOUBLE AS people
    FROM firsts GROUP BY ALL ORDER BY ALL`,

  /** Referrals made by the period's end, by the cohort of the participant's first enrolment. */
  referralsByCohort: `
    SELECT coalesce(m.cohort_id, 'unknown') AS group_value, count(*)::DOUBLE AS people
    FROM core.sib_referrals r
    LEFT JOIN core.participant_milestones m USING (participant_id)
    WHERE r.contract_id = $contract AND r.referred_on <= $end::DATE
    GROUP BY ALL ORDER BY ALL`,

  /** The same month by month (the referral month), for the checkpoints of municipal.ts. */
  referralsByCohortMonth: `
    SELECT coalesce(m.cohort_id, 'unknown') AS group_value, strftime(r.referred_on, '%Y-%m') AS month, count(*)::DOUBLE AS people
    FROM core.sib_referrals r
    LEFT JOIN core.participant_milestones m USING (participant_id)
    WHERE r.contract_id = $contract AND r.referred_on <= $end::DATE
    GROUP BY ALL ORDER BY ALL`,
} as const;

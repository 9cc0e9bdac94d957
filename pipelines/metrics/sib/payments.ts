// Paying a contract's achievements in order under max_count and the payment cap
// (docs/metrics/sib.md, "Payments"). Deliberately a plain sequential loop: the oracle for the SQL.
import { paymentOrder } from './achievements.ts';
import type { Achievement, PaymentLine, SibContract, SibOutcome } from './types.ts';

/**
 * Walks the achievements in payment order. An outcome whose code already has `max_count` outcomes
 * admitted is removed by max_count (its whole price); otherwise it is admitted and paid its price,
 * or what remains of the cap if less (the line that crosses the cap is paid in part, later ones
 * nothing). An admitted outcome counts towards max_count even when the cap leaves it nothing.
 */
export function payOutcomes(contract: SibContract, outcomes: readonly SibOutcome[], achieved: readonly Achievement[]): PaymentLine[] {
  const card = new Map(outcomes.filter((o) => o.contractId === contract.contractId).map((o) => [o.outcomeCode, o]));
  const admitted = new Map<string, number>();
  let total = 0;
  const lines: PaymentLine[] = [];
  for (const a of [...achieved].filter((x) => x.contractId === contract.contractId).sort(paymentOrder)) {
    const o = card.get(a.outcomeCode);
    if (!o) throw new Error(`Outcome ${a.outcomeCode} is not on the rate card of ${contract.contractId}.`);
    const sofar = admitted.get(o.outcomeCode) ?? 0;
    let paid = 0;
    let removedByMaxCount = 0;
    let removedByCap = 0;
    if (o.maxCount !== null && sofar >= o.maxCount) {
      removedByMaxCount = o.priceJpy;
    } else {
      admitted.set(o.outcomeCode, sofar + 1);
      paid = Math.max(0, Math.min(o.priceJpy, contract.paymentCapJpy - total));
      removedByCap = o.priceJpy - paid;
      total += paid;
    }
    lines.push({
      ...a,
      paymentOrder: lines.length + 1,
      priceJpy: o.priceJpy,
      paidJpy: paid,
      removedByMaxCountJpy: removedByMaxCount,
      removedByCapJpy: removedByCap,
      cumulativePaidJpy: total,
    });
  }
  return lines;
}

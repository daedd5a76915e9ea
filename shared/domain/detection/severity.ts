import type { AnomalyType, Severity } from './anomaly.js';
import type { DetectionConfig } from './config.js';

/** Points for magnitude, impact and persistence; the total decides the severity. */
export function severityOf(
  facts: { z: number; change: number; absoluteChangePerMonth: number; share: number | undefined; type: AnomalyType },
  config: DetectionConfig,
): Severity {
  const t = config.severity;
  let score = Math.abs(facts.z) >= t.strongZ ? 2 : 1;
  let impact = facts.absoluteChangePerMonth >= t.hugeChangePerMonth ? 2 : facts.absoluteChangePerMonth >= t.largeChangePerMonth ? 1 : 0;
  if (facts.share !== undefined && facts.share >= t.largeShareOfTotal) impact++;
  score += Math.min(impact, 2);
  if (Math.abs(facts.change) >= t.largeGrowth) score++;
  if (facts.type === 'LS') score++;
  return score >= t.criticalScore ? 'critical' : score >= t.warningScore ? 'warning' : 'info';
}

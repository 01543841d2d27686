// The `patterns` row as Postgres returns it, and its conversion to the domain Pattern (the
// analyzer reads its table by SQL; everything outside it sees domain patterns only).
import type { Pattern } from "../domain/pattern.js";

export interface PatternRow {
  id: string;
  tenant_id: string;
  agent: string;
  run_id: string;
  type: string;
  key: string;
  description: string;
  recommendations: unknown;
  support: number;
  frequency: number;
  effect: number;
  baseline: number;
  confidence: number;
  p_value: number | null;
  evidence_kind: string;
  adjusted_effect: number | null;
  adjusted_p_value: number | null;
  implied_by: string | null;
  actionable: boolean;
  change: string;
  evidence: unknown;
  stats: unknown;
  created_at: Date;
}

/** The row's fields under their domain names, for PatternSchema to validate. */
export function patternOfRow(r: PatternRow): Partial<Record<keyof Pattern, unknown>> {
  return {
    id: r.id,
    tenant: r.tenant_id,
    agent: r.agent,
    runId: r.run_id,
    type: r.type,
    key: r.key,
    description: r.description,
    recommendations: r.recommendations,
    support: r.support,
    frequency: r.frequency,
    effect: r.effect,
    baseline: r.baseline,
    confidence: r.confidence,
    ...(r.p_value === null ? {} : { pValue: r.p_value }),
    evidenceKind: r.evidence_kind,
    adjustedEffect: r.adjusted_effect,
    adjustedPValue: r.adjusted_p_value,
    impliedBy: r.implied_by,
    actionable: r.actionable,
    change: r.change,
    evidence: evidenceOfRow(r.evidence),
    stats: r.stats,
    createdAt: r.created_at.toISOString(),
  };
}

/** The column defaults to `{}` (no evidence recorded): read as two empty lists of trace ids. */
function evidenceOfRow(value: unknown): { success: unknown; failure: unknown } {
  const ev = (value ?? {}) as { success?: unknown; failure?: unknown };
  return { success: ev.success ?? [], failure: ev.failure ?? [] };
}

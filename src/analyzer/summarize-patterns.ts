// Seed 003's pattern summary: total patterns, high-confidence patterns, and counts by type.
import { PATTERN_TYPES, type PatternType } from "../domain/pattern.js";

export interface PatternSummary {
  totalPatterns: number;
  /** Patterns whose confidence reaches the confidence threshold. */
  highConfidencePatterns: number;
  actionablePatterns: number;
  byType: Record<PatternType, number>;
}

/** Summarizes current patterns (vanished ones are not counted). */
export function summarizePatterns(patterns: readonly { type: PatternType; confidence: number; actionable: boolean; change?: string }[], confidenceThreshold: number): PatternSummary {
  const current = patterns.filter((p) => p.change !== "vanished");
  const byType = Object.fromEntries(PATTERN_TYPES.map((t) => [t, 0])) as Record<PatternType, number>;
  for (const p of current) byType[p.type]++;
  return {
    totalPatterns: current.length,
    highConfidencePatterns: current.filter((p) => p.confidence >= confidenceThreshold).length,
    actionablePatterns: current.filter((p) => p.actionable).length,
    byType,
  };
}

// The settings of the heuristics library, read from configuration once by the builders.
import type { Config } from "../config/index.js";

export interface HeuristicsSettings {
  enabled: boolean;
  learningRate: number;
  initialQ: number;
  replayCapacity: number;
  minUses: number;
  retireBelow: number;
  maxPerVersion: number;
  reflections: number;
  confidenceThreshold: number;
}

export const heuristicsSettingsFrom = (config: Config): HeuristicsSettings => ({
  enabled: config.heuristicsEnabled,
  learningRate: config.heuristicsLearningRate,
  initialQ: config.heuristicsInitialQ,
  replayCapacity: config.heuristicsReplayCapacity,
  minUses: config.heuristicsMinUses,
  retireBelow: config.heuristicsRetireBelow,
  maxPerVersion: config.heuristicsMaxPerVersion,
  reflections: config.heuristicsReflections,
  confidenceThreshold: config.confidenceThreshold,
});

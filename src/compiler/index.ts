// The compiler's public surface for other modules (learning cycle, CLI). The runtime of a
// signature (load, render, predict, parse) is in signature/.
export { compileSignature, type CompileDeps, type CompileReport, type CompileSignatureRequest, type CompileSettings, type CompileSpend } from "./compile-signature.js";
export { compileAndRecord, type CompileAndRecordDeps, type CompileAndRecordRequest, type CompileAndRecordResult } from "./compile-and-record.js";
export { createCompileDeps, compileSettingsFrom } from "./create-compile-deps.js";
export { baselineVersion } from "../domain/baseline-version.js";
export { createBudget, CompileBudgetExceededError, type Budget, type BudgetSpend } from "./budget.js";
export { OPTIMIZER_NAMES, createOptimizer, type OptimizerName } from "./optimizers/index.js";
export { candidateDiff, formatCompileReport } from "./format-compile-report.js";

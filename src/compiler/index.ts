// The compiler's public surface for other modules (orchestrator, learning cycle, CLI).
export { compileSignature, type CompileDeps, type CompileReport, type CompileSignatureRequest, type CompileSettings, type CompileSpend } from "./compile-signature.js";
export { compileAndRecord, type CompileAndRecordDeps, type CompileAndRecordRequest, type CompileAndRecordResult } from "./compile-and-record.js";
export { createCompileDeps, compileSettingsFrom } from "./create-compile-deps.js";
export { predict, completeValidated, validateInputs, InvalidModelOutputError, type Prediction, type PredictOptions, type PredictableVersion } from "./predict.js";
export { renderMessages, renderSystemPrompt } from "./render.js";
export { parseAnswer } from "./parse-answer.js";
export { loadSignature, loadSignatures, listSignatureNames, type LoadedSignature } from "./load-signatures.js";
export { baselineVersion } from "../domain/baseline-version.js";
export { createBudget, BudgetExceededError, type Budget, type BudgetSpend } from "./budget.js";
export { OPTIMIZER_NAMES, createOptimizer, type OptimizerName } from "./optimizers/index.js";
export { candidateDiff, formatCompileReport } from "./format-compile-report.js";

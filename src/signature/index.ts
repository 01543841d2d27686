// The runtime of one signature, for the orchestrator, the compiler's evaluation and the demo:
// load its source, render it, call the model, parse and repair the answer.
export { predict, completeValidated, validateInputs, InvalidModelOutputError, type Prediction, type PredictOptions, type PredictableVersion } from "./predict.js";
export { renderMessages, renderSystemPrompt } from "./render.js";
export { parseAnswer } from "./parse-answer.js";
export { loadSignature, loadSignatures, listSignatureNames, type LoadedSignature } from "./load-signatures.js";
export { fieldsJsonSchema, fieldsZodSchema } from "./field-schemas.js";

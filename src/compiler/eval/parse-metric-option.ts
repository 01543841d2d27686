// The metric named on the command line or in an eval request, as a signature metric spec:
//   exact_match[:field]   numeric_tolerance[:tolerance[:field]]   json_fields_match[:f1,f2]
//   llm_judge:<rubric>    f1[:field]
import type { MetricSpec } from "../../domain/signature.js";
import { ValidationError } from "../../errors.js";

/** Parses `text` into a metric spec that replaces the signature's own (threshold kept). */
export function parseMetricOption(text: string, threshold: number): MetricSpec {
  const i = text.indexOf(":");
  const name = (i < 0 ? text : text.slice(0, i)).trim();
  const arg = i < 0 ? "" : text.slice(i + 1).trim();
  switch (name) {
    case "exact_match":
    case "f1":
      return { name, threshold, ...(arg ? { field: arg } : {}) };
    case "numeric_tolerance": {
      const [tol, field] = arg.split(":");
      const tolerance = tol ? Number(tol) : undefined;
      if (tolerance !== undefined && !(tolerance >= 0)) throw new ValidationError(`metric: "${tol}" is not a tolerance (a non-negative number)`);
      return { name, threshold, ...(tolerance !== undefined ? { tolerance } : {}), ...(field ? { field } : {}) };
    }
    case "json_fields_match":
      return { name, threshold, ...(arg ? { fields: arg.split(",").map((f) => f.trim()).filter(Boolean) } : {}) };
    case "llm_judge":
      if (!arg) throw new ValidationError("metric: llm_judge needs a rubric (llm_judge:<rubric>)");
      return { name, threshold, rubric: arg };
    default:
      throw new ValidationError(`metric: "${name}" is not one of exact_match, numeric_tolerance, json_fields_match, llm_judge, f1`);
  }
}

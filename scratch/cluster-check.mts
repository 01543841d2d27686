import { LocalEmbedder } from "/work/wt-issue-21/src/llm/local-embedder.ts";
import { HashingEmbedder } from "/work/wt-issue-21/src/llm/hashing-embedder.ts";
import { clusterVectors } from "/work/wt-issue-21/src/analyzer/statistics/cluster-vectors.ts";
import { familyInputs, INTENT_FAMILIES } from "/work/wt-issue-21/test/support/intent-families.ts";
const texts = INTENT_FAMILIES.flatMap((f, i) => familyInputs(f, 100, 10 + i));
const truth = INTENT_FAMILIES.flatMap((f) => Array(100).fill(f));
for (const e of [new LocalEmbedder(), new HashingEmbedder({ dimension: 384 })]) {
  let t0 = performance.now();
  const v = await e.embed(texts);
  console.log(e.model, "embed", Math.round(performance.now() - t0));
  t0 = performance.now();
  const c = clusterVectors(v);
  console.log("cluster ms", Math.round(performance.now() - t0), c.k, c.silhouettes);
  const m = new Map<string, number>(); c.assignments.forEach((g, i) => m.set(`${truth[i]}:${g}`, (m.get(`${truth[i]}:${g}`) ?? 0) + 1)); console.log(m);
  // noise: one family only
  const one = v.slice(0, 100);
  console.log("single family", clusterVectors(one).k, clusterVectors(one).silhouettes);
}
process.exit(0);

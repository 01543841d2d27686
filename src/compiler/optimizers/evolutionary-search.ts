// Evolutionary search (seed 001's loop): a population seeded with the current version, the
// induced guidelines, bootstrapped demos and both combined; each generation picks a parent by
// tournament from the elite set and mutates it (instruction rewrite when a model can reflect,
// otherwise a demo swap); candidates are scored on a training minibatch; the best elites are
// the finalists, judged on the full dev set by the caller (`options.judgeFinalists`).
import type { CompiledVersion } from "../../domain/compiled-version.js";
import { ValidationError } from "../../errors.js";
import { evaluateVersion, meanScore, type ExampleScore } from "../evaluate-version.js";
import { createRng, type Rng } from "../random.js";
import { demoPool, describeDemoSelection, selectDemos, toDemo } from "./bootstrap-few-shot.js";
import { declaredToolNames, induceGuidelines } from "./guideline-induction.js";
import type { Candidate, Optimizer, OptimizerOptions } from "./optimizer.js";
import { collectFailures, minibatch, proposeInstructions } from "./reflective-instructions.js";

export interface SearchSettings {
  /** Mutation rounds. Default 4. */
  generations?: number;
  /** Size of the elite set. Default 3. */
  eliteSize?: number;
  /** Tournament size for parent selection. Default 2. */
  tournamentSize?: number;
  /** Training examples each candidate is scored on. Default 8. */
  minibatchSize?: number;
  /** Elites judged on the dev set. Default 2. */
  finalists?: number;
}

/**
 * Extra hook of the search: judges finalists on the dev set and returns a preference per
 * finalist (higher preferred): the compiler gives it the objective's mean, with the cheaper of
 * finalists that are equal within their interval preferred.
 */
export interface SearchHooks {
  judgeFinalists?: (candidates: Candidate[]) => Promise<number[]>;
}

interface Member {
  candidate: Candidate;
  score: number;
  key: string;
  /** Per-example minibatch results, for reflecting on the member's failures. */
  results: ExampleScore[];
}

const keyOf = (c: Pick<Candidate, "instructions" | "guidelines" | "demos">) => JSON.stringify([c.instructions, c.guidelines, c.demos]);

function tournament(elite: Member[], size: number, rng: Rng): Member {
  let best: Member | undefined;
  for (let i = 0; i < size; i++) {
    const m = elite[Math.floor(rng() * elite.length)]!;
    if (!best || m.score > best.score) best = m;
  }
  return best!;
}

/** Builds the search optimizer. */
export function evolutionarySearch(settings: SearchSettings = {}, hooks: SearchHooks = {}): Optimizer {
  return {
    name: "search",
    async compile(signature, current, trainset, metric, options: OptimizerOptions) {
      if (!options.model) throw new ValidationError("the search optimizer needs a model to score candidates; configure LLM_BASE_URL and LLM_MODEL, or pick an optimizer that needs none: guideline-induction (guidelines induced by the analyzer's findings) or bootstrap-few-shot (demos)");
      const model = options.model;
      const rng = createRng(`${options.seed}:search`);
      const threshold = signature.metric.threshold;
      // The minibatch is held out of the demo pool, so a demo never answers its own test.
      const batch = minibatch(trainset, metric, threshold, settings.minibatchSize ?? 8, options.seed);
      const batchIds = new Set(batch.map((e) => e.id));
      const pool = demoPool(signature, trainset.filter((e) => !batchIds.has(e.id)));
      const k = options.maxDemos ?? 4;

      const induced = induceGuidelines(current.guidelines, options.patterns.patterns, options.confidenceThreshold, declaredToolNames(current));
      const selection = await selectDemos(signature, pool, k, { ...(options.embedder ? { embedder: options.embedder } : {}), ...(options.retrieveDemos ? { retrieve: options.retrieveDemos } : {}) });
      const demos = selection.demos;
      const guidelineNotes = induced.added.map((g) => `guideline from pattern ${g.patternKey} (confidence ${g.confidence}): ${g.text}`).concat(induced.dropped.map((g) => `dropped guideline (pattern ${g.patternKey ?? g.patternId} no longer holds): ${g.text}`));
      const demoNote = describeDemoSelection(selection, pool.length);
      const seeds: Candidate[] = [
        { instructions: current.instructions, guidelines: current.guidelines, demos: current.demos, notes: [] },
        { instructions: current.instructions, guidelines: induced.guidelines, demos: current.demos, notes: guidelineNotes },
        { instructions: current.instructions, guidelines: current.guidelines, demos, notes: [demoNote] },
        { instructions: current.instructions, guidelines: induced.guidelines, demos, notes: [...guidelineNotes, demoNote] },
      ];

      const population = new Map<string, Member>();
      const score = async (candidate: Candidate): Promise<Member> => {
        const key = keyOf(candidate);
        const known = population.get(key);
        if (known) return known;
        const results = await evaluateVersion(model, { ...current, ...candidate } as CompiledVersion, batch, metric, options.tools ? { tools: options.tools } : {});
        const member = { candidate, score: meanScore(results), key, results };
        population.set(key, member);
        options.logger.debug({ name: "search-candidate-scored", score: member.score, notes: candidate.notes }, "candidate scored on the minibatch");
        return member;
      };
      for (const s of seeds) await score(s);
      const elite = () => [...population.values()].sort((a, b) => b.score - a.score).slice(0, settings.eliteSize ?? 3);

      for (let g = 0; g < (settings.generations ?? 4); g++) {
        const parent = tournament(elite(), settings.tournamentSize ?? 2, rng);
        const child = await mutate(parent, rng);
        if (child) await score(child);
      }

      async function mutate(parent: Member, r: Rng): Promise<Candidate | undefined> {
        const c = parent.candidate;
        if (r() < 0.5) {
          const failures = collectFailures(trainset, batch.map((example, i) => ({ example, result: parent.results[i]! })), threshold);
          if (failures.length > 0) {
            const [instructions] = await proposeInstructions(model, { ...current, ...c } as CompiledVersion, failures, 1);
            if (instructions) return { ...c, instructions, notes: [...c.notes, "instructions rewritten by reflection on minibatch failures"] };
          }
        }
        const unused = pool.filter((e) => !c.demos.some((d) => d.traceId === e.id));
        if (unused.length === 0) return undefined;
        const incoming = toDemo(unused[Math.floor(r() * unused.length)]!);
        const demos = c.demos.length < k ? [...c.demos, incoming] : c.demos.map((d, i, all) => (i === Math.floor(r() * all.length) ? incoming : d));
        return { ...c, demos, notes: [...c.notes, `demo swap: added ${incoming.traceId}`] };
      }

      const currentKey = keyOf(current);
      const finalists = elite().filter((m) => m.key !== currentKey).slice(0, settings.finalists ?? 2);
      if (finalists.length === 0) return { ...seeds[0]!, notes: ["no candidate beat the current version on the minibatch"] };
      let winner = finalists[0]!;
      if (hooks.judgeFinalists && finalists.length > 1) {
        const devScores = await hooks.judgeFinalists(finalists.map((f) => f.candidate));
        winner = finalists[devScores.indexOf(Math.max(...devScores))]!;
      }
      return { ...winner.candidate, notes: [...winner.candidate.notes, `search: ${population.size} candidate(s) scored on a ${batch.length}-example minibatch; winner scored ${winner.score.toFixed(3)}`] };
    },
  };
}


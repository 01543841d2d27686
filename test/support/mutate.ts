// Structural mutations of JSON values for property-based tests: delete a key, replace a value
// with arbitrary JSON, or duplicate an array element, anywhere in the tree. The "where" is a
// number that picks a node in a fixed walk order, so fast-check can shrink a failing case.
import fc from "fast-check";

export type Mutation = { at: number; kind: "delete" | "replace" | "duplicate"; value: unknown };

/** Up to `max` mutations with arbitrary JSON replacement values (default 3). */
export function mutationsArb(max = 3): fc.Arbitrary<Mutation[]> {
  return fc.array(
    fc.record({
      at: fc.nat(),
      kind: fc.constantFrom("delete" as const, "replace" as const, "duplicate" as const),
      value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.constant(null), fc.integer(), fc.double()),
    }),
    { minLength: 1, maxLength: max },
  );
}

/** Container nodes of `root` with the key/index leading to each child, in depth-first order. */
function slots(root: unknown): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((c, i) => (out.push({ parent: v, key: i }), walk(c)));
    else if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) out.push({ parent: v as Record<string, unknown>, key: k }), walk(c);
  };
  walk(root);
  return out;
}

/** Applies mutations to a deep copy of `value`; the input is left untouched. */
export function applyMutations<T>(value: T, mutations: Mutation[]): unknown {
  const copy = structuredClone(value) as unknown;
  for (const m of mutations) {
    const all = slots(copy);
    if (all.length === 0) return m.value;
    const { parent, key } = all[m.at % all.length]!;
    if (Array.isArray(parent)) {
      const i = key as number;
      if (m.kind === "delete") parent.splice(i, 1);
      else if (m.kind === "duplicate") parent.splice(i, 0, structuredClone(parent[i]));
      else parent[i] = m.value;
    } else if (m.kind === "delete") delete parent[key as string];
    else parent[key as string] = m.value;
  }
  return copy;
}

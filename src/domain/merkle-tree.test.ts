import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { inclusionProof, leafHash, merkleRoot, verifyInclusion } from "./merkle-tree.js";

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`item-${i}`));
const h = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest("hex");

describe("merkle tree", () => {
  it("hashes leaves and nodes with distinct prefixes as RFC 6962 does", () => {
    expect(leafHash("a")).toBe(h(Buffer.from([0]), Buffer.from("a")));
    const [a, b, c] = leaves(3);
    const ab = h(Buffer.from([1]), Buffer.from(a!, "hex"), Buffer.from(b!, "hex"));
    expect(merkleRoot([a!, b!])).toBe(ab);
    // Three leaves split 2 + 1: the third is promoted, not duplicated.
    expect(merkleRoot([a!, b!, c!])).toBe(h(Buffer.from([1]), Buffer.from(ab, "hex"), Buffer.from(c!, "hex")));
  });

  it("changes its root when any leaf changes, is added or is removed", () => {
    const base = leaves(7);
    const root = merkleRoot(base);
    for (let i = 0; i < base.length; i++) {
      const changed = [...base];
      changed[i] = leafHash("tampered");
      expect(merkleRoot(changed)).not.toBe(root);
      expect(merkleRoot(base.filter((_, j) => j !== i))).not.toBe(root);
    }
    expect(merkleRoot([...base, leafHash("extra")])).not.toBe(root);
  });

  it("proves every leaf of trees of every size from 1 to 33, and rejects a proof for another leaf, index or root", () => {
    for (let n = 1; n <= 33; n++) {
      const tree = leaves(n);
      const root = merkleRoot(tree);
      for (let i = 0; i < n; i++) {
        const path = inclusionProof(tree, i);
        expect(path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(verifyInclusion(tree[i]!, i, n, path, root), `n=${n} i=${i}`).toBe(true);
        expect(verifyInclusion(leafHash("other"), i, n, path, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(tree[i]!, (i + 1) % n, n, path, root)).toBe(false);
        expect(verifyInclusion(tree[i]!, i, n, path, leafHash("not the root"))).toBe(false);
      }
    }
  });

  it("refuses a proof for a leaf outside the tree", () => {
    expect(() => inclusionProof(leaves(3), 3)).toThrow(RangeError);
    expect(verifyInclusion(leafHash("x"), 5, 3, [], merkleRoot(leaves(3)))).toBe(false);
  });
});

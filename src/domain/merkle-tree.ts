// A Merkle tree over hex content hashes, as in RFC 6962 (Certificate Transparency): leaves and
// interior nodes are hashed with different prefixes (0x00, 0x01) so a leaf can never pose as a
// node, and the tree splits at the largest power of two, which gives short inclusion proofs.
import { createHash } from "node:crypto";

const sha256 = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/** The hash of a leaf whose data is `data` (UTF-8), hex. */
export function leafHash(data: string): string {
  return sha256(LEAF, Buffer.from(data, "utf8")).toString("hex");
}

const nodeHash = (left: string, right: string) => sha256(NODE, Buffer.from(left, "hex"), Buffer.from(right, "hex")).toString("hex");

/** Largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root over leaf hashes (hex), in their order. The empty tree's root is sha256 of nothing. */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return createHash("sha256").digest("hex");
  return rootOf(leaves, 0, leaves.length);
}

function rootOf(leaves: readonly string[], from: number, to: number): string {
  if (to - from === 1) return leaves[from]!;
  const k = split(to - from);
  return nodeHash(rootOf(leaves, from, from + k), rootOf(leaves, from + k, to));
}

/** The audit path of leaf `index`: sibling hashes from the leaf up to the root (RFC 6962 PATH). */
export function inclusionProof(leaves: readonly string[], index: number): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  const path: string[] = [];
  let from = 0;
  let to = leaves.length;
  // Walk down, collecting the sibling subtree roots; reversed at the end (leaf first).
  while (to - from > 1) {
    const k = split(to - from);
    if (index < from + k) {
      path.push(rootOf(leaves, from + k, to));
      to = from + k;
    } else {
      path.push(rootOf(leaves, from, from + k));
      from += k;
    }
  }
  return path.reverse();
}

/**
 * Whether `leaf` (a leaf hash) at `index` of a tree of `size` leaves hashes up to `root` along
 * `path` (RFC 9162 §2.1.3.2). Needs nothing but the four values: anyone can check it.
 */
export function verifyInclusion(leaf: string, index: number, size: number, path: readonly string[], root: string): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r === root;
}

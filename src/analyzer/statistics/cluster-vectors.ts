// Groups embedding vectors with the number of groups chosen from the data: k-means (ml-kmeans,
// k-means++ seeding with a fixed seed, so the same vectors give the same groups) on unit-length
// vectors, where squared Euclidean distance is a monotone function of cosine distance, for every
// k in 2..maxK; the k with the best mean silhouette (cosine) wins, and when even the best
// silhouette is below `minSilhouette` the data has no group structure worth a stratum and one
// group is returned. The silhouette is a dozen lines over a precomputed distance matrix, written
// here (npm's only silhouette package is an unmaintained O(n²)-per-call toy).
import { kmeans } from "ml-kmeans";

export interface ClusterOptions {
  /** Largest k tried. Default min(10, ⌊√(n/2)⌋). */
  maxK?: number;
  /** Mean silhouette below which the vectors form one group. Default 0.1. */
  minSilhouette?: number;
  /** Vectors k-means is fitted on (the first ones; the rest are assigned to the nearest centroid). Default 1000. */
  fitSize?: number;
  /** Vectors the silhouette is measured on (the first ones). Default 400. */
  silhouetteSize?: number;
  /** Seed of k-means++. Default 1. */
  seed?: number;
}

export interface Clustering {
  k: number;
  /** Group of each input vector. */
  assignments: Int32Array;
  /** Unit-length centroids. */
  centroids: number[][];
  /** Mean silhouette of each k tried. */
  silhouettes: { k: number; silhouette: number }[];
}

/** Unit-length copy of `v` (a zero vector stays zero). */
export function unit(v: readonly number[]): number[] {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  return norm === 0 ? v.slice() : v.map((x) => x / norm);
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Index of the centroid nearest to `v` by cosine (both unit length). */
export function nearest(v: readonly number[], centroids: readonly (readonly number[])[]): number {
  let best = 0;
  let bestSim = -Infinity;
  centroids.forEach((c, j) => {
    const sim = dot(v, c);
    if (sim > bestSim) {
      bestSim = sim;
      best = j;
    }
  });
  return best;
}

/** Mean silhouette of `labels` (k groups) over the precomputed distance matrix `d` (n×n, row-major). */
export function meanSilhouette(d: Float64Array, n: number, labels: Int32Array, k: number): number {
  const sums = new Float64Array(k);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[labels[j]!]! += d[i * n + j]!;
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue; // a singleton's silhouette is 0 by definition
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b);
  }
  return n === 0 ? 0 : total / n;
}

function normalizedCentroids(centroids: number[][]): number[][] {
  return centroids.map(unit);
}

/** Clusters `vectors` (any length); see the module comment for how k is chosen. */
export function clusterVectors(vectors: readonly (readonly number[])[], options: ClusterOptions = {}): Clustering {
  const n = vectors.length;
  const points = vectors.map(unit);
  const single = (): Clustering => {
    const centroid = unit(points.reduce((acc, v) => acc.map((x, i) => x + v[i]!), new Array<number>(points[0]?.length ?? 0).fill(0)));
    return { k: 1, assignments: new Int32Array(n), centroids: [centroid], silhouettes };
  };
  const silhouettes: { k: number; silhouette: number }[] = [];
  const maxK = Math.min(options.maxK ?? 10, Math.floor(Math.sqrt(n / 2)));
  if (n < 4 || maxK < 2) return single();
  const fit = points.slice(0, options.fitSize ?? 1000);
  const m = Math.min(n, options.silhouetteSize ?? 400);
  const distances = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const dist = 1 - dot(points[i]!, points[j]!);
      distances[i * m + j] = dist;
      distances[j * m + i] = dist;
    }
  }
  let best: { k: number; centroids: number[][]; silhouette: number } | undefined;
  for (let k = 2; k <= Math.min(maxK, fit.length - 1); k++) {
    const result = kmeans(fit, k, { initialization: "kmeans++", seed: options.seed ?? 1, maxIterations: 50 });
    const centroids = normalizedCentroids(result.centroids);
    const labels = new Int32Array(m);
    for (let i = 0; i < m; i++) labels[i] = nearest(points[i]!, centroids);
    const silhouette = meanSilhouette(distances, m, labels, k);
    silhouettes.push({ k, silhouette: Number(silhouette.toFixed(4)) });
    if (!best || silhouette > best.silhouette + 1e-12) best = { k, centroids, silhouette };
  }
  if (!best || best.silhouette < (options.minSilhouette ?? 0.1)) return single();
  const assignments = new Int32Array(n);
  for (let i = 0; i < n; i++) assignments[i] = nearest(points[i]!, best.centroids);
  // Groups left empty by the assignment are dropped and the rest renumbered by size, largest first.
  const sizes = new Map<number, number>();
  for (const g of assignments) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const order = [...sizes.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([g]) => g);
  const renumber = new Map(order.map((g, i) => [g, i]));
  for (let i = 0; i < n; i++) assignments[i] = renumber.get(assignments[i]!)!;
  return { k: order.length, assignments, centroids: order.map((g) => best.centroids[g]!), silhouettes };
}

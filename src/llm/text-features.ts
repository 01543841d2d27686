// Text → weighted sparse features for the hashing embedder: word unigrams, word bigrams and
// character n-grams, each with sublinear term frequency. Kept separate from the hashing so the
// feature choice can be tested and tuned on its own.

/** Words that carry little meaning; they still count, with a small weight, so "not" etc. survive. */
const STOPWORDS = new Set(
  "a an and are as at be been but by can could did do does for from had has have how i if in into is it its me my no of on or our so that the their them then there these they this those to was we were what when where which who why will with would you your".split(
    " ",
  ),
);

export interface FeatureGroups {
  words: Map<string, number>;
  bigrams: Map<string, number>;
  chars: Map<string, number>;
}

export interface FeatureOptions {
  /** Smallest character n-gram (default 3). */
  minN?: number;
  /** Largest character n-gram (default 5). */
  maxN?: number;
}

/** Lower-cased, accent-free words (letters and digits) of a text. */
export function tokenizeWords(text: string): string[] {
  const normalized = text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  return normalized.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Weighted features of `text`: sublinear term frequency (1 + ln tf), so a word repeated ten times
 * is not ten times as important; stopwords weigh 0.2.
 */
export function extractFeatures(text: string, options: FeatureOptions = {}): FeatureGroups {
  const minN = options.minN ?? 3;
  const maxN = options.maxN ?? 5;
  const words = tokenizeWords(text);
  const groups: FeatureGroups = { words: new Map(), bigrams: new Map(), chars: new Map() };
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const content = words.filter((w) => !STOPWORDS.has(w));
  for (const w of words) add(groups.words, w);
  // Bigrams over content words: "disk full" matches "disk is full".
  for (let i = 1; i < content.length; i++) add(groups.bigrams, `b:${content[i - 1]} ${content[i]}`);
  for (const w of content) {
    // Boundary markers make prefixes and suffixes distinct features (fastText-style), so
    // "restart" and "restarting" share most n-grams.
    const padded = `<${w}>`;
    for (let n = minN; n <= maxN; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(groups.chars, `c:${padded.slice(i, i + n)}`);
    }
  }
  const weighted = new Map<string, number>();
  for (const [w, tf] of groups.words) weighted.set(`w:${w}`, (1 + Math.log(tf)) * (STOPWORDS.has(w) ? 0.2 : 1));
  groups.words = weighted;
  // Updating existing keys while iterating is safe for a Map (no new keys are added).
  for (const map of [groups.bigrams, groups.chars]) for (const [k, tf] of map) map.set(k, 1 + Math.log(tf));
  return groups;
}

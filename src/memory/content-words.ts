// The words of a cache input that carry its request: function words and fillers removed, the rest
// stemmed (Porter, the `stemmer` package) so that "restarts" and "restarting" count as one word.
// The semantic cache's second check compares two inputs by these (lexical-difference.ts).
import { stemmer } from "stemmer";
import { tokenizeWords } from "../llm/text-features.js";

/**
 * Function words, auxiliaries, pronouns and fillers: they do not change what is asked. Kept out
 * on purpose: negations (not, no, never, without, cannot) and interrogatives (what, why, when,
 * how, which, who, where), which do, and particles such as up/down/off/out ("scale up" vs "scale
 * down").
 */
const STOPWORDS = new Set(
  (
    "a an the and or but if so than then as at by for from in into of on onto to with about over under via per " +
    "is are was were be been being am do does did done doing have has had having will would shall should can could may might must " +
    "i me my mine we us our ours you your yours he him his she her it its they them their theirs this that these those there here " +
    "please kindly just really actually basically keep keeps kept some any all each every also " +
    "s d ll m re ve"
  ).split(" "),
);

/** Contraction stems that tokenizing leaves behind ("hasn't" → "hasn", "t"): the "t" becomes "not". */
const NEGATED_AUXILIARIES = new Set("isn aren wasn weren hasn haven hadn doesn don didn won wouldn shan shouldn couldn mightn mustn needn ain".split(" "));

const NEGATIONS = new Set(["not", "no", "never", "without", "cannot", "nothing", "none", "nobody"]);

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  hundred: 100, thousand: 1000, million: 1_000_000, billion: 1_000_000_000,
  // Not "second": "per second" is a unit far more often than an ordinal.
  first: 1, third: 3, fourth: 4, fifth: 5, tenth: 10, twice: 2, half: 0.5, dozen: 12,
};

export interface ContentWord {
  /** The word as written (lower-cased, accents removed). */
  readonly word: string;
  /** What two words are compared by: the Porter stem, "not" for every negation, the value for a number. */
  readonly key: string;
  /** The word's value when it is a number ("40", "forty", "3rd", "10k"), else undefined. */
  readonly number?: number;
  /** Written with digits (an amount, an id, a date): spelled-out ones are often idioms ("half a year", "the one before"). */
  readonly digits?: boolean;
}

/** "40" → 40, "3rd" → 3, "10k" → 10000, "1,000" is split by the tokenizer and read as two numbers. */
function numberValue(word: string): number | undefined {
  if (word in NUMBER_WORDS) return NUMBER_WORDS[word];
  const m = /^(\d+(?:\.\d+)?)(st|nd|rd|th|k|m)?$/.exec(word);
  if (!m) return undefined;
  const value = Number(m[1]);
  return m[2] === "k" ? value * 1000 : m[2] === "m" ? value * 1_000_000 : value;
}

/**
 * The content words of `text` in order. Thousands separators are joined first ("10,000" is one
 * number), and spelled-out compounds are read as one ("one thousand" → 1000, "forty five" → 45).
 */
export function contentWords(text: string): ContentWord[] {
  const words = tokenizeWords(text.replace(/(\d),(?=\d{3}\b)/g, "$1"));
  const out: ContentWord[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "t" && i > 0 && (NEGATED_AUXILIARIES.has(words[i - 1]!) || words[i - 1] === "can")) {
      out.push({ word: "not", key: "not" });
      continue;
    }
    if (NEGATED_AUXILIARIES.has(word)) continue;
    if (NEGATIONS.has(word)) {
      out.push({ word, key: "not" });
      continue;
    }
    const value = numberValue(word);
    if (value !== undefined) {
      // "one thousand", "forty five": a spelled-out multiplier or unit joins the number before it.
      const prev = out[out.length - 1];
      if (prev?.number !== undefined && i > 0 && words[i - 1] === prev.word && NUMBER_WORDS[word] !== undefined && !/^\d/.test(word)) {
        const joined = value >= 100 ? prev.number * value : prev.number >= 20 && prev.number % 10 === 0 && value < 10 ? prev.number + value : undefined;
        if (joined !== undefined) {
          out[out.length - 1] = { word: `${prev.word} ${word}`, key: `#${joined}`, number: joined };
          continue;
        }
      }
      out.push({ word, key: `#${value}`, number: value, ...(/^\d/.test(word) ? { digits: true } : {}) });
      continue;
    }
    if (STOPWORDS.has(word)) continue;
    out.push({ word, key: stemmer(word) });
  }
  return out;
}

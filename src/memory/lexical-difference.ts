// How two cache inputs differ in their content words: the first half of the semantic cache's
// second check (cache-match.ts). A sentence encoder scores "enable two-factor authentication" and
// "disable two-factor authentication" 0.95 alike: one decisive word among shared ones barely moves
// a sentence vector. So the words one text has and the other lacks are looked at on their own.
import { tokenizeWords } from "../llm/text-features.js";
import { contentWords, type ContentWord } from "./content-words.js";
import { answerType, type AnswerType } from "./answer-type.js";

/**
 * - `same`: the same content words (order, inflection, function words and fillers aside).
 * - `minimal`: some words shared and at most 3 differ or are added: those few decide the request
 *   ("declining" / "approving", "staging" / "production", "... from the last week").
 * - `reworded`: the texts share few words; only their meaning can tell.
 */
export type DifferenceKind = "same" | "minimal" | "reworded";

/** At most this many differing content words (both texts together) make a `minimal` difference. */
export const MAX_MINIMAL_EDIT_WORDS = 3;

export interface LexicalDifference {
  kind: DifferenceKind;
  /** Distinct content words both texts have. */
  shared: number;
  /** Content words only the first text has, as written, in its order. */
  onlyFirst: string[];
  /** Content words only the second text has. */
  onlySecond: string[];
  /**
   * Each text has a number written in digits that the other lacks ("top 5" / "top 10", order 4411
   * / 4412). Spelled-out numbers only count as words: "half a year" is "six months".
   */
  numberConflict: boolean;
  /** The kind of answer each text asks for (answer-type.ts), if it is a question. */
  answerTypes: [AnswerType | undefined, AnswerType | undefined];
  /** Both are questions that ask for different kinds of answer (a reason / a quantity). */
  answerTypeConflict: boolean;
  /** The differing words of each text, as short phrases, to compare by meaning. */
  phrases: [string, string];
  /** Each text without its differing words, to see how much closer the rest is. */
  skeletons: [string, string];
}

function keyed(words: readonly ContentWord[]): Map<string, ContentWord> {
  const m = new Map<string, ContentWord>();
  for (const w of words) if (!m.has(w.key)) m.set(w.key, w);
  return m;
}

function withoutWords(text: string, drop: readonly string[]): string {
  const dropped = new Set(drop.flatMap((w) => w.split(" ")));
  return tokenizeWords(text)
    .filter((w) => !dropped.has(w))
    .join(" ");
}

/** Compares the content words of two texts (see DifferenceKind). Pure and fast: no model involved. */
export function lexicalDifference(first: string, second: string): LexicalDifference {
  const a = keyed(contentWords(first));
  const b = keyed(contentWords(second));
  const onlyA = [...a.values()].filter((w) => !b.has(w.key));
  const onlyB = [...b.values()].filter((w) => !a.has(w.key));
  const shared = a.size - onlyA.length;
  const differing = onlyA.length + onlyB.length;
  // However short the shared part: "refund please (hang)" / "refund my order" is a swap of a few
  // words on a common base as much as a long question with one word changed is.
  const kind: DifferenceKind = differing === 0 ? "same" : differing <= MAX_MINIMAL_EDIT_WORDS && shared >= 1 ? "minimal" : "reworded";
  const numberConflict = onlyA.some((w) => w.digits) && onlyB.some((w) => w.digits);
  const types: [AnswerType | undefined, AnswerType | undefined] = [answerType(first), answerType(second)];
  const wa = onlyA.map((w) => w.word);
  const wb = onlyB.map((w) => w.word);
  return {
    kind,
    shared,
    onlyFirst: wa,
    onlySecond: wb,
    numberConflict,
    answerTypes: types,
    answerTypeConflict: types[0] !== undefined && types[1] !== undefined && types[0] !== types[1],
    phrases: [wa.join(" "), wb.join(" ")],
    skeletons: [withoutWords(first, wa), withoutWords(second, wb)],
  };
}

// What kind of answer a question asks for — a reason, a procedure, a quantity, a time, a person,
// a place, a choice among things, or yes/no — read from the wording at the start of a clause
// (the classic question classes of question answering). Two inputs on the same subject that ask
// for different kinds of answer ("Why is the pod restarting?" / "How many times has the pod
// restarted?") are different requests however close their sentence vectors are. Imperatives and
// statements ("Summarize the report") have no answer type: only the words can tell those apart.

export type AnswerType = "reason" | "procedure" | "quantity" | "time" | "person" | "place" | "choice" | "yes-no";

// Order matters: the first pattern that matches a clause's start wins ("how long" before "how").
const PATTERNS: readonly (readonly [AnswerType, RegExp])[] = [
  ["reason", /^(why\b|how come\b|what(?:'s| is| was)? (?:the )?(?:root )?(?:cause|reason)|what(?:'s| is| was)? (?:wrong|behind|happening|going on)|what (?:caused|causes|is causing|made|makes|broke|happened)\b)/],
  ["quantity", /^(how (?:many|much|long|far|often|big|large|small|slow|fast|old)\b|what (?:percentage|share|fraction|proportion|number|amount)\b)/],
  ["procedure", /^(how (?:do|can|could|should|would|to)\b|where (?:can|do|should|would) (?:i|we|you)\b|what(?:'s| is| are)? (?:the )?(?:best |right |quickest |fastest |safest |safe |secure |proper |recommended )?(?:way|steps|procedure|process)\b|is there (?:a |any )?(?:safe |good |quick )?way\b)/],
  ["time", /^(when\b|what (?:time|date|day|year|month)\b|at what time\b)/],
  ["person", /^(who(?:m|se)?\b)/],
  ["place", /^(where\b)/],
  ["choice", /^(which\b|(?:on|in|at|for|from|to) (?:what|which)\b)/],
  ["yes-no", /^(is|are|was|were|do|does|did|can|could|should|would|will|has|have|had|may|might|must)\b/],
];

/**
 * The answer type of the first clause of `text` that has one (clauses split at , ; : . ? !), or
 * undefined for imperatives and statements. "The pod keeps restarting, why?" is a `reason`.
 */
export function answerType(text: string): AnswerType | undefined {
  const clauses = text
    .toLowerCase()
    .replace(/[’]/g, "'")
    .split(/[,;:.?!\n]+/)
    .map((c) =>
      c
        .trim()
        .replace(/^(?:and|but|so|then|please|also|now)\s+/, "")
        // An indirect question asks what it embeds: "can you tell me where it is" is a `place`.
        .replace(/^(?:(?:can|could|would) you (?:please )?(?:tell|show) (?:me|us)|do you know|i (?:want|need|would like) to know|tell me|show me)\s+(?=(?:why|how|what|when|where|who|which)\b)/, ""),
    );
  for (const clause of clauses) {
    for (const [type, pattern] of PATTERNS) if (pattern.test(clause)) return type;
  }
  return undefined;
}

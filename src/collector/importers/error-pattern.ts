// The user's `errorPattern` (import option): which tool results count as failed calls. It runs
// on RE2 semantics (re2js, a JavaScript port of RE2): matching time is linear in the text for
// every pattern, so `^(a+)+$` cannot take the exponential time it takes in V8's backtracking
// engine (7.8 s for 31 characters, doubling per character). The native `re2` binding would be
// faster but builds with node-gyp or downloads a binary at install; re2js is plain JavaScript.
// RE2 has no lookaround or backreferences; such a pattern is refused with RE2's message.
import { RE2JS } from "re2js";

/** Longest pattern accepted, in characters. */
export const MAX_ERROR_PATTERN_LENGTH = 500;

/**
 * Characters of each tool result the pattern reads: its beginning, where errors are reported. It
 * keeps one match within a few milliseconds (re2js reads ~3-10 MB/s); the import yields to the
 * event loop between matches.
 */
export const ERROR_PATTERN_WINDOW_CHARS = 64 * 1024;

/** Tests tool results; a RegExp is one (the default pattern). */
export interface ErrorMatcher {
  test(text: string): boolean;
}

/** Why `source` cannot be an error pattern, or undefined. */
export function errorPatternProblem(source: string): string | undefined {
  if (source.length > MAX_ERROR_PATTERN_LENGTH) return `at most ${MAX_ERROR_PATTERN_LENGTH} characters`;
  try {
    RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    return undefined;
  } catch (e) {
    return `not a regular expression RE2 accepts (no lookaround or backreferences): ${(e as Error).message}`;
  }
}

/** Compiles a user's pattern, case-insensitive; throws when errorPatternProblem would say why. */
export function compileErrorPattern(source: string): ErrorMatcher {
  const problem = errorPatternProblem(source);
  if (problem) throw new Error(`errorPattern: ${problem}`);
  const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  return { test: (text) => re.test(text.length > ERROR_PATTERN_WINDOW_CHARS ? text.slice(0, ERROR_PATTERN_WINDOW_CHARS) : text) };
}

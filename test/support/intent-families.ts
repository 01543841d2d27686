// Inputs of three planted request families (an airline support agent: book a flight, cancel a
// reservation, ask about baggage), several phrasings each, for intent-grouping tests. The words
// that vary (cities, codes, dates) are drawn from the product's seeded PRNG.
import { createRng } from "../../src/compiler/random.js";

export const INTENT_FAMILIES = ["book", "cancel", "baggage"] as const;
export type IntentFamily = (typeof INTENT_FAMILIES)[number];

const CITIES = ["Paris", "Berlin", "Madrid", "Rome", "Lisbon", "Vienna", "Prague", "Oslo", "Dublin", "Athens", "Warsaw", "Zurich"];
const DAYS = ["Monday", "Tuesday", "Friday", "next weekend", "March 3", "April 12", "the 20th", "tomorrow"];
const REASONS = ["got sick", "have a work conflict", "changed my plans", "missed the connection", "have a family emergency"];
const BAGS = ["checked bags", "suitcases", "carry-on items", "pieces of luggage"];
const ITEMS = ["ski bag", "bicycle", "instrument case", "stroller", "golf bag"];

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

// Openers, wrappers and closers are shared by every family, so only what is asked tells the
// families apart (as in real traffic), not the phrasing.
const OPENERS = ["", "Hi, ", "Hello there. ", "Good morning! ", "Quick question: ", "Hey, "];
const WRAPPERS = ["I'd like to", "I want to", "Can you help me", "I need to", "Please help me", "Could you"];
const CLOSERS = ["", " Thanks!", " Thank you very much.", " Appreciate it.", " It's urgent."];

const CORES: Record<IntentFamily, ((r: () => number) => string)[]> = {
  book: [
    (r) => `book a flight from ${pick(CITIES, r)} to ${pick(CITIES, r)} on ${pick(DAYS, r)}`,
    (r) => `reserve ${1 + Math.floor(r() * 4)} seats on a plane to ${pick(CITIES, r)} leaving ${pick(DAYS, r)}`,
    (r) => `buy an airline ticket to ${pick(CITIES, r)} for ${pick(DAYS, r)}`,
    (r) => `find and book the cheapest flight to ${pick(CITIES, r)}`,
  ],
  cancel: [
    (r) => `cancel my reservation ${code(r)} because I ${pick(REASONS, r)}`,
    (r) => `get a refund for booking ${code(r)}, I ${pick(REASONS, r)}`,
    (r) => `cancel trip ${code(r)} and have the money returned to my card`,
    (r) => `call off my booking ${code(r)}, I ${pick(REASONS, r)}`,
  ],
  baggage: [
    (r) => `know how many ${pick(BAGS, r)} I can bring`,
    (r) => `check the fee for taking a ${pick(ITEMS, r)} as checked luggage`,
    (r) => `find out the weight limit for ${pick(BAGS, r)}`,
    (r) => `know whether a ${pick(ITEMS, r)} counts toward my baggage allowance`,
  ],
};

function code(r: () => number): string {
  return Array.from({ length: 6 }, () => "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[Math.floor(r() * 32)]).join("");
}

/** `count` requests of `family`, reproducible from `seed`. */
export function familyInputs(family: IntentFamily, count: number, seed: number): string[] {
  const r = createRng(seed);
  return Array.from({ length: count }, () => `${pick(OPENERS, r)}${pick(WRAPPERS, r)} ${pick(CORES[family], r)(r)}.${pick(CLOSERS, r)}`);
}

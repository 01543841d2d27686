// Task families whose answers are checked by code, for `npm run efficacy`: arithmetic word
// problems, date arithmetic, unit conversion, extraction of fields into JSON, and a small
// tool-using task (an inventory lookup run by a simulated tool). Each matches a signature in
// prompts/efficacy/. Tasks are generated from a seed, so a run can be repeated exactly.
import { createRng, type Rng } from "../../src/compiler/random.js";

export interface Task {
  /** Unique within the run; also a marker the simulator's bank matches (`[arith-12]`). */
  key: string;
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
  /** A plausible wrong answer (what the simulated model says when it gets the task wrong). */
  wrong: Record<string, unknown>;
}

export interface TaskFamily {
  /** The signature in prompts/efficacy/. */
  signature: string;
  /** Prefix of every task's key; a demo of the family shows it (see simulatorBank). */
  marker: string;
  generate(rng: Rng, index: number): Task;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

const NAMES = ["Ana", "Bo", "Chen", "Dara", "Eli", "Farah", "Goran", "Hana"];
const ITEMS = ["apples", "notebooks", "cables", "tickets", "boxes", "bottles"];

export const arithmetic: TaskFamily = {
  signature: "arithmetic_word_problem",
  marker: "[arith-",
  generate(rng, i) {
    const name = pick(rng, NAMES);
    const item = pick(rng, ITEMS);
    const a = int(rng, 3, 40);
    const b = int(rng, 2, 9);
    const c = int(rng, 1, a);
    const answer = a * b - c;
    return {
      key: `[arith-${i}]`,
      input: { problem: `[arith-${i}] ${name} buys ${b} packs of ${a} ${item} and gives away ${c} ${item}. How many ${item} does ${name} have left?` },
      expected: { answer },
      wrong: { answer: a * b + c },
    };
  },
};

export const dates: TaskFamily = {
  signature: "date_arithmetic",
  marker: "[date-",
  generate(rng, i) {
    const start = new Date(Date.UTC(int(rng, 2020, 2027), int(rng, 0, 11), int(rng, 1, 28)));
    const days = int(rng, -120, 120);
    const end = new Date(start.getTime() + days * 86_400_000);
    return {
      key: `[date-${i}]`,
      input: { question: `[date-${i}] What is the date ${Math.abs(days)} days ${days >= 0 ? "after" : "before"} ${isoDate(start)}?` },
      expected: { date: isoDate(end) },
      wrong: { date: isoDate(new Date(end.getTime() + 86_400_000)) },
    };
  },
};

const CONVERSIONS = [
  { from: "miles", to: "kilometres", factor: 1.609344 },
  { from: "pounds", to: "kilograms", factor: 0.45359237 },
  { from: "gallons (US)", to: "litres", factor: 3.785411784 },
  { from: "feet", to: "metres", factor: 0.3048 },
  { from: "ounces", to: "grams", factor: 28.349523125 },
] as const;

export const units: TaskFamily = {
  signature: "unit_conversion",
  marker: "[unit-",
  generate(rng, i) {
    const c = pick(rng, CONVERSIONS);
    const qty = int(rng, 2, 500);
    const value = Math.round(qty * c.factor * 1000) / 1000;
    return { key: `[unit-${i}]`, input: { request: `[unit-${i}] Convert ${qty} ${c.from} to ${c.to}.` }, expected: { value }, wrong: { value: Math.round((qty / c.factor) * 1000) / 1000 } };
  },
};

const COMPANIES = ["Acme GmbH", "Borealis Ltd", "Cobalt SA", "Delta Freight", "Evergreen Foods", "Fjord Systems"];

export const extraction: TaskFamily = {
  signature: "field_extraction",
  marker: "[mail-",
  generate(rng, i) {
    const customer = pick(rng, COMPANIES);
    const amount = int(rng, 100, 20_000) + int(rng, 0, 99) / 100;
    const due = isoDate(new Date(Date.UTC(2026, int(rng, 0, 11), int(rng, 1, 28))));
    const issued = isoDate(new Date(Date.UTC(2025, int(rng, 0, 11), int(rng, 1, 28))));
    return {
      key: `[mail-${i}]`,
      input: { email: `[mail-${i}] Hello, invoice INV-${1000 + i} was issued on ${issued} to ${customer}. Please pay EUR ${amount.toFixed(2)} by ${due}. A reminder fee of EUR 15 applies after that. Regards, Billing` },
      expected: { customer, amount, dueDate: due },
      wrong: { customer, amount: amount + 15, dueDate: issued },
    };
  },
};

const WAREHOUSES = ["berlin", "lyon", "porto"];

/** The simulated tool environment: stock per warehouse of an item, from the task's seed. */
export function inventoryTool(rng: Rng): Record<string, number> {
  return Object.fromEntries(WAREHOUSES.map((w) => [w, int(rng, 0, 30)]));
}

export const inventory: TaskFamily = {
  signature: "inventory_lookup",
  marker: "[order-",
  generate(rng, i) {
    const stock = inventoryTool(rng);
    const qty = int(rng, 5, 35);
    const sufficient = Object.entries(stock).filter(([, n]) => n >= qty).sort((a, b) => b[1] - a[1]);
    const expected = sufficient.length > 0 ? { canShip: true, warehouse: sufficient[0]![0] } : { canShip: false, warehouse: "none" };
    const wrong = sufficient.length > 0 ? { canShip: false, warehouse: "none" } : { canShip: true, warehouse: Object.entries(stock).sort((a, b) => b[1] - a[1])[0]![0] };
    return {
      key: `[order-${i}]`,
      input: { order: `[order-${i}] ${qty} units of widget W-${i % 17}`, toolResults: `inventory.lookup("W-${i % 17}") → ${JSON.stringify(stock)}` },
      expected,
      wrong,
    };
  },
};

export const FAMILIES: readonly TaskFamily[] = [arithmetic, dates, units, extraction, inventory];

/** `count` tasks of a family, numbered from `from`, determined by `seed`. */
export function generateTasks(family: TaskFamily, seed: number, from: number, count: number): Task[] {
  const rng = createRng(`${family.signature}:${seed}`);
  const all: Task[] = [];
  for (let i = 0; i < from + count; i++) all.push(family.generate(rng, i));
  return all.slice(from);
}

/**
 * A simulator bank for the tasks: the simulated model answers a task right with probability
 * `baseAccuracy`, and always when the prompt shows a solved task of the same family (a few-shot
 * demo carries the family's marker). This plants "demos help" — the effect a compiler can find —
 * so CI exercises the whole pipeline; a real endpoint measures the real effect.
 */
export function simulatorBank(tasks: readonly (Task & { family: TaskFamily })[], baseAccuracy = 0.35) {
  return {
    families: tasks.map((t) => ({ id: t.key, match: { keywords: [t.key] }, answer: t.expected, wrongAnswer: t.wrong, baseAccuracy, fixedBy: [t.family.marker] })),
  };
}

// The seeded generator lives in runtime/ so the orchestrator's router can use it too (the
// orchestrator never imports compiler/); the compiler keeps importing it from here.
export { createRng, shuffled, type Rng } from "../runtime/random.js";

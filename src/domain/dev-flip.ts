// A dev example whose verdict changed between the parent and the candidate (it passed one and
// failed the other): what a reviewer looks at to believe a score change.
import { z } from "zod";

export const DevFlipSchema = z.object({
  traceId: z.string(),
  /** The example's input, shortened for display. */
  input: z.string(),
  before: z.number(),
  after: z.number(),
});
export type DevFlip = z.infer<typeof DevFlipSchema>;

export const DevFlipsSchema = z.object({
  /** Failed with the parent, passed with the candidate. */
  fixed: z.array(DevFlipSchema),
  /** Passed with the parent, failed with the candidate. */
  broken: z.array(DevFlipSchema),
});
export type DevFlips = z.infer<typeof DevFlipsSchema>;

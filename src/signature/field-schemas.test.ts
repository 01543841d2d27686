import { describe, expect, it } from "vitest";
import { fieldsZodSchema } from "./field-schemas.js";
import type { SignatureField } from "../domain/signature.js";

const answer = (): SignatureField[] => [{ name: "answer", description: "the answer", type: "string", optional: false }];

describe("fieldsZodSchema", () => {
  it("builds one schema per field list, shared by equal lists", () => {
    const fields = answer();
    const schema = fieldsZodSchema(fields);
    expect(fieldsZodSchema(fields)).toBe(schema);
    expect(fieldsZodSchema(answer())).toBe(schema);
    expect(schema.safeParse({ answer: "Paris" }).success).toBe(true);
    expect(schema.safeParse({ answer: 1 }).success).toBe(false);
    expect(schema.safeParse({ answer: "Paris", extra: 1 }).success).toBe(false);
  });

  it("gives different fields their own schema", () => {
    const count: SignatureField[] = [{ name: "count", description: "how many", type: "number", optional: true }];
    const schema = fieldsZodSchema(count);
    expect(schema).not.toBe(fieldsZodSchema(answer()));
    expect(schema.safeParse({}).success).toBe(true);
    expect(schema.safeParse({ count: 3 }).success).toBe(true);
    expect(schema.safeParse({ answer: "x" }).success).toBe(false);
  });
});

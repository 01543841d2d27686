import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { CONFIG_KEYS } from "../../src/config/keys.js";
import { buildProgram } from "../../src/cli/main.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README.md", () => {
  it("documents every configuration key with its file name and environment variables", () => {
    for (const spec of Object.values(CONFIG_KEYS)) {
      expect(README, spec.file).toContain(`\`${spec.file}\``);
      for (const env of spec.env) expect(README, env).toContain(`\`${env}\``);
    }
  });

  it("documents every CLI command", () => {
    const names = (cmd: ReturnType<typeof buildProgram>, prefix: string): string[] =>
      cmd.commands.flatMap((c) => (c.commands.length > 0 ? names(c, `${prefix}${c.name()} `) : [`${prefix}${c.name()}`]));
    for (const command of names(buildProgram(), "meta-agent ")) expect(README, command).toContain(`\`${command}`);
  });

  it("shows the two commands a new user runs", () => {
    expect(README).toContain("npm install && npm start");
    expect(README).toContain("npm test");
  });
});

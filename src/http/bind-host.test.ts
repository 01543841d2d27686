import { describe, it, expect } from "vitest";
import { isLoopbackHost, resolveBindHost } from "./bind-host.js";
import { silentLogger } from "../log/logger.js";

describe("bind host", () => {
  it("recognises loopback names and addresses", () => {
    for (const h of ["localhost", "127.0.0.1", "127.1.2.3", "::1"]) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ["0.0.0.0", "::", "10.0.0.5", "example.com"]) expect(isLoopbackHost(h)).toBe(false);
  });

  it("replaces a public host with loopback while no API key exists", () => {
    expect(resolveBindHost("0.0.0.0", false, silentLogger)).toBe("127.0.0.1");
    expect(resolveBindHost("0.0.0.0", true, silentLogger)).toBe("0.0.0.0");
    expect(resolveBindHost("127.0.0.1", false, silentLogger)).toBe("127.0.0.1");
  });
});

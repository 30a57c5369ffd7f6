import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema } from "../src/config/schema.ts";

describe(".env.example", () => {
  it("documents every variable the config schema reads, and nothing else", () => {
    const text = readFileSync(path.resolve(import.meta.dirname, "../.env.example"), "utf8");
    const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(envSchema.shape).sort());
  });
});

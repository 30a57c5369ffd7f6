import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema } from "../src/config/schema.ts";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

// Docker cannot run here, so check what can be checked: the command, the health probe, the env.
describe("deployment files", () => {
  const dockerfile = read("Dockerfile");

  it("the image starts the same entry point as npm start, as a non-root user, probing /healthz", () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? "[]") as string[];
    const start = JSON.parse(read("package.json")).scripts.start as string;
    expect(cmd.slice(-2)).toEqual(start.split(" ").slice(-2));
    expect(cmd).toContain("tsx");
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^FROM node:20[-\w.]* AS runtime$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
  });

  it("every variable the compose file sets is one the configuration reads", () => {
    const compose = read("deploy/docker-compose.yml");
    const botSection = compose.slice(compose.indexOf("  bot:"));
    const environment = botSection.slice(botSection.indexOf("environment:"), botSection.indexOf("ports:"));
    const keys = [...environment.matchAll(/^\s{6}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(3);
    for (const key of keys) expect(Object.keys(envSchema.shape)).toContain(key);
    const envBlock = /^ENV ([\s\S]*?)\nWORKDIR/m.exec(dockerfile)?.[1] ?? "";
    const imageEnv = [...envBlock.matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]);
    expect(imageEnv).toEqual(["NODE_ENV", "PORT", "DATA_DIR"]);
    for (const key of imageEnv) expect(Object.keys(envSchema.shape)).toContain(key);
  });
});

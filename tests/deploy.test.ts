import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
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
    expect(cmd.join(" ")).not.toMatch(/tsx/);
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

/** Every package a source file loads at run time: type-only imports are erased by the compiler. */
function runtimeImports(dir: string): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const text = readFileSync(path.join(entry.parentPath, entry.name), "utf8");
    const statics = text.matchAll(/^(?:import|export)(\s+type)?\b[^;]*?from\s+"([^".][^"]*)";/gm);
    for (const m of statics) if (!m[1]) found.add(m[2] as string);
    for (const m of text.matchAll(/import\(\s*"([^".][^"]*)"\s*\)/g)) found.add(m[1] as string);
  }
  return found;
}

const packageName = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

describe("the production build", () => {
  const pkg = JSON.parse(read("package.json")) as {
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const build = JSON.parse(read("tsconfig.build.json").replace(/^\s*\/\/.*$/gm, "")) as {
    compilerOptions: { rootDir: string; outDir: string };
  };
  const dockerfile = read("Dockerfile");

  it("npm start and the image run compiled JavaScript built from src/", () => {
    const entry = /(\S+\.js) start$/.exec(pkg.scripts.start ?? "")?.[1] ?? "";
    const { rootDir, outDir } = build.compilerOptions;
    expect(entry.startsWith(`${outDir}/`)).toBe(true);
    const source = entry.replace(`${outDir}/`, `${rootDir}/`).replace(/\.js$/, ".ts");
    expect(existsSync(path.join(root, source))).toBe(true);
    expect(pkg.scripts.prestart).toContain("build");
    expect(pkg.scripts.build).toContain("tsconfig.build.json");
    expect(dockerfile).toMatch(new RegExp(`^COPY --from=build /app/${outDir} \\./${outDir}$`, "m"));
  });

  it("tsx, the Prisma CLI and pino-pretty are development dependencies only", () => {
    for (const dev of ["tsx", "prisma", "pino-pretty", "typescript"]) {
      expect(pkg.dependencies).not.toHaveProperty(dev);
      expect(pkg.devDependencies).toHaveProperty(dev);
    }
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toMatch(/npm pkg delete devDependencies/);
    expect(runtime).toMatch(/npm install --omit=dev --ignore-scripts/);
  });

  it("every package the source loads at run time is a runtime dependency", () => {
    const builtins = new Set(builtinModules);
    const missing = [...runtimeImports("src")]
      .filter((s) => !s.startsWith("node:") && !builtins.has(s))
      .map(packageName)
      .filter((name) => !(name in pkg.dependencies));
    expect(missing).toEqual([]);
  });

  it("the runtime image carries the migrations where the compiled migrator looks for them", () => {
    // src/store/migrator.ts reads ../../prisma/migrations relative to itself: from dist/store that
    // is prisma/migrations at the image's root.
    expect(read("src/store/migrator.ts")).toContain('new URL("../../prisma/migrations", import.meta.url)');
    expect(build.compilerOptions.rootDir).toBe("src");
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toMatch(/^COPY prisma\/migrations \.\/prisma\/migrations$/m);
  });
});

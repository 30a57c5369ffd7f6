import { openBenchDatabase } from "./db.ts";
import { type Figure, table } from "./report.ts";
import { benchResolution } from "./resolution.ts";

const json = process.argv.includes("--json");
const log = (line: string) => {
  if (!json) console.error(line);
  else process.stderr.write(`${line}\n`);
};

async function main(): Promise<void> {
  const started = performance.now();
  const figures: Figure[] = [];
  const skipped: { item: string; reason: string }[] = [];
  const bench = await openBenchDatabase();
  log(`database: ${bench.label}`);
  try {
    log("resolution…");
    figures.push(...(await benchResolution(bench.db, [10_000, 100_000])));
  } finally {
    await bench.dispose();
  }
  const result = {
    database: bench.label,
    node: process.version,
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
    figures,
    skipped,
  };
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`database: ${result.database}, node ${result.node}, ${result.totalSeconds}s total\n`);
    console.log(table(figures));
    for (const f of figures) if (f.note) console.log(`  ${f.section} / ${f.name}: ${f.note}`);
    for (const s of skipped) console.log(`  skipped ${s.item}: ${s.reason}`);
  }
}

await main();

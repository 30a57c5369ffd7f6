import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config/index.ts";
import { benchDiscordAck } from "./ack-discord.ts";
import { benchSlackAck } from "./ack-slack.ts";
import { benchCycle } from "./cycle.ts";
import { openBenchDatabase } from "./db.ts";
import { benchLeaderboard } from "./leaderboard.ts";
import { type Figure, table } from "./report.ts";
import { benchResolution } from "./resolution.ts";
import { benchIdleRss } from "./rss.ts";
import { benchVerify } from "./verify.ts";
import { benchWebPages } from "./web.ts";

const json = process.argv.includes("--json");
/** `--only <section>` runs one section (resolution | leaderboard | verify | cycle | ack | ack-discord | ack-slack | rss | web) while iterating. */
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const LEADERBOARD_CALLS = 1_000_000;
/** `--verify-records <n>`: the chain length `cli verify` is measured on (1M by default). */
const verifyAt = process.argv.indexOf("--verify-records");
const VERIFY_RECORDS = verifyAt >= 0 ? Number(process.argv[verifyAt + 1]) : 1_000_000;
/** `--web-calls <n>`: the stored calls the public pages are measured over (1M by default). */
const webAt = process.argv.indexOf("--web-calls");
const WEB_CALLS = webAt >= 0 ? Number(process.argv[webAt + 1]) : 1_000_000;
const log = (line: string) => {
  if (!json) console.error(line);
  else process.stderr.write(`${line}\n`);
};

async function main(): Promise<void> {
  const started = performance.now();
  const figures: Figure[] = [];
  const skipped: { item: string; reason: string }[] = [];
  // First, so RSS is the bot's and not the bench's bulk tables.
  if (!only || only === "cycle") {
    log("offline cycle and memory…");
    figures.push(...(await benchCycle(log)));
  }
  // The real `npm start` in child processes, before this process loads its own bulk tables.
  if (!only || only === "rss") {
    const rss = await benchIdleRss(loadConfig().testDatabaseUrl, log);
    figures.push(...rss.figures);
    skipped.push(...rss.skipped);
  }
  const bench = await openBenchDatabase();
  log(`database: ${bench.label}`);
  try {
    // Each platform's acks in a fresh process: the heap earlier sections leave (the other platform's
    // included) put major GCs inside bursts.
    if (!only || only === "ack") {
      for (const section of ["ack-discord", "ack-slack"]) figures.push(...(await sectionApart(section)));
    }
    if (only === "ack-discord") {
      log("/predict ack through Discord…");
      figures.push(...(await benchDiscordAck(bench.db, [1, 50, 200])));
    }
    if (only === "ack-slack") {
      log("/predict ack through Slack's HTTP receiver…");
      figures.push(...(await benchSlackAck(bench.db, [1, 50, 200])));
    }
    if (!only || only === "resolution") log("resolution…");
    if (!only || only === "resolution") figures.push(...(await benchResolution(bench.db, [10_000, 100_000])));
    if (!only || only === "leaderboard") log("leaderboard and trail…");
    if (!only || only === "leaderboard")
      figures.push(...(await benchLeaderboard(bench.db, LEADERBOARD_CALLS, log)));
    if (!only || only === "web") {
      log(`public pages over ${WEB_CALLS} calls…`);
      figures.push(...(await benchWebPages(bench.db, WEB_CALLS, log)));
    }
    if (!only || only === "verify") {
      log(`cli verify on ${VERIFY_RECORDS} records…`);
      figures.push(...(await benchVerify(bench.db, VERIFY_RECORDS, log)));
    }
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

/** This script again with `--only <section>`, its progress on this stderr; its figures. */
async function sectionApart(section: string): Promise<Figure[]> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, script, "--json", "--only", section], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`the ${section} section's process exited ${code}`);
  return (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { figures: Figure[] }).figures;
}

await main();

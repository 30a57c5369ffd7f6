import { parseArgs } from "node:util";
import { parseCallText } from "../../commands/grammar.ts";
import { MAX_PROBABILITY, MIN_PROBABILITY } from "../../domain/call.ts";
import { type CliCommand, UsageError } from "../command.ts";

/** Config has no members' default probability yet, so the CLI states one; --default-probability overrides it. */
const DEFAULT_PROBABILITY = 0.6;

export const parseCallCommand: CliCommand = {
  name: "parse-call",
  summary: 'Read a call written in the text grammar (e.g. "QQQ down 48h 65%") and print its call JSON',
  usage: 'parse-call "<text>" [--now <ISO time>] [--price <current price>] [--default-probability <p>]',
  async run(args) {
    const { values, positionals } = readArgs(args);
    // Unquoted words arrive one by one; the grammar reads them as one line.
    const text = positionals.join(" ").trim();
    if (text === "") throw new UsageError('parse-call needs the call text, e.g. "QQQ down 48h 65%".');
    const result = parseCallText(text, {
      now: readNow(values.now),
      defaultProbability: readDefaultProbability(values["default-probability"]),
      ...(values.price !== undefined && { referencePrice: readPrice(values.price) }),
    });
    if (!result.ok) throw new UsageError(`Cannot read "${text}": ${result.error}`);
    process.stdout.write(`${JSON.stringify(result.call)}\n`);
    return 0;
  },
};

function readArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        now: { type: "string" },
        price: { type: "string" },
        "default-probability": { type: "string" },
      },
    });
  } catch (error) {
    // node:util reports unknown flags as a TypeError; to the user it is a usage mistake.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** --now pins "by friday" and madeAt so the same text always gives the same JSON. */
function readNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const isoWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
  const now = new Date(text);
  if (!isoWithOffset.test(text) || Number.isNaN(now.getTime())) {
    throw new UsageError(
      `--now must be an ISO time with an offset, such as 2026-04-01T14:00:00Z, not "${text}".`,
    );
  }
  return now;
}

function readPrice(text: string): number {
  const price = Number(text);
  if (!(price > 0)) throw new UsageError(`--price must be a positive number, not "${text}".`);
  return price;
}

function readDefaultProbability(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PROBABILITY;
  const p = Number(text);
  if (!(p >= MIN_PROBABILITY && p <= MAX_PROBABILITY)) {
    throw new UsageError(`--default-probability must be between 0.5 and 0.99, not "${text}".`);
  }
  return p;
}

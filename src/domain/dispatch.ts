import type { AnchorRecord } from "./anchor.ts";
import type { CallRecord } from "./call-record.ts";

/** A published dispatch with its desk calls, as every surface renders it. */
export interface DispatchRecord {
  id: string;
  number: number;
  serverId: string;
  title: string;
  body: string;
  thesis: string;
  debateLine: string;
  /** simulated_market, model_fallback, … */
  flags: string[];
  createdAt: Date;
  /** The desk's calls, oldest first: CALL 1 is the first. */
  calls: CallRecord[];
  cycle: {
    number: number;
    regime: string | null;
    marketSource: string;
    engine: string;
    engineFlags: string[];
    asOf: Date;
  };
  server: { name: string; platform: string };
  /** The newest root a Time-Stamp Authority signed when the post was rendered; chat posts show it. */
  anchor?: AnchorRecord | null;
}

/** Members' live agree/fade answers to one desk call (superseded ones no longer count). */
export interface ResponseCounts {
  agree: number;
  fade: number;
  /** Live answers whose verdict came out right. */
  agreeRight: number;
  fadeRight: number;
}

export const NO_RESPONSES: ResponseCounts = { agree: 0, fade: 0, agreeRight: 0, fadeRight: 0 };

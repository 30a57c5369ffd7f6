import type { Prisma, PrismaClient } from "./generated/client.ts";

/** Either the client or an open interactive transaction: repositories work inside both. */
export type Db = PrismaClient | Prisma.TransactionClient;

export type { Call as CallRow, Member as MemberRow, Server as ServerRow } from "./generated/client.ts";

/** Prisma's unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

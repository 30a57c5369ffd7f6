import { NoData, ProviderError } from "./http.ts";
import type { CryptoPort, MacroPort } from "./ports.ts";

/**
 * Ask providers in order and return the first answer. When all fail the error names each one's
 * failure, so the flag on the observation says what was tried.
 */
export async function firstAvailable<P extends { name: string }, T>(
  providers: readonly P[],
  call: (provider: P) => Promise<T>,
): Promise<T> {
  const failures: unknown[] = [];
  for (const provider of providers) {
    try {
      return await call(provider);
    } catch (error) {
      failures.push(error);
    }
  }
  const chain = providers.map((p) => p.name).join(" > ");
  const message =
    failures.map((e) => (e instanceof Error ? e.message : String(e))).join(" | ") || "no provider";
  // Only when every provider lacked the value is it missing; any outage makes the chain down.
  const allMissing = failures.length > 0 && failures.every((e) => e instanceof NoData);
  throw allMissing ? new NoData(chain, message) : new ProviderError(chain, message);
}

const chainName = (ports: readonly { name: string }[]) => ports.map((p) => p.name).join(">");

export function cryptoInOrder(ports: readonly CryptoPort[]): CryptoPort {
  return {
    name: chainName(ports),
    cryptoQuote: (symbol, asOf) => firstAvailable(ports, (p) => p.cryptoQuote(symbol, asOf)),
  };
}

export function macroInOrder(ports: readonly MacroPort[]): MacroPort {
  return { name: chainName(ports), series: (id, asOf) => firstAvailable(ports, (p) => p.series(id, asOf)) };
}

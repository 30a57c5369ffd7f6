import { afterEach, describe, expect, it, vi } from "vitest";
import { isServerChanged } from "../../src/bot/discord/launch.ts";
import { startCommand } from "../../src/cli/commands/start.ts";

describe("start --shards", () => {
  afterEach(() => vi.unstubAllEnvs());

  // Each case must be refused before start-up opens anything, or the command would run the desk.
  it.each([
    [
      "a shard count that is not a number",
      ["--shards", "many"],
      { DISCORD_TOKEN: "t" },
      /auto or a whole number/,
    ],
    ["zero shards", ["--shards", "0"], { DISCORD_TOKEN: "t" }, /auto or a whole number/],
    ["no Discord token", ["--shards", "auto"], { DISCORD_TOKEN: "" }, /needs DISCORD_TOKEN/],
    [
      "the embedded database",
      ["--shards", "2"],
      { DISCORD_TOKEN: "t", DATABASE_URL: "" },
      /needs PostgreSQL/,
    ],
  ])("refuses %s", async (_, args, env, message) => {
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    await expect(startCommand.run(args)).rejects.toThrow(message);
  });
});

describe("shard → manager messages", () => {
  it("recognises only a well-formed server-changed message", () => {
    expect(isServerChanged({ type: "tapereader:server-changed", serverId: "s1" })).toBe(true);
    expect(isServerChanged({ type: "tapereader:server-changed" })).toBe(false);
    expect(isServerChanged("server-changed")).toBe(false);
    expect(isServerChanged(null)).toBe(false);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { commandData } from "../../src/bot/discord/registration.ts";
import { registerCommandsCommand } from "../../src/cli/commands/register-commands.ts";
import { APP_ID, FakeDiscord, GUILD_ID } from "../support/fake-discord.ts";

describe("register-commands", () => {
  let fake: FakeDiscord;
  let out: string[];

  beforeAll(async () => {
    fake = await new FakeDiscord([]).start();
  });
  afterAll(() => fake.stop());
  afterEach(() => vi.unstubAllEnvs());

  const run = async (args: string[]) => {
    vi.stubEnv("DISCORD_TOKEN", "test-token");
    vi.stubEnv("DISCORD_API_URL", fake.apiUrl);
    out = [];
    vi.spyOn(process.stdout, "write").mockImplementation((text) => out.push(String(text)) > 0);
    const code = await registerCommandsCommand.run(args);
    vi.mocked(process.stdout.write).mockRestore();
    return code;
  };

  it("PUTs the whole set to one guild with --guild, asking Discord for the application id", async () => {
    expect(await run(["--guild", GUILD_ID])).toBe(0);
    expect(fake.requests.some((r) => r.method === "GET" && r.path === "/applications/@me")).toBe(true);
    const put = await fake.waitFor((r) => r.method === "PUT");
    expect(put.path).toBe(`/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    const names = (put.body as unknown as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(["predict", "trail", "leaderboard", "cycle", "config"]);
    expect(out.join("")).toContain("Registered 5 commands in guild");
  });

  it("PUTs globally without --guild", async () => {
    vi.stubEnv("DISCORD_APPLICATION_ID", APP_ID);
    const before = fake.requests.length;
    expect(await run([])).toBe(0);
    const put = fake.requests.slice(before).find((r) => r.method === "PUT");
    expect(put?.path).toBe(`/applications/${APP_ID}/commands`);
  });

  it("refuses a guild id that is not a snowflake", async () => {
    await expect(run(["--guild", "my-server"])).rejects.toThrow(/snowflake/);
  });
});

describe("the declared command set", () => {
  const byName = Object.fromEntries(commandData().map((c) => [c.name, c]));

  it("keeps /cycle and /config to Manage Server by default, and every command to guilds", () => {
    const manageGuild = String(1n << 5n);
    expect(byName.cycle?.default_member_permissions).toBe(manageGuild);
    expect(byName.config?.default_member_permissions).toBe(manageGuild);
    expect(byName.predict?.default_member_permissions).toBeUndefined();
    expect(commandData().every((c) => JSON.stringify(c.contexts) === "[0]")).toBe(true);
  });

  it("offers /predict probabilities 50-99 and symbols by autocomplete", () => {
    const options = byName.predict?.options as {
      name: string;
      min_value?: number;
      max_value?: number;
      autocomplete?: boolean;
    }[];
    expect(options.find((o) => o.name === "probability")).toMatchObject({ min_value: 50, max_value: 99 });
    expect(options.find((o) => o.name === "symbol")).toMatchObject({ autocomplete: true });
  });
});

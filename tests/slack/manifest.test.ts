import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SLASH_COMMANDS } from "../../src/commands/registry.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const manifest = readFileSync(path.join(ROOT, "deploy/slack-manifest.yml"), "utf8");
const slackSources = readdirSync(path.join(ROOT, "src/bot/slack"), { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts"))
  .map((file) => readFileSync(path.join(ROOT, "src/bot/slack", file), "utf8"))
  .join("\n");

/** The items of the YAML block list under `key:` (one `- item` a line, comments skipped). */
function listUnder(key: string): string[] {
  const lines = manifest.split("\n");
  const start = lines.findIndex((line) => line.trim() === `${key}:`);
  expect(start, `${key}: in the manifest`).toBeGreaterThanOrEqual(0);
  const indent = /^ */.exec(lines[start + 1] ?? "")?.[0].length ?? 0;
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith("#")) continue;
    if (!line.startsWith(" ".repeat(indent)) || line.trim() === "") break;
    const item = /^ *- (.+)$/.exec(line);
    if (item && line.indexOf("-") === indent) items.push(item[1] as string);
  }
  return items;
}

/** Each slash command's fields: `- command: /x` and the `key: value` lines below it. */
function slashCommands(): Record<string, string>[] {
  const section = manifest.slice(manifest.indexOf("slash_commands:"), manifest.indexOf("oauth_config:"));
  return section
    .split(/\n\s+- /)
    .slice(1)
    .map((block) =>
      Object.fromEntries(
        block.split("\n").map((line) => {
          const [key, ...value] = line.trim().split(": ");
          return [key, value.join(": ").replace(/^"(.*)"$/, "$1")];
        }),
      ),
    );
}

/** The bot scope each Web API method the adapter calls needs (https://api.slack.com/methods). */
const SCOPE_OF: Record<string, string> = {
  "chat.postMessage": "chat:write",
  "chat.postEphemeral": "chat:write",
  "chat.update": "chat:write",
  "reactions.add": "reactions:write",
  "conversations.history": "channels:history",
  "conversations.replies": "channels:history",
  "users.info": "users:read",
  "usergroups.users.list": "usergroups:read",
};
/** The bot scope each event the adapter listens to needs. */
const EVENT_SCOPE: Record<string, string | null> = {
  reaction_added: "reactions:read",
  member_joined_channel: "channels:read",
  app_home_opened: null,
};

describe("deploy/slack-manifest.yml", () => {
  it("declares exactly the registry's slash commands, with their descriptions", () => {
    const declared = slashCommands();
    expect(declared.map((c) => c.command)).toEqual(SLASH_COMMANDS.map((c) => `/${c.name}`));
    for (const command of SLASH_COMMANDS) {
      const entry = declared.find((c) => c.command === `/${command.name}`);
      expect(entry?.description).toBe(command.slash?.description);
      // Slack's limit for a slash command's description.
      expect(entry?.description?.length).toBeLessThanOrEqual(100);
    }
  });

  it("subscribes to exactly the events the adapter listens for, with the scopes they need", () => {
    const listened = [...slackSources.matchAll(/app\.event\("(\w+)"/g)].map((m) => m[1] as string);
    expect(listResult(listUnder("bot_events"))).toEqual(listResult(listened));
    const scopes = listUnder("bot");
    for (const event of listened) {
      expect(event in EVENT_SCOPE, `a known scope for ${event}`).toBe(true);
      const scope = EVENT_SCOPE[event];
      if (scope) expect(scopes).toContain(scope);
    }
  });

  it("asks for the scope of every Web API method the adapter calls, and for slash commands", () => {
    const methods = new Set(
      [...slackSources.matchAll(/client\.(\w+(?:\.\w+)+)\(/g)].map((m) => m[1] as string),
    );
    expect(methods.size).toBeGreaterThan(5);
    methods.delete("auth.test"); // needs no scope
    methods.delete("views.publish"); // needs no scope beyond the bot user
    methods.delete("views.open");
    const scopes = listUnder("bot");
    expect(scopes).toContain("commands");
    for (const method of methods) {
      expect(SCOPE_OF[method], `a known scope for ${method}`).toBeDefined();
      expect(scopes).toContain(SCOPE_OF[method]);
    }
  });

  it("turns on interactivity (buttons, the modal) and Socket Mode, which the default SLACK_MODE uses", () => {
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toMatch(/socket_mode_enabled: true/);
    expect(manifest).toMatch(/home_tab_enabled: true/);
  });
});

/** Order and repeats do not matter in a list of events. */
const listResult = (items: string[]) => [...new Set(items)].sort();

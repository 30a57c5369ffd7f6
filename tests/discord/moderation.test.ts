import { PermissionFlagsBits, PermissionsBitField } from "discord.js";
import { describe, expect, it } from "vitest";
import { isModerator } from "../../src/bot/discord/context.ts";

const perms = (...flags: bigint[]) => new PermissionsBitField(flags);
const roles =
  (...ids: string[]) =>
  (id: string) =>
    ids.includes(id);

describe("who moderates on Discord", () => {
  it("without a moderator role, Manage Server does", () => {
    expect(isModerator(perms(PermissionFlagsBits.ManageGuild), roles(), null)).toBe(true);
    expect(isModerator(perms(PermissionFlagsBits.SendMessages), roles("r1"), null)).toBe(false);
  });

  it("with a moderator role, the role does, and Manage Server alone no longer does", () => {
    expect(isModerator(perms(PermissionFlagsBits.SendMessages), roles("mods"), "mods")).toBe(true);
    expect(isModerator(perms(PermissionFlagsBits.ManageGuild), roles(), "mods")).toBe(false);
  });

  it("Administrator always does", () => {
    expect(isModerator(perms(PermissionFlagsBits.Administrator), roles(), "mods")).toBe(true);
  });

  it("no permissions at all (a raw payload without them) does not", () => {
    expect(isModerator(null, roles(), null)).toBe(false);
  });
});

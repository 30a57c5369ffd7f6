import {
  APP_ID,
  CHANNEL_ID,
  type FakeDiscord,
  type FakeUser,
  GUILD_ID,
  memberOf,
  messageOf,
  nextId,
} from "../support/fake-discord.ts";

/** INTERACTION_CREATE and MESSAGE_REACTION_ADD payloads in Discord's real shapes. */

type Option = { name: string; type: number; value: string | number | boolean; focused?: boolean };

/** Option types: 3 string, 4 integer, 5 boolean, 6 user, 10 number. */
export const opt = (name: string, value: string | number | boolean, type?: number): Option => ({
  name,
  value,
  type:
    type ??
    (typeof value === "string" ? 3 : typeof value === "boolean" ? 5 : Number.isInteger(value) ? 4 : 10),
});

function interaction(
  user: FakeUser,
  type: number,
  data: unknown,
  extra: Record<string, unknown> = {},
  id = nextId(),
) {
  return {
    id,
    application_id: APP_ID,
    type,
    data,
    guild_id: GUILD_ID,
    guild: { id: GUILD_ID, locale: "en-US", features: [] },
    channel_id: CHANNEL_ID,
    channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: "desk", flags: 0 },
    member: { ...memberOf(user), permissions: user.permissions },
    token: `token-${id}`,
    version: 1,
    app_permissions: "2251799813685247",
    locale: "en-US",
    guild_locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: { "0": GUILD_ID },
    context: 0,
    attachment_size_limit: 10_485_760,
    ...extra,
  };
}

/** type 2, data.type 1: a chat-input slash command. A subcommand wraps the options (type 1). */
export function slash(
  user: FakeUser,
  name: string,
  options: Option[] = [],
  subcommand?: string,
  resolved?: Record<string, unknown>,
) {
  const top = subcommand ? [{ name: subcommand, type: 1, options }] : options;
  return interaction(user, 2, { id: nextId(), name, type: 1, options: top, ...(resolved && { resolved }) });
}

/** Channel and user options arrive with their objects under data.resolved. */
export const resolvedChannel = (id: string) => ({
  channels: { [id]: { id, type: 0, name: "desk", permissions: "2251799813685247" } },
});

/** type 4: autocomplete, with the focused option marked. */
export function autocomplete(user: FakeUser, name: string, options: Option[]) {
  return interaction(user, 4, { id: nextId(), name, type: 1, options });
}

/** type 3, component_type 2: a button on a message the bot posted. */
export function button(user: FakeUser, customId: string, messageId: string) {
  return interaction(
    user,
    3,
    { custom_id: customId, component_type: 2 },
    { message: messageOf(messageId, CHANNEL_ID, {}) },
  );
}

/** type 5: a modal submission with one text input per entry. */
export function modal(user: FakeUser, customId: string, values: Record<string, string>) {
  return interaction(user, 5, {
    custom_id: customId,
    components: Object.entries(values).map(([id, value]) => ({
      type: 1,
      components: [{ type: 4, custom_id: id, value }],
    })),
  });
}

export function reactionAdd(user: FakeUser, messageId: string, emoji: string) {
  return {
    user_id: user.id,
    channel_id: CHANNEL_ID,
    message_id: messageId,
    guild_id: GUILD_ID,
    member: memberOf(user),
    emoji: { id: null, name: emoji },
    type: 0,
    burst: false,
    burst_colors: [],
    message_author_id: APP_ID,
  };
}

export interface Answer {
  /** The callback type: 4 reply, 5 deferred, 9 modal. */
  type: number;
  ephemeral: boolean;
  content: string;
  embeds: Record<string, unknown>[];
  files: string[];
  data: Record<string, unknown>;
}

/**
 * What the member saw: the direct reply, or for a deferred one the edit (or, for an error after a
 * public deferral, the private follow-up).
 */
export async function answerTo(fake: FakeDiscord, event: { id: string; token: string }): Promise<Answer> {
  const callback = await fake.waitFor((r) => r.path.startsWith(`/interactions/${event.id}/`));
  const body = callback.body as { type: number; data?: Record<string, unknown> };
  let data = body.data ?? {};
  let files = callback.files;
  let ephemeral = ((data.flags as number | undefined) ?? 0) & 64;
  if (body.type === 5) {
    ephemeral = ((data.flags as number | undefined) ?? 0) & 64;
    const final = await fake.waitFor(
      (r) =>
        r.path.startsWith(`/webhooks/${APP_ID}/${event.token}`) &&
        (r.method === "PATCH" || r.method === "POST"),
      20_000,
    );
    data = final.body ?? {};
    files = final.files;
    if (final.method === "POST") ephemeral = ((data.flags as number | undefined) ?? 0) & 64;
  }
  return {
    type: body.type,
    ephemeral: ephemeral !== 0,
    content: String(data.content ?? ""),
    embeds: (data.embeds as Record<string, unknown>[] | undefined) ?? [],
    files,
    data,
  };
}

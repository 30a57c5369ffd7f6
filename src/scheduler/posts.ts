import type { CallRecord } from "../domain/call-record.ts";
import type { DispatchRecord, ResponseCounts } from "../domain/dispatch.ts";
import type { Server } from "../domain/server.ts";
import { type SideBySide, sideBySide } from "../resolution/side-by-side.ts";
import { latestAnchored } from "../store/anchors.ts";
import type { Database } from "../store/database.ts";
import {
  enqueuePostUpdate,
  findDispatchPost,
  findServerById,
  responseCounts,
} from "../store/dispatch-posts.ts";
import { dispatchByNumber } from "../store/dispatches.ts";

export type { ClaimedDelivery } from "../store/outbox.ts";

/** Where a dispatch was posted on a platform, as its delivery recorded it. */
export interface PostedMessage {
  channelId: string | null;
  platformMessageId: string | null;
  /** The dispatch delivery's own state: "failed" means it will never be posted. */
  status: string;
}

/**
 * What a chat surface reads to render a delivery, and the one thing it asks for later: a fresh
 * rendering at a call's lock. Surfaces see records, never the database.
 */
export interface DispatchPosts {
  dispatch(number: number): Promise<DispatchRecord | null>;
  counts(deskCallIds: number[]): Promise<Map<number, ResponseCounts>>;
  post(target: string, dispatchId: string): Promise<PostedMessage | null>;
  server(id: string): Promise<Server | null>;
  /** Crowd, desk and base rate on a resolved desk call, for its verdict; null for anything else. */
  sideBySide(call: CallRecord): Promise<SideBySide | null>;
  /** Re-renders the post carrying this desk call at `at` (wall time), e.g. to close its buttons at the lock. */
  refreshAt(target: string, deskCallId: number, key: string, at: Date): Promise<void>;
}

export function dispatchPosts(db: Database): DispatchPosts {
  return {
    dispatch: async (number) => {
      const dispatch = await dispatchByNumber(db.prisma, number);
      return dispatch && { ...dispatch, anchor: await latestAnchored(db.prisma) };
    },
    counts: (ids) => responseCounts(db.prisma, ids),
    post: (target, dispatchId) => findDispatchPost(db.prisma, target, dispatchId),
    server: (id) => findServerById(db.prisma, id),
    sideBySide: (call) => sideBySide(db, call),
    refreshAt: (target, callId, key, at) => enqueuePostUpdate(db.prisma, target, callId, key, at),
  };
}

-- The per-member rate limit counts a member's calls in a recent window.
CREATE INDEX "Call_memberId_createdAt_idx" ON "Call"("memberId", "createdAt");

-- Slack requests that can store a call, recorded before their ack and replayed after a crash.
-- CreateTable
CREATE TABLE "InboxCommand" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "InboxCommand_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InboxCommand_key_key" ON "InboxCommand"("key");

-- CreateIndex
CREATE INDEX "InboxCommand_status_leaseUntil_idx" ON "InboxCommand"("status", "leaseUntil");


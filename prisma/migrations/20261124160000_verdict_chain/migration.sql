-- Every verdict in the chain: one ChainRecord per call and per verdict, checkpoints of clean verifications, a receipt per verdict.
-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "receipt" TEXT;

-- CreateTable
CREATE TABLE "ChainRecord" (
    "serverId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "callId" INTEGER NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "content" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChainRecord_pkey" PRIMARY KEY ("serverId","seq")
);

-- CreateTable
CREATE TABLE "ChainCheckpoint" (
    "id" SERIAL NOT NULL,
    "serverId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "xact" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChainCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChainRecord_callId_kind_key" ON "ChainRecord"("callId", "kind");

-- CreateIndex
CREATE INDEX "ChainCheckpoint_serverId_seq_idx" ON "ChainCheckpoint"("serverId", "seq");

-- AddForeignKey
ALTER TABLE "ChainRecord" ADD CONSTRAINT "ChainRecord_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChainRecord" ADD CONSTRAINT "ChainRecord_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChainCheckpoint" ADD CONSTRAINT "ChainCheckpoint_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Calls chained before this migration become call records with no stored content (they commit to the
-- question fields only, as they always did); their links and hashes are unchanged.
INSERT INTO "ChainRecord" ("serverId", "seq", "kind", "callId", "prevHash", "hash", "content")
SELECT "serverId", "chainSeq", 'call', "id", "prevHash", "hash", NULL FROM "Call";

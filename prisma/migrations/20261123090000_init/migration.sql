-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Server" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channelId" TEXT,
    "schedule" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'America/New_York',
    "symbols" TEXT[],
    "moderatorRoleId" TEXT,
    "agreeEmoji" TEXT NOT NULL DEFAULT '⬆️',
    "fadeEmoji" TEXT NOT NULL DEFAULT '⬇️',
    "verdictInThread" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Server_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cycle" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "regime" TEXT,
    "regimeInputs" JSONB,
    "engine" TEXT NOT NULL,
    "engineFlags" TEXT[],
    "marketSource" TEXT NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "modelUsage" JSONB,
    "error" TEXT,

    CONSTRAINT "Cycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Observation" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "symbol" TEXT,
    "value" DOUBLE PRECISION,
    "payload" JSONB,
    "asOf" TIMESTAMP(3) NOT NULL,
    "trust" TEXT NOT NULL,
    "flags" TEXT[],

    CONSTRAINT "Observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MindStance" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "mind" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "symbol" TEXT NOT NULL,
    "direction" TEXT,
    "probability" DOUBLE PRECISION,
    "abstained" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "observationIds" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MindStance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dispatch" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "cycleId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "thesis" TEXT NOT NULL,
    "debateLine" TEXT NOT NULL,
    "flags" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dispatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Call" (
    "id" SERIAL NOT NULL,
    "serverId" TEXT NOT NULL,
    "cycleId" TEXT,
    "dispatchId" TEXT,
    "parentCallId" INTEGER,
    "authorType" TEXT NOT NULL,
    "mind" TEXT,
    "memberId" TEXT,
    "source" TEXT NOT NULL,
    "stance" TEXT,
    "kind" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "versus" TEXT,
    "direction" TEXT,
    "comparator" TEXT,
    "level" DOUBLE PRECISION,
    "horizonHours" DOUBLE PRECISION,
    "flatBandPct" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "probability" DOUBLE PRECISION NOT NULL,
    "note" TEXT,
    "regime" TEXT,
    "madeAt" TIMESTAMP(3) NOT NULL,
    "lockAt" TIMESTAMP(3) NOT NULL,
    "deadline" TIMESTAMP(3) NOT NULL,
    "season" TEXT NOT NULL,
    "entryPrice" DOUBLE PRECISION,
    "entryAt" TIMESTAMP(3),
    "versusEntry" DOUBLE PRECISION,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolvedAt" TIMESTAMP(3),
    "exitPrice" DOUBLE PRECISION,
    "exitAt" TIMESTAMP(3),
    "movePct" DOUBLE PRECISION,
    "evidence" TEXT,
    "voidReason" TEXT,
    "outcome" INTEGER,
    "brier" DOUBLE PRECISION,
    "baselineScore" DOUBLE PRECISION,
    "peerScore" DOUBLE PRECISION,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "chainSeq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "interactionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Call_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChainHead" (
    "serverId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "ChainHead_pkey" PRIMARY KEY ("serverId")
);

-- CreateTable
CREATE TABLE "Lesson" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "callId" INTEGER,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "counterfactual" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Lesson_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LearnedRule" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "mind" TEXT,
    "symbol" TEXT,
    "horizonHours" DOUBLE PRECISION,
    "regime" TEXT,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "liftedAt" TIMESTAMP(3),

    CONSTRAINT "LearnedRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "dispatchId" TEXT,
    "callId" INTEGER,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "channelId" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "platformMessageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Server_platform_externalId_key" ON "Server"("platform", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Member_serverId_externalId_key" ON "Member"("serverId", "externalId");

-- CreateIndex
CREATE INDEX "Cycle_serverId_startedAt_idx" ON "Cycle"("serverId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Cycle_serverId_number_key" ON "Cycle"("serverId", "number");

-- CreateIndex
CREATE INDEX "Observation_cycleId_idx" ON "Observation"("cycleId");

-- CreateIndex
CREATE UNIQUE INDEX "MindStance_cycleId_mind_round_symbol_key" ON "MindStance"("cycleId", "mind", "round", "symbol");

-- CreateIndex
CREATE UNIQUE INDEX "Dispatch_number_key" ON "Dispatch"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Dispatch_cycleId_key" ON "Dispatch"("cycleId");

-- CreateIndex
CREATE INDEX "Dispatch_serverId_createdAt_idx" ON "Dispatch"("serverId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Call_hash_key" ON "Call"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "Call_interactionId_key" ON "Call"("interactionId");

-- CreateIndex
CREATE INDEX "Call_status_deadline_idx" ON "Call"("status", "deadline");

-- CreateIndex
CREATE INDEX "Call_serverId_season_authorType_status_idx" ON "Call"("serverId", "season", "authorType", "status");

-- CreateIndex
CREATE INDEX "Call_memberId_status_idx" ON "Call"("memberId", "status");

-- CreateIndex
CREATE INDEX "Call_dispatchId_idx" ON "Call"("dispatchId");

-- CreateIndex
CREATE INDEX "Call_parentCallId_idx" ON "Call"("parentCallId");

-- CreateIndex
CREATE UNIQUE INDEX "Call_serverId_chainSeq_key" ON "Call"("serverId", "chainSeq");

-- CreateIndex
CREATE UNIQUE INDEX "Lesson_callId_key" ON "Lesson"("callId");

-- CreateIndex
CREATE INDEX "Lesson_serverId_createdAt_idx" ON "Lesson"("serverId", "createdAt");

-- CreateIndex
CREATE INDEX "LearnedRule_serverId_active_idx" ON "LearnedRule"("serverId", "active");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_dedupeKey_key" ON "Delivery"("dedupeKey");

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_idx" ON "Delivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Delivery_target_platformMessageId_idx" ON "Delivery"("target", "platformMessageId");

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cycle" ADD CONSTRAINT "Cycle_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MindStance" ADD CONSTRAINT "MindStance_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dispatch" ADD CONSTRAINT "Dispatch_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dispatch" ADD CONSTRAINT "Dispatch_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_dispatchId_fkey" FOREIGN KEY ("dispatchId") REFERENCES "Dispatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_parentCallId_fkey" FOREIGN KEY ("parentCallId") REFERENCES "Call"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChainHead" ADD CONSTRAINT "ChainHead_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lesson" ADD CONSTRAINT "Lesson_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lesson" ADD CONSTRAINT "Lesson_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearnedRule" ADD CONSTRAINT "LearnedRule_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_dispatchId_fkey" FOREIGN KEY ("dispatchId") REFERENCES "Dispatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;


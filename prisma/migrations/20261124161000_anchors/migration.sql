-- RFC 3161 anchors of every chain head: each attempt, its root and preimage, and the TSA's token.
-- CreateTable
CREATE TABLE "Anchor" (
    "id" SERIAL NOT NULL,
    "attemptedAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "root" TEXT NOT NULL,
    "preimage" TEXT NOT NULL,
    "servers" INTEGER NOT NULL,
    "tsaUrl" TEXT NOT NULL,
    "token" TEXT,
    "genTime" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "Anchor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Anchor_status_attemptedAt_idx" ON "Anchor"("status", "attemptedAt");

-- CreateTable
CREATE TABLE "ScoreTotal" (
    "serverId" TEXT NOT NULL,
    "season" TEXT NOT NULL,
    "authorKey" TEXT NOT NULL,
    "resolved" INTEGER NOT NULL DEFAULT 0,
    "rightCount" INTEGER NOT NULL DEFAULT 0,
    "voids" INTEGER NOT NULL DEFAULT 0,
    "brierSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "baselineSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "peerSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "peerCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ScoreTotal_pkey" PRIMARY KEY ("serverId","season","authorKey")
);

-- CreateIndex
CREATE INDEX "ScoreTotal_serverId_season_baselineSum_idx" ON "ScoreTotal"("serverId", "season", "baselineSum");

-- AddForeignKey
ALTER TABLE "ScoreTotal" ADD CONSTRAINT "ScoreTotal_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;


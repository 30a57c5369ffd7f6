-- Resolved desk calls not learned from yet: written with the verdict, deleted with the lessons and rules learned from it.
-- CreateTable
CREATE TABLE "LearnMarker" (
    "callId" INTEGER NOT NULL,
    "serverId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LearnMarker_pkey" PRIMARY KEY ("callId")
);

-- CreateIndex
CREATE INDEX "LearnMarker_serverId_idx" ON "LearnMarker"("serverId");

-- AddForeignKey
ALTER TABLE "LearnMarker" ADD CONSTRAINT "LearnMarker_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearnMarker" ADD CONSTRAINT "LearnMarker_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;


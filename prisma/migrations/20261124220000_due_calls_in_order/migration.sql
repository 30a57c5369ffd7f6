-- The sweep reads due calls by (deadline, id) a batch at a time: with id in the index the scan stops
-- after one batch instead of sorting every due call for each batch.
-- DropIndex
DROP INDEX "Call_status_deadline_idx";

-- CreateIndex
CREATE INDEX "Call_status_deadline_id_idx" ON "Call"("status", "deadline", "id");

-- A cycle stores the fingerprint of its inputs; an unchanged market is recorded as a skipped cycle with its reason.
ALTER TABLE "Cycle" ADD COLUMN     "inputsHash" TEXT,
ADD COLUMN     "skipReason" TEXT;

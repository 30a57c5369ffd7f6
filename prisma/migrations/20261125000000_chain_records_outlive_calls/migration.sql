-- A chain record is evidence: deleting its call must not delete it with the call (verification then
-- names the call that is gone), and a sweep appending 100k verdict records no longer pays a key check
-- and a row lock on each call it has just updated (about a sixth of the sweep).
-- DropForeignKey
ALTER TABLE "ChainRecord" DROP CONSTRAINT "ChainRecord_callId_fkey";

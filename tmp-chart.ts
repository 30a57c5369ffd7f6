import { writeFileSync } from "node:fs";
import { seedDesk } from "./tests/web/seed.ts";
const s = await seedDesk();
for (const p of ["/charts/call/1.png", "/charts/call/12.png", "/charts/call/8.png", "/charts/calibration/desk.png", "/charts/score/desk.png", "/charts/calibration/u/local/u-eve.png"]) {
  const r = await s.app.request(p);
  writeFileSync(`/tmp/web-${p.replaceAll("/", "_")}`, Buffer.from(await r.arrayBuffer()));
  console.log(p, r.status);
}
await s.db.close();

import { connect, run } from "./common";
import { buildBenchWorld } from "./world";

run(async () => {
  const h = await connect();
  const w = await buildBenchWorld(h.db, `probe-${Date.now().toString(36)}`);
  console.log(JSON.stringify({ cookie: w.cookie, event: w.eventSlug, community: w.communitySlug, task: w.taskPath, hub: w.hubSlug }));
  await h.close();
});

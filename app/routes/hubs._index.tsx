import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Moment hubs · Convene" }];

export default function Hubs() {
  return (
    <ComingSoon
      title="Moment hubs"
      lede="Political moments such as a Budget or election manifestos, and the research organisations are splitting between them."
      what={["see the research questions a moment raises", "claim a task, or join the team already on it", "follow a live board of who is working on what"]}
    />
  );
}

import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Events · Convene" }];

export default function Events() {
  return (
    <ComingSoon
      title="Events and webinars"
      lede="Webinars, workshops and in-person meetings run by organisations across the sector."
      what={[
        "find upcoming webinars, workshops and meetings, and register with one click",
        "say privately what access provisions you need",
        "join a waitlist when an event is full, and be told when a place frees up",
        "add events to your calendar, or subscribe to a feed",
      ]}
    />
  );
}

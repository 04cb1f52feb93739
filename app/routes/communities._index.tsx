import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Communities · Convene" }];

export default function Communities() {
  return (
    <ComingSoon
      title="Communities of practice"
      lede="Groups of people working on the same questions, such as micro-simulation of poverty or local food insecurity data."
      what={["browse communities and join them", "talk with members in live discussion threads", "see a community's events and subscribe to its calendar"]}
    />
  );
}

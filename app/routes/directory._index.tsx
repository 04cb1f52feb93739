import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Directory · Convene" }];

export default function Directory() {
  return (
    <ComingSoon
      title="Organisation directory"
      lede="Charities, think tanks, advice services, universities, councils, funders and lived-experience groups on Convene."
      what={["search and filter organisations by type, region and focus area", "ask to join your organisation", "see who hosts events and leads research"]}
    />
  );
}

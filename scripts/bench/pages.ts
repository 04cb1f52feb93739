// Benchmark: page speed with 1,000 published events in the database. 50 connections for
// 15 s each against /events and one /events/:slug (signed out), and in the same run
// against a plain Express hello-world server on this machine as the floor.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:pages
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { like } from "drizzle-orm";
import express from "express";
import { newId } from "../../app/utils/crypto.server";
import * as schema from "../../db/schema";
import { BASE_URL, connect, load, round, run } from "./common";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const EVENTS = 1000;

async function main() {
  const handle = await connect();
  const { db } = handle;
  const tag = `bench-page-${Date.now().toString(36)}`;
  const floorApp = express().get("/", (_req, res) => void res.send("Hello world"));
  const floor = http.createServer(floorApp);
  await new Promise<void>((r) => floor.listen(0, "127.0.0.1", r));
  const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/`;
  try {
    const rows = Array.from({ length: EVENTS }, (_, i) => {
      const startsAt = new Date(Date.now() + (1 + i / 10) * 86_400_000);
      return {
        id: newId(),
        slug: `${tag}-${i}`,
        kind: "webinar" as const,
        title: `Benchmark webinar ${i}: poverty data in practice`,
        summary: "A realistic summary of a webinar about poverty data and what it tells us.",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
        capacity: 100,
        state: "published" as const,
        joinUrl: "https://meet.example.org/bench",
      };
    });
    for (let i = 0; i < rows.length; i += 250) await db.insert(schema.events).values(rows.slice(i, i + 250));

    const floorResult = await load(floorUrl, CONNECTIONS, SECONDS);
    const targets = [
      { name: "events", url: `${BASE_URL}/events` },
      { name: "event", url: `${BASE_URL}/events/${rows[0].slug}` },
    ];
    console.log(`floor_req_per_s: ${round(floorResult.rps)}`);
    console.log(`floor_p99_ms: ${round(floorResult.p99)}`);
    for (const t of targets) {
      const html = await (await fetch(t.url)).text();
      const r = await load(t.url, CONNECTIONS, SECONDS);
      console.log(`${t.name}_req_per_s: ${round(r.rps)}`);
      console.log(`${t.name}_p99_ms: ${round(r.p99)}`);
      console.log(`${t.name}_html_gzip_bytes: ${gzipSync(html).length}`);
      console.log(`${t.name}_ratio_to_floor: ${Math.round((r.rps / floorResult.rps) * 1000) / 1000}`);
      console.log(`${t.name}_errors: ${r.errors}`);
    }
  } finally {
    floor.close();
    await db.delete(schema.events).where(like(schema.events.slug, `${tag}-%`));
    await handle.close();
  }
}

run(main);

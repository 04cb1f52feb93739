// The floor the page benchmarks compare against: an Express hello world, in a process of
// its own (so the load generator's work is not counted against it, nor its against the
// generator). Prints `listening <port>` and serves until killed.
import express from "express";

const app = express().get("/", (_req, res) => void res.send("Hello world"));
const server = app.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));

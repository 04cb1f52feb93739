// The fuzz sweep (tests/http/sweep.ts), share 1 of 2: its own server, beside the other share.
import { fuzzSweep } from "./sweep";

fuzzSweep(1, 2);

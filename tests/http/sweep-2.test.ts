// The fuzz sweep (tests/http/sweep.ts), share 2 of 2: its own server, beside the other share.
import { fuzzSweep } from "./sweep";

fuzzSweep(2, 2);

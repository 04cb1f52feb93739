import { env } from "./env.server";

// A deliberately small logger. It never receives request URLs or headers, so tokens in
// emailed links and cookies cannot reach the log in production.
const level = () => {
  try {
    return env().LOG_LEVEL;
  } catch {
    return "info";
  }
};

export const log = {
  info: (msg: string) => {
    if (level() !== "silent") console.log(msg);
  },
  error: (msg: string) => {
    if (level() !== "silent") console.error(msg);
  },
  debug: (msg: string) => {
    if (level() === "debug") console.log(msg);
  },
};

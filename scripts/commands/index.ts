import type { Command } from "./types";
import { seedCommand } from "./seed";
import { cronCommand } from "./cron";
import { apiKeyCommand } from "./apikey";
import { trafficCommand } from "./traffic";

/** Every CLI command; later features add theirs here. */
export const commands: Command[] = [seedCommand, cronCommand, apiKeyCommand, trafficCommand];

import { commands } from "./commands";
import { UsageError, type CliIo } from "./commands/types";

export function usageText(): string {
  const lines = ["Usage: npm run meterline -- <command> [options]", "", "Commands:"];
  for (const c of commands) {
    lines.push(`  ${c.usage[0]}`);
    for (const u of c.usage.slice(1)) lines.push(`  ${u}`);
    lines.push(`      ${c.summary}`);
  }
  return lines.join("\n");
}

/** Runs one CLI invocation; returns the exit code (2 = usage error). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out(usageText());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".`);
    io.err(usageText());
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`${command.name}: ${(err as Error).message}`);
      io.err(`Usage:\n${command.usage.map((u) => `  npm run meterline -- ${u}`).join("\n")}`);
      return 2;
    }
    throw err;
  }
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface Command {
  name: string;
  /** One line per form, e.g. "seed [--reset] [--catalog <code>]". */
  usage: string[];
  summary: string;
  /** Returns the process exit code. Throw UsageError for bad flags (exit 2 with usage). */
  run(args: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}

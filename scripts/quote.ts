/** `npm run quote -- …` — see scripts/quote-lib.ts for flags and exit codes. */
import { runQuote } from "./quote-lib";

const result = runQuote(process.argv.slice(2));
if (result.stdout) process.stdout.write(result.stdout);
if (result.stderr) process.stderr.write(result.stderr);
process.exitCode = result.code;

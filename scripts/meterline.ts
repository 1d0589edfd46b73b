import { runCli } from "./cli";

const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };

runCli(process.argv.slice(2), io)
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });

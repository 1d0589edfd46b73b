/** `npm run bench -- <name>`: runs bench/<name>.ts (each benchmark exports `run(args)`). */
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  ingest: () => import("./ingest"),
  "profile-ingest": () => import("./profile-ingest"),
  invoicing: () => import("./invoicing"),
  pages: () => import("./pages"),
};

const [benchName, ...args] = process.argv.slice(2);
const load = benchName ? benches[benchName] : undefined;
if (!load) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]`);
  process.exit(2);
}
load()
  .then((m) => m.run(args))
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });

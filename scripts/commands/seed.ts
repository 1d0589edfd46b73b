import { parseArgs } from "node:util";
import { env } from "@/lib/env";
import { catalogCodes } from "@/catalogs";
import { isEmpty, resetDatabase, seedDemo } from "@/db/seed/demo";
import { DEMO_PASSWORD } from "@/db/seed/demo-profiles";
import { openCliDb } from "../db";
import { UsageError, type Command } from "./types";

export const seedCommand: Command = {
  name: "seed",
  usage: ["seed [--reset] [--catalog <code>] [--force]"],
  summary: "Loads the catalog and the demo tenants, users and usage (--reset drops everything first).",
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { reset: { type: "boolean" }, catalog: { type: "string" }, force: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    });
    const catalog = values.catalog ?? env().CATALOG;
    if (!catalogCodes.includes(catalog)) throw new UsageError(`unknown catalog "${catalog}" (known: ${catalogCodes.join(", ")})`);
    if (env().NODE_ENV === "production" && !values.force) {
      io.err("seed: refusing to write demo users with published passwords into a production database (use --force).");
      return 1;
    }
    const handle = await openCliDb();
    try {
      if (values.reset) await resetDatabase(handle.db);
      else if (!(await isEmpty(handle.db))) {
        io.err("seed: the database already has tenants; use --reset to rebuild it.");
        return 1;
      }
      const summary = await seedDemo(handle.db, { catalog });
      io.out(`Seeded ${summary.catalog} into ${handle.kind}:`);
      for (const t of summary.tenants) io.out(`  ${t.slug.padEnd(32)} ${t.plan.padEnd(12)} ${t.events} events, ${t.snapshots} snapshots`);
      io.out(`Users (password "${DEMO_PASSWORD}"): ${summary.users.join(", ")}`);
      return 0;
    } finally {
      await handle.close();
    }
  },
};

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and must be loaded by Node, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with a real 403.
  experimental: { authInterrupts: true },
  // Migrations and catalogs are read from disk at start-up.
  outputFileTracingIncludes: { "/**": ["./drizzle/**/*", "./catalogs/**/*"] },
};

export default nextConfig;

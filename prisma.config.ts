// Prisma CLI configuration. The service itself never runs the Prisma CLI: it applies
// prisma/migrations in-process (src/db/migrator.ts). This file keeps `prisma generate`
// and, where the schema engine exists, `prisma migrate deploy` working.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env["DATABASE_URL"] ?? "postgresql://postgres:postgres@127.0.0.1:5432/postgres" },
});

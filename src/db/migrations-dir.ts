// Locates prisma/migrations relative to the package (the same from src/ and dist/).
import { fileURLToPath } from "node:url";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

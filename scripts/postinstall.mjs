#!/usr/bin/env node
// After `npm install`: generate the Prisma client so the TypeScript sources compile.
import "./prisma-generate.mjs";

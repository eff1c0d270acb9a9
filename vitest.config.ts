import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CLI tests spawn node + tsx and derive whole catalogs: a loaded machine takes minutes where an idle one takes seconds.
    testTimeout: 90_000,
    // Two cores here: keep one worker per core.
    maxWorkers: 2,
  },
});

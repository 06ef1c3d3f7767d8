import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: [
            "test/**/*.test.ts",
            "components/**/*.test.ts",
            "program/**/*.test.ts",
            "functions/**/*.test.ts",
            "scripts/**/*.test.ts",
            "policy/**/*.test.ts",
        ],
        testTimeout: 30_000,
        hookTimeout: 30_000,
    },
});

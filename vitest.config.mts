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
        // Vitest's default on a 2-core machine is one worker; most of the suite waits on sockets and
        // timers, so four workers share the two cores. Each worker keeps its modules from file to file
        // (isolate: false): @pulumi/aws and the program load once per worker, not once per file;
        // testing/isolation.ts puts back what a file changes of the process.
        maxWorkers: 4,
        isolate: false,
        // Every worker runs the program, which bundles both functions: built once per suite run in
        // globalSetup and kept by source hash (program/functions/bundle.ts); the workers inherit the
        // folder's name (ALIGO_SMS_BUNDLE_CACHE) from globalSetup's environment.
        globalSetup: ["testing/global-setup.ts"],
        // Pulumi's own stack traces, unmapped (testing/cheap-stacks.ts): half the CPU of a mocked run.
        setupFiles: ["testing/cheap-stacks.ts", "testing/isolation.ts"],
        testTimeout: 30_000,
        hookTimeout: 30_000,
    },
});

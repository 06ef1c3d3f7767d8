// npm run e2e: the program under the real Pulumi engine, its Node.js host and an AWS provider built
// from Go modules, against moto (an AWS emulator) on 127.0.0.1. One line per step (PASS/FAIL,
// seconds, what it checked), then `e2e: N passed, M failed`; exit 1 on any failure. What it builds
// and installs stays in the cache (.e2e-cache, or E2E_CACHE); what it deploys lives in a temporary
// folder and the emulator, both gone at the end. See e2e/README.md.
import { rmSync } from "node:fs";
import { emulator } from "./lib/aws";
import { buildAll } from "./lib/build";
import { progress, step, type StepResult } from "./lib/log";
import { installMoto, startMoto, type Moto } from "./lib/moto";
import { createWorkspace, installPackages } from "./lib/workspace";
import * as steps from "./steps";

async function main(): Promise<number> {
    const results: StepResult[] = [];
    const started = Date.now();
    const built = await buildAll();
    const motoSeconds = await installMoto();
    const cold = Object.values(built).reduce((a, b) => a + b, motoSeconds);
    progress(
        `binaries ready (${Object.entries(built)
            .map(([k, v]) => `${k} ${v} s`)
            .join(", ")}; moto ${motoSeconds} s)`,
    );
    let moto: Moto | undefined;
    let root: string | undefined;
    try {
        moto = await startMoto();
        const ws = createWorkspace(moto.endpoint);
        root = ws.root;
        await installPackages(ws);
        const e = emulator(moto.endpoint);
        const main: steps.MainRun = { firstEgressIps: [] };
        await step(results, "1 preview with the policy pack", () => steps.previewWithPolicies(ws, e, main));
        await step(results, "2 up (nat instance)", () => steps.upInstance(e, main));
        await step(results, "3 up --expect-no-changes", () => steps.noChanges(main));
        await step(results, "4 nat gateway", () => steps.switchToGateway(e, main));
        await step(results, "5 nat none", () => steps.switchToNone(e, main));
        await step(results, "6 nat instance again", () => steps.backToInstance(e, main));
        await step(results, "7 destroy", () => steps.destroy(e, main));
        await step(results, "8 the component package from YAML", () => steps.otherLanguage(ws, e));
        await step(results, "9 natPerAz, gateways", () => steps.perZone(ws, e, "gateway"));
        await step(results, "10 natPerAz, instances", () => steps.perZone(ws, e, "instance"));
    } finally {
        await moto?.stop();
        if (root && !process.env.E2E_KEEP) rmSync(root, { recursive: true, force: true });
    }
    const failed = results.filter((r) => !r.ok).length;
    progress(`${Math.round((Date.now() - started) / 1000)} s in all, of which ${cold} s building and installing`);
    process.stdout.write(`e2e: ${results.length - failed} passed, ${failed} failed\n`);
    return failed === 0 && results.length > 0 ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.stdout.write("e2e: 0 passed, 1 failed\n");
        process.exit(1);
    },
);

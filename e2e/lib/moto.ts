// The AWS emulator: moto server at a pinned version in a virtual environment of the cache, started
// on 127.0.0.1 on a free port with this repository's extensions (e2e/moto/server.py), and stopped
// at the end whatever happened.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { run } from "./exec";
import { progress } from "./log";
import { E2E_DIR, MOTO_VENV } from "./paths";

const REQUIREMENTS = join(E2E_DIR, "moto", "requirements.txt");
const PYTHON = join(MOTO_VENV, "bin", "python");

/** Creates the virtual environment and installs the pinned moto, unless the cache has it for these requirements. */
export async function installMoto(): Promise<number> {
    const stampFile = join(MOTO_VENV, "requirements.sha256");
    const stamp = createHash("sha256").update(readFileSync(REQUIREMENTS)).digest("hex");
    if (existsSync(PYTHON) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return 0;
    const started = Date.now();
    progress("installing moto into the cache's virtual environment");
    await run("python3", ["-m", "venv", "--clear", MOTO_VENV], { stream: true });
    await run(PYTHON, ["-m", "pip", "install", "--disable-pip-version-check", "-r", REQUIREMENTS], { stream: true });
    writeFileSync(stampFile, stamp);
    return Math.round((Date.now() - started) / 1000);
}

/** A port nobody listens on now, on 127.0.0.1. */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() =>
                typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
            );
        });
    });
}

export interface Moto {
    endpoint: string;
    stop(): Promise<void>;
}

/** Starts moto server and waits until it answers; `stop` ends it (and is safe to call twice). */
export async function startMoto(): Promise<Moto> {
    const port = await freePort();
    const child: ChildProcess = spawn(
        PYTHON,
        [join(E2E_DIR, "moto", "server.py"), "-H", "127.0.0.1", "-p", String(port)],
        {
            stdio: ["ignore", "ignore", "pipe"],
            detached: true,
            // AWS's managed policies (AWSLambdaBasicExecutionRole, …), which the functions' roles attach,
            // exist in moto only when asked for (moto settings.py load_iam_aws_managed_policies, 5.2.6).
            env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
        },
    );
    let output = "";
    child.stderr?.on("data", (b: Buffer) => (output = (output + b.toString("utf8")).slice(-4000)));
    const endpoint = `http://127.0.0.1:${port}`;
    const stop = async () => {
        if (child.exitCode !== null || child.pid === undefined) return;
        process.kill(-child.pid, "SIGTERM");
        await new Promise((r) => child.once("exit", r));
    };
    for (let i = 0; i < 100; i++) {
        if (child.exitCode !== null) throw new Error(`moto server exited at once: ${output}`);
        try {
            const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
            if (res.ok) return { endpoint, stop };
        } catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200));
    }
    await stop();
    throw new Error(`moto server did not answer on ${endpoint} within 20 s: ${output}`);
}

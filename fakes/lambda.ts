// A fake Lambda Invoke endpoint on 127.0.0.1 (POST /2015-03-31/functions/<name>/invocations),
// the one the AWS SDK reaches through AWS_ENDPOINT_URL_LAMBDA. It checks each request's SigV4
// signature against the test credentials, and runs the *bundled* function code (the exact bytes
// Pulumi would upload) in worker threads that behave like Lambda containers: a container serves
// one invocation at a time, a busy pool grows by a cold container, idle ones are reused.
import { mkdtempSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { FakeEndpoint } from "./endpoint";
import { TEST_REGION, signatureValid } from "./sigv4";

export { TEST_CREDENTIALS, TEST_REGION } from "./sigv4";

// Tests that use this fake make AWS SDK clients, and under Node < 22 the SDK prints a nine-line
// notice about its future Node support on the first one, into the test output. Switched off with
// the SDK's own switch (@aws-sdk/core emitWarningIfUnsupportedVersion, read 2026-12-02), as the
// scripts do; nothing else is silenced.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export interface Invocation {
    functionName: string;
    signatureValid: boolean;
    payload: unknown;
    containerId: number;
    cold: boolean;
}

interface Container {
    id: number;
    worker: Worker;
    busy: boolean;
}

export interface FakeFunction {
    /** ESM source of the bundled handler (`index.mjs`). */
    code: string;
    env: Record<string, string>;
    /** Like the Lambda timeout: a container that has not answered by then is killed. Default 15 s. */
    timeoutMs?: number;
    /** What GetFunctionConfiguration answers (e.g. VpcConfig). */
    configuration?: Record<string, unknown>;
    /** Make every invoke fail as Lambda's service does, e.g. EC2AccessDeniedException. */
    invokeError?: { status: number; type: string; message: string };
    /** Misbehave on invoke: never answer, throttle (429), or reset the connection. */
    fault?: "hang" | "throttle" | "reset";
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const ready = import(workerData.file);
parentPort.on("message", async ({ id, event }) => {
  const started = Date.now();
  const context = { awsRequestId: "fake-" + id, getRemainingTimeInMillis: () => workerData.timeoutMs - (Date.now() - started) };
  try {
    const mod = await ready;
    const result = await mod.handler(event, context);
    parentPort.postMessage({ id, result });
  } catch (e) {
    parentPort.postMessage({ id, error: { errorType: e && e.name || "Error", errorMessage: String(e && e.message || e) } });
  }
});
`;

export class FakeLambda extends FakeEndpoint {
    readonly invocations: Invocation[] = [];
    /** Every Invoke request that arrived, by function name, whatever became of it (a reset, a refusal): to count retries. */
    readonly requests: string[] = [];
    /** What the functions wrote to stdout (their log lines), as CloudWatch would keep it. */
    logs = "";
    private readonly functions = new Map<string, FakeFunction & { file: string; pool: Container[] }>();
    private nextId = 1;
    private readonly dir = mkdtempSync(join(tmpdir(), "fake-lambda-"));

    deploy(name: string, fn: FakeFunction): void {
        const file = join(this.dir, `${name}-${this.nextId++}.mjs`);
        writeFileSync(file, fn.code);
        this.functions.set(name, { ...fn, file, pool: [] });
    }

    override async stop(): Promise<void> {
        for (const f of this.functions.values()) await Promise.all(f.pool.map((c) => c.worker.terminate()));
        await super.stop();
    }

    protected async handle(req: IncomingMessage, res: ServerResponse) {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        const path = new URL(req.url ?? "/", "http://x").pathname;
        const m = /^\/2015-03-31\/functions\/([^/]+)\/(invocations|configuration)$/.exec(path);
        if (
            !m ||
            (m[2] === "invocations" && req.method !== "POST") ||
            (m[2] === "configuration" && req.method !== "GET")
        ) {
            return this.error(res, 404, "UnknownOperationException", `no such operation ${req.method} ${req.url}`);
        }
        const functionName = decodeURIComponent(m[1]);
        if (m[2] === "invocations") this.requests.push(functionName);
        const valid = await signatureValid(req, body, "lambda");
        if (!valid)
            return this.error(
                res,
                403,
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided.",
            );
        const fn = this.functions.get(functionName);
        if (!fn)
            return this.error(
                res,
                404,
                "ResourceNotFoundException",
                `Function not found: arn:aws:lambda:${TEST_REGION}:123456789012:function:${functionName}`,
            );
        if (m[2] === "configuration") {
            res.writeHead(200, { "content-type": "application/json" }).end(
                JSON.stringify({ FunctionName: functionName, ...fn.configuration }),
            );
            return;
        }
        if (fn.invokeError) return this.error(res, fn.invokeError.status, fn.invokeError.type, fn.invokeError.message);
        if (fn.fault === "hang") {
            this.invocations.push({ functionName, signatureValid: valid, payload: null, containerId: 0, cold: false });
            return;
        }
        if (fn.fault === "throttle") return this.error(res, 429, "TooManyRequestsException", "Rate Exceeded.");
        if (fn.fault === "reset") {
            req.socket.resetAndDestroy();
            return;
        }

        const payload: unknown = body.length ? JSON.parse(body.toString("utf8")) : {};
        let container = fn.pool.find((c) => !c.busy);
        const cold = !container;
        if (!container) {
            container = {
                id: fn.pool.length + 1,
                busy: false,
                worker: new Worker(WORKER_SOURCE, {
                    eval: true,
                    workerData: { file: pathToFileURL(fn.file).href, timeoutMs: fn.timeoutMs ?? 15_000 },
                    env: { ...fn.env },
                    stdout: true,
                }),
            };
            container.worker.stdout.on("data", (d: Buffer) => (this.logs += d.toString()));
            fn.pool.push(container);
        }
        container.busy = true;
        this.invocations.push({ functionName, signatureValid: valid, payload, containerId: container.id, cold });
        const id = this.nextId++;
        const timeoutMs = fn.timeoutMs ?? 15_000;
        const answer = await new Promise<{ result?: unknown; error?: unknown; timedOut?: boolean }>((resolve) => {
            const timer = setTimeout(() => {
                // As Lambda does: the invocation fails and the container is thrown away.
                container.worker.off("message", onMessage);
                void container.worker.terminate();
                fn.pool.splice(fn.pool.indexOf(container), 1);
                resolve({
                    timedOut: true,
                    error: {
                        errorType: "Sandbox.Timedout",
                        errorMessage: `RequestId: fake-${id} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
                    },
                });
            }, timeoutMs);
            const onMessage = (msg: { id: number; result?: unknown; error?: unknown }) => {
                if (msg.id !== id) return;
                clearTimeout(timer);
                container.worker.off("message", onMessage);
                resolve(msg);
            };
            container.worker.on("message", onMessage);
            container.worker.postMessage({ id, event: payload });
        });
        container.busy = false;
        const headers: Record<string, string> = {
            "content-type": "application/json",
            "x-amz-executed-version": "$LATEST",
        };
        if (answer.error) headers["x-amz-function-error"] = "Unhandled";
        res.writeHead(200, headers).end(JSON.stringify(answer.error ?? answer.result ?? null));
    }

    private error(res: ServerResponse, status: number, type: string, message: string) {
        res.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": type }).end(
            JSON.stringify({ Type: "User", message }),
        );
    }
}

// A misbehaving upstream on raw TCP sockets (127.0.0.1), for fault injection: it reads HTTP/1.1
// requests itself and answers, or fails to, byte by byte as a broken server or network would. It
// counts the requests it received whole, per path, so a test can tell "sent once" from "never sent".
// Also: a listener whose accept queue is full, where a connect never completes (dropped SYNs).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";

export type Fault =
    /** A proper Aligo-like JSON answer. */
    | "ok"
    /** Read the request, never answer. */
    | "stall-headers"
    /** Answer the headers late (after `lateMs`), then send part of the body and stall. */
    | "late-headers-stall-body"
    /** Headers at once, then the body one byte every `trickleMs`, never-ending in practice. */
    | "trickle-body"
    /** Reset the connection as soon as it is accepted, before reading anything. */
    | "reset-before-read"
    /** Read the whole request, then reset the connection. */
    | "reset-after-read"
    /** 200 with an HTML page. */
    | "html"
    /** 200 JSON whose result_code is the `code` option (or absent when undefined). */
    | "code"
    /** 200 application/json with the `body` option as it is (e.g. `[1]`, `"text"`). */
    | "body"
    /** 200 with a body of `hugeBytes`, with a content-length. */
    | "huge-declared"
    /** 200 with a chunked body of `hugeBytes`, no length declared. */
    | "huge-chunked"
    /** 302 to elsewhere. */
    | "redirect"
    /** 429 Too Many Requests. */
    | "throttle";

export interface FaultOptions {
    lateMs?: number;
    trickleMs?: number;
    hugeBytes?: number;
    /** For "code": the result_code value to answer (JSON), or "absent". */
    code?: unknown;
    /** For "code": the message to answer with (default "success"). */
    message?: string;
    /** For "code": more fields of the answer, over the usual ones (e.g. `ok`, `error`). */
    extra?: Record<string, unknown>;
    /** For "body": the body to answer. */
    body?: string;
    /** For "body": its content-type (default application/json). */
    contentType?: string;
}

export interface RawRequest {
    method: string;
    path: string;
    body: string;
}

export class RawUpstream {
    readonly received: RawRequest[] = [];
    fault: Fault = "ok";
    options: FaultOptions = {};
    /** Connections accepted. */
    connections = 0;
    baseUrl = "";
    private server?: Server;
    private readonly sockets = new Set<Socket>();
    private readonly timers = new Set<NodeJS.Timeout>();

    /** Listens on 127.0.0.1, on `port` when given (e.g. one where a refused connect was just tried). */
    async start(port = 0): Promise<string> {
        this.server = createServer((socket) => this.accept(socket));
        await new Promise<void>((r) => this.server!.listen(port, "127.0.0.1", r));
        this.baseUrl = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
        return this.baseUrl;
    }

    async stop(): Promise<void> {
        this.reset();
        await new Promise<void>((r) => this.server?.close(() => r()));
    }

    /** Forget everything and drop every open connection. */
    reset(): void {
        for (const t of this.timers) clearInterval(t);
        this.timers.clear();
        for (const s of this.sockets) s.destroy();
        this.sockets.clear();
        this.received.length = 0;
        this.connections = 0;
        this.fault = "ok";
        this.options = {};
    }

    /** Requests received whole for a path. */
    count(path: string): number {
        return this.received.filter((r) => r.path === path).length;
    }

    private accept(socket: Socket) {
        this.connections++;
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => undefined);
        if (this.fault === "reset-before-read") {
            socket.resetAndDestroy();
            return;
        }
        let buffered = Buffer.alloc(0);
        socket.on("data", (chunk: Buffer) => {
            buffered = Buffer.concat([buffered, chunk]);
            for (;;) {
                const end = buffered.indexOf("\r\n\r\n");
                if (end < 0) return;
                const head = buffered.subarray(0, end).toString("latin1");
                const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
                if (buffered.length < end + 4 + length) return;
                const [method, target] = head.split("\r\n")[0].split(" ");
                const body = buffered.subarray(end + 4, end + 4 + length).toString("utf8");
                buffered = buffered.subarray(end + 4 + length);
                const req = { method, path: new URL(target, "http://x").pathname, body };
                this.received.push(req);
                this.answer(socket);
            }
        });
    }

    private answer(socket: Socket) {
        const o = this.options;
        const send = (status: string, headers: Record<string, string>, body: string | Buffer) => {
            const b = typeof body === "string" ? Buffer.from(body) : body;
            const head = [
                `HTTP/1.1 ${status}`,
                ...Object.entries({ "content-length": String(b.length), ...headers }).map(([k, v]) => `${k}: ${v}`),
                "",
                "",
            ].join("\r\n");
            socket.write(Buffer.concat([Buffer.from(head), b]));
        };
        const json = (v: unknown) => send("200 OK", { "content-type": "application/json" }, JSON.stringify(v));
        switch (this.fault) {
            case "ok":
                return json({
                    result_code: "1",
                    message: "success",
                    msg_id: "583009869",
                    success_cnt: 1,
                    error_cnt: 0,
                    msg_type: "SMS",
                    SMS_CNT: 5936,
                    LMS_CNT: 2045,
                    MMS_CNT: 908,
                });
            case "stall-headers":
                return;
            case "late-headers-stall-body": {
                const t = setTimeout(
                    () =>
                        socket.write(
                            'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"result_code":',
                        ),
                    o.lateMs ?? 1_000,
                );
                this.timers.add(t);
                return;
            }
            case "trickle-body": {
                socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n");
                const t = setInterval(() => socket.write(" "), o.trickleMs ?? 50);
                this.timers.add(t);
                return;
            }
            case "reset-after-read":
                socket.resetAndDestroy();
                return;
            case "html":
                return send("200 OK", { "content-type": "text/html" }, "<html><body>점검 중입니다</body></html>");
            case "code": {
                const body: Record<string, unknown> = {
                    message: o.message ?? "success",
                    msg_id: "583009869",
                    success_cnt: 1,
                    error_cnt: 0,
                    ...o.extra,
                };
                if (o.code !== "absent") body.result_code = o.code;
                return json(body);
            }
            case "body":
                return send("200 OK", { "content-type": o.contentType ?? "application/json" }, o.body ?? "");
            case "huge-declared": {
                const size = o.hugeBytes ?? 10 * 1024 * 1024;
                socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`);
                socket.write(Buffer.alloc(Math.min(size, 64 * 1024), 0x20));
                return;
            }
            case "huge-chunked": {
                socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
                const chunk = Buffer.alloc(64 * 1024, 0x20);
                let left = o.hugeBytes ?? 10 * 1024 * 1024;
                const pump = () => {
                    while (left > 0 && !socket.destroyed) {
                        left -= chunk.length;
                        if (
                            !socket.write(`${chunk.length.toString(16)}\r\n`) ||
                            !socket.write(Buffer.concat([chunk, Buffer.from("\r\n")]))
                        ) {
                            socket.once("drain", pump);
                            return;
                        }
                    }
                    if (!socket.destroyed) socket.write("0\r\n\r\n");
                };
                pump();
                return;
            }
            case "redirect":
                return send("302 Found", { location: "https://example.invalid/" }, "");
            case "throttle":
                return send("429 Too Many Requests", { "content-type": "text/plain" }, "slow down");
        }
    }
}

/**
 * A listener whose accept queue is full: a connect to it never completes (the kernel drops the
 * SYNs), like an address behind a firewall that drops packets. It runs in a child process whose
 * event loop is blocked (a synchronous read of its stdin), so nothing is accepted; two connections
 * fill its queue (backlog 1). `finish()` unblocks it: it then accepts whatever the kernel queued,
 * reads for a moment and reports how many /send/ requests arrived, which tells a connect that was
 * really dropped (none) from one that got through and wrote its request.
 *
 * The child writes its port and blocks in the same turn of its event loop (both synchronous), so by
 * the time the port arrives it can accept nothing more: no wait is needed before filling the queue.
 */
const BLACK_HOLE_SOURCE = `
const net = require("node:net");
const fs = require("node:fs");
const data = [];
let accepted = 0;
const s = net.createServer((c) => { accepted++; c.on("data", (d) => data.push(String(d))); c.on("error", () => {}); });
s.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  fs.writeSync(1, s.address().port + "\\n");
  fs.readSync(0, Buffer.alloc(1));
  setTimeout(() => {
    const sends = (data.join("").match(/^POST \\/send\\/ HTTP/gm) || []).length;
    process.stdout.write(JSON.stringify({ accepted, sends }) + "\\n", () => process.exit(0));
  }, 300);
});
`;

export class BlackHole {
    port = 0;
    private child?: ChildProcess;
    private readonly fillers: Socket[] = [];

    async start(): Promise<string> {
        this.child = spawn(process.execPath, ["-e", BLACK_HOLE_SOURCE], { stdio: ["pipe", "pipe", "inherit"] });
        this.port = await new Promise<number>((r) =>
            this.child!.stdout!.once("data", (d) => r(Number(String(d).trim()))),
        );
        for (let i = 0; i < 2; i++) {
            await new Promise<void>((resolve, reject) => {
                const s = netConnect(this.port, "127.0.0.1", () => resolve());
                s.on("error", reject);
                this.fillers.push(s);
            });
        }
        return `http://127.0.0.1:${this.port}`;
    }

    /** Lets the listener accept what was queued; resolves how many connections it took and how many /send/ requests came. */
    async finish(): Promise<{ accepted: number; sends: number }> {
        const child = this.child!;
        const report = new Promise<{ accepted: number; sends: number }>((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (d) => {
                out += String(d);
                if (out.includes("\n"))
                    resolve(JSON.parse(out.trim().split("\n")[0]) as { accepted: number; sends: number });
            });
            child.once("exit", () => reject(new Error(`the black hole exited without a report: ${out}`)));
        });
        child.stdin!.end("go\n");
        try {
            return await report;
        } finally {
            this.stop();
        }
    }

    stop(): void {
        for (const s of this.fillers) s.destroy();
        if (this.child && this.child.exitCode === null) this.child.kill("SIGKILL");
    }
}

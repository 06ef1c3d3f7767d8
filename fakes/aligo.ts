// A fake Aligo API on 127.0.0.1: real HTTP, Aligo's paths and answers (including their
// inconsistent types and \uXXXX-escaped Korean), and switchable failure modes. It also serves
// GET /ip as the IP echo service. Accepts urlencoded and multipart bodies, and absolute-form
// request targets (what an HTTP client sends through a proxy), so Aligo's own npm module can be
// pointed at it too.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Mode =
    | "ok"
    /** -101 인증오류입니다.-IP: the caller's address is not whitelisted. */
    | "ip-refused"
    /** The same refusal as Aligo also writes it: the code as a string, "ip" in lower case. */
    | "ip-refused-string-code"
    /** The same refusal with "IP" only after a long message (past what a log line quotes). */
    | "ip-refused-long"
    /** HTTP 500 with an HTML page. */
    | "html-500"
    /** HTTP 200 whose body is not JSON. */
    | "not-json"
    /** Read the request, then destroy the connection without answering. */
    | "drop"
    /** Drop only the first request of this path, then answer normally. */
    | "drop-once"
    /** Read the request and never answer. */
    | "hang"
    /** A refusal whose message quotes the receiver (as an upstream might): it must not reach a log in the clear. */
    | "refusal-quoting-receiver"
    /** HTTP 200, not JSON, quoting the receiver. */
    | "not-json-quoting-receiver"
    /** A refusal quoting the receiver in full-width digits with full-width hyphens (０１０－９８７６－５４３２). */
    | "refusal-quoting-receiver-fullwidth"
    /** A success whose answer also carries `ok: false` and an `error` (keys of the functions' own result shape). */
    | "reserved-keys"
    /** HTTP 503 with an HTML page, every time. */
    | "http-503"
    /** HTTP 503 the first time a path is asked, then answers normally (a blip the next try passes). */
    | "http-503-once"
    /** HTTP 503 after `slowMs` (700 ms by default), every time. */
    | "http-503-slow"
    /** A success with success_cnt 0 and error_cnt = the number of receivers: Aligo took it and reached nobody. */
    | "none-sent"
    /** A success with error_cnt 1 and the other receivers in success_cnt: all but one reached. */
    | "partly-sent"
    // Upstreams that quote our own request back (a proxy's error page, a misconfigured endpoint):
    // key=…&user_id=… in the clear. None of it may reach an answer or a log line.
    /** In a refusal's message: `{ result_code: -900, message: "invalid request: key=…" }`. */
    | "reflect-refusal"
    /** As a 200 text page; the request starts 34 characters into the quote, across its 40-character cut. */
    | "reflect-page"
    /** In a success's data, as it is (a field `request`). */
    | "reflect-success"
    /** In a success's data, every character \u-escaped (the key's letters never appear as they are). */
    | "reflect-success-escaped"
    /** As the result_code itself. */
    | "reflect-code"
    /** As JSON that is not an object: `["key=…"]`. */
    | "reflect-not-object"
    /** In the content-type header of an HTTP 502. */
    | "reflect-header"
    /** In a refusal's message, percent-encoded once more and upper-cased (`KEY%3DK3Y0F…`). */
    | "reflect-encoded";

export interface ReceivedRequest {
    path: string;
    method: string;
    contentType: string;
    params: Record<string, string>;
}

export const FAKE_KEY = "k3y0f32charactersxxxxxxxxxxxxxxxx";
export const FAKE_USER = "testuser";
export const FAKE_EGRESS_IP = "203.0.113.77";

/** JSON the way Aligo sends it: non-ASCII as \uXXXX escapes. */
function aligoJson(v: unknown): string {
    return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export class FakeAligo {
    readonly requests: ReceivedRequest[] = [];
    /** Failure mode per path (e.g. "/send/"), or for every path under "*". */
    modes: Record<string, Mode> = {};
    private server?: Server;
    private sockets = new Set<Socket>();
    private dropped = new Set<string>();
    private failedOnce = new Set<string>();
    private readonly timers = new Set<NodeJS.Timeout>();
    /** How long "http-503-slow" waits before answering. */
    slowMs = 700;
    baseUrl = "";

    async start(): Promise<string> {
        this.server = createServer((req, res) => void this.handle(req, res));
        this.server.on("connection", (s) => {
            this.sockets.add(s);
            s.on("close", () => this.sockets.delete(s));
        });
        await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
        this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this.baseUrl;
    }

    async stop(): Promise<void> {
        for (const t of this.timers) clearTimeout(t);
        for (const s of this.sockets) s.destroy();
        await new Promise<void>((r) => this.server?.close(() => r()));
    }

    reset(): void {
        this.requests.length = 0;
        this.modes = {};
        this.dropped.clear();
        this.failedOnce.clear();
        this.slowMs = 700;
        for (const t of this.timers) clearTimeout(t);
        this.timers.clear();
    }

    private async handle(req: IncomingMessage, res: ServerResponse) {
        const path = new URL(req.url ?? "/", "http://placeholder").pathname;
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        if (req.method === "GET" && path === "/ip") {
            if ((this.modes["/ip"] ?? this.modes["*"]) === "hang") return;
            res.writeHead(200, { "content-type": "text/plain" }).end(`${FAKE_EGRESS_IP}\n`);
            return;
        }
        const contentType = String(req.headers["content-type"] ?? "");
        const params = await parseForm(body, contentType);
        this.requests.push({ path, method: req.method ?? "", contentType, params });

        const mode = this.modes[path] ?? this.modes["*"] ?? "ok";
        if (this.misbehave(mode, path, body.toString("utf8"), params, res)) return;
        switch (mode) {
            case "drop":
                req.socket.destroy();
                return;
            case "drop-once":
                if (!this.dropped.has(path)) {
                    this.dropped.add(path);
                    req.socket.destroy();
                    return;
                }
                break;
            case "hang":
                return;
            case "html-500":
                res.writeHead(500, { "content-type": "text/html" }).end(
                    "<html><body><h1>500 Internal Server Error</h1></body></html>",
                );
                return;
            case "not-json":
                res.writeHead(200, { "content-type": "text/html" }).end("<html>점검 중입니다</html>");
                return;
            case "ip-refused":
                return this.json(res, { result_code: -101, message: "인증오류입니다.-IP" });
            case "ip-refused-string-code":
                return this.json(res, { result_code: "-101", message: "인증오류입니다.-ip" });
            case "ip-refused-long":
                return this.json(res, {
                    result_code: -101,
                    message: `인증오류입니다. ${"등록된 발송 정보를 확인하세요. ".repeat(30)}-IP`,
                });
            case "refusal-quoting-receiver":
                return this.json(res, {
                    result_code: -109,
                    message: `수신번호 ${params.receiver ?? ""} 를 확인하세요. ${"자세한 내용은 고객센터로 문의하세요. ".repeat(20)}`,
                });
            case "not-json-quoting-receiver":
                res.writeHead(200, { "content-type": "text/plain" }).end(`rejected ${params.receiver ?? ""}`);
                return;
            case "refusal-quoting-receiver-fullwidth": {
                const wide = (params.receiver ?? "")
                    .replace(/^(\d{3})(\d{4})(\d{4})$/, "$1-$2-$3")
                    .replace(/[0-9-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
                return this.json(res, { result_code: -109, message: `수신번호 ${wide} 를 확인하세요.` });
            }
            case "reserved-keys":
                if (params.key !== FAKE_KEY) break;
                return this.json(res, {
                    ...this.answer(path, params),
                    ok: false,
                    error: { code: "E", message: "not the functions' error" },
                });
            case "ok":
                break;
        }
        if (params.key === undefined || params.key === "")
            return this.json(res, { result_code: -101, message: "API 키가 입력되지 않았습니다." });
        if (params.key !== FAKE_KEY || params.user_id !== FAKE_USER)
            return this.json(res, { result_code: -101, message: "인증오류입니다." });
        this.json(res, this.answer(path, params));
    }

    /** The modes added for issue 19 (server errors, counts, reflections); true when it answered. */
    private misbehave(
        mode: Mode,
        path: string,
        raw: string,
        params: Record<string, string>,
        res: ServerResponse,
    ): boolean {
        const page503 = () =>
            res
                .writeHead(503, { "content-type": "text/html" })
                .end("<html><body>503 Service Unavailable</body></html>");
        switch (mode) {
            case "http-503":
                page503();
                return true;
            case "http-503-once":
                if (this.failedOnce.has(path)) return false;
                this.failedOnce.add(path);
                page503();
                return true;
            case "http-503-slow": {
                const t = setTimeout(() => {
                    this.timers.delete(t);
                    page503();
                }, this.slowMs);
                this.timers.add(t);
                return true;
            }
            case "none-sent":
            case "partly-sent": {
                const answer = this.answer(path, params);
                const count = Number(answer.success_cnt);
                const failed = mode === "none-sent" ? count : 1;
                this.json(res, { ...answer, success_cnt: count - failed, error_cnt: failed });
                return true;
            }
            default:
                return this.reflect(mode, path, raw, params, res);
        }
    }

    /** The reflecting modes: our own request (`raw`, the form as it came) quoted back. */
    private reflect(
        mode: Mode,
        path: string,
        raw: string,
        params: Record<string, string>,
        res: ServerResponse,
    ): boolean {
        switch (mode) {
            case "reflect-refusal":
                this.json(res, { result_code: -900, message: `invalid request: ${raw}` });
                return true;
            case "reflect-page":
                res.writeHead(200, { "content-type": "text/plain" }).end(`proxy: cannot forward request ${raw}`);
                return true;
            case "reflect-success":
                this.json(res, { ...this.answer(path, params), request: raw });
                return true;
            case "reflect-success-escaped": {
                const every = [...raw].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
                const answer = aligoJson(this.answer(path, params));
                res.writeHead(200, { "content-type": "application/json" }).end(
                    `${answer.slice(0, -1)},"request":"${every}"}`,
                );
                return true;
            }
            case "reflect-code":
                this.json(res, { result_code: raw, message: "success" });
                return true;
            case "reflect-not-object":
                this.json(res, [raw]);
                return true;
            case "reflect-header":
                res.writeHead(502, { "content-type": `text/plain; request=${raw}` }).end("bad gateway");
                return true;
            case "reflect-encoded":
                this.json(res, {
                    result_code: -900,
                    message: `invalid request ${encodeURIComponent(raw).toUpperCase()}`,
                });
                return true;
            default:
                return false;
        }
    }

    private answer(path: string, p: Record<string, string>): Record<string, unknown> {
        switch (path) {
            case "/send/": {
                const count = (p.receiver ?? "").split(",").filter(Boolean).length;
                // Live /send/ answers: string result_code and msg_id, number counts.
                return {
                    result_code: "1",
                    message: "success",
                    msg_id: "583009869",
                    success_cnt: count,
                    error_cnt: 0,
                    msg_type: p.msg_type ?? "SMS",
                };
            }
            case "/send_mass/":
                return {
                    result_code: "1",
                    message: "success",
                    msg_id: "583009870",
                    success_cnt: Number(p.cnt),
                    error_cnt: 0,
                    msg_type: p.msg_type,
                };
            case "/remain/":
                return { result_code: 1, message: "success", SMS_CNT: 5936, LMS_CNT: 2045, MMS_CNT: 908 };
            case "/list/":
                return {
                    result_code: 1,
                    message: "success",
                    list: [
                        {
                            mid: "583009869",
                            type: "SMS",
                            sender: "0212345678",
                            sms_count: "1",
                            reserve_state: "",
                            msg: "안녕하세요",
                            fail_count: "0",
                            reg_date: "2026-11-24 10:00:00",
                            reserve: "",
                        },
                    ],
                    next_yn: "N",
                };
            case "/sms_list/":
                return {
                    result_code: 1,
                    message: "success",
                    list: [
                        {
                            mdid: "1",
                            type: "SMS",
                            sender: "0212345678",
                            receiver: "01012345678",
                            sms_state: "발송완료",
                            reg_date: "2026-11-24 10:00:00",
                            send_date: "2026-11-24 10:00:01",
                            reserve_date: "",
                        },
                    ],
                    next_yn: "N",
                };
            case "/cancel/":
                return { result_code: 1, message: "success", cancel_date: "2026-11-24 10:05:00" };
            default:
                return { result_code: -999, message: `unknown path ${path}` };
        }
    }

    private json(res: ServerResponse, v: unknown) {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(aligoJson(v));
    }
}

async function parseForm(body: Buffer, contentType: string): Promise<Record<string, string>> {
    if (contentType.startsWith("application/x-www-form-urlencoded")) {
        return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
    }
    if (contentType.startsWith("multipart/form-data")) {
        const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
        const out: Record<string, string> = {};
        form.forEach((v, k) => {
            out[k] = typeof v === "string" ? v : "[file]";
        });
        return out;
    }
    return {};
}

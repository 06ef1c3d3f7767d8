// HTTP for the functions, on undici: one keep-alive agent per container, reused by every
// invocation; every request bounded by a deadline that ends inside the Lambda timeout; failures
// classified by whether the request could have reached the server.
import Agent from "undici/lib/dispatcher/agent.js";
import request from "undici/lib/api/api-request.js";

/** Time allowed to open a TCP + TLS connection. */
export const CONNECT_TIMEOUT_MS = 3_000;

/** How long an idle connection is kept for reuse. */
export const KEEP_ALIVE_MS = 4_000;

const newAgent = () =>
    new Agent({
        connect: { timeout: CONNECT_TIMEOUT_MS },
        // Close idle sockets before a typical server would, so a send rarely meets a socket the
        // other side already dropped (an ambiguous failure: a send is never retried once written).
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: 30_000,
    });

// Created once per container (at init), reused across invocations.
let agent = newAgent();
let lastSettled = 0;

/**
 * The agent to use now. Lambda freezes the process between invocations, so undici's keep-alive
 * timer cannot close idle sockets while it is frozen, and after a quiet spell the pool may hold a
 * socket the server closed long ago. A send written onto it fails ambiguously (it might have
 * arrived), so after an idle gap longer than the keep-alive the pool is replaced, unused.
 */
function currentAgent(now: number) {
    if (lastSettled !== 0 && now - lastSettled > KEEP_ALIVE_MS) {
        void agent.destroy().catch(() => undefined);
        agent = newAgent();
    }
    return agent;
}

export type HttpErrorCode = "TIMEOUT" | "CONNECTION_ERROR";

export class HttpError extends Error {
    constructor(
        readonly code: HttpErrorCode,
        message: string,
        /** False only when the request certainly never reached the server (it failed to connect). */
        readonly maybeDelivered: boolean,
        /** The underlying error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...). */
        readonly reason: string,
        readonly attempts: number,
    ) {
        super(message);
    }
}

export interface HttpResponse {
    status: number;
    contentType: string;
    body: string;
}

export interface HttpRequest {
    method: "GET" | "POST";
    url: URL;
    headers?: Record<string, string>;
    body?: string;
    /** Epoch ms by which the answer must be in; no attempt starts without 200 ms left. */
    deadline: number;
    /**
     * Whether repeating the request is harmless. Every request is retried when it failed to
     * connect (it never left); only idempotent ones also after the connection broke mid-way.
     */
    idempotent: boolean;
}

const MAX_ATTEMPTS = 3;
const MIN_ATTEMPT_MS = 200;
const CONNECT_PHASE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
const TIMEOUTS = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_ABORTED", "TimeoutError", "AbortError"]);

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
        const budget = req.deadline - Date.now();
        if (budget < MIN_ATTEMPT_MS) {
            throw new HttpError("TIMEOUT", `no time left for a request to ${req.url.host}`, attempt > 1, "DEADLINE", attempt - 1);
        }
        // undici starts the headers timer once connected, so keep the connect timeout out of the
        // budget (half of it when the budget is short). No AbortSignal per request: it cost more
        // per warm call than everything else the handler does.
        const wait = budget - Math.min(CONNECT_TIMEOUT_MS, budget / 2);
        try {
            const res = await request.call(currentAgent(Date.now()), {
                origin: req.url.origin,
                path: `${req.url.pathname}${req.url.search}`,
                method: req.method,
                headers: req.headers,
                body: req.body,
                headersTimeout: wait,
                bodyTimeout: wait,
            });
            const body = await res.body.text();
            lastSettled = Date.now();
            const ct = res.headers["content-type"];
            return { status: res.statusCode, contentType: Array.isArray(ct) ? ct[0] : (ct ?? ""), body };
        } catch (e) {
            lastSettled = Date.now();
            const err = classify(e, req.url, attempt);
            const retry = !err.maybeDelivered || (req.idempotent && err.code === "CONNECTION_ERROR");
            if (!retry || attempt >= MAX_ATTEMPTS) throw err;
            await new Promise((r) => setTimeout(r, 100 * attempt));
        }
    }
}

function classify(e: unknown, url: URL, attempt: number): HttpError {
    const err = e as { code?: unknown; name?: string; message?: string; cause?: { code?: unknown } };
    // Our own deadline aborts with a DOMException named TimeoutError (whose numeric `code` is 23).
    const code = err.name === "TimeoutError" || err.name === "AbortError"
        ? err.name
        : String(typeof err.code === "string" ? err.code : typeof err.cause?.code === "string" ? err.cause.code : err.name ?? "UNKNOWN");
    const connectPhase = CONNECT_PHASE.has(code);
    if (TIMEOUTS.has(code)) {
        const phase = code === "UND_ERR_CONNECT_TIMEOUT" ? "connecting to" : "waiting for";
        return new HttpError("TIMEOUT", `timed out ${phase} ${url.host} (${code})`, !connectPhase, code, attempt);
    }
    const what = connectPhase ? `could not connect to ${url.host}` : `the connection to ${url.host} broke`;
    return new HttpError("CONNECTION_ERROR", `${what} (${code}${err.message ? `: ${err.message}` : ""})`, !connectPhase, code, attempt);
}

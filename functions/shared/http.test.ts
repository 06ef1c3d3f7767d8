// The HTTP layer's connection reuse, against a real server on 127.0.0.1 that counts connections.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { httpRequest, KEEP_ALIVE_MS } from "./http";

let server: Server;
let connections = 0;
let url: URL;

beforeAll(async () => {
    server = createServer((_req, res) => res.end("ok"));
    server.on("connection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
});
afterEach(() => vi.useRealTimers());

const get = async () => {
    const res = await httpRequest({ method: "GET", url, deadline: Date.now() + 5_000, idempotent: true });
    // undici returns the socket to its pool a moment after the body ends, as between invocations.
    await new Promise((r) => setTimeout(r, 20));
    return res;
};

it("reuses the keep-alive connection between calls close together", async () => {
    const before = connections;
    await get();
    await get();
    expect(connections - before).toBe(1);
});

it("after an idle gap longer than the keep-alive (a frozen Lambda), never writes on the old socket", async () => {
    await get();
    const before = connections;
    // The clock moves on as if the container had been frozen; undici's own timers did not run.
    vi.setSystemTime(Date.now() + KEEP_ALIVE_MS + 60_000);
    const res = await get();
    expect(res.body).toBe("ok");
    expect(connections - before).toBe(1);
});

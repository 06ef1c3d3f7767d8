// What every fake AWS endpoint shares: an HTTP server on 127.0.0.1 at a free port (its URL is what a
// client's AWS_ENDPOINT_URL_<SERVICE> points at), and answers held back on purpose ("never answers")
// that stop() and reset() let go of.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export abstract class FakeEndpoint {
    /** The fake's URL once started, e.g. http://127.0.0.1:40123. */
    endpoint = "";
    protected server?: Server;
    /** Answers the fake holds back (a service that never answers). */
    protected readonly hung = new Set<ServerResponse>();

    protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

    async start(): Promise<string> {
        this.server = createServer((req, res) => void this.handle(req, res));
        await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
        this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this.endpoint;
    }

    async stop(): Promise<void> {
        this.releaseHung();
        this.server?.closeAllConnections();
        await new Promise<void>((r) => this.server?.close(() => r()));
    }

    /** Drops every held-back answer's connection. */
    protected releaseHung(): void {
        for (const res of this.hung) res.destroy();
        this.hung.clear();
    }
}

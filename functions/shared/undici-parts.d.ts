// Types for the two undici modules the functions import directly. Importing only the dispatcher
// and the request API (not the package index, which pulls in fetch, WebSocket, caches and mocks)
// keeps the SMS bundle near 290 KB instead of ~525 KB, and its cold start shorter.
declare module "undici/lib/dispatcher/agent.js" {
    import { Agent } from "undici";
    export = Agent;
}

declare module "undici/lib/api/api-request.js" {
    import type { Dispatcher } from "undici";
    function request(this: Dispatcher, opts: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
    export = request;
}

declare module "undici/lib/core/connect.js" {
    import { buildConnector } from "undici";
    export = buildConnector;
}

declare module "undici/lib/core/errors.js" {
    import { errors } from "undici";
    export const ConnectTimeoutError: typeof errors.ConnectTimeoutError;
}

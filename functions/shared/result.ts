// The functions' result shape: `{ ok: true, ... }` or `{ ok: false, error: { code, message, ... } }`.

export interface ErrorBody {
    /** Our own code (INVALID_INPUT, TIMEOUT, ...) or, for Aligo's refusals, Aligo's result_code. */
    code: string | number;
    message: string;
    [detail: string]: unknown;
}

export type Success = { ok: true } & Record<string, unknown>;
export type Failure = { ok: false; error: ErrorBody } & Record<string, unknown>;
export type Result = Success | Failure;

/** An error that already knows the result it becomes. */
export class ResultError extends Error {
    /**
     * @param refusal What Aligo refused, decided on its whole message (the body quotes only a
     *   prefix): "ip" (the caller's address), "key" (the key or user id). Not part of the result.
     * @param reached False when the request cannot have reached the server (no attempt connected).
     */
    constructor(
        readonly body: ErrorBody,
        readonly refusal?: "ip" | "key",
        readonly reached?: boolean,
    ) {
        super(body.message);
    }
}

export const fail = (error: ErrorBody): Failure => ({ ok: false, error });

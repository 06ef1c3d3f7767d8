// SigV4 checks for the fake AWS endpoints: recompute a request's signature from what arrived, with
// the test credentials, and compare. A client that signs for the wrong service, region or body fails.
import { SignatureV4 } from "@smithy/signature-v4";
import type { IncomingMessage } from "node:http";
import { Sha256 } from "../functions/shared/sha256";

export const TEST_CREDENTIALS = {
    accessKeyId: "AKIDTESTTESTTESTTEST",
    secretAccessKey: "test/secret/key/for/sigv4/checks/only",
};
export const TEST_REGION = "ap-northeast-2";
/** The session token that comes with role credentials (Lambda's always have one). */
export const TEST_SESSION_TOKEN = "IQoJb3JpZ2luX2VjEtest//session/token+for+sigv4+checks==";

/** Whether the request carries `token` as its security token, signed (in SignedHeaders), as AWS requires of temporary credentials. */
export function sessionTokenValid(req: IncomingMessage, token: string): boolean {
    const signed = /SignedHeaders=([^,]+)/.exec(String(req.headers.authorization ?? ""))?.[1].split(";") ?? [];
    return req.headers["x-amz-security-token"] === token && signed.includes("x-amz-security-token");
}

/** A key pair a fake accepts, with the session token that must come with it when it is temporary. */
export interface FakeCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

const verifiers = new Map<string, SignatureV4>();

/** Recomputes the SigV4 signature of `req` (with `body`) for `service` with the test credentials and compares it. */
export async function signatureValid(req: IncomingMessage, body: Buffer, service: string): Promise<boolean> {
    return (await signedBy(req, body, service, [TEST_CREDENTIALS])) !== undefined;
}

/**
 * Which of `accepted` signed `req` for `service` (the signature recomputed with its secret, its
 * session token present and signed when it has one); undefined when none did.
 */
export async function signedBy(
    req: IncomingMessage,
    body: Buffer,
    service: string,
    accepted: readonly FakeCredentials[],
): Promise<FakeCredentials | undefined> {
    const auth = String(req.headers.authorization ?? "");
    const m =
        /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
            auth,
        );
    const creds = m && accepted.find((c) => c.accessKeyId === m[1]);
    if (!m || !creds || m[3] !== TEST_REGION || m[4] !== service) return undefined;
    if (creds.sessionToken !== undefined && !sessionTokenValid(req, creds.sessionToken)) return undefined;
    const cacheKey = `${service} ${creds.accessKeyId} ${creds.secretAccessKey}`;
    let verifier = verifiers.get(cacheKey);
    if (!verifier) {
        verifier = new SignatureV4({
            credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
            region: TEST_REGION,
            service,
            sha256: Sha256,
        });
        verifiers.set(cacheKey, verifier);
    }
    const headers: Record<string, string> = {};
    for (const h of m[5].split(";")) headers[h] = String(req.headers[h] ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const amzDate = String(req.headers["x-amz-date"]);
    const signingDate = new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const again = await verifier.sign(
        {
            method: req.method ?? "POST",
            protocol: "http:",
            hostname: String(req.headers.host).split(":")[0],
            port: Number(url.port) || undefined,
            path: url.pathname,
            query,
            headers,
            body,
        },
        { signingDate },
    );
    return /Signature=([0-9a-f]{64})/.exec(String(again.headers.authorization))?.[1] === m[6] ? creds : undefined;
}

// A fake SSM Parameter Store on 127.0.0.1 (the AWS JSON 1.1 protocol: POST / with X-Amz-Target
// AmazonSSM.GetParameter), the one a client reaches through AWS_ENDPOINT_URL_SSM. Every request's
// SigV4 signature is recomputed with the test credentials; SecureString values come back decrypted
// only when WithDecryption is true, as SSM does.
import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeEndpoint } from "./endpoint";
import { sessionTokenValid, signatureValid, TEST_SESSION_TOKEN } from "./sigv4";

export { TEST_CREDENTIALS, TEST_REGION, TEST_SESSION_TOKEN } from "./sigv4";

export interface SsmRequest {
    target: string;
    body: Record<string, unknown>;
    signatureValid: boolean;
}

export class FakeSsm extends FakeEndpoint {
    readonly requests: SsmRequest[] = [];
    /** SecureString parameters by name. */
    readonly parameters = new Map<string, string>();
    /** Misbehave: refuse (AccessDeniedException), or never answer. */
    mode: "ok" | "deny" | "hang" = "ok";
    /** The session token every request must carry, signed, as SSM requires with role credentials (Lambda's); undefined: none needed. */
    sessionToken: string | undefined = TEST_SESSION_TOKEN;

    reset(): void {
        this.requests.length = 0;
        this.parameters.clear();
        this.mode = "ok";
        this.sessionToken = TEST_SESSION_TOKEN;
        this.releaseHung();
    }

    /** How many GetParameter calls arrived. */
    get reads(): number {
        return this.requests.filter((r) => r.target === "AmazonSSM.GetParameter").length;
    }

    protected async handle(req: IncomingMessage, res: ServerResponse) {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const raw = Buffer.concat(chunks);
        const valid = await signatureValid(req, raw, "ssm");
        const body = jsonObject(raw.toString("utf8"));
        const target = String(req.headers["x-amz-target"] ?? "");
        this.requests.push({ target, body, signatureValid: valid });
        if (!valid)
            return this.error(
                res,
                400,
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided.",
            );
        if (this.sessionToken !== undefined && !sessionTokenValid(req, this.sessionToken)) {
            return this.error(
                res,
                400,
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            );
        }
        if (req.headers["content-type"] !== "application/x-amz-json-1.1")
            return this.error(res, 400, "SerializationException", "wrong content type");
        if (target !== "AmazonSSM.GetParameter") return this.error(res, 400, "UnknownOperationException", target);
        if (this.mode === "hang") {
            this.hung.add(res);
            return;
        }
        // SSM takes a parameter name as a string; anything else names no parameter.
        const name = typeof body.Name === "string" ? body.Name : "";
        if (this.mode === "deny") {
            return this.error(
                res,
                400,
                "AccessDeniedException",
                `User: arn:aws:sts::123456789012:assumed-role/sms-role/fn is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:ap-northeast-2:123456789012:parameter${name}`,
            );
        }
        const value = this.parameters.get(name);
        if (value === undefined) return this.error(res, 400, "ParameterNotFound", "");
        const shown = body.WithDecryption === true ? value : `AQICAH${Buffer.from(value).toString("base64")}`;
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(
            JSON.stringify({
                Parameter: { Name: name, Type: "SecureString", Value: shown, Version: 1, DataType: "text" },
            }),
        );
    }

    private error(res: ServerResponse, status: number, type: string, message: string) {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(
            JSON.stringify({ __type: `com.amazonaws.ssm#${type}`, message }),
        );
    }
}

/** The request body as a JSON object; anything else (not JSON, a list, a string) as an empty one. */
function jsonObject(text: string): Record<string, unknown> {
    try {
        const v: unknown = JSON.parse(text);
        return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
        return {};
    }
}

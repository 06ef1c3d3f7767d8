// One signed call to an AWS JSON-protocol API (SSM's GetParameter) from inside a function, over the
// same undici client and the same deadline as every other request: the AWS SDK's own SigV4 signer
// (@smithy/signature-v4, about 15 KB in the bundle) instead of an SDK client. Credentials and
// region are the ones Lambda puts in the environment; the endpoint honours AWS_ENDPOINT_URL_<SERVICE>
// and AWS_ENDPOINT_URL, as the AWS SDKs do (AWS SDKs and Tools Reference Guide, "Service-specific
// endpoints", read 2026-11-25).
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpError, httpRequest } from "./http";
import { Sha256 } from "./sha256";
import { scalarText } from "./text";

/** A failed AWS call: the service's error type (`__type` without its namespace), or a transport failure. */
export class AwsCallError extends Error {
    constructor(
        /** ParameterNotFound, AccessDeniedException, ... or TIMEOUT / CONNECTION_ERROR / NO_CREDENTIALS / NO_TIME (not asked). */
        readonly type: string,
        message: string,
        readonly status?: number,
    ) {
        super(message);
    }
}

export interface AwsJsonCall {
    /** The signing name and endpoint prefix, e.g. ssm. */
    service: string;
    /** The X-Amz-Target header, e.g. AmazonSSM.GetParameter. */
    target: string;
    body: unknown;
    /** Epoch ms by which the call is over. */
    deadline: number;
    env?: NodeJS.ProcessEnv;
}

/** The endpoint for `service` in `region`: the environment's override, else the regional one. */
export function endpointFor(service: string, region: string, env: NodeJS.ProcessEnv = process.env): URL {
    const override = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL;
    if (override) return new URL(override);
    const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return new URL(`https://${service}.${region}.${suffix}/`);
}

const signers = new Map<string, SignatureV4>();

/** Makes the call and returns the parsed JSON answer, or throws an AwsCallError. */
export async function awsJson(call: AwsJsonCall): Promise<Record<string, unknown>> {
    const env = call.env ?? process.env;
    const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!region || !accessKeyId || !secretAccessKey) {
        throw new AwsCallError("NO_CREDENTIALS", noCredentials(!region ? "AWS_REGION" : "AWS credentials"));
    }
    const url = endpointFor(call.service, region, env);
    const body = JSON.stringify(call.body);
    const key = `${call.service}/${region}`;
    let signer = signers.get(key);
    if (!signer) {
        // Credentials are read at every call: Lambda may hand a container new role credentials.
        signer = new SignatureV4({
            service: call.service,
            region,
            sha256: Sha256,
            credentials: () =>
                Promise.resolve({
                    accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
                    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
                    sessionToken: env.AWS_SESSION_TOKEN || undefined,
                }),
        });
        signers.set(key, signer);
    }
    const signed = await signer.sign({
        method: "POST",
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname || "/",
        query: {},
        headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": call.target },
        body,
    });
    let res;
    try {
        res = await httpRequest({
            method: "POST",
            url,
            headers: signed.headers,
            body,
            deadline: call.deadline,
            idempotent: true,
        });
    } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        // No attempt made (too little time left): the service was not asked, which is no failure of its.
        const type =
            e.attempts === 0 && e.reason === "DEADLINE"
                ? "NO_TIME"
                : e.code === "TIMEOUT"
                  ? "TIMEOUT"
                  : "CONNECTION_ERROR";
        throw new AwsCallError(type, `${url.host}: ${e.message}`);
    }
    const data = jsonObject(res.body);
    if (res.status < 200 || res.status > 299) {
        // `__type` is namespaced (com.amazonaws.ssm#ParameterNotFound); without one, the status says it.
        const type = (scalarText(data.__type) ?? String(res.status)).split("#").at(-1) ?? String(res.status);
        const message = scalarText(data.message) ?? scalarText(data.Message) ?? `HTTP ${res.status}`;
        // Bounded generously: the caller scrubs it of secrets and cuts it shorter.
        throw new AwsCallError(type, message.slice(0, 2_000), res.status);
    }
    return data;
}

/** The answer as a JSON object; anything else (not JSON, a list) as an empty one. */
function jsonObject(text: string): Record<string, unknown> {
    try {
        const v: unknown = JSON.parse(text);
        return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
        return {};
    }
}

/** Lambda gives every function its region and its role's credentials; without them nothing can be signed. */
function noCredentials(what: string): string {
    return `no ${what} in the environment (Lambda sets them from the function's role)`;
}

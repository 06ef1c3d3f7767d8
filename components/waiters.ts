// What the deploy-time waits share: waits the AWS provider does not do, run as Pulumi dynamic
// resources that call EC2 with the deployer's credentials (the Nat component's readiness gate,
// components/nat/readiness.ts, and the program's wait for Lambda's interfaces): the EC2 client, the
// error classes, the poll loop bounded by a deadline, and the words for durations and credentials.
//
// How they run: at deploy time Pulumi serializes each provider object (the source text of its
// functions and of whatever they use, from this module or another one of the program's own) and
// runs it in the CLI's dynamic-provider process, from the program's folder, with the deployer's
// environment. So what a provider calls is plain functions, module-level values are plain functions
// or strings (a Set or Map would arrive empty), and the only package is `require("@aws-sdk/client-ec2")`,
// inside the functions, from the program's node_modules: a consumer of this package installs it in its
// program's folder (ec2Client says so when it is missing). The AWS provider's configuration is not
// visible there, which is why the region (and the stack's `aws:profile`, if set) are inputs. Under
// `pulumi preview` the engine calls only `diff`, which calls nothing.
import type { EC2Client } from "@aws-sdk/client-ec2";
import * as pulumi from "@pulumi/pulumi";

/** Connection settings: every request ends, and a timeout is an error, not a logged warning. */
export interface Ec2Access {
    region: string;
    profile?: string;
}

/** The pinned AWS SDK release the waits are tested with (the same as the component package's dependency). */
export const EC2_SDK = "@aws-sdk/client-ec2@3.1164.0";

/**
 * An EC2 client for `a`. `who` names the wait in the one-line error given when the SDK is not
 * installed in the program's folder, where Pulumi runs dynamic providers from (pulumi/pulumi#5455):
 * the case of every program that adds this package through `pulumi package add`.
 */
export function ec2Client(a: Ec2Access, who: string): { client: EC2Client; sdk: typeof import("@aws-sdk/client-ec2") } {
    // The SDK's nine-line notice about its future Node support, printed under Node < 22 into the
    // deployment's output, is switched off with its own switch (@aws-sdk/core
    // emitWarningIfUnsupportedVersion, read 2026-11-25).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    let sdk: typeof import("@aws-sdk/client-ec2");
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded inside the function so the serialized provider finds it in the program's node_modules
        sdk = require("@aws-sdk/client-ec2") as typeof import("@aws-sdk/client-ec2");
    } catch (e) {
        if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
        throw verdictError(
            `${who} needs the npm package @aws-sdk/client-ec2 in the Pulumi program's folder (${process.cwd()}), where Pulumi runs it from, and it is not there. ` +
                `Run \`npm install ${EC2_SDK}\` in that folder (a Python, Go, .NET or YAML program also needs \`npm install @pulumi/pulumi@3.248.0\` there, after \`npm init -y\`), then run the Pulumi command again.`,
        );
    }
    const client = new sdk.EC2Client({
        region: a.region,
        ...(a.profile ? { profile: a.profile } : {}),
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
    });
    return { client, sdk };
}

/** What every wait's resource takes besides what it waits for. */
export interface WaitArgs {
    /** Region to call EC2 in (the dynamic provider does not see the AWS provider's region). */
    region: pulumi.Input<string>;
    /** Named AWS profile for the look-ups (the stack's `aws:profile`). @default the default credential chain */
    profile?: pulumi.Input<string>;
    /** Longest wait in seconds before the deployment fails with a diagnosis. */
    timeoutSeconds?: pulumi.Input<number>;
}

/** A wait resource's common inputs, with "" for no profile and the wait's own default timeout. */
export function waitInputs(args: WaitArgs, defaultTimeoutSeconds: number) {
    return {
        region: args.region,
        profile: args.profile ?? "",
        timeoutSeconds: args.timeoutSeconds ?? defaultTimeoutSeconds,
    };
}

/** Our own verdicts carry this mark, so the retry loop never mistakes them for an AWS error. */
export function verdictError(message: string): Error {
    return Object.assign(new Error(message), { verdict: true });
}

/**
 * What an error from a request means: `fatal` (waiting cannot fix it: credentials, permissions),
 * `notFound`, or `transient` (throttling, network, 5xx: keep polling). Our verdicts are rethrown.
 */
export function classifyError(e: unknown): { kind: "fatal" | "notFound" | "transient"; code: string; message: string } {
    const err = e as { verdict?: boolean; name?: string; code?: string; message?: string };
    if (err.verdict) throw e;
    const code = err.name && err.name !== "Error" ? err.name : (err.code ?? "Error");
    const message = String(err.message ?? e).split("\n")[0];
    const fatal = [
        "UnauthorizedOperation",
        "AuthFailure",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
        "OptInRequired",
        "InvalidInstanceID.Malformed",
        "InvalidSubnetID.Malformed",
        "InvalidParameterValue",
    ];
    // The SDK's credential chain fails with CredentialsProviderError, TokenProviderError (an
    // expired SSO token) or ProviderError: no amount of waiting fixes those.
    if (fatal.includes(code) || code.endsWith("ProviderError")) return { kind: "fatal", code, message };
    if (code === "InvalidInstanceID.NotFound" || code === "InvalidSubnetID.NotFound")
        return { kind: "notFound", code, message };
    return { kind: "transient", code, message };
}

/** The sentence every credential or permission failure ends with. */
export function credentialsHint(action: string, a: Ec2Access): string {
    return (
        `The deploying credentials need ${action}. This check uses the default AWS credential chain` +
        `${a.profile ? ` with profile ${a.profile}` : ""} (environment variables, AWS_PROFILE, SSO, or Pulumi ESC), ` +
        `not static keys set as aws:accessKey in the stack configuration.`
    );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether an error is our own deadline cutting the last request short (not news for the user). */
export function deadlineAbort(code: string, deadline: number): boolean {
    return (code === "AbortError" || code === "TimeoutError") && Date.now() >= deadline - 5;
}

/** A wait's length in words: "10 minutes", "45 seconds". */
export function duration(ms: number): string {
    if (ms >= 60_000) {
        const minutes = Math.round(ms / 6_000) / 10;
        return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    const seconds = Math.round(ms / 100) / 10;
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/** One poll loop: what to read, how often, and until when. */
export interface PollOptions<T> {
    /** When to stop (ms since the epoch); every request is cut at it. */
    deadline: number;
    /** Between readings. */
    pollMs: number;
    /** One reading: a value ends the wait, undefined waits for the next one. It may throw our verdict (which ends the wait) or an AWS error. */
    read: (signal: AbortSignal) => Promise<T | undefined>;
    /** An error a reading threw: rethrow to end the wait, return to keep waiting. */
    onError: (e: unknown) => void;
}

/**
 * Reads until a reading gives a value, and returns it; undefined when the deadline passed first.
 * Both deploy-time waits poll with this.
 */
export async function pollUntil<T>(o: PollOptions<T>): Promise<T | undefined> {
    while (Date.now() < o.deadline) {
        try {
            const value = await o.read(AbortSignal.timeout(Math.max(1, o.deadline - Date.now())));
            if (value !== undefined) return value;
        } catch (e) {
            o.onError(e);
        }
        const pause = Math.min(o.pollMs, o.deadline - Date.now());
        if (pause > 0) await sleep(pause);
    }
    return undefined;
}

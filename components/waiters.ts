// What the deploy-time waits share: waits the AWS provider does not do, which call EC2 themselves
// (the Nat component's readiness gate, components/nat/readiness.ts, and the program's wait for
// Lambda's interfaces): the EC2 client with the AWS provider's identity, the error classes, the poll
// loop bounded by a deadline, and the words for durations and credentials.
//
// How they run depends on where the components run (components/hosted-mode.ts):
// - In a program in any language that added the package with `pulumi package add`, the components
//   run in the package's own plugin (components/plugin.ts), and the NAT readiness gate is a custom
//   resource of the package's own provider (components/provider.ts), which calls these functions in
//   that process, where `@aws-sdk/client-ec2` and `@aws-sdk/client-sts` are the package's own
//   dependencies: the program's folder needs nothing.
// - In a TypeScript program that imports the package (this repository's own, or one that installed
//   it with npm), they are Pulumi dynamic resources. At deploy time Pulumi serializes each provider
//   object (the source text of its functions and of whatever they use, from this module or another
//   one of the program's own) and runs it in the CLI's dynamic-provider process, from the program's
//   folder (pulumi/pulumi#5455), with the deployer's environment. So what a provider calls is plain
//   functions, module-level values are plain functions, objects or strings (a Set or Map would
//   arrive empty), and the only packages are `require("@aws-sdk/client-ec2")` and
//   `require("@aws-sdk/client-sts")`, inside the functions, which must be in the program's
//   node_modules (they are the package's own dependencies, so installing the package with npm
//   normally brings them; when one is missing the wait says so in one line, with the command).
// Either way the AWS provider's configuration is not visible there, which is why the region and the
// identity (components/identity.ts) are inputs; the identity is a secret input when it holds a key.
// Under `pulumi preview` the engine calls only `diff`, which calls nothing.
import type { EC2Client } from "@aws-sdk/client-ec2";
import * as pulumi from "@pulumi/pulumi";
import { describeIdentity, durationSeconds, type WaitIdentity } from "./identity";

/** Where and as whom a wait calls AWS. */
export interface Ec2Access {
    region: string;
    /** The AWS provider's identity; the default credential chain when absent or empty. */
    identity?: WaitIdentity;
}

/** The pinned AWS SDK release the waits are tested with (the same as the component package's dependency). */
export const EC2_SDK = "@aws-sdk/client-ec2@3.1164.0";
/** The STS client of the same release, for roles to assume. */
export const STS_SDK = "@aws-sdk/client-sts@3.1164.0";

/** A key pair (with its session token and expiry), as an SDK client's `credentials` take it. */
interface Credentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    expiration?: Date;
}

/** Every request ends, and a timeout is an error, not a logged warning. */
const REQUEST_LIMITS = {
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
};

/** Loads an AWS SDK client package from where the wait runs (`load` requires it by name), or says how to install it. */
function loadSdk<T>(load: () => unknown, name: string, pinned: string, who: string): T {
    try {
        return load() as T;
    } catch (e) {
        if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
        throw verdictError(
            `${who} needs the npm package ${name} in the Pulumi program's folder (${process.cwd()}), where Pulumi runs it from, and it is not there. ` +
                `Run \`npm install ${pinned}\` in that folder, then run the Pulumi command again.`,
        );
    }
}

/**
 * The credentials the AWS provider would use, for an SDK client's `credentials`: the key pair
 * given, or (undefined) the default chain with the profile given; then each role in order, each
 * AssumeRole call signed with the credentials before it. The SDK memoizes a credentials function
 * and calls it again when what it returned is within 5 minutes of expiring (@aws-sdk/core
 * normalizeCredentialProvider → memoizeIdentityProvider, @smithy/core EXPIRATION_MS; read in
 * 3.1164.0, 2026-12-07), so a long wait outlives a one-hour role session.
 */
export function credentialsFor(a: Ec2Access, who: string): Credentials | (() => Promise<Credentials>) | undefined {
    const id = a.identity ?? {};
    const keys: Credentials | undefined = id.accessKey
        ? {
              accessKeyId: id.accessKey,
              secretAccessKey: id.secretKey ?? "",
              ...(id.token ? { sessionToken: id.token } : {}),
          }
        : undefined;
    const roles = id.assumeRoles ?? [];
    if (roles.length === 0) return keys;
    return async () => {
        const sts = loadSdk<typeof import("@aws-sdk/client-sts")>(
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded inside the function so the serialized provider finds it in the program's node_modules
            () => require("@aws-sdk/client-sts"),
            "@aws-sdk/client-sts",
            STS_SDK,
            who,
        );
        let current = keys;
        let expiration: Date | undefined;
        for (const [i, r] of roles.entries()) {
            const client = new sts.STSClient({
                region: a.region,
                ...(current ? { credentials: current } : id.profile ? { profile: id.profile } : {}),
                ...REQUEST_LIMITS,
            });
            try {
                const seconds = r.duration ? durationSeconds(r.duration) : undefined;
                const out = await client.send(
                    new sts.AssumeRoleCommand({
                        RoleArn: r.roleArn,
                        RoleSessionName: r.sessionName || `pulumi-wait-${Date.now()}`,
                        ExternalId: r.externalId || undefined,
                        DurationSeconds: seconds,
                        Policy: r.policy || undefined,
                        PolicyArns: r.policyArns?.length ? r.policyArns.map((arn) => ({ arn })) : undefined,
                        SourceIdentity: r.sourceIdentity || undefined,
                        Tags: r.tags ? Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
                        TransitiveTagKeys: r.transitiveTagKeys?.length ? r.transitiveTagKeys : undefined,
                    }),
                );
                const c = out.Credentials;
                if (!c?.AccessKeyId || !c.SecretAccessKey)
                    throw Object.assign(new Error("STS answered without credentials"), { name: "AssumeRoleFailed" });
                current = {
                    accessKeyId: c.AccessKeyId,
                    secretAccessKey: c.SecretAccessKey,
                    sessionToken: c.SessionToken,
                };
                expiration = c.Expiration && (!expiration || c.Expiration < expiration) ? c.Expiration : expiration;
            } catch (e) {
                const err = e as { name?: string; message?: string };
                const step = roles.length > 1 ? ` (role ${i + 1} of ${roles.length})` : "";
                // The name is kept: classifyError decides from it whether waiting can help.
                throw Object.assign(
                    new Error(`assuming ${r.roleArn}${step} failed: ${String(err.message ?? e).split("\n")[0]}`),
                    {
                        name: err.name && err.name !== "Error" ? err.name : "AssumeRoleFailed",
                    },
                );
            } finally {
                client.destroy();
            }
        }
        return { ...current!, ...(expiration ? { expiration } : {}) };
    };
}

/**
 * An EC2 client as the AWS provider's identity (see {@link credentialsFor}). `who` names the wait in
 * the one-line error given when an SDK package is missing from the folder the wait runs from.
 */
export function ec2Client(a: Ec2Access, who: string): { client: EC2Client; sdk: typeof import("@aws-sdk/client-ec2") } {
    // The SDK's nine-line notice about its future Node support, printed under Node < 22 into the
    // deployment's output, is switched off with its own switch (@aws-sdk/core
    // emitWarningIfUnsupportedVersion, read 2026-11-25).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const sdk = loadSdk<typeof import("@aws-sdk/client-ec2")>(
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
        () => require("@aws-sdk/client-ec2"),
        "@aws-sdk/client-ec2",
        EC2_SDK,
        who,
    );
    const credentials = credentialsFor(a, who);
    const profile = a.identity?.profile;
    const client = new sdk.EC2Client({
        region: a.region,
        ...(credentials ? { credentials } : profile ? { profile } : {}),
        ...REQUEST_LIMITS,
    });
    return { client, sdk };
}

/** What every wait's resource takes besides what it waits for. */
export interface WaitArgs {
    /** Region to call EC2 in (the dynamic provider does not see the AWS provider's region). */
    region: pulumi.Input<string>;
    /** The AWS provider's identity, secret when it holds a key (components/identity.ts). @default the default credential chain */
    identity?: pulumi.Input<WaitIdentity>;
    /** Longest wait in seconds before the deployment fails with a diagnosis. */
    timeoutSeconds?: pulumi.Input<number>;
}

/** A wait resource's common inputs: the identity always secret in state, and the wait's own default timeout. */
export function waitInputs(args: WaitArgs, defaultTimeoutSeconds: number) {
    return {
        region: args.region,
        identity: pulumi.secret(args.identity ?? {}),
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
        // STS, assuming a role of the identity (credentialsFor): refused, or the role or region is wrong.
        "AccessDenied",
        "AssumeRoleFailed",
        "MalformedPolicyDocument",
        "PackedPolicyTooLarge",
        "RegionDisabledException",
        "ValidationError",
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
        `The deploying credentials need ${action}. This check calls AWS as the AWS provider is configured to: ` +
        `with ${describeIdentity(a.identity)}.`
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

// A wait the AWS provider does not do, as a Pulumi dynamic resource that calls EC2 with the
// deployer's credentials:
//
// - NatReadiness: its create returns only once EC2 reports the NAT instance's instance *and*
//   system status checks `ok`. Whatever would move traffic to the instance (its Elastic IP binding,
//   the private subnets' default routes) depends on it, so traffic moves when the instance has
//   booted and answers, not when it is merely `running`. The AWS provider's instance create returns
//   at `running` (terraform-provider-aws internal/service/ec2/ec2_instance.go,
//   resourceInstanceCreate → waitInstanceCreated, pending → running; no status checks), and EC2's
//   checks start as `initializing` (EC2 API reference, InstanceStatusSummary: ok | impaired |
//   insufficient-data | not-applicable | initializing). Read 2026-11-25.
//
// The helpers below it (the EC2 client, error classes, messages) are exported for other waits of
// the same kind (the program's wait for Lambda's interfaces uses them).
//
// How they run: at deploy time Pulumi serializes each provider object (the source text of its
// functions and of whatever they use, from this module or another one of the program's own) and
// runs it in the CLI's dynamic-provider process, from the program's folder, with the deployer's
// environment. So what a provider calls is plain functions, module-level values are plain functions
// or strings (a Set or Map would arrive empty), and the only package is `require("@aws-sdk/client-ec2")`,
// inside the functions, from the program's node_modules: a consumer of this package installs it in its
// program's folder (ec2Client says so when it is missing). The AWS provider's configuration is not
// visible there, which is why the region (and the stack's `aws:profile`, if set) are inputs. Under
// `pulumi preview` the engine calls only `diff`, which calls nothing; on an `up` where the instance
// did not change, `diff` reports no change, so nothing waits.
import type { DescribeInstanceStatusCommandOutput, EC2Client } from "@aws-sdk/client-ec2";
import * as pulumi from "@pulumi/pulumi";

/** Longest wait for a NAT instance's status checks, by default. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 600;

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
        // eslint-disable-next-line @typescript-eslint/no-require-imports
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

// ---------------------------------------------------------------------------------------------
// NAT instance readiness

/** One reading of DescribeInstanceStatus for the instance. */
export interface StatusReading {
    /** pending, running, stopping, stopped, shutting-down, terminated */
    state: string;
    /** ok, impaired, initializing, insufficient-data, not-applicable; "unknown" when absent */
    instanceCheck: string;
    systemCheck: string;
    /** Failed check details, e.g. "reachability: failed". */
    failed: string[];
}

export type Verdict = { kind: "ready" } | { kind: "wait" } | { kind: "fail"; why: string };

/** What a reading means for the gate. Pure. */
export function judgeReading(r: StatusReading): Verdict {
    if (["stopping", "stopped", "shutting-down", "terminated"].includes(r.state))
        return { kind: "fail", why: `is ${r.state}` };
    if (r.state !== "running") return { kind: "wait" };
    const impaired = [
        r.instanceCheck === "impaired" ? "instance" : "",
        r.systemCheck === "impaired" ? "system" : "",
    ].filter((x) => x !== "");
    if (impaired.length > 0) {
        const details = r.failed.length > 0 ? ` (${r.failed.join(", ")})` : "";
        return {
            kind: "fail",
            why: `failed its EC2 ${impaired.join(" and ")} status check${impaired.length > 1 ? "s" : ""}${details}`,
        };
    }
    if (r.instanceCheck === "ok" && r.systemCheck === "ok") return { kind: "ready" };
    return { kind: "wait" };
}

/** A reading in words, for messages. Pure. */
export function describeReading(r: StatusReading | undefined): string {
    if (!r) return "no status reported yet";
    return `state ${r.state}, instance check ${r.instanceCheck}, system check ${r.systemCheck}`;
}

function readingOf(out: DescribeInstanceStatusCommandOutput, instanceId: string): StatusReading | undefined {
    const s = (out.InstanceStatuses ?? []).find((x) => x.InstanceId === instanceId);
    if (!s) return undefined;
    return {
        state: s.InstanceState?.Name ?? "unknown",
        instanceCheck: s.InstanceStatus?.Status ?? "unknown",
        systemCheck: s.SystemStatus?.Status ?? "unknown",
        failed: [...(s.InstanceStatus?.Details ?? []), ...(s.SystemStatus?.Details ?? [])]
            .filter((d) => d.Status === "failed")
            .map((d) => `${d.Name}: ${d.Status}`),
    };
}

export interface ReadyOptions extends Ec2Access {
    instanceId: string;
    timeoutMs: number;
    /** Between readings. @default 10 s */
    pollMs?: number;
    /** How long "no such instance" counts as EC2's eventual consistency after the create. @default 60 s */
    notFoundGraceMs?: number;
}

export interface ReadyResult {
    readyAt: string;
    waitedSeconds: number;
    readings: number;
}

/** Where to look and what to do after the gate fails; every failure message ends with it. */
function readinessNextSteps(o: ReadyOptions): string {
    return (
        `Nothing was moved to this instance: the Elastic IP and the private subnets' default routes stay as they were. ` +
        `Look at its boot log (\`aws ec2 get-console-output --instance-id ${o.instanceId} --region ${o.region} --latest --output text\`) ` +
        `and its checks (\`aws ec2 describe-instance-status --instance-ids ${o.instanceId} --region ${o.region} --include-all-instances\`), ` +
        `then run \`pulumi up\` again: it waits for the instance again.`
    );
}

/**
 * Polls DescribeInstanceStatus until both status checks are `ok`. Rejects, naming the instance and
 * what to look at, when it is impaired, stopped or gone, when the credentials cannot read it, or
 * when `timeoutMs` passes. Every request ends by the deadline.
 */
export async function waitForNatReady(o: ReadyOptions): Promise<ReadyResult> {
    const { client, sdk } = ec2Client(o, "The NAT instance's readiness check");
    const pollMs = o.pollMs ?? 10_000;
    const graceMs = o.notFoundGraceMs ?? 60_000;
    const started = Date.now();
    const deadline = started + o.timeoutMs;
    const who = `NAT instance ${o.instanceId} (${o.region})`;
    let last: StatusReading | undefined;
    let lastError: string | undefined;
    let readings = 0;
    try {
        while (Date.now() < deadline) {
            try {
                const out = await client.send(
                    new sdk.DescribeInstanceStatusCommand({ InstanceIds: [o.instanceId], IncludeAllInstances: true }),
                    { abortSignal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) },
                );
                readings++;
                lastError = undefined;
                const reading = readingOf(out, o.instanceId);
                if (reading) {
                    last = reading;
                    const verdict = judgeReading(reading);
                    if (verdict.kind === "ready") {
                        return {
                            readyAt: new Date().toISOString(),
                            waitedSeconds: Math.round((Date.now() - started) / 1000),
                            readings,
                        };
                    }
                    if (verdict.kind === "fail") throw verdictError(`${who} ${verdict.why}. ${readinessNextSteps(o)}`);
                } else if (Date.now() - started > graceMs) {
                    throw verdictError(
                        `${who} is not known to EC2 (it reported no status for it). ${readinessNextSteps(o)}`,
                    );
                }
            } catch (e) {
                const c = classifyError(e);
                if (c.kind === "fatal") {
                    throw verdictError(
                        `Cannot read the status of ${who}: ${c.code}: ${c.message}. ${credentialsHint("ec2:DescribeInstanceStatus", o)}`,
                    );
                }
                if (c.kind === "notFound" && Date.now() - started > graceMs) {
                    throw verdictError(
                        `${who} does not exist (${c.code}) for these credentials: it was terminated or never started, or they are for another account ` +
                            `(this check does not use aws:assumeRole or aws:accessKey from the stack config). ${readinessNextSteps(o)}`,
                    );
                }
                if (c.kind === "transient")
                    lastError = deadlineAbort(c.code, deadline)
                        ? readings === 0
                            ? "EC2 did not answer in time"
                            : lastError
                        : `${c.code}: ${c.message}`;
            }
            const pause = Math.min(pollMs, deadline - Date.now());
            if (pause > 0) await sleep(pause);
        }
    } finally {
        client.destroy();
    }
    throw verdictError(
        `${who} did not pass its EC2 status checks within ${duration(o.timeoutMs)} ` +
            `(last reading: ${describeReading(last)}${lastError ? `; last error: ${lastError}` : ""}). ${readinessNextSteps(o)}`,
    );
}

interface ReadinessState {
    instanceId: string;
    region: string;
    profile?: string;
    timeoutSeconds?: number;
}

/**
 * Only the instance id decides whether the gate changes: a new instance replaces it (the new gate
 * waits); anything else, including a new version of this code, is no change.
 */
export const natReadinessProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: ReadinessState, news: ReadinessState): Promise<pulumi.dynamic.DiffResult> {
        const replace = olds.instanceId !== news.instanceId;
        return { changes: replace, replaces: replace ? ["instanceId"] : [] };
    },
    async create(inputs: ReadinessState): Promise<pulumi.dynamic.CreateResult> {
        const result = await waitForNatReady({
            instanceId: inputs.instanceId,
            region: inputs.region,
            profile: inputs.profile || undefined,
            timeoutMs: (inputs.timeoutSeconds || DEFAULT_READY_TIMEOUT_SECONDS) * 1000,
        });
        return { id: `${inputs.instanceId}-ready`, outs: { ...inputs, ...result } };
    },
    async delete(): Promise<void> {
        // Nothing to undo: the gate only waited.
    },
};

/** The gate's arguments; its longest wait is 600 seconds by default. */
export interface NatReadinessArgs extends WaitArgs {
    /** The NAT instance to wait for; a different id replaces the gate, which then waits again. */
    instanceId: pulumi.Input<string>;
}

/** Exists once the NAT instance passes both EC2 status checks. */
export class NatReadiness extends pulumi.dynamic.Resource {
    /** The instance that was found ready. */
    declare readonly instanceId: pulumi.Output<string>;
    /** When both checks were first seen `ok` (ISO 8601). */
    declare readonly readyAt: pulumi.Output<string>;
    /** Seconds the gate waited. */
    declare readonly waitedSeconds: pulumi.Output<number>;

    constructor(name: string, args: NatReadinessArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            natReadinessProvider,
            name,
            {
                instanceId: args.instanceId,
                ...waitInputs(args, DEFAULT_READY_TIMEOUT_SECONDS),
                readyAt: undefined,
                waitedSeconds: undefined,
                readings: undefined,
            },
            opts,
            undefined,
            "NatReadiness",
        );
    }
}

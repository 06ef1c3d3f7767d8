// The NAT instance's readiness gate, a wait the AWS provider does not do: a resource whose create
// returns only once EC2 reports the instance's instance *and* system status checks `ok`. Whatever
// would move traffic to the instance (its Elastic IP binding, the private subnets' default routes)
// depends on it, so traffic moves when the instance has booted and answers, not when it is merely
// `running`. The AWS provider's instance create returns at `running`
// (terraform-provider-aws internal/service/ec2/ec2_instance.go, resourceInstanceCreate →
// waitInstanceCreated, pending → running; no status checks), and EC2's checks start as
// `initializing` (EC2 API reference, InstanceStatusSummary: ok | impaired | insufficient-data |
// not-applicable | initializing). Read 2026-11-25.
//
// The gate has two forms with the same inputs, outputs and functions (natReadinessProvider):
// - run hosted in the package's own provider process (components/plugin.ts: a program in any
//   language that added the package with `pulumi package add`), a custom resource of that provider,
//   `aligo-sms:index:NatReadiness` (components/provider.ts serves it), which runs with the
//   package's own dependencies: nothing to install in the program's folder;
// - imported by a TypeScript program (this repository's, or one that imports the package
//   directly), a Pulumi dynamic resource, `pulumi-nodejs:dynamic:NatReadiness`, as it always was,
//   whose provider Pulumi runs from the program's folder (components/waiters.ts says how).
import type { DescribeInstanceStatusCommandOutput } from "@aws-sdk/client-ec2";
import * as pulumi from "@pulumi/pulumi";
import {
    classifyError,
    credentialsHint,
    deadlineAbort,
    duration,
    ec2Client,
    pollUntil,
    verdictError,
    waitInputs,
    type Ec2Access,
    type WaitArgs,
} from "../waiters";
import type { WaitIdentity } from "../identity";
import { PACKAGE_NAME, isHosted } from "../hosted-mode";

/** Longest wait for a NAT instance's status checks, by default. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 600;

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

/** What the gate says when it stops. */
const READY_MESSAGES = {
    failed: (who: string, why: string) => `${who} ${why}.`,
    unknown: (who: string) => `${who} is not known to EC2 (it reported no status for it).`,
    unreadable: (who: string, code: string, message: string) =>
        `Cannot read the status of ${who}: ${code}: ${message}.`,
    missing: (who: string, code: string) =>
        `${who} does not exist (${code}) for these credentials: it was terminated or never started, or they are for another account ` +
        `(this check does not use aws:assumeRole or aws:accessKey from the stack config).`,
    timedOut: (who: string, within: string, last: string, lastError: string | undefined) =>
        `${who} did not pass its EC2 status checks within ${within} (last reading: ${last}${lastError ? `; last error: ${lastError}` : ""}).`,
};

/**
 * Polls DescribeInstanceStatus until both status checks are `ok`. Rejects, naming the instance and
 * what to look at, when it is impaired, stopped or gone, when the credentials cannot read it, or
 * when `timeoutMs` passes. Every request ends by the deadline.
 */
export async function waitForNatReady(o: ReadyOptions): Promise<ReadyResult> {
    const { client, sdk } = ec2Client(o, "The NAT instance's readiness check");
    const graceMs = o.notFoundGraceMs ?? 60_000;
    const started = Date.now();
    const deadline = started + o.timeoutMs;
    const who = `NAT instance ${o.instanceId} (${o.region})`;
    const stop = (text: string) => verdictError(`${text} ${readinessNextSteps(o)}`);
    let last: StatusReading | undefined;
    let lastError: string | undefined;
    let readings = 0;
    const read = async (abortSignal: AbortSignal): Promise<ReadyResult | undefined> => {
        const command = new sdk.DescribeInstanceStatusCommand({
            InstanceIds: [o.instanceId],
            IncludeAllInstances: true,
        });
        const reading = readingOf(await client.send(command, { abortSignal }), o.instanceId);
        readings++;
        lastError = undefined;
        if (!reading) {
            if (Date.now() - started > graceMs) throw stop(READY_MESSAGES.unknown(who));
            return undefined;
        }
        last = reading;
        const verdict = judgeReading(reading);
        if (verdict.kind === "fail") throw stop(READY_MESSAGES.failed(who, verdict.why));
        if (verdict.kind === "wait") return undefined;
        return {
            readyAt: new Date().toISOString(),
            waitedSeconds: Math.round((Date.now() - started) / 1000),
            readings,
        };
    };
    const onError = (e: unknown) => {
        const c = classifyError(e);
        if (c.kind === "fatal") {
            const hint = credentialsHint("ec2:DescribeInstanceStatus", o);
            throw verdictError(`${READY_MESSAGES.unreadable(who, c.code, c.message)} ${hint}`);
        }
        if (c.kind === "notFound" && Date.now() - started > graceMs) throw stop(READY_MESSAGES.missing(who, c.code));
        if (c.kind !== "transient") return;
        if (!deadlineAbort(c.code, deadline)) lastError = `${c.code}: ${c.message}`;
        else if (readings === 0) lastError = "EC2 did not answer in time";
    };
    try {
        const ready = await pollUntil({ deadline, pollMs: o.pollMs ?? 10_000, read, onError });
        if (ready) return ready;
    } finally {
        client.destroy();
    }
    throw stop(READY_MESSAGES.timedOut(who, duration(o.timeoutMs), describeReading(last), lastError));
}

interface ReadinessState {
    instanceId: string;
    region: string;
    /** The AWS provider's identity (components/identity.ts); a secret input, never kept in the outputs. */
    identity?: WaitIdentity;
    timeoutSeconds?: number;
}

/**
 * Only the instance id decides whether the gate changes: a new instance replaces it (the new gate
 * waits); anything else, including a new version of this code, is no change.
 */
export const natReadinessProvider: pulumi.dynamic.ResourceProvider = {
    diff(_id: string, olds: ReadinessState, news: ReadinessState): Promise<pulumi.dynamic.DiffResult> {
        const replace = olds.instanceId !== news.instanceId;
        return Promise.resolve({ changes: replace, replaces: replace ? ["instanceId"] : [] });
    },
    async create(inputs: ReadinessState): Promise<pulumi.dynamic.CreateResult> {
        const result = await waitForNatReady({
            instanceId: inputs.instanceId,
            region: inputs.region,
            identity: inputs.identity,
            timeoutMs: (inputs.timeoutSeconds || DEFAULT_READY_TIMEOUT_SECONDS) * 1000,
        });
        // The identity (keys, perhaps) stays an input only: the outputs say what was found.
        const { identity: _identity, ...kept } = inputs;
        return { id: `${inputs.instanceId}-ready`, outs: { ...kept, ...result } };
    },
    delete(): Promise<void> {
        // Nothing to undo: the gate only waited.
        return Promise.resolve();
    },
};

/** The gate's arguments; its longest wait is 600 seconds by default. */
export interface NatReadinessArgs extends WaitArgs {
    /** The NAT instance to wait for; a different id replaces the gate, which then waits again. */
    instanceId: pulumi.Input<string>;
}

/** The gate's inputs in either form: the identity always secret, the outputs to be filled in. */
function gateInputs(args: NatReadinessArgs): pulumi.Inputs {
    return {
        instanceId: args.instanceId,
        ...waitInputs(args, DEFAULT_READY_TIMEOUT_SECONDS),
        readyAt: undefined,
        waitedSeconds: undefined,
        readings: undefined,
    };
}

/** The identity stays secret in the state even if an output ever carried it. */
function gateOptions(opts?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "identity"] };
}

/** Exists once the NAT instance passes both EC2 status checks (the dynamic-resource form). */
export class NatReadiness extends pulumi.dynamic.Resource {
    /** The instance that was found ready. */
    declare readonly instanceId: pulumi.Output<string>;
    /** When both checks were first seen `ok` (ISO 8601). */
    declare readonly readyAt: pulumi.Output<string>;
    /** Seconds the gate waited. */
    declare readonly waitedSeconds: pulumi.Output<number>;

    constructor(name: string, args: NatReadinessArgs, opts?: pulumi.CustomResourceOptions) {
        super(natReadinessProvider, name, gateInputs(args), gateOptions(opts), undefined, "NatReadiness");
    }
}

/** The gate's type token as a resource of the package's own provider. */
export const NAT_READINESS_TYPE = `${PACKAGE_NAME}:index:NatReadiness`;

/**
 * Exists once the NAT instance passes both EC2 status checks (the form the package's own provider
 * implements, components/provider.ts). No version is given: the engine takes the one it uses for the
 * package's components, from the packages the program's language host reports.
 */
export class HostedNatReadiness extends pulumi.CustomResource {
    /** The instance that was found ready. */
    declare readonly instanceId: pulumi.Output<string>;
    /** When both checks were first seen `ok` (ISO 8601). */
    declare readonly readyAt: pulumi.Output<string>;
    /** Seconds the gate waited. */
    declare readonly waitedSeconds: pulumi.Output<number>;

    constructor(name: string, args: NatReadinessArgs, opts?: pulumi.CustomResourceOptions) {
        super(NAT_READINESS_TYPE, name, gateInputs(args), gateOptions(opts));
    }
}

/** The readiness gate in the form where the components run: hosted in the package's plugin, or imported. */
export function natReadinessGate(
    name: string,
    args: NatReadinessArgs,
    opts?: pulumi.CustomResourceOptions,
): NatReadiness | HostedNatReadiness {
    return isHosted() ? new HostedNatReadiness(name, args, opts) : new NatReadiness(name, args, opts);
}

// A wait the AWS provider does not do, for the program's functions, as a Pulumi dynamic resource
// that calls EC2 with the deployer's credentials (the same kind as the NAT component's readiness
// gate, whose EC2 client, error classes and messages it shares: components/waiters.ts, which also
// says how such a provider is serialized and run).
//
// LambdaEniRelease: its delete returns only once Lambda has let go of the network interfaces it
// made in the functions' subnets. The functions depend on it and it depends on their roles, so on
// destroy the roles (which Lambda uses to remove the interfaces) are deleted only after that. The
// provider deletes leftover Lambda interfaces only once they are `available` and waits up to 45
// minutes for it ("AWS Lambda service team confirms P99 deletion time of ~35 minutes";
// terraform-provider-aws internal/service/ec2, deleteLingeringLambdaENI, called by the security
// group's and the subnet's delete). Read 2026-11-25.
import type { DescribeNetworkInterfacesCommandOutput } from "@aws-sdk/client-ec2";
import * as pulumi from "@pulumi/pulumi";
import {
    classifyError,
    credentialsHint,
    deadlineAbort,
    describeIdentity,
    duration,
    ec2Client,
    pollUntil,
    verdictError,
    waitInputs,
    type Ec2Access,
    type WaitArgs,
    type WaitIdentity,
} from "../../components/index";

/** Longest wait for Lambda to release its interfaces on destroy (the AWS provider's own minimum). */
export const DEFAULT_RELEASE_TIMEOUT_SECONDS = 2_700;

/** The description Lambda gives the network interfaces it makes (the AWS provider matches it too). */
export const LAMBDA_ENI_DESCRIPTION = "AWS Lambda VPC ENI*";

export interface ReleaseOptions extends Ec2Access {
    subnetIds: string[];
    timeoutMs: number;
    /** Between readings. @default 15 s */
    pollMs?: number;
}

export interface ReleaseResult {
    /** Interfaces left `available` (the subnets' delete removes them). */
    available: number;
    waitedSeconds: number;
}

/** What the wait says when it stops. */
const RELEASE_MESSAGES = {
    unreadable: (o: ReleaseOptions, code: string, message: string) =>
        `Cannot list the Lambda network interfaces in ${o.subnetIds.join(", ")} (${o.region}): ${code}: ${message}. ` +
        `${credentialsHint("ec2:DescribeSubnets and ec2:DescribeNetworkInterfaces", o)} Run \`pulumi destroy\` again once they can.`,
    subnetsNotVisible: (o: ReleaseOptions, code: string) =>
        `The functions' subnets ${o.subnetIds.join(", ")} are not visible to these credentials in ${o.region} (${code}): they are for another account ` +
        `(this wait called AWS with ${describeIdentity(o.identity)}, the AWS provider's identity as the last \`pulumi up\` recorded it), ` +
        `or the subnets were deleted outside Pulumi. ` +
        `The roles are kept. If the stack's aws: settings or keys changed since, run \`pulumi up\` once so the wait records them, then \`pulumi destroy\` again; ` +
        `if you deleted the subnets yourself, drop this wait from the state with \`pulumi state delete <its URN from pulumi stack --show-urns>\` first.`,
    timedOut: (o: ReleaseOptions, inUse: string[], lastError: string | undefined) =>
        `Lambda has not released its network interfaces in ${o.subnetIds.join(", ")} (${o.region}) after ${duration(o.timeoutMs)}` +
        `${inUse.length ? `: still in use: ${inUse.join(", ")}` : ""}${lastError ? ` (last error: ${lastError})` : ""}. ` +
        `The functions' roles are kept until then, because Lambda needs them to remove the interfaces. ` +
        `Run \`pulumi destroy\` again later: it waits again. If another function outside this stack uses these subnets, remove it first.`,
};

/** Lambda's interfaces in the subnets, every page of them. */
async function lambdaInterfaces(
    { client, sdk }: ReturnType<typeof ec2Client>,
    subnetIds: string[],
    abortSignal: AbortSignal,
): Promise<{ id: string; status: string; description: string }[]> {
    const found: { id: string; status: string; description: string }[] = [];
    let token: string | undefined;
    do {
        const out: DescribeNetworkInterfacesCommandOutput = await client.send(
            new sdk.DescribeNetworkInterfacesCommand({
                Filters: [
                    { Name: "subnet-id", Values: subnetIds },
                    { Name: "description", Values: [LAMBDA_ENI_DESCRIPTION] },
                ],
                NextToken: token,
            }),
            { abortSignal },
        );
        for (const n of out.NetworkInterfaces ?? []) {
            found.push({
                id: n.NetworkInterfaceId ?? "?",
                status: n.Status ?? "unknown",
                description: n.Description ?? "",
            });
        }
        token = out.NextToken;
    } while (token);
    return found;
}

/**
 * Checks that the subnets are visible (DescribeSubnets), then polls DescribeNetworkInterfaces until
 * no Lambda interface in `subnetIds` is `in-use`. Rejects, naming the interfaces, on a credentials
 * failure, on subnets these credentials cannot see, or when `timeoutMs` passes.
 */
export async function waitForLambdaEnisReleased(o: ReleaseOptions): Promise<ReleaseResult> {
    const ec2 = ec2Client(o, "The wait for Lambda's network interfaces");
    const started = Date.now();
    const deadline = started + o.timeoutMs;
    let inUse: string[] = [];
    let lastError: string | undefined;
    let subnetsSeen = false;
    const read = async (abortSignal: AbortSignal): Promise<ReleaseResult | undefined> => {
        // First make sure these credentials see the subnets at all: in another account the
        // interface list below would be empty, and the roles would go too early.
        if (!subnetsSeen) {
            await ec2.client.send(new ec2.sdk.DescribeSubnetsCommand({ SubnetIds: o.subnetIds }), { abortSignal });
            subnetsSeen = true;
        }
        const found = await lambdaInterfaces(ec2, o.subnetIds, abortSignal);
        lastError = undefined;
        inUse = found.filter((n) => n.status === "in-use").map((n) => `${n.id} (${n.description})`);
        if (inUse.length > 0) return undefined;
        return { available: found.length, waitedSeconds: Math.round((Date.now() - started) / 1000) };
    };
    const onError = (e: unknown) => {
        const c = classifyError(e);
        if (c.kind === "fatal") throw verdictError(RELEASE_MESSAGES.unreadable(o, c.code, c.message));
        if (c.kind === "notFound") throw verdictError(RELEASE_MESSAGES.subnetsNotVisible(o, c.code));
        if (!deadlineAbort(c.code, deadline)) lastError = `${c.code}: ${c.message}`;
    };
    try {
        const released = await pollUntil({ deadline, pollMs: o.pollMs ?? 15_000, read, onError });
        if (released) return released;
    } finally {
        ec2.client.destroy();
    }
    throw verdictError(RELEASE_MESSAGES.timedOut(o, inUse, lastError));
}

interface ReleaseState {
    subnetIds: string[];
    region: string;
    /** The AWS provider's identity (components/identity.ts), secret in state: destroy runs without the program. */
    identity?: WaitIdentity;
    timeoutSeconds?: number;
}

/**
 * A value as JSON with every object's keys in order: the engine hands the provider its old and new
 * properties as protobuf Structs, whose field order is not the one they were written in.
 */
function canonical(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
    if (v !== null && typeof v === "object")
        return `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
            .join(",")}}`;
    return JSON.stringify(v) ?? "null";
}

/** Creating and updating only record the subnets; deleting waits for Lambda. */
export const lambdaEniReleaseProvider: pulumi.dynamic.ResourceProvider = {
    diff(_id: string, olds: ReleaseState, news: ReleaseState): Promise<pulumi.dynamic.DiffResult> {
        const changed =
            JSON.stringify(olds.subnetIds) !== JSON.stringify(news.subnetIds) ||
            olds.region !== news.region ||
            canonical(olds.identity ?? {}) !== canonical(news.identity ?? {});
        return Promise.resolve({ changes: changed });
    },
    create(inputs: ReleaseState): Promise<pulumi.dynamic.CreateResult> {
        return Promise.resolve({ id: `lambda-eni-release-${inputs.region}`, outs: { ...inputs } });
    },
    update(_id: string, _olds: ReleaseState, news: ReleaseState): Promise<pulumi.dynamic.UpdateResult> {
        return Promise.resolve({ outs: { ...news } });
    },
    async delete(_id: string, props: ReleaseState): Promise<void> {
        await waitForLambdaEnisReleased({
            subnetIds: props.subnetIds,
            region: props.region,
            identity: props.identity,
            timeoutMs: (props.timeoutSeconds || DEFAULT_RELEASE_TIMEOUT_SECONDS) * 1000,
        });
    },
};

/** The wait's arguments; its longest wait is 2700 seconds by default. */
export interface LambdaEniReleaseArgs extends WaitArgs {
    /** The subnets the functions are attached to. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * On destroy, waits until Lambda has released its network interfaces in the subnets. The functions
 * must depend on it, and it on their roles and VPC permissions.
 */
export class LambdaEniRelease extends pulumi.dynamic.Resource {
    constructor(name: string, args: LambdaEniReleaseArgs, opts?: pulumi.CustomResourceOptions) {
        // The type name keeps the resource's URN (pulumi-nodejs:dynamic:LambdaEniRelease) from when it lived in components/.
        super(
            lambdaEniReleaseProvider,
            name,
            { subnetIds: args.subnetIds, ...waitInputs(args, DEFAULT_RELEASE_TIMEOUT_SECONDS) },
            // Destroy reads the identity from the state, so it is kept there, encrypted.
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "identity"] },
            undefined,
            "LambdaEniRelease",
        );
    }
}

// Pure planning for the NAT component: which Elastic IP each strategy binds, and which generation a
// NAT instance belongs to.
import { createHash } from "node:crypto";

/** Which address each strategy uses. */
export type EgressPlan =
    /** The component allocates: one address per NAT kind (`standby`), or one for both. */
    { kind: "allocate"; standby: boolean } | { kind: "byo"; gateway: string; instance: string; shared: boolean };

/**
 * No ids: the component allocates one address per NAT kind, or, without `standby`, one address
 * for whichever NAT is on. One id: both kinds use it. Two ids: the gateway's, then the instance's.
 */
export function egressPlan(allocationIds: string[] | undefined, standby = true): EgressPlan {
    if (!allocationIds || allocationIds.length === 0) return { kind: "allocate", standby };
    const [gateway, instance = gateway] = allocationIds;
    return { kind: "byo", gateway, instance, shared: gateway === instance };
}

/**
 * Whether one address serves both NAT kinds. A switch between gateway and instance must then pass
 * through the strategy none: Pulumi creates the new NAT before it deletes the old one, and the old one still
 * holds the address.
 */
export function sharesOneAddress(plan: EgressPlan): boolean {
    return plan.kind === "allocate" ? !plan.standby : plan.shared;
}

/** How many public addresses the plan keeps (each is billed, attached or not). */
export function addressCount(plan: EgressPlan): number {
    return sharesOneAddress(plan) ? 1 : 2;
}

/** What makes a NAT instance a new one: everything it is built from. */
export interface InstanceGenerationKey {
    /** The image choice: family and CPU, or a pinned AMI id (the AMI itself comes later, from a stash). */
    selector: string;
    /** The instance's imageRefresh label. */
    refresh: string;
    /** Every plain input of the instance (type, key pair, user data, volumes, flags). */
    spec: Record<string, unknown>;
}

/**
 * The NAT instance's generation: a short, stable id of what the instance is built from. A change of
 * any of it makes a *new* instance, under a new logical name, next to the old one (blue/green):
 * the old one keeps the address and the routes until the new one is ready, and is deleted only at
 * the end of a deployment that got that far. Replacing the instance in place would not do: Pulumi
 * marks a replaced resource for deletion as soon as its replacement exists, so a deployment that
 * failed at the new instance's readiness check would delete the working one first thing next time.
 * A type change made in place stops the instance (terraform-provider-aws ec2_instance.go,
 * modifyInstanceAttributeWithStopStart). Hashing every plain input, not a chosen few, keeps a
 * future change of the instance's definition from replacing it in place unnoticed.
 */
export function instanceGeneration(key: InstanceGenerationKey): string {
    const text = JSON.stringify([key.selector, key.refresh, key.spec]);
    return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

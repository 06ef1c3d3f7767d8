// Pure planning for the NAT component: which Elastic IP each strategy binds, and ARN partitions.

/** Which address each strategy uses. */
export type EgressPlan =
    /** The component allocates: one address per NAT kind (`standby`), or one for both. */
    | { kind: "allocate"; standby: boolean }
    | { kind: "byo"; gateway: string; instance: string; shared: boolean };

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
 * through nat=none: Pulumi creates the new NAT before it deletes the old one, and the old one still
 * holds the address.
 */
export function sharesOneAddress(plan: EgressPlan): boolean {
    return plan.kind === "allocate" ? !plan.standby : plan.shared;
}

/** How many public addresses the plan keeps (each is billed, attached or not). */
export function addressCount(plan: EgressPlan): number {
    return sharesOneAddress(plan) ? 1 : 2;
}

/** The ARN partition a region belongs to. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

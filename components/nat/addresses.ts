// The NAT's fixed public addresses: allocated by the component (one per NAT kind, or one for both),
// or your own, bound only once EC2 reports them free or held by this NAT.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describeProblems, givenAddressProblems, type AddressHolding, type NatStrategy } from "../rules";
import { NAT_ARG_NAMES, type ResolvedNatArgs } from "./args";
import { NAT_MESSAGES } from "./messages";

/** Name-tag role of the one address used by both NAT kinds when there is no standby address. */
export const EGRESS_EIP_ROLE = "egress-eip";

/** How a user of the component deploys with another strategy (for the messages that say how to switch). */
export const deployWith = (strategy: NatStrategy) => `set strategy to ${strategy} and run \`pulumi up\``;

/** Who builds the addresses: the component (their parent, and the provider given to it) and its Name tags. */
export interface AddressOwner {
    component: pulumi.ComponentResource;
    name: string;
    tags: (role: string) => Record<string, string>;
}

/** An address a NAT binds: its allocation id and public address. */
export interface Address {
    allocationId: pulumi.Input<string>;
    publicIp: pulumi.Output<string>;
}

/** One NAT's addresses: the gateway's and the instance's (the same one without a standby address). */
export interface ZoneAddresses {
    gateway: Address;
    instance: Address;
}

/** Each zone's NAT addresses, and what must pass before any is bound. */
export interface EgressAddresses {
    /** Per NAT, zone 0 first. */
    zones: ZoneAddresses[];
    /** Every address to register with the partner's allow-list: the gateway's first, then the instance's (each once). */
    egressIps: pulumi.Output<string[]>;
    /**
     * A value the NAT is built or bound with, passed on once your own addresses pass their check.
     * When they fail it, every gate throws the same error object: the resources that wait on it fail
     * instead of being created, and Pulumi's runtime reports the error once (it dedupes by
     * identity). A gate that never passed its value on would leave its resource's registration
     * pending, and the program could not end.
     */
    gate: (value: pulumi.Input<string>) => pulumi.Output<string>;
    /** What the NAT instance waits for: the same check, as a dependency (its error then carries no property name). */
    checked: pulumi.Input<pulumi.Resource[]>;
}

/**
 * Who holds an Elastic IP now: the instance it is on (with its Name tag), or else the network
 * interface (with its type, `nat_gateway` for a NAT gateway's). The look-ups go through `opts`
 * (the component as parent: the provider given to it).
 */
export async function addressHolding(
    eip: { id: string; publicIp: string; instanceId: string; networkInterfaceId: string },
    opts?: pulumi.InvokeOptions,
): Promise<AddressHolding> {
    const holding: AddressHolding = { allocationId: eip.id, publicIp: eip.publicIp };
    if (eip.instanceId) {
        const instance = await aws.ec2.getInstance({ instanceId: eip.instanceId }, opts);
        holding.instance = { id: eip.instanceId, name: instance.tags?.Name };
    } else if (eip.networkInterfaceId) {
        const eni = await aws.ec2.getNetworkInterface({ id: eip.networkInterfaceId }, opts);
        holding.networkInterface = { id: eip.networkInterfaceId, type: eni.interfaceType };
    }
    return holding;
}

/** One address per strategy (see the Nat class comment), one for both, or the user's own; per zone with perAz. */
export function egressAddresses(owner: AddressOwner, args: ResolvedNatArgs): EgressAddresses {
    if (args.egress.kind === "byo") return given(owner, args);
    const standby = args.egress.standby;
    const zones = args.zones.natSubnetIds.map((_, z) => allocated(owner, z, standby));
    return {
        zones,
        egressIps: everyAddress(zones),
        gate: (value) => pulumi.output(value),
        checked: [],
    };
}

/** Every address, zone by zone, each zone's gateway address before its instance address, each once. */
function everyAddress(zones: ZoneAddresses[]): pulumi.Output<string[]> {
    const ips = zones.flatMap((z) => [z.gateway.publicIp, z.instance.publicIp]);
    return pulumi.all(ips).apply((all) => [...new Set(all)]);
}

/** The prefix of zone z's NAT resources' names and Name tags: zone 0 has none (its names predate perAz). */
export const zonePrefix = (z: number): string => (z === 0 ? "" : `zone-${z}-`);

function allocated(owner: AddressOwner, z: number, standby: boolean): ZoneAddresses {
    const { component, name, tags } = owner;
    const parent = { parent: component };
    const prefix = zonePrefix(z);
    // The instance's address keeps its logical name when it becomes the only one (and back), so
    // turning the standby off or on never replaces the address registered with the partner.
    const instanceEip = new aws.ec2.Eip(
        `${name}-${prefix}instance-eip`,
        { domain: "vpc", tags: tags(`${prefix}${standby ? "instance-eip" : EGRESS_EIP_ROLE}`) },
        parent,
    );
    const gatewayEip = standby
        ? new aws.ec2.Eip(`${name}-${prefix}gateway-eip`, { domain: "vpc", tags: tags(`${prefix}gateway-eip`) }, parent)
        : instanceEip;
    return {
        gateway: { allocationId: gatewayEip.allocationId, publicIp: gatewayEip.publicIp },
        instance: { allocationId: instanceEip.allocationId, publicIp: instanceEip.publicIp },
    };
}

/**
 * Your own addresses: who holds each now (looked up through the provider given to this component).
 * The NAT gateway's allocation id, or the NAT instance's address binding's, is given only once the
 * holders pass the rule the program's preflight applies too (givenAddressProblems): no address is
 * pulled off someone else's server (the binding moves it from wherever it is), and one address is
 * not moved between NAT kinds in one step. Otherwise that resource fails with the reason, as soon as
 * the look-ups answer, and the NAT instance is not created either (it depends on the same check).
 */
function given(owner: AddressOwner, args: ResolvedNatArgs): EgressAddresses {
    const { component, name, tags } = owner;
    const plan = args.egress;
    if (plan.kind !== "byo") throw new Error("given() is for your own addresses");
    const parent = { parent: component };
    const ids = plan.shared ? [plan.gateway] : [plan.gateway, plan.instance];
    const holdings = pulumi.all(
        ids.map((id) => aws.ec2.getElasticIpOutput({ id }, parent).apply((eip) => addressHolding(eip, parent))),
    );
    const refusal = holdings.apply((hs) =>
        describeProblems(
            givenAddressProblems(hs, args.strategy, tags("instance").Name, ADDRESS_NAMES, deployWith),
        ).join("; "),
    );
    let refused: pulumi.ResourceError | undefined;
    const passOrThrow = (reason: string): void => {
        if (!reason) return;
        refused ??= new pulumi.ResourceError(NAT_MESSAGES.addressRefused(name, reason), component, true);
        throw refused;
    };
    const gatewayIp = holdings.apply((hs) => hs[0].publicIp);
    const instanceIp = holdings.apply((hs) => hs[hs.length - 1].publicIp);
    const zone = {
        gateway: { allocationId: plan.gateway, publicIp: gatewayIp },
        instance: { allocationId: plan.instance, publicIp: instanceIp },
    };
    return {
        zones: [zone],
        egressIps: everyAddress([zone]),
        gate: (value) => pulumi.all([value, refusal]).apply(([v, reason]): string => (passOrThrow(reason), v)),
        checked: refusal.apply((reason): pulumi.Resource[] => (passOrThrow(reason), [])),
    };
}

/** The property paths the address rules name, and where a new address is registered. */
const ADDRESS_NAMES = {
    strategy: NAT_ARG_NAMES.strategy,
    allocationIds: NAT_ARG_NAMES.allocationIds,
    allowList: NAT_ARG_NAMES.allowList,
};

import * as pulumi from "@pulumi/pulumi";
import { stackIdentity } from "../identity";
import { inputErrors } from "../errors";
import { NatStrategy } from "../rules";
import { childTags } from "../tags";
import { resolveNatArgs, type NatArgs, type ResolvedNatArgs } from "./args";
import { egressAddresses, type EgressAddresses } from "./addresses";
import { natGateway } from "./gateway";
import { instanceStateRule, natInstances } from "./instance";
import { NAT_MESSAGES } from "./messages";
import { privateRoutes, type RouteTarget } from "./routes";

/** What the strategy built, per NAT (zone 0 first): where the routes go and what they wait for, and the outputs. */
interface StrategyParts {
    /** Per NAT: the route target and what routes to it must wait for besides it (an instance's binding and readiness). */
    nats: { target: RouteTarget; waitFor: pulumi.Resource[] }[];
    egressIp?: pulumi.Output<string>;
    natGatewayId?: pulumi.Output<string>;
    instanceId?: pulumi.Output<string>;
}

/**
 * The way out to the internet for the private subnets, with a fixed public address.
 *
 * Switching `strategy` between gateway and instance is a single `pulumi up`:
 * - each private route table has one route named `<name>-private-<i>-default` whose target is
 *   updated in place (ReplaceRoute), never a second route (RouteAlreadyExists);
 * - each strategy has its own Elastic IP, both kept whatever the strategy, so the new NAT gets an
 *   address nobody holds while the old NAT still runs, and both addresses stay registered with
 *   the partner's allow-list. The standby address costs the public IPv4 hourly charge (0.005 USD/h). Without it
 *   (`egressIpStandby: false`) one address serves both, and a switch passes through `none`;
 * - traffic moves to a NAT instance only once it is ready: the routes (and the Elastic IP binding)
 *   wait for a readiness gate that waits for EC2's status checks, not just for `running`;
 * - a NAT instance is never replaced in place: a change of what it is built from makes a new
 *   generation beside the old one (its names carry a hash of those settings), which takes over once ready;
 * - a NAT gateway is waited for by the provider itself: its create returns once the gateway is
 *   `available` (terraform-provider-aws vpc_nat_gateway.go: waitNATGatewayCreated), and the routes
 *   take its id, so they move only then;
 * - your own addresses (`egressIpAllocationIds`) are bound only when EC2 reports them free or held
 *   by this NAT: an address on someone else's instance or network interface is refused, not pulled
 *   away, and so is one address moving between NAT kinds in one deployment.
 */
export class Nat extends pulumi.ComponentResource {
    /** The strategy in use. */
    readonly strategy: pulumi.Output<NatStrategy>;
    /** The address traffic leaves from now; absent when the strategy is none. */
    readonly egressIp: pulumi.Output<string | undefined>;
    /** Every address to register with the partner's allow-list: the gateway's first, then the instance's (each once). */
    readonly egressIps: pulumi.Output<string[]>;
    /** The NAT gateway's id, when the strategy is gateway. */
    readonly natGatewayId: pulumi.Output<string | undefined>;
    /** The NAT instance's id, when the strategy is instance. */
    readonly instanceId: pulumi.Output<string | undefined>;

    constructor(name: string, args: NatArgs, opts?: pulumi.ComponentResourceOptions) {
        // The type token was aligo-sms:nat:Nat; the alias keeps existing stacks' URNs.
        super(
            "aligo-sms:index:Nat",
            name,
            {},
            { ...opts, aliases: [...(opts?.aliases ?? []), { type: "aligo-sms:nat:Nat" }] },
        );
        const { args: resolved, problems } = resolveNatArgs(args);
        inputErrors(`Nat ${name}`, problems);
        let a = resolved!;
        if (a.strategy === NatStrategy.Instance && a.awsIdentity === undefined) {
            // The readiness gate calls EC2 as the stack's aws: configuration says (components/identity.ts);
            // a wrong configuration stops here, before anything is created, naming the key. Read once,
            // and handed to the instances as if given.
            const fromStack = stackIdentity();
            inputErrors(`Nat ${name}`, fromStack.problems);
            for (const w of fromStack.warnings) void pulumi.log.warn(`Nat ${name}: ${w}`, this);
            if (this.getProvider("aws:ec2/instance:Instance"))
                void pulumi.log.warn(NAT_MESSAGES.gateCredentials(name), this);
            a = Object.freeze({ ...a, awsIdentity: fromStack.identity });
        }
        const addresses = egressAddresses({ component: this, name, tags: childTags(name, a.tags) }, a);
        const parts = this.build(name, a, addresses);
        if (parts.nats.length > 0)
            privateRoutes(
                this,
                name,
                a.privateRouteTableIds,
                a.zones.routeTo.map((z) => parts.nats[z]),
            );

        this.strategy = pulumi.output(a.strategy);
        this.egressIp = pulumi.output(parts.egressIp);
        this.egressIps = addresses.egressIps;
        this.natGatewayId = pulumi.output(parts.natGatewayId);
        this.instanceId = pulumi.output(parts.instanceId);
        this.registerOutputs({
            strategy: this.strategy,
            egressIp: this.egressIp,
            egressIps: this.egressIps,
            natGatewayId: this.natGatewayId,
            instanceId: this.instanceId,
        });
    }

    /** The NATs of the strategy, one per NAT zone, each on its public subnet once the internet gateway exists. */
    private build(name: string, a: ResolvedNatArgs, addresses: EgressAddresses): StrategyParts {
        const owner = { component: this, name, tags: childTags(name, a.tags) };
        const subnets = a.zones.natSubnetIds.map((subnet) =>
            pulumi.all([subnet, a.internetGatewayId]).apply(([id]) => id),
        );
        switch (a.strategy) {
            case NatStrategy.Gateway: {
                const gateways = subnets.map((subnetId, z) =>
                    natGateway(
                        owner,
                        z,
                        addresses.gate(addresses.zones[z].gateway.allocationId),
                        subnetId,
                        a.alarmTopicArn,
                    ),
                );
                const nats = gateways.map((g) => ({ target: { natGatewayId: g.id }, waitFor: [] }));
                return { nats, egressIp: addresses.zones[0].gateway.publicIp, natGatewayId: gateways[0].id };
            }
            case NatStrategy.Instance: {
                const instances = natInstances(owner, a, {
                    subnetIds: subnets,
                    allocationIds: addresses.zones.map((z) => addresses.gate(z.instance.allocationId)),
                    addressesChecked: addresses.checked,
                });
                if (a.alarmTopicArn !== undefined) instanceStateRule(owner, instances, a.alarmTopicArn);
                const nats = instances.map((n) => ({
                    target: { networkInterfaceId: n.instance.primaryNetworkInterfaceId },
                    waitFor: [n.association, n.ready],
                }));
                return { nats, egressIp: addresses.zones[0].instance.publicIp, instanceId: instances[0].instance.id };
            }
            case NatStrategy.None:
                return { nats: [] };
            default: {
                const unreachable: never = a.strategy;
                throw new Error(`unknown NAT strategy ${String(unreachable)}`);
            }
        }
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { inputErrors } from "../errors";
import { childTags } from "../tags";
import { resolveNetworkArgs, type NetworkArgs } from "./args";
import { keptZones } from "./zones";

/**
 * Each public subnet's and private route table's own id, kept outside the class so that the
 * component host's schema (which lists a component's properties) shows only the list outputs.
 */
const perIndex = new WeakMap<
    Network,
    { publicSubnetIds: pulumi.Output<string>[]; privateRouteTableIds: pulumi.Output<string>[] }
>();

/**
 * A VPC with public subnets behind an internet gateway and private subnets with one route table
 * each. The private tables get their default route from the NAT component, never from here, and
 * the VPC's main route table is never given an internet route; the VPC's default security group is
 * taken over with no rules. Every logical name here is independent of the NAT, so switching NAT
 * never touches them. Everything has a default: a 10.0.0.0/16 VPC over two zones looked up in the
 * region (each kept once chosen), subnets carved in a layout that never moves.
 */
export class Network extends pulumi.ComponentResource {
    /** The VPC's id. */
    readonly vpcId: pulumi.Output<string>;
    /** The internet gateway's id (attached to the VPC when it exists). */
    readonly internetGatewayId: pulumi.Output<string>;
    /** Public subnet ids, one per zone, in order. */
    readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private subnet ids, one per zone, in order. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** The private subnets' route tables (one each), for the NAT's default routes. */
    readonly privateRouteTableIds: pulumi.Output<string[]>;
    /** The private subnets' blocks, for rules that admit the private side. */
    readonly privateSubnetCidrs: pulumi.Output<string[]>;
    /** The zones of the subnet pairs, in order (given, or looked up and kept). */
    readonly availabilityZones: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        // The type token was aligo-sms:network:Network; the alias keeps existing stacks' URNs,
        // this component's and, through it, its children's.
        super(
            "aligo-sms:index:Network",
            name,
            {},
            { ...opts, aliases: [...(opts?.aliases ?? []), { type: "aligo-sms:network:Network" }] },
        );
        const { args: a, problems } = resolveNetworkArgs(args);
        inputErrors(`Network ${name}`, problems);
        const { layout } = a!;
        // What is allowed but likely a mistake (a VPC block in public address space) is said once.
        for (const warning of layout.warnings) void pulumi.log.warn(warning, this);
        const zones: pulumi.Input<string>[] = a!.availabilityZones
            ? [...a!.availabilityZones]
            : keptZones(this, name, layout.count);
        const parts = { component: this, name, tags: childTags(name, a!.tags) };
        const { vpc, igw } = vpcAndGateway(parts, layout.vpcCidr);
        const publicSubnetIds = publicSubnets(parts, vpc, igw, [...layout.publicCidrs], zones);
        const privates = privateSubnets(parts, vpc, [...layout.privateCidrs], zones);
        const privateSubnetIds = privates.map((p) => p.subnetId);
        const privateRouteTableIds = privates.map((p) => p.routeTableId);

        perIndex.set(this, { publicSubnetIds, privateRouteTableIds });
        this.vpcId = vpc.id;
        this.internetGatewayId = igw.id;
        this.publicSubnetIds = pulumi.all(publicSubnetIds);
        this.privateSubnetIds = pulumi.all(privateSubnetIds);
        this.privateRouteTableIds = pulumi.all(privateRouteTableIds);
        this.privateSubnetCidrs = pulumi.output([...layout.privateCidrs]);
        this.availabilityZones = pulumi.all(zones);
        this.registerOutputs({
            vpcId: this.vpcId,
            internetGatewayId: this.internetGatewayId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            privateRouteTableIds: this.privateRouteTableIds,
            privateSubnetCidrs: this.privateSubnetCidrs,
            availabilityZones: this.availabilityZones,
        });
    }

    /**
     * Public subnet `i`'s id, depending on that subnet only (an element of `publicSubnetIds`
     * depends on every subnet of the list). For TypeScript programs that use the class directly.
     */
    publicSubnetId(i: number): pulumi.Output<string> {
        const id = perIndex.get(this)?.publicSubnetIds[i];
        if (!id) throw new RangeError(`Network has no public subnet ${i}`);
        return id;
    }

    /** Private route table `i`'s id, depending on that table only; see {@link publicSubnetId}. */
    privateRouteTableId(i: number): pulumi.Output<string> {
        const id = perIndex.get(this)?.privateRouteTableIds[i];
        if (!id) throw new RangeError(`Network has no private route table ${i}`);
        return id;
    }
}

/** A child's tags with its zone in its Name: plain when the zone is given, once known when looked up. */
function zoneTags(p: NetworkParts, zone: pulumi.Input<string>, role: (zone: string) => string) {
    return typeof zone === "string" ? p.tags(role(zone)) : pulumi.output(zone).apply((z) => p.tags(role(z)));
}

/** Where the network's resources are built: the component (parent), its name and Name tags. */
interface NetworkParts {
    component: Network;
    name: string;
    tags: (role: string) => Record<string, string>;
}

/** The VPC, its default security group taken over with no rules, and the internet gateway. */
function vpcAndGateway(p: NetworkParts, cidrBlock: string) {
    const parent = { parent: p.component };
    const vpc = new aws.ec2.Vpc(
        `${p.name}-vpc`,
        { cidrBlock, enableDnsSupport: true, enableDnsHostnames: true, tags: p.tags("vpc") },
        parent,
    );
    // Take over the default security group and leave it with no rules, so nothing lands in an
    // allow-all group by accident (Security Hub EC2.2).
    new aws.ec2.DefaultSecurityGroup(
        `${p.name}-default-sg`,
        { vpcId: vpc.id, tags: p.tags("default-sg-unused") },
        parent,
    );
    const igw = new aws.ec2.InternetGateway(`${p.name}-igw`, { vpcId: vpc.id, tags: p.tags("igw") }, parent);
    return { vpc, igw };
}

/** The public subnets, sharing one route table whose default route is the internet gateway. */
function publicSubnets(
    p: NetworkParts,
    vpc: aws.ec2.Vpc,
    igw: aws.ec2.InternetGateway,
    cidrs: string[],
    azs: pulumi.Input<string>[],
): pulumi.Output<string>[] {
    const parent = { parent: p.component };
    const publicRt = new aws.ec2.RouteTable(
        `${p.name}-public-rt`,
        { vpcId: vpc.id, tags: p.tags("public-rt") },
        parent,
    );
    new aws.ec2.Route(
        `${p.name}-public-default`,
        { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
        parent,
    );
    return cidrs.map((cidr, i) => {
        const subnet = new aws.ec2.Subnet(
            `${p.name}-public-${i}`,
            {
                vpcId: vpc.id,
                cidrBlock: cidr,
                availabilityZone: azs[i],
                // Nothing but the NAT lives here, and it gets its address explicitly.
                mapPublicIpOnLaunch: false,
                tags: zoneTags(p, azs[i], (z) => `public-${z}`),
            },
            parent,
        );
        new aws.ec2.RouteTableAssociation(
            `${p.name}-public-${i}-rta`,
            { subnetId: subnet.id, routeTableId: publicRt.id },
            parent,
        );
        return subnet.id;
    });
}

/**
 * The private subnets, each with a route table of its own (as AWS CDK and SST do): each gets its own
 * stably named default route from the NAT component, and a per-AZ NAT needs no renames.
 */
function privateSubnets(p: NetworkParts, vpc: aws.ec2.Vpc, cidrs: string[], azs: pulumi.Input<string>[]) {
    const parent = { parent: p.component };
    return cidrs.map((cidr, i) => {
        const subnet = new aws.ec2.Subnet(
            `${p.name}-private-${i}`,
            {
                vpcId: vpc.id,
                cidrBlock: cidr,
                availabilityZone: azs[i],
                mapPublicIpOnLaunch: false,
                tags: zoneTags(p, azs[i], (z) => `private-${z}`),
            },
            parent,
        );
        const rt = new aws.ec2.RouteTable(
            `${p.name}-private-${i}-rt`,
            { vpcId: vpc.id, tags: zoneTags(p, azs[i], (z) => `private-${z}-rt`) },
            parent,
        );
        new aws.ec2.RouteTableAssociation(
            `${p.name}-private-${i}-rta`,
            { subnetId: subnet.id, routeTableId: rt.id },
            parent,
        );
        return { subnetId: subnet.id, routeTableId: rt.id };
    });
}

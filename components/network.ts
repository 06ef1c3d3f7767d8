import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkSubnetLists, checkVpcCidr, quote, type NetworkNames, type Problem } from "./rules";
import { childTags } from "./tags";
import { inputErrors, plainArgProblems, withoutNulls } from "./errors";

/** The arguments of a {@link Network}. */
export interface NetworkArgs {
    /** The VPC's address block, /16 to /28, e.g. 10.0.0.0/16 (private space expected). */
    vpcCidr: string;
    /** Availability zone names, one per pair of subnets, in order, e.g. ["ap-northeast-2a", "ap-northeast-2b"]. */
    availabilityZones: string[];
    /** One public subnet block per zone, in the same order, inside vpcCidr. */
    publicSubnetCidrs: string[];
    /** One private subnet block per zone, in the same order, inside vpcCidr. */
    privateSubnetCidrs: string[];
    /** Tags added to every resource (none by default); the component adds a Name tag. @default {} */
    tags?: Record<string, string>;
}

const NAMES: NetworkNames = {
    vpcCidr: "vpcCidr",
    publicSubnetCidrs: "publicSubnetCidrs",
    privateSubnetCidrs: "privateSubnetCidrs",
    count: "availabilityZones (count)",
};

/** Checks a {@link NetworkArgs}; the problems name its properties. */
export function networkArgsProblems(given: NetworkArgs): Problem[] {
    const args = withoutNulls(given);
    const blocks = "the subnets are made from it";
    const shapes = plainArgProblems(args, {
        vpcCidr: { shape: "string", whyPlain: blocks },
        availabilityZones: { shape: "strings", whyPlain: "one subnet pair is made per zone" },
        publicSubnetCidrs: { shape: "strings", whyPlain: blocks },
        privateSubnetCidrs: { shape: "strings", whyPlain: blocks },
        tags: { shape: "tags", optional: true },
    });
    if (shapes.length > 0) return shapes;
    const vpc = checkVpcCidr(args.vpcCidr, NAMES);
    const problems = [...vpc.problems];
    if (args.availabilityZones.length === 0)
        problems.push({ path: "availabilityZones", reason: "is empty; give at least one zone" });
    args.availabilityZones.forEach((z, i) => {
        if (!/^[a-z]{2}(-[a-z0-9]+)+$/.test(z))
            problems.push({
                path: `availabilityZones[${i}]`,
                reason: `${quote(z)} is not a zone name such as ap-northeast-2a`,
            });
    });
    problems.push(
        ...checkSubnetLists(
            vpc.vpc,
            args.availabilityZones.length,
            args.publicSubnetCidrs,
            args.privateSubnetCidrs,
            NAMES,
        ),
    );
    return problems;
}

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
 * never touches them.
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

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        // The type token was aligo-sms:network:Network; the alias keeps existing stacks' URNs,
        // this component's and, through it, its children's.
        super(
            "aligo-sms:index:Network",
            name,
            {},
            { ...opts, aliases: [...(opts?.aliases ?? []), { type: "aligo-sms:network:Network" }] },
        );
        inputErrors(`Network ${name}`, networkArgsProblems(args));
        args = withoutNulls(args);
        // What is allowed but likely a mistake (a VPC block in public address space) is said once.
        for (const warning of checkVpcCidr(args.vpcCidr, NAMES).warnings) pulumi.log.warn(warning, this);
        const parent = { parent: this };
        const tags = childTags(name, args.tags);
        const azs = args.availabilityZones;

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.vpcCidr,
                enableDnsSupport: true,
                enableDnsHostnames: true,
                tags: tags("vpc"),
            },
            parent,
        );

        // Take over the default security group and leave it with no rules, so nothing lands in an
        // allow-all group by accident (Security Hub EC2.2).
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.id, tags: tags("default-sg-unused") },
            parent,
        );

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, parent);

        const publicRt = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            { vpcId: vpc.id, tags: tags("public-rt") },
            parent,
        );
        new aws.ec2.Route(
            `${name}-public-default`,
            {
                routeTableId: publicRt.id,
                destinationCidrBlock: "0.0.0.0/0",
                gatewayId: igw.id,
            },
            parent,
        );

        const publicSubnetIds = args.publicSubnetCidrs.map((cidr, i) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-public-${i}`,
                {
                    vpcId: vpc.id,
                    cidrBlock: cidr,
                    availabilityZone: azs[i],
                    // Nothing but the NAT lives here, and it gets its address explicitly.
                    mapPublicIpOnLaunch: false,
                    tags: tags(`public-${azs[i]}`),
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-public-${i}-rta`,
                { subnetId: subnet.id, routeTableId: publicRt.id },
                parent,
            );
            return subnet.id;
        });

        const privateRouteTableIds: pulumi.Output<string>[] = [];
        const privateSubnetIds = args.privateSubnetCidrs.map((cidr, i) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-private-${i}`,
                {
                    vpcId: vpc.id,
                    cidrBlock: cidr,
                    availabilityZone: azs[i],
                    mapPublicIpOnLaunch: false,
                    tags: tags(`private-${azs[i]}`),
                },
                parent,
            );
            // One table per private subnet (as AWS CDK and SST do): each gets its own stably named
            // default route from the NAT component, and a per-AZ NAT later needs no renames.
            const rt = new aws.ec2.RouteTable(
                `${name}-private-${i}-rt`,
                { vpcId: vpc.id, tags: tags(`private-${azs[i]}-rt`) },
                parent,
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-private-${i}-rta`,
                { subnetId: subnet.id, routeTableId: rt.id },
                parent,
            );
            privateRouteTableIds.push(rt.id);
            return subnet.id;
        });

        perIndex.set(this, { publicSubnetIds, privateRouteTableIds });
        this.vpcId = vpc.id;
        this.internetGatewayId = igw.id;
        this.publicSubnetIds = pulumi.all(publicSubnetIds);
        this.privateSubnetIds = pulumi.all(privateSubnetIds);
        this.privateRouteTableIds = pulumi.all(privateRouteTableIds);
        this.privateSubnetCidrs = pulumi.output([...args.privateSubnetCidrs]);
        this.registerOutputs({
            vpcId: this.vpcId,
            internetGatewayId: this.internetGatewayId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            privateRouteTableIds: this.privateRouteTableIds,
            privateSubnetCidrs: this.privateSubnetCidrs,
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

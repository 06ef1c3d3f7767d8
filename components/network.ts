import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "./tags";

export interface NetworkArgs {
    /** VPC block, e.g. 10.0.0.0/16 (no default here: config resolves it). */
    vpcCidr: string;
    /** Availability zone names, one per subnet pair, in order (required; looked up by preflight). */
    availabilityZones: string[];
    /** One public block per AZ (same order as availabilityZones). */
    publicSubnetCidrs: string[];
    /** One private block per AZ (same order as availabilityZones). */
    privateSubnetCidrs: string[];
    /** Tags added to every resource; the component adds a Name tag of its own. Default none. */
    tags?: Record<string, string>;
}

/**
 * A VPC with public subnets behind an internet gateway and private subnets that have one route
 * table each. The private tables get their default route from the NAT component, never from here,
 * and the VPC's main route table is never given an internet route.
 *
 * Every logical name here is independent of the NAT strategy, so switching NAT never touches them.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly internetGateway: aws.ec2.InternetGateway;
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly privateRouteTableIds: pulumi.Output<string>[];
    /** Private blocks as given, for security group rules that admit the private side. */
    readonly privateSubnetCidrs: string[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aligo-sms:network:Network", name, {}, opts);
        const { availabilityZones: azs, publicSubnetCidrs, privateSubnetCidrs } = args;
        if (publicSubnetCidrs.length !== azs.length || privateSubnetCidrs.length !== azs.length) {
            throw new Error(`Network ${name}: need one public and one private block per AZ (${azs.length} AZs)`);
        }
        const parent = { parent: this };
        const tags = childTags(name, args.tags);

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: args.vpcCidr,
            enableDnsSupport: true,
            enableDnsHostnames: true,
            tags: tags("vpc"),
        }, parent);

        // Take over the default security group and leave it with no rules, so nothing lands in an
        // allow-all group by accident (Security Hub EC2.2).
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: tags("default-sg-unused") }, parent);

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, parent);

        const publicRt = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: tags("public-rt") }, parent);
        new aws.ec2.Route(`${name}-public-default`, {
            routeTableId: publicRt.id,
            destinationCidrBlock: "0.0.0.0/0",
            gatewayId: igw.id,
        }, parent);

        this.publicSubnetIds = publicSubnetCidrs.map((cidr, i) => {
            const subnet = new aws.ec2.Subnet(`${name}-public-${i}`, {
                vpcId: vpc.id,
                cidrBlock: cidr,
                availabilityZone: azs[i],
                // Nothing but the NAT lives here, and it gets its address explicitly.
                mapPublicIpOnLaunch: false,
                tags: tags(`public-${azs[i]}`),
            }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-public-${i}-rta`, { subnetId: subnet.id, routeTableId: publicRt.id }, parent);
            return subnet.id;
        });

        const privateRouteTableIds: pulumi.Output<string>[] = [];
        this.privateSubnetIds = privateSubnetCidrs.map((cidr, i) => {
            const subnet = new aws.ec2.Subnet(`${name}-private-${i}`, {
                vpcId: vpc.id,
                cidrBlock: cidr,
                availabilityZone: azs[i],
                mapPublicIpOnLaunch: false,
                tags: tags(`private-${azs[i]}`),
            }, parent);
            // One table per private subnet (as AWS CDK and SST do): each gets its own stably named
            // default route from the NAT component, and a per-AZ NAT later needs no renames.
            const rt = new aws.ec2.RouteTable(`${name}-private-${i}-rt`, { vpcId: vpc.id, tags: tags(`private-${azs[i]}-rt`) }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}-rta`, { subnetId: subnet.id, routeTableId: rt.id }, parent);
            privateRouteTableIds.push(rt.id);
            return subnet.id;
        });

        this.vpcId = vpc.id;
        this.internetGateway = igw;
        this.privateRouteTableIds = privateRouteTableIds;
        this.privateSubnetCidrs = [...privateSubnetCidrs];
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            privateRouteTableIds: this.privateRouteTableIds,
        });
    }
}

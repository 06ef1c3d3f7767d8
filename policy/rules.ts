// The troubleshooting rules as stack validations. Each works on the resource graph the policy
// engine hands over (PolicyResource: type, props, propertyDependencies), and follows references
// through propertyDependencies, so it holds during a first preview, when ids are still unknown.
import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import { NAT_GATEWAY_PRICES, idleMonth, type NatGatewayPrice } from "./prices";

export const T = {
    ssmParameter: "aws:ssm/parameter:Parameter",
    fn: "aws:lambda/function:Function",
    subnet: "aws:ec2/subnet:Subnet",
    rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    route: "aws:ec2/route:Route",
    igw: "aws:ec2/internetGateway:InternetGateway",
    natGateway: "aws:ec2/natGateway:NatGateway",
    instance: "aws:ec2/instance:Instance",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    permission: "aws:lambda/permission:Permission",
} as const;

/** Resources a property's value came from, optionally of one type. */
function refs(r: PolicyResource, prop: string, type?: string): PolicyResource[] {
    const deps = r.propertyDependencies?.[prop] ?? [];
    return type ? deps.filter((d) => d.type === type) : deps;
}

const points = (from: PolicyResource, prop: string, to: PolicyResource) =>
    refs(from, prop).some((d) => d.urn === to.urn);

/** What a subnet's default route leads to. */
export type DefaultRoute = "nat" | "internet-gateway" | "none" | "other";

export function defaultRouteOf(subnet: PolicyResource, all: PolicyResource[]): DefaultRoute {
    const tables = all
        .filter((a) => a.type === T.rta && points(a, "subnetId", subnet))
        .flatMap((a) => refs(a, "routeTableId"));
    const routes = all.filter(
        (r) =>
            r.type === T.route &&
            r.props.destinationCidrBlock === "0.0.0.0/0" &&
            tables.some((t) => points(r, "routeTableId", t)),
    );
    if (routes.length === 0) return "none";
    const route = routes[0];
    if (refs(route, "gatewayId", T.igw).length > 0 || String(route.props.gatewayId ?? "").startsWith("igw-"))
        return "internet-gateway";
    if (
        refs(route, "natGatewayId").length > 0 ||
        route.props.natGatewayId ||
        refs(route, "networkInterfaceId", T.instance).length > 0 ||
        refs(route, "instanceId", T.instance).length > 0
    )
        return "nat";
    return "other";
}

/** Lambda functions attach only to private subnets whose default route, if any, is a NAT. */
export function lambdaInPrivateSubnets(all: PolicyResource[], report: ReportViolation): void {
    for (const fn of all.filter((r) => r.type === T.fn)) {
        const subnets = refs(fn, "vpcConfig", T.subnet);
        if (!fn.props.vpcConfig && subnets.length === 0) {
            report(
                `Lambda ${fn.name} is not in a VPC: its outbound address changes, and Aligo will refuse it (-101 인증오류입니다.-IP). Attach it to the private subnets.`,
                fn.urn,
            );
            continue;
        }
        for (const subnet of subnets) {
            const route = defaultRouteOf(subnet, all);
            if (route === "internet-gateway") {
                report(
                    `Lambda ${fn.name} is attached to ${subnet.name}, a public subnet (its default route is the internet gateway). A Lambda gets no public IP there, so every call out times out. Use the private subnets, whose default route is the NAT.`,
                    fn.urn,
                );
            } else if (route === "other") {
                report(
                    `Lambda ${fn.name} is attached to ${subnet.name}, whose default route goes neither to a NAT gateway nor to a NAT instance.`,
                    fn.urn,
                );
            }
        }
    }
}

const VPC_POLICIES = /AWSLambdaVPCAccessExecutionRole|AWSLambdaENIManagementAccess/;
const ENI_ACTIONS = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"];

/** A VPC function's role can manage the ENIs the function needs. */
export function lambdaRoleCanManageEnis(all: PolicyResource[], report: ReportViolation): void {
    for (const fn of all.filter((r) => r.type === T.fn && (r.props.vpcConfig || refs(r, "vpcConfig").length > 0))) {
        const roles = refs(fn, "role", T.role);
        if (roles.length === 0) continue; // a role from outside this stack: nothing to check here
        const role = roles[0];
        const attached = all.some(
            (a) =>
                a.type === T.attachment &&
                points(a, "role", role) &&
                VPC_POLICIES.test(String(a.props.policyArn ?? "")),
        );
        const inline = all.some((p) => {
            if (p.type !== T.rolePolicy || !points(p, "role", role) || typeof p.props.policy !== "string") return false;
            const text = p.props.policy;
            return ENI_ACTIONS.every((a) => text.includes(a)) || text.includes('"ec2:*"');
        });
        if (!attached && !inline) {
            report(
                `Lambda ${fn.name}'s role ${role.name} cannot manage network interfaces: a function in a VPC fails to start ("The provided execution role does not have permissions to call CreateNetworkInterface on EC2"). Attach AWSLambdaVPCAccessExecutionRole.`,
                fn.urn,
            );
        }
    }
}

/** Instances that are some route's NAT target. */
export function natInstances(all: PolicyResource[]): PolicyResource[] {
    const targets = new Set(
        all
            .filter((r) => r.type === T.route)
            .flatMap((r) => [...refs(r, "networkInterfaceId", T.instance), ...refs(r, "instanceId", T.instance)])
            .map((i) => i.urn),
    );
    return all.filter((r) => r.type === T.instance && (targets.has(r.urn) || r.props.sourceDestCheck === false));
}

/** The NAT instance forwards (source/dest check off) and sits in a public subnet. */
export function natInstanceForwards(all: PolicyResource[], report: ReportViolation): void {
    for (const inst of natInstances(all)) {
        if (inst.props.sourceDestCheck !== false) {
            report(
                `NAT instance ${inst.name} has source/dest check on: it drops every packet it is asked to forward, and the Lambdas time out. Set sourceDestCheck: false.`,
                inst.urn,
            );
        }
        for (const subnet of refs(inst, "subnetId", T.subnet)) {
            if (defaultRouteOf(subnet, all) !== "internet-gateway") {
                report(
                    `NAT instance ${inst.name} is in ${subnet.name}, which is not a public subnet (no default route to the internet gateway): it cannot reach the internet itself.`,
                    inst.urn,
                );
            }
        }
    }
}

const OPEN = ["0.0.0.0/0", "::/0"];

/** A security group rule as the engine hands it over (the provider's schema: aws.types.input.ec2.SecurityGroupIngress). */
interface IngressRule {
    protocol?: string;
    fromPort?: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
}

/** One statement of an IAM policy document (the fields the invoke rule reads). */
interface PolicyStatement {
    Effect?: string;
    Action?: string | string[];
    Resource?: string | string[];
}

/** The NAT instance's security group admits the private side only, never the whole internet. */
export function natSecurityGroupClosed(all: PolicyResource[], report: ReportViolation): void {
    for (const inst of natInstances(all)) {
        for (const sg of refs(inst, "vpcSecurityGroupIds", T.sg)) {
            const rules = (sg.props.ingress ?? []) as IngressRule[];
            const open = rules.filter((r) =>
                [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])].some((c) => OPEN.includes(c)),
            );
            if (open.length > 0) {
                const what = open.map((r) => (r.protocol === "-1" ? "all traffic" : `${r.protocol}/${r.fromPort}`));
                report(
                    `Security group ${sg.name} of NAT instance ${inst.name} admits ${what.join(", ")} from anywhere: it makes an open relay. Admit only the private subnets' blocks (or the Lambda security group).`,
                    sg.urn,
                );
            }
            if (rules.length === 0) {
                report(
                    `Security group ${sg.name} of NAT instance ${inst.name} admits nothing: the private subnets' traffic is rejected and the Lambdas time out. Admit the private subnets' blocks.`,
                    sg.urn,
                );
            }
        }
    }
}

/** Invoke permissions name one function: never AWSLambdaRole, never `*`. */
export function invokeScopedToOneFunction(all: PolicyResource[], report: ReportViolation): void {
    for (const a of all.filter((r) => r.type === T.attachment)) {
        if (/\/AWSLambdaRole$|\/AWSLambda_FullAccess$/.test(String(a.props.policyArn ?? ""))) {
            report(
                `${a.name} attaches ${String(a.props.policyArn).split("/").pop()}: the role may invoke every function in the account. Grant lambda:InvokeFunction on the SMS function's ARN only.`,
                a.urn,
            );
        }
    }
    for (const p of all.filter((r) => r.type === T.rolePolicy)) {
        if (typeof p.props.policy !== "string") {
            // Unknown until the function exists (first preview): judge by what it was built from.
            const fns = refs(p, "policy", T.fn);
            if (fns.length > 1)
                report(
                    `${p.name} is built from ${fns.length} functions' ARNs; the warmer's policy should name one.`,
                    p.urn,
                );
            continue;
        }
        const document = JSON.parse(p.props.policy) as { Statement?: PolicyStatement | PolicyStatement[] };
        const statements = [document.Statement ?? []].flat();
        for (const st of statements) {
            const actions = [st.Action].flat().map(String);
            if (
                st.Effect !== "Allow" ||
                !actions.some((a) => a === "*" || a === "lambda:*" || a === "lambda:InvokeFunction")
            )
                continue;
            const resources = [st.Resource].flat().map(String);
            // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]; a qualifier wildcard
            // (versions and aliases of one function) is fine, a wildcard in the name is not.
            const names = resources.map((r) => r.split(":"));
            const wild = resources.filter(
                (r, i) =>
                    r === "*" || names[i][5] !== "function" || names[i].slice(0, 7).some((part) => part.includes("*")),
            );
            const functions = new Set(names.map((parts) => parts.slice(0, 7).join(":")));
            if (actions.some((a) => a === "*" || a === "lambda:*"))
                report(`${p.name} allows ${actions.join(", ")}; allow lambda:InvokeFunction only.`, p.urn);
            if (wild.length > 0)
                report(
                    `${p.name} allows invoking ${wild.join(", ")}: name the SMS function's ARN (and ARN:* for its versions) instead.`,
                    p.urn,
                );
            else if (functions.size > 1)
                report(
                    `${p.name} allows invoking ${functions.size} functions (${[...functions].join(", ")}); the warmer needs one.`,
                    p.urn,
                );
        }
    }
}

function regionOf(r: PolicyResource): string | undefined {
    const region: unknown = r.provider?.props?.region;
    return typeof region === "string" ? region : undefined;
}

/** The advisory's words: a region with prices gets its figures; any other says its price is unknown. */
const COST_TEXT = {
    figures: (region: string, price: NatGatewayPrice) => {
        const month = idleMonth(price);
        return `${month.usd.toFixed(2)} USD/month idle in ${region} (${month.quantity}), plus ${price.gb} USD per GB processed`;
    },
    known: (name: string, figures: string) =>
        `NAT gateway ${name} bills ${figures}, whether anything uses it or not. For development, ` +
        "`pulumi config set nat instance` costs a few USD; `nat none` or `pulumi destroy` stops the charge.",
    unknown: (name: string, region: string | undefined, known: string[]) =>
        `NAT gateway ${name} bills by the hour whether anything uses it or not, plus per GB processed; ` +
        `its price in ${region ?? "its region (not readable from its provider)"} is unknown to this pack ` +
        `(it has prices for ${known.join(", ")}). For development, \`pulumi config set nat instance\` costs a few USD; ` +
        "`nat none` or `pulumi destroy` stops the charge.",
};

/** Advisory: what a NAT gateway costs a month, idle; unknown, not another region's figure, where the pack has no price. */
export function natGatewayCost(all: PolicyResource[], report: ReportViolation): void {
    for (const gw of all.filter((r) => r.type === T.natGateway)) {
        const region = regionOf(gw);
        const price =
            region !== undefined && Object.hasOwn(NAT_GATEWAY_PRICES, region) ? NAT_GATEWAY_PRICES[region] : undefined;
        report(
            price && region
                ? COST_TEXT.known(gw.name, COST_TEXT.figures(region, price))
                : COST_TEXT.unknown(gw.name, region, Object.keys(NAT_GATEWAY_PRICES)),
            gw.urn,
        );
    }
}

/** Advisory: the end-of-life amzn-ami-vpc-nat image. */
export function endOfLifeNatImage(all: PolicyResource[], report: ReportViolation): void {
    for (const inst of natInstances(all)) {
        const tags = (inst.props.tags ?? {}) as Record<string, string | undefined>;
        const image = tags.NatImage ?? "";
        if (image.startsWith("amzn-ami-vpc-nat")) {
            report(
                `NAT instance ${inst.name} runs ${image}: Amazon Linux AMI 2018.03, out of maintenance since 2023-12-31, deprecated, x86 only, IMDSv1 kept on. Prefer \`pulumi config set natImage fck-nat\` (or al2023), e.g. on t4g.nano.`,
                inst.urn,
            );
        }
    }
}

/** Names of environment variables that hold credentials (not the name of where they are kept). */
const CREDENTIAL_NAME = /(^|_)(API_?KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIALS?|PRIVATE_KEY)($|_)/i;
/** Values that point at a secret store rather than holding the secret: a parameter path or a Secrets Manager / SSM ARN. */
const STORE_REFERENCE = /^(\/[\w.\-/]+|arn:aws[\w-]*:(ssm|secretsmanager):.*)$/;

/**
 * No Lambda function's environment holds a secret: `lambda:GetFunctionConfiguration` shows every
 * variable in plain text to anyone who may call it. A policy cannot see which values the stack
 * marks secret (they arrive unwrapped; pulumi/pulumi-policy#241, open, read 2026-11-25), so two
 * things are checked instead: a variable whose value is the value of one of the stack's SSM
 * SecureString parameters (a secret copied out of its store), and a variable named like a
 * credential (…_API_KEY, …_SECRET, …_TOKEN, …_PASSWORD) whose value is not a reference to a store.
 */
export function lambdaEnvironmentHoldsNoSecret(all: PolicyResource[], report: ReportViolation): void {
    const stored = new Set(
        all
            .filter(
                (r) =>
                    r.type === T.ssmParameter &&
                    r.props.type === "SecureString" &&
                    typeof r.props.value === "string" &&
                    r.props.value !== "",
            )
            .map((r) => r.props.value as string),
    );
    for (const fn of all.filter((r) => r.type === T.fn)) {
        const environment = (fn.props.environment ?? {}) as { variables?: Record<string, unknown> };
        const vars = environment.variables ?? {};
        for (const [name, value] of Object.entries(vars)) {
            if (typeof value !== "string" || value === "") continue;
            if (stored.has(value)) {
                report(
                    `Lambda ${fn.name}'s environment variable ${name} holds the value of an SSM SecureString parameter of this stack: anyone who may call lambda:GetFunctionConfiguration reads it. Pass the parameter's name and read it in the function.`,
                    fn.urn,
                );
            } else if (CREDENTIAL_NAME.test(name) && !STORE_REFERENCE.test(value)) {
                report(
                    `Lambda ${fn.name}'s environment variable ${name} looks like a credential held in plain text (readable with lambda:GetFunctionConfiguration). Keep it in SSM Parameter Store or Secrets Manager and pass its name.`,
                    fn.urn,
                );
            }
        }
    }
}

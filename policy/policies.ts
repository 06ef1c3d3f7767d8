// The aligo-sms policy pack's policies: mandatory ones encode the troubleshooting rules (each
// prevents a failure users hit), advisory ones say what costs money or is end of life.
import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import {
    endOfLifeNatImage,
    invokeScopedToOneFunction,
    lambdaEnvironmentHoldsNoSecret,
    lambdaInPrivateSubnets,
    lambdaRoleCanManageEnis,
    natGatewayCost,
    natInstanceForwards,
    natSecurityGroupClosed,
} from "./rules";

type Rule = (all: PolicyResource[], report: ReportViolation) => void;

const policy = (
    name: string,
    description: string,
    enforcementLevel: "mandatory" | "advisory",
    rule: Rule,
): StackValidationPolicy => ({
    name,
    description,
    enforcementLevel,
    validateStack: (args, report) => rule(args.resources, report),
});

export const policies: StackValidationPolicy[] = [
    policy(
        "lambda-private-subnet-behind-nat",
        "Lambda functions attach only to private subnets whose default route is a NAT (never the internet gateway).",
        "mandatory",
        lambdaInPrivateSubnets,
    ),
    policy(
        "lambda-role-can-manage-enis",
        "A VPC function's role can create and delete its network interfaces (AWSLambdaVPCAccessExecutionRole).",
        "mandatory",
        lambdaRoleCanManageEnis,
    ),
    policy(
        "nat-instance-forwards",
        "The NAT instance has source/dest check off and sits in a public subnet.",
        "mandatory",
        natInstanceForwards,
    ),
    policy(
        "nat-instance-sg-not-open",
        "The NAT instance's security group admits the private side only, never 0.0.0.0/0.",
        "mandatory",
        natSecurityGroupClosed,
    ),
    policy(
        "warmer-invokes-one-function",
        "Invoke permissions name one function: never AWSLambdaRole, never *.",
        "mandatory",
        invokeScopedToOneFunction,
    ),
    policy(
        "lambda-environment-holds-no-secret",
        "No Lambda environment variable holds a secret (the value of a SecureString parameter, or a credential in plain text).",
        "mandatory",
        lambdaEnvironmentHoldsNoSecret,
    ),
    policy("nat-gateway-monthly-cost", "What a NAT gateway costs a month, idle.", "advisory", natGatewayCost),
    policy("nat-image-end-of-life", "The amzn-ami-vpc-nat image is end of life.", "advisory", endOfLifeNatImage),
];

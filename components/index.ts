// The aligo-sms component package: a VPC, and a switchable NAT with fixed egress addresses.
// Pulumi's TypeScript component host reads this entry (package.json "main") and infers each
// component's schema from its constructor's `args` interface and its public Output fields.
export {
    DEFAULT_AZ_COUNT,
    DEFAULT_VPC_CIDR,
    Network,
    networkArgsProblems,
    resolveNetworkArgs,
    type NetworkArgs,
} from "./network";
export {
    DEFAULT_NAT_IMAGE,
    DEFAULT_NAT_INSTANCE_TYPE,
    EGRESS_EIP_ROLE,
    NAT_ARG_NAMES,
    Nat,
    NatStrategy,
    addressHolding,
    natArgsProblems,
    zonePrefix,
    resolveNatArgs,
    type NatAdoptedInstance,
    type NatArgs,
    type NatInstanceSettings,
    type ResolvedNatArgs,
} from "./nat";

// The pure rules, layout and image knowledge the components check their arguments with, for a
// program that checks its own configuration in the same words before it builds them (this
// repository's program does), and the deploy-time wait helpers for a program's own waits.
export { MAX_AZ, carveSubnets, formatCidr, parseCidr, type Cidr } from "./cidr";
export { lookupCause } from "./errors";
export { resolveLayout, type Layout, type LayoutInput } from "./layout";
export {
    IMAGE_FAMILIES,
    NAT_IMAGE_FAMILIES,
    amiQuery,
    familyOfImageName,
    imageArgument,
    imageLookupFailed,
    imageSelector,
    instanceArchitecture,
    pinnedArchitectureProblem,
    profileFor,
    type Architecture,
    type ImageProfile,
    type NatImage,
} from "./images";
export { addressCount, egressPlan, sharesOneAddress, type EgressPlan } from "./nat-plan";
export {
    NAT_STRATEGY_VALUES,
    carveOrExplain,
    checkEgress,
    checkNatInstance,
    checkStrategy,
    checkSubnetLists,
    checkVpcCidr,
    describeProblems,
    givenAddressProblems,
    heldSwitchProblem,
    holderKind,
    isNatStrategy,
    quote,
    type AddressHolding,
    type NatNames,
    type NetworkNames,
    type Problem,
} from "./rules";
export { childTags } from "./tags";
export { REQUIRED_PULUMI_VERSION } from "./version";
export {
    classifyError,
    credentialsHint,
    deadlineAbort,
    duration,
    ec2Client,
    pollUntil,
    sleep,
    verdictError,
    waitInputs,
    type Ec2Access,
    type PollOptions,
    type WaitArgs,
} from "./waiters";
export {
    describeIdentity,
    identityOutput,
    identityProblems,
    providerIdentity,
    stackIdentity,
    type AwsAssumeRole,
    type AwsIdentity,
    type WaitIdentity,
    type WaitRole,
} from "./identity";

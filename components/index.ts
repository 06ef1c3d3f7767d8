// The aligo-sms component package: a VPC, and a switchable NAT with fixed egress addresses.
// Pulumi's TypeScript component host reads this entry (package.json "main") and infers each
// component's schema from its constructor's `args` interface and its public Output fields.
export { Network, networkArgsProblems, type NetworkArgs } from "./network";
export {
    DEFAULT_NAT_IMAGE,
    DEFAULT_NAT_INSTANCE_TYPE,
    Nat,
    NatStrategy,
    REQUIRED_PULUMI_VERSION,
    natArgsProblems,
    type NatAdoptedInstance,
    type NatArgs,
    type NatInstanceSettings,
} from "./nat";

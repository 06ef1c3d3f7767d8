// The Nat component (nat.ts) and what it is built from: its arguments (args.ts), addresses
// (addresses.ts), gateway (gateway.ts), instance (instance.ts, image.ts) and routes (routes.ts).
export { EGRESS_EIP_ROLE, addressHolding, zonePrefix } from "./addresses";
export {
    DEFAULT_NAT_IMAGE,
    DEFAULT_NAT_INSTANCE_TYPE,
    NAT_ARG_NAMES,
    natArgsProblems,
    resolveNatArgs,
    type NatAdoptedInstance,
    type NatArgs,
    type NatInstanceSettings,
    type ResolvedNatArgs,
} from "./args";
export { Nat } from "./nat";
// The strategy enum lives with the rules (pure, no @pulumi/aws); it is part of this component's API.
export { NatStrategy } from "../rules";

// The Network component (network.ts), its arguments (args.ts) and its kept zones (zones.ts).
export { DEFAULT_AZ_COUNT, DEFAULT_VPC_CIDR, networkArgsProblems, resolveNetworkArgs, type NetworkArgs } from "./args";
export { Network } from "./network";

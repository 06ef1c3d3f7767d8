/**
 * The oldest Pulumi CLI with what the components rely on: the built-in `Stash` resource (3.208),
 * which keeps a NAT instance's image and a Network's looked-up zones. An older engine would fail on
 * it with a less helpful message; the components check first.
 */
export const REQUIRED_PULUMI_VERSION = ">=3.208.0";

// The names the program's NAT component gives its children, as the look-ups find them by.
import { childTags, zonePrefix, type NatStrategy } from "../../components/index";

/** The name of the NAT component the program creates (its children's Name tags start with it). */
export const NAT_COMPONENT_NAME = "nat";

/** The Name tag the NAT component gives a child, as the program names the component. */
export const natName = (role: string): string => childTags(NAT_COMPONENT_NAME, undefined)(role).Name;

/** The name of the Network component the program creates. */
export const NETWORK_COMPONENT_NAME = "network";

/**
 * The Name tag of the address zone z's NAT of kind `nat` binds: its own address with a standby
 * address (`gateway-eip`, `instance-eip`), else the zone's one address (`egress-eip`).
 */
export function addressName(z: number, nat: Exclude<NatStrategy, "none">, standby: boolean): string {
    return natName(`${zonePrefix(z)}${standby ? `${nat}-eip` : "egress-eip"}`);
}

// The NAT's settings: the strategy, the instance's type, image, key pair, SSH block and image
// refresh, and the Elastic IPs. The rules are the Nat component's own (components/rules.ts).
import {
    type Architecture,
    type NatImage,
    NAT_STRATEGY_VALUES,
    checkEgress,
    checkNatInstance,
    checkStrategy,
    isNatStrategy,
    type NatNames,
    type NatStrategy,
} from "../../components/index";
import type { RawReader } from "./reader";

export interface NatConfig {
    readonly nat: NatStrategy;
    readonly natInstanceType: string;
    readonly natImage: NatImage;
    /** CPU architecture of `natInstanceType`. */
    readonly natArchitecture: Architecture;
    readonly natKeyName?: string;
    readonly natSshCidr?: string;
    /** Bring-your-own Elastic IPs (1 or 2); undefined when the program allocates its own. */
    readonly egressIpAllocationIds?: string[];
    /**
     * Whether the program keeps a standby address for the NAT kind that is off (one per kind, so a
     * switch is one `pulumi up`), or allocates just one (a switch then passes through nat=none).
     */
    readonly egressIpStandby: boolean;
    /** Any new value moves the NAT instance to the newest image of its kind at the next `up`; "" = none yet. */
    readonly natImageRefresh: string;
    /** One NAT per zone (each private subnet routes to its own zone's NAT), or one for the VPC. */
    readonly natPerAz: boolean;
}

/** The config keys the Nat component's rules are told about (its property paths, as this program names them). */
export const NAT_CONFIG_NAMES: NatNames = {
    strategy: "nat",
    instanceType: "natInstanceType",
    image: "natImage",
    keyName: "natKeyName",
    sshCidr: "natSshCidr",
    refresh: "natImageRefresh",
    allocationIds: "egressIpAllocationIds",
    standby: "egressIpStandby",
    allowList: "with Aligo (연동형 API → 발송 IP)",
};

export function parseNatConfig(r: RawReader): NatConfig | undefined {
    const natRaw = r.need("nat", `allowed: ${NAT_STRATEGY_VALUES.join(", ")}`);
    if (natRaw !== undefined) r.problemsFrom(checkStrategy(natRaw, NAT_CONFIG_NAMES));
    const nat = natRaw !== undefined && isNatStrategy(natRaw) ? natRaw : undefined;
    const instanceType = r.need("natInstanceType", "e.g. t3.nano");
    const image = r.need("natImage", "allowed: amzn-ami-vpc-nat, fck-nat, al2023 or an ami-… id");
    const keyName = r.str("natKeyName");
    const sshCidr = r.str("natSshCidr");
    const refresh = r.str("natImageRefresh") ?? "";
    const instance =
        instanceType !== undefined && image !== undefined
            ? checkNatInstance({ instanceType, image, keyName, sshCidr, refresh }, NAT_CONFIG_NAMES)
            : undefined;
    if (instance) r.problemsFrom(instance.problems);
    const ids = r.list("egressIpAllocationIds");
    const standby = r.bool("egressIpStandby");
    const egress = checkEgress(ids, standby, NAT_CONFIG_NAMES);
    r.problemsFrom(egress);
    const perAz = r.bool("natPerAz");
    if (perAz && ids !== undefined)
        r.fail(
            `natPerAz: true cannot use egressIpAllocationIds (${ids.join(", ")}): with one NAT per zone the program allocates ` +
                `the addresses itself (one per zone and NAT kind); remove egressIpAllocationIds, or set natPerAz false`,
        );

    if (
        nat === undefined ||
        instanceType === undefined ||
        !instance?.value ||
        standby === undefined ||
        perAz === undefined ||
        egress.length > 0
    )
        return undefined;
    return {
        nat,
        natInstanceType: instanceType,
        natImage: instance.value.image,
        natArchitecture: instance.value.architecture,
        natKeyName: keyName,
        natSshCidr: instance.value.sshCidr,
        egressIpAllocationIds: ids,
        egressIpStandby: standby,
        natImageRefresh: refresh,
        natPerAz: perAz,
    };
}

// Pure knowledge about NAT instance images: where to find them, what CPU they run on, whether
// they survive IMDSv2-only, and what user data they need. No Pulumi, no AWS SDK.

export const NAT_IMAGE_FAMILIES = ["amzn-ami-vpc-nat", "fck-nat", "al2023"] as const;
export type NatImageFamily = (typeof NAT_IMAGE_FAMILIES)[number];
export type Architecture = "x86_64" | "arm64";

/** An image choice: one of the families, or a pinned AMI id. */
export type NatImage = { kind: "family"; family: NatImageFamily } | { kind: "ami"; id: string };

/** The image choice as the component's `instance.image` takes it: the family name, or the pinned id. */
export function imageArgument(image: NatImage): string {
    return image.kind === "family" ? image.family : image.id;
}

/** The selector of an image choice: the family and CPU, or the pinned id. */
export function imageSelector(image: NatImage, architecture: Architecture): string {
    return image.kind === "family" ? `${image.family}/${architecture}` : image.id;
}

export const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

interface FamilyFacts {
    /** Image owners passed to DescribeImages. */
    readonly owners: string[];
    /** Name pattern for DescribeImages, per architecture. */
    readonly namePattern: (arch: Architecture) => string;
    readonly architectures: readonly Architecture[];
    /**
     * Whether the image's own boot scripts work when IMDSv1 is switched off. Unknown counts as no:
     * a NAT that silently stops masquerading is worse than an IMDSv1 finding.
     */
    readonly imdsv2Only: boolean;
    /** Whether it masquerades by itself, or needs {@link al2023UserData}. */
    readonly needsUserData: boolean;
    readonly endOfLife?: string;
}

export const IMAGE_FAMILIES: Record<NatImageFamily, FamilyFacts> = {
    // Amazon Linux AMI 2018.03 based; maintenance ended 2023-12-31; x86_64 only; deprecated, so a
    // plain lookup finds nothing. Its configure-pat.sh reads instance metadata without a token in
    // the builds we know of, and nobody has confirmed it works IMDSv2-only, so IMDSv1 stays on.
    "amzn-ami-vpc-nat": {
        owners: ["amazon"],
        namePattern: () => "amzn-ami-vpc-nat-*",
        architectures: ["x86_64"],
        imdsv2Only: false,
        needsUserData: false,
        endOfLife: "2023-12-31",
    },
    // fck-nat (AL2023 based), published by its maintainer's account; both architectures; IMDSv2.
    "fck-nat": {
        owners: ["568608671756"],
        namePattern: (arch) => `fck-nat-al2023-*-${arch}-ebs`,
        architectures: ["arm64", "x86_64"],
        imdsv2Only: true,
        needsUserData: false,
    },
    // Plain Amazon Linux 2023 plus the iptables user data AWS CDK's NatInstanceProviderV2 writes.
    al2023: {
        owners: ["amazon"],
        namePattern: (arch) => `al2023-ami-2023.*-kernel-*-${arch}`,
        architectures: ["arm64", "x86_64"],
        imdsv2Only: true,
        needsUserData: true,
    },
};

/**
 * CPU architecture of an EC2 instance type, from its name. Graviton families carry a `g` right
 * after the generation digit (t4g, m7g, c7gn, r8gd, x2gd, im4gn, ...), plus the first-generation a1.
 * Intel/AMD names never do (g4dn, g5 and p5 are GPU families: the `g` comes first, before the digit).
 */
export function instanceArchitecture(instanceType: string): Architecture {
    const family = instanceType.split(".")[0];
    return family === "a1" || /^[a-z]+\d+g/.test(family) ? "arm64" : "x86_64";
}

/** An EC2 instance type name: family `.` size, e.g. t3.micro, t4g.nano, c7gn.large. */
export const INSTANCE_TYPE =
    /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d*xlarge|metal-\d+xl)$/;

/**
 * User data for plain AL2023: forward packets and masquerade everything leaving by the default
 * interface. Kept in step with what AWS CDK's NatInstanceProviderV2 writes, with retries for the
 * package install (the instance may boot a moment before its public address works) and the
 * interface found from the default route rather than assumed to be eth0 (it is ens5 on Nitro).
 */
export function al2023UserData(): string {
    return [
        "#!/bin/bash",
        "set -euo pipefail",
        "for i in $(seq 1 30); do dnf -y install iptables-services && break; sleep 10; done",
        "rpm -q iptables-services",
        "systemctl enable --now iptables",
        'echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/90-nat.conf',
        "sysctl --system",
        "IFACE=$(ip route show default | awk '{print $5; exit}')",
        'iptables -t nat -A POSTROUTING -o "$IFACE" -j MASQUERADE',
        "iptables -F FORWARD",
        "service iptables save",
        "",
    ].join("\n");
}

/** What the NAT instance needs from its image, decided once the image is known. */
export interface ImageProfile {
    readonly amiId: string;
    /**
     * What the user asked for, e.g. `fck-nat/arm64` or a pinned `ami-…`. The NAT keeps the image it
     * first found until this (or the imageRefresh label) changes, so a newer image of the same family never
     * replaces a running instance by itself.
     */
    readonly selector: string;
    /** The family, or "custom" for a pinned AMI whose name matches none. */
    readonly family: NatImageFamily | "custom";
    readonly architecture: Architecture;
    readonly name: string;
    readonly httpTokens: "required" | "optional";
    readonly userData?: string;
    readonly endOfLife?: string;
}

/** Recognises a pinned AMI by its name, so a pinned vpc-nat image keeps IMDSv1 and gets no user data. */
export function familyOfImageName(name: string): NatImageFamily | "custom" {
    if (name.startsWith("amzn-ami-vpc-nat")) return "amzn-ami-vpc-nat";
    if (name.startsWith("fck-nat-")) return "fck-nat";
    if (name.startsWith("al2023-ami-")) return "al2023";
    return "custom";
}

/**
 * Builds the profile for a found image. A custom image is taken to be a ready NAT image (no user
 * data) with IMDSv2 required: whoever pins their own AMI owns its boot scripts.
 */
export function profileFor(image: { id: string; name: string; architecture: string }, selector: string): ImageProfile {
    const family = familyOfImageName(image.name);
    const facts = family === "custom" ? undefined : IMAGE_FAMILIES[family];
    return {
        amiId: image.id,
        selector,
        family,
        architecture: image.architecture === "arm64" ? "arm64" : "x86_64",
        name: image.name,
        httpTokens: facts && !facts.imdsv2Only ? "optional" : "required",
        userData: facts?.needsUserData ? al2023UserData() : undefined,
        endOfLife: facts?.endOfLife,
    };
}

/** The arguments of the image look-up (aws.ec2.getAmi) for a NAT image choice. */
export interface AmiQuery {
    owners?: string[];
    mostRecent?: boolean;
    includeDeprecated: boolean;
    filters: { name: string; values: string[] }[];
}

/**
 * How a NAT image is looked up: a family's newest image for the CPU, or a pinned id. Deprecated
 * images are always included: AWS deprecates public AMIs two years after creation, and
 * DescribeImages then hides them unless asked (EC2 User Guide, "Deprecate an AMI"); without this a
 * family whose newest image is older than that finds nothing, as happened to fck-nat's 2024-01-25
 * images on 2026-01-25 (AndrewGuenther/fck-nat#124, anomalyco/sst#6356). mostRecent still picks the
 * newest by creation date (terraform-provider-aws ec2_ami_data_source.go sorts on CreationDate).
 * Read 2026-11-25.
 */
export function amiQuery(image: NatImage, architecture: Architecture): AmiQuery {
    if (image.kind === "ami") return { includeDeprecated: true, filters: [{ name: "image-id", values: [image.id] }] };
    const facts = IMAGE_FAMILIES[image.family];
    return {
        owners: [...facts.owners],
        mostRecent: true,
        includeDeprecated: true,
        filters: [
            { name: "name", values: [facts.namePattern(architecture)] },
            { name: "architecture", values: [architecture] },
            { name: "virtualization-type", values: ["hvm"] },
            { name: "root-device-type", values: ["ebs"] },
        ],
    };
}

/**
 * Why the image look-up failed; when it found nothing, what to choose instead: the family, CPU and region, how
 * it was looked for, and the alternatives (the other families for that CPU, or an AMI id known to
 * exist in the region). `choose` says how to pick a value where this is read (a config command, or
 * the component's argument).
 */
export function imageLookupFailed(
    image: NatImage,
    architecture: Architecture,
    region: string,
    cause: string | undefined,
    choose: (value: string) => string,
): string {
    // Only an empty answer means there is no such image; a refused or failed call (no
    // ec2:DescribeImages permission, expired credentials, throttling) is told as it is.
    if (cause !== undefined && !NO_IMAGE.test(cause))
        return `the image look-up for ${JSON.stringify(imageArgument(image))} (${architecture}) in ${region} failed: ${cause}`;
    return imageNotFound(image, architecture, region, cause, choose);
}

/**
 * The provider's words for a DescribeImages that matched nothing: terraform-provider-aws,
 * internal/service/ec2/ec2_ami_data_source.go, dataSourceAMIRead ("Your query returned no results.
 * Please change your search criteria and try again."), read 2026-12-02. Any other error is the call
 * itself failing.
 */
const NO_IMAGE = /returned no results/i;

function imageNotFound(
    image: NatImage,
    architecture: Architecture,
    region: string,
    cause: string | undefined,
    choose: (value: string) => string,
): string {
    if (image.kind === "ami")
        return `${JSON.stringify(image.id)} was not found in ${region}${cause ? ` (${cause})` : ""}; AMI ids differ per region`;
    const facts = IMAGE_FAMILIES[image.family];
    const others = NAT_IMAGE_FAMILIES.filter(
        (f) => f !== image.family && IMAGE_FAMILIES[f].architectures.includes(architecture),
    );
    return (
        `no ${JSON.stringify(image.family)} image for ${architecture} found in ${region} ` +
        `(owner ${facts.owners.join(",")}, name ${facts.namePattern(architecture)}, deprecated images included)${cause ? `: ${cause}` : ""}. ` +
        `Choose another image: ${others.map(choose).join(", ")}, or pin one you know exists in ${region} with ${choose("ami-…")}`
    );
}

/** Why a pinned image cannot run on the instance type's CPU, or undefined when it can. */
export function pinnedArchitectureProblem(
    profile: ImageProfile,
    imageName: string,
    architecture: Architecture,
    typeLabel = "the instance type",
): string | undefined {
    return profile.architecture === architecture
        ? undefined
        : `${JSON.stringify(profile.amiId)} (${imageName}) is ${profile.architecture}, but ${typeLabel} is ${architecture}; the instance could not boot`;
}

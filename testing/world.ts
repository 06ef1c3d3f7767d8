// The fake AWS account tests run against: four zones in Seoul, NAT images of every family (with
// creation dates and deprecation, so "newest" and "deprecated included" matter), two Elastic IPs.
import type { World } from "../offline/account";

export const defaultWorld = (): World => ({
    zones: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"],
    images: [
        {
            id: "ami-0a1b2c3d4e5f60001",
            name: "amzn-ami-vpc-nat-hvm-2018.03.0.20181116-x86_64-ebs",
            architecture: "x86_64",
            owner: "amazon",
            created: "2018-11-16",
            deprecated: true,
        },
        {
            id: "ami-0a1b2c3d4e5f60002",
            name: "amzn-ami-vpc-nat-2018.03.0.20230807.0-x86_64-ebs",
            architecture: "x86_64",
            owner: "amazon",
            created: "2023-08-07",
            deprecated: true,
        },
        {
            id: "ami-0f0f0f0f0f0f00001",
            name: "fck-nat-al2023-hvm-1.3.0-20240125-arm64-ebs",
            architecture: "arm64",
            owner: "568608671756",
            created: "2024-01-25",
            imdsSupport: "v2.0",
        },
        {
            id: "ami-0f0f0f0f0f0f00002",
            name: "fck-nat-al2023-hvm-1.3.0-20240125-x86_64-ebs",
            architecture: "x86_64",
            owner: "568608671756",
            created: "2024-01-25",
            imdsSupport: "v2.0",
        },
        {
            id: "ami-0e0e0e0e0e0e00001",
            name: "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64",
            architecture: "arm64",
            owner: "amazon",
            created: "2024-12-12",
            imdsSupport: "v2.0",
        },
        {
            id: "ami-0e0e0e0e0e0e00002",
            name: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64",
            architecture: "x86_64",
            owner: "amazon",
            created: "2024-12-12",
            imdsSupport: "v2.0",
        },
        {
            id: "ami-0c0c0c0c0c0c00001",
            name: "my-company-nat-2025",
            architecture: "x86_64",
            owner: "123456789012",
            created: "2025-03-01",
        },
    ],
    eips: [
        { allocationId: "eipalloc-0aaaaaaaaaaaaaaa1", publicIp: "198.51.100.11" },
        { allocationId: "eipalloc-0aaaaaaaaaaaaaaa2", publicIp: "198.51.100.12" },
    ],
    enis: {},
});

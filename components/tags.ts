import * as pulumi from "@pulumi/pulumi";

/**
 * Tags for a component's child: the caller's tags plus a Name the EC2 console shows, such as
 * `aligo-sms-dev-nat-instance`, so a resource is recognisable without reading Pulumi state.
 */
export function childTags(component: string, extra: Record<string, string> | undefined) {
    const prefix = `${pulumi.getProject()}-${pulumi.getStack()}-${component}`;
    return (role: string): Record<string, string> => ({ ...extra, Name: `${prefix}-${role}` });
}

// Each private route table's one default route to the NAT.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** A route's target: the NAT gateway, or the NAT instance's primary network interface. */
export type RouteTarget = { natGatewayId: pulumi.Output<string> } | { networkInterfaceId: pulumi.Output<string> };

/**
 * One route named `<name>-private-<i>-default` per table, to the NAT given for it. Its target updates
 * in place (ReplaceRoute; terraform-provider-aws vpc_route.go: no target attribute is ForceNew), so a
 * switch never makes a second route (RouteAlreadyExists). To an instance, only once its Elastic IP is
 * bound and it passes its status checks (`waitFor`): before that, traffic would be dropped, or leave
 * from the instance's temporary address, which the partner's allow-list refuses.
 */
export function privateRoutes(
    component: pulumi.ComponentResource,
    name: string,
    routeTableIds: readonly pulumi.Input<string>[],
    to: readonly { target: RouteTarget; waitFor: pulumi.Resource[] }[],
): void {
    routeTableIds.forEach((routeTableId, i) => {
        new aws.ec2.Route(
            `${name}-private-${i}-default`,
            { routeTableId, destinationCidrBlock: "0.0.0.0/0", ...to[i].target },
            { parent: component, dependsOn: to[i].waitFor },
        );
    });
}

// Package mapping is this repository's own Pulumi mapping (tfbridge.ProviderInfo) of
// the upstream AWS Terraform provider, limited to the resources and data
// sources the aligo-sms program uses.
//
// STAND-IN: pulumi-aws's real mapping (github.com/pulumi/pulumi-aws/provider/v7)
// cannot be downloaded here. This mapping reproduces, for the types below
// only, the Pulumi type tokens and property names of the @pulumi/aws 7.48.0
// npm package (read from its .d.ts files and checked by cmd/namecheck), so
// the program's registrations pass Check/Diff/Create. The binary reports
// version 7.48.0 because the engine asks for plugin aws 7.48.0; it is not
// pulumi-aws 7.48.0: the upstream provider is terraform-provider-aws at an
// untagged main commit (5f2286d6d836, 2026-06-02, between v6.47.0 and
// v6.48.0), and there are no docs, no default-tags handling of pulumi-aws's
// own, no schema for unmapped types.
//
// Overrides are written against the Terraform attribute (left) and name the
// @pulumi/aws property they produce (the comment). Everything else follows
// the bridge's defaults (snake_case to camelCase, MaxItems:1 blocks flattened
// to objects, repeated blocks pluralised), which namecheck confirms agree
// with the SDK for every other property.
package mapping

import (
	"context"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Version is what GetPluginInfo and the schema report: the version of the
// @pulumi/aws SDK the program uses (see the package comment: a stand-in).
var Version = "7.48.0"

// Provider returns the mapping over the muxed upstream provider.
func Provider(ctx context.Context) (tfbridge.ProviderInfo, error) {
	p, err := MuxedUpstream(ctx)
	if err != nil {
		return tfbridge.ProviderInfo{}, err
	}
	info := tfbridge.ProviderInfo{
		P:            p,
		Name:         "aws",
		DisplayName:  "AWS",
		Publisher:    "Pulumi",
		Description:  "Stand-in for pulumi-aws 7.48.0 (a mapping of the types the aligo-sms program uses), for its real-engine run.",
		Version:      Version,
		GitHubOrg:    "hashicorp",
		Repository:   "https://github.com/pulumi/pulumi-aws",
		License:      "Apache-2.0",
		MetadataInfo: tfbridge.NewProviderMetadata([]byte("{}")),

		Config: map[string]*tfbridge.SchemaInfo{
			// aws:region; the SDK's default is $AWS_REGION, then $AWS_DEFAULT_REGION.
			"region": {Default: &tfbridge.DefaultInfo{EnvVars: []string{"AWS_REGION", "AWS_DEFAULT_REGION"}}},
			// aws:skipCredentialsValidation, default false as in config/vars.js.
			"skip_credentials_validation": {Default: &tfbridge.DefaultInfo{Value: false}},
			// aws:skipRegionValidation, default true as in config/vars.js.
			"skip_region_validation": {Default: &tfbridge.DefaultInfo{Value: true}},
			// aws:skipMetadataApiCheck is a boolean in the SDK (a "true"/"false" string upstream).
			"skip_metadata_api_check": {Type: "boolean"},
			// aws:accessKey, aws:secretKey, aws:profile, aws:skipRequestingAccountId and
			// aws:endpoints (list of {<service>: url}) need no override.
		},

		Resources: map[string]*tfbridge.ResourceInfo{
			"aws_vpc": {Tok: "aws:ec2/vpc:Vpc"},
			"aws_default_security_group": {Tok: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", Fields: map[string]*tfbridge.SchemaInfo{
				"ingress": {Name: "ingress"}, // ingress (not pluralised)
				"egress":  {Name: "egress"},  // egress (not pluralised)
			}},
			"aws_internet_gateway":        {Tok: "aws:ec2/internetGateway:InternetGateway"},
			"aws_route_table":             {Tok: "aws:ec2/routeTable:RouteTable"},
			"aws_route":                   {Tok: "aws:ec2/route:Route"},
			"aws_subnet":                  {Tok: "aws:ec2/subnet:Subnet"},
			"aws_route_table_association": {Tok: "aws:ec2/routeTableAssociation:RouteTableAssociation"},
			"aws_eip":                     {Tok: "aws:ec2/eip:Eip"},
			"aws_nat_gateway":             {Tok: "aws:ec2/natGateway:NatGateway"},
			"aws_security_group": {Tok: "aws:ec2/securityGroup:SecurityGroup", Fields: map[string]*tfbridge.SchemaInfo{
				"name":        autoName("name", 255),                                        // name, optional: auto-named
				"description": {Default: &tfbridge.DefaultInfo{Value: "Managed by Pulumi"}}, // description "Defaults to `Managed by Pulumi`"
				"ingress":     {Name: "ingress"},                                            // ingress (not pluralised)
				"egress":      {Name: "egress"},                                             // egress (not pluralised)
			}},
			"aws_instance":           {Tok: "aws:ec2/instance:Instance"},
			"aws_eip_association":    {Tok: "aws:ec2/eipAssociation:EipAssociation"},
			"aws_ec2_instance_state": {Tok: "aws:ec2transitgateway/instanceState:InstanceState"},
			"aws_cloudwatch_metric_alarm": {Tok: "aws:cloudwatch/metricAlarm:MetricAlarm", Fields: map[string]*tfbridge.SchemaInfo{
				"alarm_name": autoName("name", 255), // name, optional: auto-named
			}},
			"aws_cloudwatch_event_rule": {Tok: "aws:cloudwatch/eventRule:EventRule", Fields: map[string]*tfbridge.SchemaInfo{
				"name": autoName("name", 64), // name, optional: auto-named
			}},
			"aws_cloudwatch_event_target": {Tok: "aws:cloudwatch/eventTarget:EventTarget"},
			"aws_cloudwatch_log_group": {Tok: "aws:cloudwatch/logGroup:LogGroup", Fields: map[string]*tfbridge.SchemaInfo{
				"name": autoName("name", 512), // name, optional: auto-named
			}},
			"aws_cloudwatch_log_metric_filter": {Tok: "aws:cloudwatch/logMetricFilter:LogMetricFilter", Fields: map[string]*tfbridge.SchemaInfo{
				"name": autoName("name", 512), // name, optional in the SDK (required upstream): auto-named
			}},
			"aws_iam_role": {Tok: "aws:iam/role:Role", Fields: map[string]*tfbridge.SchemaInfo{
				"name":               autoName("name", 64),             // name, optional: auto-named
				"assume_role_policy": jsonDocument("assumeRolePolicy"), // assumeRolePolicy: string | PolicyDocument
			}},
			"aws_iam_role_policy_attachment": {Tok: "aws:iam/rolePolicyAttachment:RolePolicyAttachment"},
			"aws_iam_role_policy": {Tok: "aws:iam/rolePolicy:RolePolicy", Fields: map[string]*tfbridge.SchemaInfo{
				"name":   autoName("name", 128),  // name, optional: auto-named
				"policy": jsonDocument("policy"), // policy: string | PolicyDocument
			}},
			"aws_ssm_parameter": {Tok: "aws:ssm/parameter:Parameter", Fields: map[string]*tfbridge.SchemaInfo{
				"name": autoName("name", 2048), // name, optional in the SDK (required upstream): auto-named
			}},
			"aws_lambda_function": {Tok: "aws:lambda/function:Function", Fields: map[string]*tfbridge.SchemaInfo{
				"function_name": autoName("name", 64), // name, optional: auto-named
				"filename": { // code: pulumi.asset.Archive, sent to Terraform as a zip file's path
					Name:  "code",
					Asset: &tfbridge.AssetTranslation{Kind: tfbridge.FileArchive, Format: resource.ZIPArchive},
				},
				"architectures": {MaxItemsOne: tfbridge.False()}, // architectures: string[] (upstream MaxItems:1)
			}},
			"aws_lambda_function_event_invoke_config": {Tok: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"},
			"aws_lambda_permission": {Tok: "aws:lambda/permission:Permission", Fields: map[string]*tfbridge.SchemaInfo{
				"function_name": {Name: "function"}, // function
			}},
			"aws_sns_topic": {Tok: "aws:sns/topic:Topic", Fields: map[string]*tfbridge.SchemaInfo{
				"name": snsTopicName(), // name, optional: auto-named (".fifo" added for FIFO topics)
			}},
			"aws_sns_topic_subscription": {Tok: "aws:sns/topicSubscription:TopicSubscription", Fields: map[string]*tfbridge.SchemaInfo{
				"topic_arn": {Name: "topic"}, // topic
			}},
			"aws_sns_topic_policy": {Tok: "aws:sns/topicPolicy:TopicPolicy", Fields: map[string]*tfbridge.SchemaInfo{
				"policy": jsonDocument("policy"), // policy: string | PolicyDocument
			}},
		},

		// No data source needs an override: the bridge's names are the SDK's.
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"aws_region":                      {Tok: "aws:index/getRegion:getRegion"},
			"aws_partition":                   {Tok: "aws:index/getPartition:getPartition"},
			"aws_caller_identity":             {Tok: "aws:index/getCallerIdentity:getCallerIdentity"},
			"aws_availability_zones":          {Tok: "aws:index/getAvailabilityZones:getAvailabilityZones"},
			"aws_ami":                         {Tok: "aws:ec2/getAmi:getAmi"},
			"aws_eip":                         {Tok: "aws:ec2/getElasticIp:getElasticIp"},
			"aws_eips":                        {Tok: "aws:ec2/getEips:getEips"},
			"aws_instances":                   {Tok: "aws:ec2/getInstances:getInstances"},
			"aws_instance":                    {Tok: "aws:ec2/getInstance:getInstance"},
			"aws_network_interface":           {Tok: "aws:ec2/getNetworkInterface:getNetworkInterface"},
			"aws_subnets":                     {Tok: "aws:ec2/getSubnets:getSubnets"},
			"aws_subnet":                      {Tok: "aws:ec2/getSubnet:getSubnet"},
			"aws_servicequotas_service_quota": {Tok: "aws:servicequotas/getServiceQuota:getServiceQuota"},
		},
	}
	tagsAllOutputOnly(&info)
	IgnoreUnmapped(&info)
	return info, nil
}

// tagsAllOutputOnly marks tags_all as an output only on every mapped
// resource that has it: in @pulumi/aws 7 tagsAll is a class output and a
// State property but not in <X>Args. Upstream's tags interceptor computes
// it (tags merged with the provider's defaultTags) during plan.
func tagsAllOutputOnly(info *tfbridge.ProviderInfo) {
	for name, r := range info.Resources {
		res, ok := info.P.ResourcesMap().GetOk(name)
		if !ok {
			continue
		}
		if _, has := res.Schema().GetOk("tags_all"); !has {
			continue
		}
		if r.Fields == nil {
			r.Fields = map[string]*tfbridge.SchemaInfo{}
		}
		r.Fields["tags_all"] = &tfbridge.SchemaInfo{MarkAsComputedOnly: tfbridge.True()} // tagsAll: output only
	}
}

// autoName fills the Pulumi property name, when the program leaves it out,
// with the resource's logical name plus "-" and 7 random hex characters (the
// bridge's standard auto-naming; stable for the resource's lifetime).
func autoName(name string, maxLen int) *tfbridge.SchemaInfo {
	return tfbridge.AutoName(name, maxLen, "-")
}

// snsTopicName auto-names an SNS topic; a FIFO topic's name must end in
// ".fifo", so the suffix is added when fifoTopic is true.
func snsTopicName() *tfbridge.SchemaInfo {
	return tfbridge.AutoNameWithCustomOptions("name", tfbridge.AutoNameOptions{
		Separator: "-",
		Maxlen:    256 - len(".fifo"),
		Randlen:   7,
		PostTransform: func(res *tfbridge.PulumiResource, name string) (string, error) {
			if fifo, ok := res.Properties["fifoTopic"]; ok && fifo.IsBool() && fifo.BoolValue() {
				return name + ".fifo", nil
			}
			return name, nil
		},
	})
}

// jsonDocument accepts, besides a JSON string, an object (the SDK's
// PolicyDocument type), which is sent to Terraform as its JSON text.
func jsonDocument(name string) *tfbridge.SchemaInfo {
	return &tfbridge.SchemaInfo{Name: name, Transform: tfbridge.TransformJSONDocument}
}

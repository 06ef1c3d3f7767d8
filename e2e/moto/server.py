"""moto server with the extensions the real-engine run needs, then moto's own server.

moto answers every AWS API the program's deployment calls but one: Service Quotas knows only the
"vpc" service, and the program's preflight reads the "EC2-VPC Elastic IPs" quota (service code ec2,
quota code L-0263D0A3). The extension below answers GetServiceQuota and
GetAWSDefaultServiceQuota for it with the shape of the Service Quotas API reference's ServiceQuota
type (https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_ServiceQuota.html,
read 2026-12-07): ServiceCode, ServiceName, QuotaArn, QuotaCode, QuotaName, Value, Unit,
Adjustable, GlobalQuota. The value is AWS's default, 5 per region, or E2E_EIP_QUOTA.

A second one: moto answers a function's VpcConfig.VpcId with a fixed "vpc-123abc" (awslambda/models.py,
LambdaFunction.vpc_config), and on destroy the AWS provider looks that VPC's default security group
up (replace_security_groups_on_destroy), finding none. AWS answers the VPC of the function's
subnets (Lambda API reference, VpcConfigResponse: SubnetIds, SecurityGroupIds, VpcId,
https://docs.aws.amazon.com/lambda/latest/api/API_VpcConfigResponse.html, read 2026-12-07); the
extension does that.

A third: moto keeps no LoggingConfig of a function (the program sets its log format and group), so a
refresh reads none and the next preview proposes to set it again; AWS keeps and returns it (Lambda
API reference, CreateFunction and FunctionConfiguration: LoggingConfig {LogFormat, LogGroup,
ApplicationLogLevel, SystemLogLevel}, https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html,
read 2026-12-07). The extension keeps what was given at create and update, and returns it.

A fourth: an instance launched with its security groups on its primary network interface (the AWS
provider does so when associatePublicIpAddress is set) has, in moto, no SecurityGroups of its own
in DescribeInstances, and a refresh then proposes them again; AWS reports the primary interface's
groups (EC2 API reference, Instance: SecurityGroups, "The security groups for the instance",
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Instance.html, read 2026-12-07). The
extension reports those.

Each extension is listed in e2e/README.md.

Usage: python server.py -H 127.0.0.1 -p PORT (the arguments of moto_server).
"""

import json
import os
import sys

from moto.server import main
from moto.servicequotas.exceptions import NoSuchResource
from moto.servicequotas.models import ServiceQuotasBackend
from moto.servicequotas.responses import ServiceQuotasResponse

EIP_QUOTA_CODE = "L-0263D0A3"


def eip_quota(region: str, account: str) -> dict:
    return {
        "ServiceCode": "ec2",
        "ServiceName": "Amazon Elastic Compute Cloud (Amazon EC2)",
        "QuotaArn": f"arn:aws:servicequotas:{region}:{account}:ec2/{EIP_QUOTA_CODE}",
        "QuotaCode": EIP_QUOTA_CODE,
        "QuotaName": "EC2-VPC Elastic IPs",
        "Value": float(os.environ.get("E2E_EIP_QUOTA", "5")),
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
    }


_get_service_quota = ServiceQuotasBackend.get_service_quota


def get_service_quota(self, service_code: str, quota_code: str) -> dict:
    if service_code == "ec2" and quota_code == EIP_QUOTA_CODE:
        return eip_quota(self.region_name, self.account_id)
    return _get_service_quota(self, service_code, quota_code)


ServiceQuotasBackend.get_service_quota = get_service_quota


def get_aws_default_service_quota(self) -> str:
    params = json.loads(self.body)
    service_code = str(params.get("ServiceCode"))
    quota_code = str(params.get("QuotaCode"))
    if service_code == "ec2" and quota_code == EIP_QUOTA_CODE:
        return json.dumps({"Quota": eip_quota(self.region, self.current_account)})
    raise NoSuchResource


ServiceQuotasResponse.get_aws_default_service_quota = get_aws_default_service_quota

from moto.awslambda.models import LambdaFunction
from moto.ec2.models import ec2_backends

_vpc_config = LambdaFunction.vpc_config.fget


def vpc_config(self) -> dict | None:
    config = _vpc_config(self)
    if config and config.get("SubnetIds"):
        ec2 = ec2_backends[self.account_id][self.region]
        config["VpcId"] = ec2.get_subnet(config["SubnetIds"][0]).vpc_id
    return config


LambdaFunction.vpc_config = property(vpc_config)

_init = LambdaFunction.__init__
_get_configuration = LambdaFunction.get_configuration
_update_configuration = LambdaFunction.update_configuration


def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    spec = kwargs.get("spec", args[1] if len(args) > 1 else args[0] if args else {})
    self.e2e_logging_config = spec.get("LoggingConfig") if isinstance(spec, dict) else None


def get_configuration(self, *args, **kwargs):
    config = _get_configuration(self, *args, **kwargs)
    if getattr(self, "e2e_logging_config", None):
        config["LoggingConfig"] = self.e2e_logging_config
    return config


def update_configuration(self, config_updates):
    if config_updates.get("LoggingConfig"):
        self.e2e_logging_config = config_updates["LoggingConfig"]
    return _update_configuration(self, config_updates)


LambdaFunction.__init__ = init
LambdaFunction.get_configuration = get_configuration
LambdaFunction.update_configuration = update_configuration


from moto.ec2.models.instances import Instance


def _instance_groups(self):
    own = self.__dict__.get("_e2e_security_groups") or []
    nics = self.__dict__.get("nics") or {}
    if own or 0 not in nics:
        return own
    return list(nics[0]._group_set)


def _set_instance_groups(self, groups):
    self.__dict__["_e2e_security_groups"] = groups


Instance.security_groups = property(_instance_groups, _set_instance_groups)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

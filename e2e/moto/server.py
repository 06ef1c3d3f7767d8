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
extension does that. Each extension is listed in e2e/README.md.

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

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""AWS's service prefixes (service namespaces) and service names.

IAM knows the service prefix of every AWS service, the ``s3`` of
``s3:GetObject``: AWS's Service Authorization Reference lists them ("Actions,
resources, and condition keys for AWS services", ``(service prefix: s3)``).
ListPoliciesGrantingServiceAccess refuses a namespace that is not one of them
(``InvalidInput: Invalid service namespace: [x]``, recorded from AWS).

Some services act on resources whose ARNs name another service: ``sts``
assumes ``arn:aws:iam::…:role/…`` roles, ``ssm`` sends commands to
``arn:aws:ec2:…:instance/…`` instances.  :data:`RESOURCE_VENDORS` lists, for
those, every service part their resources' ARNs may have (from the ARN formats
of the Reference's resource types).

The catalogue is data, ``_data/service_namespaces.json``, with its source and
date; AWS adds services over time, so a newer prefix may be missing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

__all__ = ["CATALOGUE_SOURCE", "RESOURCE_VENDORS", "SERVICE_NAMES", "resource_vendors"]

_DATA = json.loads(
    resources.files("iamcore").joinpath("_data/service_namespaces.json").read_text("utf-8")
)
#: Where the catalogue comes from (package or document, and the date of its data).
CATALOGUE_SOURCE: str = _DATA["source"]
#: Service prefix -> the service's name in the Service Authorization Reference.
SERVICE_NAMES: Mapping[str, str] = MappingProxyType(dict(_DATA["prefixes"]))
#: Service prefix -> the service parts of its resources' ARNs, for the services whose
#: resources include another service's ARNs.
RESOURCE_VENDORS: Mapping[str, frozenset[str]] = MappingProxyType(
    {prefix: frozenset(vendors) for prefix, vendors in _DATA["resource_vendors"].items()}
)
del _DATA


def resource_vendors(prefix: str) -> frozenset[str]:
    """The service parts the ARNs of ``prefix``'s resources may have (its own prefix, and
    for some services others: ``sts`` -> ``{"iam", "sts"}``)."""
    return RESOURCE_VENDORS.get(prefix) or frozenset({prefix})

"""AWS's service prefixes (service namespaces) and service names.

IAM knows the service prefix of every AWS service, the ``s3`` of
``s3:GetObject``: AWS's Service Authorization Reference lists them ("Actions,
resources, and condition keys for AWS services", ``(service prefix: s3)``).
ListPoliciesGrantingServiceAccess refuses a namespace that is not one of them
(``InvalidInput: Invalid service namespace: [x]``, recorded from AWS).

The catalogue is data, ``_data/service_namespaces.json``, with its source and
date; AWS adds services over time, so a newer prefix may be missing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

__all__ = ["CATALOGUE_SOURCE", "SERVICE_NAMES"]


def _load() -> tuple[str, Mapping[str, str]]:
    text = resources.files("iamcore").joinpath("_data/service_namespaces.json").read_text("utf-8")
    data = json.loads(text)
    return data["source"], MappingProxyType(dict(data["prefixes"]))


#: Where the catalogue comes from (package or document, and the date of its data).
CATALOGUE_SOURCE: str
#: Service prefix -> the service's name in the Service Authorization Reference.
SERVICE_NAMES: Mapping[str, str]
CATALOGUE_SOURCE, SERVICE_NAMES = _load()

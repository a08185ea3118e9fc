"""Permissions boundaries (UG "Permissions boundaries for IAM entities").

"A permissions boundary is an advanced feature for using a managed policy to
set the maximum permissions that an identity-based policy can grant to an
IAM entity. An entity's permissions boundary allows it to perform only the
actions that are allowed by both its identity-based policies and its
permissions boundaries."  A boundary "limits the user's permissions but does
not provide permissions on its own".

These helpers are thin views of :func:`iamcore.policy.evaluation.evaluate`.
"""

from __future__ import annotations

from collections.abc import Sequence

from iamcore.policy.context import Request
from iamcore.policy.evaluation import Evaluation, SourcedPolicy, evaluate

__all__ = ["boundary_allows", "effective_evaluation"]


def boundary_allows(request: Request, boundary: Sequence[SourcedPolicy]) -> bool:
    """Whether the boundary policies allow ``request``: a matching Allow and no matching Deny.

    This is the simulator's ``PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary``.
    """
    return evaluate(request, boundary).decision == "allowed"


def effective_evaluation(
    request: Request,
    identity: Sequence[SourcedPolicy],
    boundary: Sequence[SourcedPolicy] | None,
) -> Evaluation:
    """Identity policies intersected with the boundary (``None``: no boundary)."""
    return evaluate(request, identity, boundary)

"""Register iamcore's strategies with Hypothesis (the ``hypothesis`` entry point).

``pyproject.toml`` declares::

    [project.entry-points.hypothesis]
    _ = "iamcore.testing._hypothesis_hook:_hypothesis_setup_hook"

so Hypothesis calls :func:`_hypothesis_setup_hook` when *it* is imported,
and ``st.from_type(iamcore.User)`` then draws from
:func:`iamcore.testing.strategies.users` without the test importing anything
from iamcore's testing package.  Nothing happens unless Hypothesis is in use.

Each type is registered with a function that imports
:mod:`iamcore.testing.strategies` only when the strategy is first needed:
that module imports Hypothesis, which may be half-initialised while it runs
this hook (for example when ``iamcore.testing.strategies`` itself is the
first module to import Hypothesis).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__: list[str] = []

#: ``(module, class name, strategies function)``; a class that does not exist
#: (an optional family not installed) is skipped.
_REGISTRY: tuple[tuple[str, str, str], ...] = (
    ("iamcore.entities", "User", "users"),
    ("iamcore.entities", "Group", "groups"),
    ("iamcore.entities", "Tag", "tags"),
    ("iamcore.entities", "AccessKey", "access_keys"),
    ("iamcore.entities", "LoginProfile", "login_profiles"),
    ("iamcore.entities", "PasswordPolicy", "password_policies"),
    ("iamcore.entities", "VirtualMFADevice", "virtual_mfa_devices"),
    ("iamcore.entities", "Policy", "managed_policies"),
    ("iamcore.policy", "PolicyDocument", "parsed_policy_documents"),
    ("iamcore.policy", "Request", "requests"),
    ("iamcore.account", "Account", "accounts"),
    ("iamcore.testing", "FixedClock", "clocks"),
)


def _lazy(function: str) -> Any:
    def resolve(_type: type) -> Any:
        strategies = importlib.import_module("iamcore.testing.strategies")
        return getattr(strategies, function)()

    return resolve


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every public iamcore type that has one."""
    from hypothesis import strategies as st

    for module_name, class_name, function in _REGISTRY:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):  # pragma: no cover - optional family missing
            continue
        st.register_type_strategy(cls, _lazy(function))

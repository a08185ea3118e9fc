"""The IAM rules, one module per resource family.

Each rule is a function of ``(state, ctx, **arguments)`` that has already
had its arguments checked against the service model.  It checks every
cross-entity rule *before* changing anything, so a call that raises leaves
the state untouched.
"""

"""The volunteer side (the desk), one module per capability: people (list and page), cv_check,
help_requests, outcomes, statistics, centres, audit, invitations, team. Each makes a
`router.Router`, registers its commands, buttons and desk flows on it with the role they need,
and is listed in `desk.CAPABILITIES`; capabilities never import one another (they go through
`context.Ctx`: `then_press` another button, `open_flow` a desk flow)."""

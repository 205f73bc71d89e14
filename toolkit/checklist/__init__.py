"""The readiness checklist: findings from document markers, rules and evidence."""

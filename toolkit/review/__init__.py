"""Coach review: comments on data paths in review.yaml, carried into drafts, the checklist and an Excel round trip."""

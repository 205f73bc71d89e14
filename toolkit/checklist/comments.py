"""Findings for open review comments (review.yaml): a warning each, blocking when the reviewer marked it so.

A comment whose field the project no longer has is still a finding (REVIEW-GONE), never dropped; a
review.yaml that cannot be read is one finding per problem, at its line.
"""

from __future__ import annotations

from toolkit import schema
from toolkit.checklist.findings import Finding
from toolkit.errors import ToolkitError
from toolkit.project import Project
from toolkit.review import store
from toolkit.review.comments import follow

RULES = ("REVIEW-OPEN", "REVIEW-GONE", "REVIEW-FILE")


def findings(project: Project) -> list[Finding]:
    """One finding per open comment of the project's review.yaml, and one per problem of the file itself."""
    try:
        review = store.read(project.root)
    except ToolkitError as error:  # a review.yaml that links out of the project: refused, and said so
        problems = list(error.problems)
        review = store.Review(project.root)
    else:
        problems = review.problems
    found = [
        Finding(
            "REVIEW-FILE",
            "blocking",
            problem.path,
            "",
            problem.location,
            "problem",
            {"message": {"ja": problem.message("ja"), "en": problem.message("en")}},
        )
        for problem in problems
    ]
    data = project.data
    tables = schema.tables_of(data)
    for comment in follow(review, data).comments:
        if not comment.open:
            continue
        there = not comment.gone
        head = comment.path.split("[", 1)[0]
        if head in tables:
            section = "monitoring.B.5" if head == "monitoring" else "activity_list"
        else:
            section = schema.field_meta(data, comment.path).get("section", "") if there else ""
        found.append(
            Finding(
                "REVIEW-OPEN" if there else "REVIEW-GONE",
                "blocking" if comment.blocking else "warning",
                comment.path,
                section,
                comment.location,
                "review_open" if there else "review_orphan",
                {
                    "id": comment.id,
                    "author": comment.author or "—",
                    "text": " ".join(comment.text.split()),  # one line in the checklist
                    "path": comment.path,
                },
                schema.label(data, comment.path) if there else {},
            )
        )
    return found

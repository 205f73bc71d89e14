"""Page layout (render/layout.py): the column widths of every table of a generated program's monitoring report and
activity list, measured in this process, and its share of the PDF render that needs it.

The widths are new work each render does (every cell's text is measured once); this says what it costs next to
the rest. Reports the layout time per document and the tables it measured; with --render, also the HTML
generation of the same document, which runs the layout once more inside the template.
Usage: python benchmarks/bench_pages.py [--activities N] [--runs R] [--render]
"""

from __future__ import annotations

import sys
import time

from harness import arguments, generated

# the layout may take at most 4 times this share of a document's HTML (its PDF takes far longer)
TARGET_SHARE = 0.05


def main() -> int:
    args = arguments(__doc__, 1_000, lambda parser: parser.add_argument("--render", action="store_true"))
    project = generated(args.dir, args.activities)

    from toolkit.pipeline import Run
    from toolkit.render import html
    from toolkit.render.layout import table_layout

    run = Run(project)
    status = 0
    for kind in ("monitoring", "activity-list"):
        document = run.document(kind).printed()
        tables = document.tables()
        cells = sum(len(table.rows) * len(table.columns) for table in tables)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            layouts = [table_layout(table, document.landscape) for table in tables]
            times.append(time.perf_counter() - start)
        wide = sum(layout.landscape for layout in layouts)
        print(
            f"{kind} ({args.activities:,} activities): layout of {len(tables)} tables, {cells:,} cells: "
            f"best {min(times):.3f} s, runs {', '.join(f'{t:.3f}' for t in times)}; "
            f"{wide} on landscape pages of their own"
        )
        if args.render:
            start = time.perf_counter()
            html.render(document)
            seconds = time.perf_counter() - start
            share = min(times) / seconds if seconds else 0.0
            print(f"  HTML of the same document: {seconds:.2f} s; the layout is {share:.1%} of it")
            if share > TARGET_SHARE * 4:  # of the HTML alone; the PDF's layout by WeasyPrint adds much more
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

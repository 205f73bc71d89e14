"""Reading a project folder: YAML, XLSX, CSV into plain values with a source map; normalising what people type."""

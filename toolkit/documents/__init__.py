"""Documents: specs (templates/documents/*.yaml) + project + results -> the document model."""

"""Workbooks: `layout` declares where everything is; `writer` and `reader` both follow it."""

"""One module per section of the report, each computing its part of the `ReportContext` from a
period's `Snapshot` (and the previous one's for changes); `matrix.report.build` puts them together.

The plan's gaps, likely duplicated effort and data-quality warnings are `matrix.report.findings`.
"""

"""The progress report: numbers computed in Python (`build`), shown by Jinja2 templates
(`render`)."""

"""The version of matrix, in one place: the package, the workbooks it writes and the build read it
here."""

__version__ = "0.1.0"

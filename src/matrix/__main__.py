from matrix.cli import cli

cli(prog_name="matrix")
